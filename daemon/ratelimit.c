/* ratelimit.c - fixed-window line limiter (see ratelimit.h). */
#include "config.h"

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
 * count to pending. */
static void
close_if_ended(RateLimit *rl, gint64 now)
{
	if (rl->window_start < 0 || now < rl->window_start + rl->window_us)
		return;
	rl->pending += rl->suppressed;
	rl->window_start = -1;
	rl->used = 0;
	rl->suppressed = 0;
}

gboolean
ratelimit_allow(RateLimit *rl, gint64 now)
{
	close_if_ended(rl, now);
	if (rl->window_start < 0)
		rl->window_start = now;
	if (rl->used < rl->limit) {
		rl->used++;
		return TRUE;
	}
	rl->suppressed++;
	rl->total_suppressed++;
	return FALSE;
}

guint
ratelimit_take_suppressed(RateLimit *rl, gint64 now)
{
	guint n;

	close_if_ended(rl, now);
	n = rl->pending;
	rl->pending = 0;
	return n;
}

gint64
ratelimit_window_end(const RateLimit *rl)
{
	return rl->window_start < 0 ? -1 : rl->window_start + rl->window_us;
}
