/* scan-report.h - what `dnssd-audit scan` saw, judged and rendered.
 *
 * A ScanReport keeps a copy of the latest WatchedService snapshot of every
 * service that is on the network (snapshots replace each other; a removal
 * drops the service).  It judges each one with validator_check(), as it
 * comes once a registry is set, else at the end, and writes either the
 * human table (grouped by type, findings under each service) or the JSON
 * document of dnssd-audit(1).
 */
#pragma once

#include <glib.h>
#include "daemon/watcher.h"
#include "registry/registry.h"

typedef struct _ScanReport ScanReport;

ScanReport *scan_report_new(void);
void scan_report_free(ScanReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanReport, scan_report_free)

/* Judge every snapshot with reg from now on, as it comes (and the ones
 * already recorded now), and with json render its JSON object too, so
 * that writing the report at the end (with the same reg) has little left
 * to do.  Holds a reference; NULL stops it. */
void scan_report_set_registry(ScanReport *r, Registry *reg, gboolean json);

/* Record the latest snapshot of a service / forget a removed one. */
void scan_report_update(ScanReport *r, const WatchedService *svc);
void scan_report_remove(ScanReport *r, const WatchedService *svc);

guint scan_report_n_services(const ScanReport *r);

/* Judge every service against reg (may be NULL: no registry rules) and
 * append the rendering to out.  complete FALSE adds a note that the scan
 * stopped early (JSON: "complete": false).  Both return TRUE if any
 * finding is at warning or error severity (exit status 1). */
gboolean scan_report_write_human(ScanReport *r, const Registry *reg,
                                 gboolean complete, gboolean color, GString *out);
gboolean scan_report_write_json(ScanReport *r, const Registry *reg,
                                gboolean complete, GString *out);
