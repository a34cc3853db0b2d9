/* reporter-metrics.h - the daemon's state as a Prometheus node exporter
 * textfile (dnssd-auditd(8) METRICS), for metrics-file=.
 *
 * The reporter keeps no counts of its own: at write time it asks its
 * owner for a MetricsState (the service table and a few scalars) and
 * renders it, so the file cannot disagree with the table.
 *
 * When a write happens: metrics_reporter_changed() says the state
 * changed; the file is written METRICS_SETTLE_US after it (a burst of
 * changes is one write), but never sooner than METRICS_INTERVAL_US after
 * the previous write; a write that would not change the file is skipped.
 * The first write is scheduled by
 * metrics_reporter_new() itself.  A write replaces the file atomically
 * (a temporary file in the same directory, renamed over it), so the node
 * exporter never reads half a file.  A failing write is one warning line,
 * repeated at most every METRICS_WARN_INTERVAL_US unless the error
 * changes; the write is tried again every METRICS_INTERVAL_US until it
 * succeeds.  Nothing here blocks for long: the file is a few KiB, written
 * without fsync.
 */
#pragma once

#include <glib.h>
#include "audit/service-table.h"
#include "audit/site-config.h"

#define METRICS_SETTLE_US ((gint64) 1 * G_USEC_PER_SEC)
#define METRICS_INTERVAL_US ((gint64) 15 * G_USEC_PER_SEC)
#define METRICS_WARN_INTERVAL_US ((gint64) 3600 * G_USEC_PER_SEC)

/* What the metrics say, borrowed for one write. */
typedef struct {
	const ServiceTable *table;      /* NULL: no advertisements */
	const AuditdConfig *config;     /* the codes' site severities; NULL: defaults */
	gboolean avahi_up;
	const char *registry_updated;   /* "YYYY-MM-DD"; NULL or malformed: no sample */
	guint64 lines_suppressed;       /* finding lines not logged (rate-limit) */
	guint first_resolution_only;    /* watcher_n_first_resolution_only() */
} MetricsState;

/* Fill *state (zeroed before the call). */
typedef void (*MetricsStateFunc)(MetricsState *state, gpointer user_data);

/* Microseconds of a monotonic clock; NULL: g_get_monotonic_time. */
typedef gint64 (*MetricsClock)(void);

typedef struct _MetricsReporter MetricsReporter;

/* path: absolute, borrowed (copied).  Schedules the first write. */
MetricsReporter *metrics_reporter_new(const char *path, MetricsStateFunc state,
                                      gpointer user_data, MetricsClock clock);
/* Removes the file it wrote (a stopped daemon has no metrics: "absent"
 * says so, a stale file would not), then frees. */
void metrics_reporter_free(MetricsReporter *mr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MetricsReporter, metrics_reporter_free)

/* Reload: another path removes the old file and writes the new one
 * METRICS_SETTLE_US from now; the same path is a change whose write is
 * not skipped. */
void metrics_reporter_set_path(MetricsReporter *mr, const char *path);

/* The state changed: schedule a write (see above).  Cheap: call it on
 * every change. */
void metrics_reporter_changed(MetricsReporter *mr);

/* Write now if a write is scheduled and due by the clock.  Called by the
 * reporter's own timer; exposed for the tests.  Returns TRUE if it was
 * due (whether the file was written, skipped as unchanged or failed). */
gboolean metrics_reporter_flush(MetricsReporter *mr);

/* Monotonic time of the scheduled write, -1 if none. */
gint64 metrics_reporter_due(const MetricsReporter *mr);
/* Writes tried (not skipped) / failed since creation. */
guint metrics_reporter_n_writes(const MetricsReporter *mr);
guint metrics_reporter_n_failures(const MetricsReporter *mr);

/* The textfile for state: every metric with # HELP and # TYPE, in the
 * Prometheus text exposition format 0.0.4.  Newly allocated. */
char *metrics_render(const MetricsState *state);

/* Append value escaped as a label value: '\' -> "\\", '"' -> "\"",
 * newline -> "\n" (the text format's rules; other bytes pass). */
void metrics_escape_label_value(GString *out, const char *value);

/* Replace path atomically with text, mode 0644: a temporary file
 * ".NAME.XXXXXX" in path's directory (no ".prom" suffix, so the textfile
 * collector skips it), written, renamed over path; removed on failure.
 * Not fsync'ed: readers see the old or the new file either way, and a
 * crash's torn file is replaced at the next start. */
gboolean metrics_write_file(const char *path, const char *text, GError **error);
