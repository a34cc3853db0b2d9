/* auditor.h - dnssd-auditd's core: the watcher's snapshots -> validator ->
 * service table -> reporters (log lines, D-Bus), plus reload and status.
 *
 * main() parses options, opens the log and runs the loop; everything else
 * is here.
 */
#pragma once

#include <gio/gio.h>
#include "audit/judge.h"
#include "avahi/watcher.h"
#include "registry/registry.h"

typedef struct _Auditor Auditor;

typedef struct {
	const char *config_path;     /* --config, or NULL for the default file */
	const char *registry_path;   /* --registry, or NULL */
	GBusType bus_type;           /* G_BUS_TYPE_SYSTEM; G_BUS_TYPE_NONE: no D-Bus */
	gboolean watch;              /* start the Avahi watcher (FALSE in tests) */
	/* The daemon cannot go on (the bus name is taken): main() should exit
	 * with this status. */
	void (*fatal)(int exit_status, gpointer user_data);
	gpointer user_data;
} AuditorOptions;

/* Takes what site holds (audit_site_load(), what --check-config, start-up
 * and reload share; site is cleared).  Starts the D-Bus service; once the
 * bus name is owned (or the bus is found unavailable) logs
 * "dnssd-auditd ready: ...",
 * sends READY=1 and starts the Avahi watcher.  error is reserved for
 * failures at construction (currently none: returns non-NULL). */
Auditor *auditor_new(const AuditorOptions *opts, AuditSite *site, GError **error);
void auditor_free(Auditor *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Auditor, auditor_free)

/* SIGHUP / Reload(): load configuration and registry anew; on success swap
 * them in, judge every advertisement again and log what changed; on
 * failure keep the old ones and log the error.  *summary (may be NULL)
 * gets the one-line result. */
gboolean auditor_reload(Auditor *a, char **summary, GError **error);

/* "auditing N services, M findings" / "waiting for avahi-daemon". */
char *auditor_status(const Auditor *a);

/* The callbacks the auditor gives its watcher (user_data: the Auditor), so
 * that tests can feed snapshots without avahi. */
const WatcherCallbacks *auditor_watcher_callbacks(void);
