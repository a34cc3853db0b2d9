/* ratelimit.h - at most N finding lines per fixed time window, by
 * severity (FINDINGS.md "Rate limit by severity").
 *
 * A window opens at the first line after the previous one ended and lasts
 * window_us.  Urgent lines (error, warning) and the others (notice, info)
 * have a budget of `limit` lines each per window, so a burst of notices
 * can never take the place of a warning; and once an urgent line has been
 * suppressed in a window, no notice or info line is let through for the
 * rest of it.  Lines past the limit are counted per severity; the counts
 * of a window are handed out once, after that window ended
 * (ratelimit_take_suppressed), so the caller can log one summary line per
 * window.  The clock is the caller's: every call gets "now" in
 * microseconds (g_get_monotonic_time() in the daemon, made-up values in
 * the tests).
 */
#pragma once

#include <glib.h>
#include "validator/finding.h"

#define RATELIMIT_WINDOW_US (10 * G_USEC_PER_SEC)
#define RATELIMIT_N_SEVERITIES (SEVERITY_ERROR + 1)

typedef struct {
	guint limit;            /* lines per window and class, > 0 */
	gint64 window_us;
	gint64 window_start;    /* -1: no window open */
	guint used_urgent;      /* error and warning lines let through */
	guint used_other;       /* notice and info lines let through */
	gboolean urgent_dropped; /* an urgent line was suppressed in this window */
	guint suppressed[RATELIMIT_N_SEVERITIES];  /* in the open window */
	guint pending[RATELIMIT_N_SEVERITIES];     /* windows that ended */
	guint64 total_suppressed;
} RateLimit;

void ratelimit_init(RateLimit *rl, guint limit, gint64 window_us);
/* Change the limit (config reload); the open window keeps its counts. */
void ratelimit_set_limit(RateLimit *rl, guint limit);

/* May a line of this severity be logged at time now?  TRUE: yes
 * (counted).  FALSE: it is suppressed (counted as such). */
gboolean ratelimit_allow(RateLimit *rl, Severity severity, gint64 now);

/* The lines suppressed in windows that have ended by now, per severity,
 * into out (and forget them).  Returns their total: 0 if none (or only
 * the still-open window dropped lines). */
guint ratelimit_take_suppressed(RateLimit *rl, gint64 now,
                                guint out[RATELIMIT_N_SEVERITIES]);

/* When the open window ends (now-independent), or -1 if none is open. */
gint64 ratelimit_window_end(const RateLimit *rl);
