/* ratelimit.c - fixed-window line limiter by severity (see ratelimit.h). */
#include "config.h"

#include <string.h>
#include "daemon/ratelimit.h"

void
ratelimit_init(RateLimit *rl, guint limit, gint64 window_us)
{
	*rl = (RateLimit){ 0 };
	rl->limit = limit > 0 ? limit : 1;
	rl->window_us = window_us > 0 ? window_us : RATELIMIT_WINDOW_US;
	rl->window_start = -1;
}

void
ratelimit_set_limit(RateLimit *rl, guint limit)
{
	rl->limit = limit > 0 ? limit : 1;
}

/* Close the open window if it has ended by now, moving its suppressed
 * counts to pending. */
static void
close_if_ended(RateLimit *rl, gint64 now)
{
	if (rl->window_start < 0 || now < rl->window_start + rl->window_us)
		return;
	for (guint i = 0; i < RATELIMIT_N_SEVERITIES; i++) {
		rl->pending[i] += rl->suppressed[i];
		rl->suppressed[i] = 0;
	}
	rl->window_start = -1;
	rl->used_urgent = 0;
	rl->used_other = 0;
	rl->urgent_dropped = FALSE;
}

gboolean
ratelimit_allow(RateLimit *rl, Severity severity, gint64 now)
{
	gboolean urgent = severity >= SEVERITY_WARNING;
	guint sev = MIN((guint) severity, RATELIMIT_N_SEVERITIES - 1);

	close_if_ended(rl, now);
	if (rl->window_start < 0)
		rl->window_start = now;
	if (urgent && rl->used_urgent < rl->limit) {
		rl->used_urgent++;
		return TRUE;
	}
	if (!urgent && !rl->urgent_dropped && rl->used_other < rl->limit) {
		rl->used_other++;
		return TRUE;
	}
	if (urgent)
		rl->urgent_dropped = TRUE;
	rl->suppressed[sev]++;
	rl->total_suppressed++;
	return FALSE;
}

guint
ratelimit_take_suppressed(RateLimit *rl, gint64 now, guint out[RATELIMIT_N_SEVERITIES])
{
	guint n = 0;

	close_if_ended(rl, now);
	for (guint i = 0; i < RATELIMIT_N_SEVERITIES; i++) {
		out[i] = rl->pending[i];
		n += rl->pending[i];
		rl->pending[i] = 0;
	}
	return n;
}

gint64
ratelimit_window_end(const RateLimit *rl)
{
	return rl->window_start < 0 ? -1 : rl->window_start + rl->window_us;
}
