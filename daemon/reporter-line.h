/* reporter-line.h - findings as log lines (FINDINGS.md "One finding, one
 * log line"), through log.h, at most rate-limit lines per 10 s.
 *
 * A finding past the limit is not logged but counted; after its window
 * ended one summary line says how many were suppressed.  (The D-Bus
 * signal and ListFindings are not limited; that is not this reporter's
 * business.)
 */
#pragma once

#include <glib.h>
#include "daemon/ratelimit.h"
#include "audit/service-table.h"
#include "validator/finding.h"

typedef struct _LineReporter LineReporter;

/* Microseconds of a monotonic clock; NULL: g_get_monotonic_time. */
typedef gint64 (*LineReporterClock)(void);

LineReporter *line_reporter_new(guint rate_limit, LineReporterClock clock);
/* Logs a pending summary, then frees. */
void line_reporter_free(LineReporter *lr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LineReporter, line_reporter_free)

void line_reporter_set_rate_limit(LineReporter *lr, guint rate_limit);

/* Log f of e as one line, unless the rate limit says no.  Returns TRUE if
 * logged. */
gboolean line_reporter_finding(LineReporter *lr, const ServiceEntry *e, const Finding *f);

/* Log that f of e no longer applies (after a reload) at LOG_INFO:
 *   finding no longer applies: code=C type="T" instance="I" interface="X" protocol=P
 * (escaped; not the finding line format, so greps for findings do not
 * match it).  Rate-limited like findings.  Returns TRUE if logged. */
gboolean line_reporter_gone(LineReporter *lr, const ServiceEntry *e, const Finding *f);

/* Log the summary line of windows that have ended, if any lines were
 * suppressed.  Called by the reporter's own timer; exposed for the tests.
 * Returns the number summarised. */
guint line_reporter_flush(LineReporter *lr);

guint64 line_reporter_n_suppressed(const LineReporter *lr);
