/* scan-report.h - `dnssd-audit scan`'s renderings of the audit model: the
 * human table (grouped by type, findings under each service) or the JSON
 * document of dnssd-audit(1).  One row per advertisement (interface and
 * protocol), in report order: type, instance, interface, protocol.
 */
#pragma once

#include <glib.h>
#include "audit/service-table.h"

/* How long the scan took and when its last new service arrived, in ms
 * from its start; last_new_ms < 0: no service arrived. */
typedef struct {
	gint64 duration_ms;
	gint64 last_new_ms;
} ScanTiming;

/* Append the rendering of every entry of t to out.  complete FALSE adds a
 * note that the scan stopped early (JSON: "complete": false).  timing,
 * unless NULL, adds a line after the summary (JSON: "duration_ms",
 * "last_new_ms").  Both return TRUE if any finding is a problem
 * (finding_is_problem(): exit status 1). */
gboolean scan_report_write_human(const ServiceTable *t, gboolean complete,
                                 const ScanTiming *timing, gboolean color,
                                 GString *out);
gboolean scan_report_write_json(const ServiceTable *t, gboolean complete,
                                const ScanTiming *timing, GString *out);
