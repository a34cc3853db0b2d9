/* ratelimit.h - at most N finding lines per fixed time window.
 *
 * A window opens at the first line after the previous one ended and lasts
 * window_us.  Lines past the limit are counted; the count of a window is
 * handed out once, after that window ended (ratelimit_take_suppressed), so
 * the caller can log one summary line per window.  The clock is the
 * caller's: every call gets "now" in microseconds (g_get_monotonic_time()
 * in the daemon, made-up values in the tests).
 */
#pragma once

#include <glib.h>

#define RATELIMIT_WINDOW_US (10 * G_USEC_PER_SEC)

typedef struct {
	guint limit;            /* lines per window, > 0 */
	gint64 window_us;
	gint64 window_start;    /* -1: no window open */
	guint used;             /* lines let through in the open window */
	guint suppressed;       /* lines dropped in the open window */
	guint pending;          /* dropped in windows that ended, not yet taken */
	guint64 total_suppressed;
} RateLimit;

void ratelimit_init(RateLimit *rl, guint limit, gint64 window_us);
/* Change the limit (config reload); the open window keeps its counts. */
void ratelimit_set_limit(RateLimit *rl, guint limit);

/* May a line be logged at time now?  TRUE: yes (counted).  FALSE: it is
 * suppressed (counted as such). */
gboolean ratelimit_allow(RateLimit *rl, gint64 now);

/* The number of lines suppressed in windows that have ended by now, and
 * forget it.  0 if none (or only the still-open window dropped lines). */
guint ratelimit_take_suppressed(RateLimit *rl, gint64 now);

/* When the open window ends (now-independent), or -1 if none is open. */
gint64 ratelimit_window_end(const RateLimit *rl);
