/* dbus-service.h - dnssd-auditd's D-Bus API (org.dnssdaudit.Auditor1.xml)
 * on the system bus.
 *
 * Connects on its own (not GLib's shared singleton) so that a bus that is
 * absent at start or goes away later is a recoverable state: the daemon
 * keeps auditing and logging, and retries every few seconds.  The name is
 * requested with DO_NOT_QUEUE: if another process owns it, that is
 * reported once (DBUS_SERVICE_NAME_TAKEN) and the caller decides.
 *
 * Callers that do not read their replies are refused, then ignored,
 * before they can make the bus stop reading from us (dbus-limits.h); the
 * large replies are built once per state of the table
 * (dbus_service_invalidate()).
 */
#pragma once

#include <gio/gio.h>
#include "audit/service-table.h"
#include "daemon/dbus-limits.h"
#include "validator/finding.h"

#define AUDITD_DBUS_NAME "org.dnssdaudit.Auditor1"
#define AUDITD_DBUS_PATH "/org/dnssdaudit/Auditor1"
#define AUDITD_DBUS_INTERFACE "org.dnssdaudit.Auditor1"

/* Errors returned over D-Bus: org.dnssdaudit.Error.<Name>. */
#define AUDITD_DBUS_ERROR (auditd_dbus_error_quark())
GQuark auditd_dbus_error_quark(void);
typedef enum {
	AUDITD_DBUS_ERROR_FAILED,          /* org.dnssdaudit.Error.Failed */
	AUDITD_DBUS_ERROR_RELOAD_FAILED,   /* org.dnssdaudit.Error.ReloadFailed */
} AuditdDbusError;

typedef enum {
	DBUS_SERVICE_NAME_OWNED,       /* the API is up */
	DBUS_SERVICE_UNAVAILABLE,      /* no bus (at start or lost): retrying */
	DBUS_SERVICE_NAME_TAKEN,       /* another process owns the name */
} DbusServiceState;

typedef struct {
	/* Reload() was called: do it; return a summary or FALSE + error. */
	gboolean (*reload)(char **summary, GError **error, gpointer user_data);
	/* The state of the bus connection / name changed.  message is one
	 * line for the log. */
	void (*state)(DbusServiceState state, const char *message, gpointer user_data);
} DbusServiceCallbacks;

typedef struct _DbusService DbusService;

/* Start connecting to the bus (asynchronously; results arrive through
 * cb->state).  table is borrowed and must outlive the service. */
DbusService *dbus_service_new(GBusType bus_type, ServiceTable *table,
                              const DbusServiceCallbacks *cb, gpointer user_data);
void dbus_service_free(DbusService *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DbusService, dbus_service_free)

gboolean dbus_service_is_owned(const DbusService *s);

/* Other limits (tests): used from the next connection on, so call it right
 * after dbus_service_new(). */
void dbus_service_set_limits(DbusService *s, const DbusLimitsConfig *cfg);
/* FALSE while there is no connection. */
gboolean dbus_service_limits_stats(DbusService *s, DbusLimitsStats *out);

/* Emit FindingAdded / FindingRemoved for f of e: the table's report and
 * gone callbacks (one per finding per service).  No-op while the name is
 * not owned, and for an accepted finding. */
void dbus_service_emit_finding(DbusService *s, const ServiceEntry *e, const Finding *f);
void dbus_service_emit_finding_removed(DbusService *s, const ServiceEntry *e,
                                       const Finding *f);

/* The table changed (any update, removal, sweep or re-audit): the cached
 * replies of ListServices, ListFindings and GetFindings are dropped and
 * built again on the next call.  Call it after every change, or the
 * lists go stale. */
void dbus_service_invalidate(DbusService *s);

/* Property values (sent as PropertiesChanged when they change).
 * set_status also counts the table's findings per service (NAccepted,
 * FindingsBySeverity): call it at most a few times a second. */
void dbus_service_set_status(DbusService *s, const char *status, gboolean avahi_running,
                             guint n_services, guint n_findings, guint64 suppressed);
/* NFirstResolutionOnly (watcher_n_first_resolution_only()). */
void dbus_service_set_first_resolution_only(DbusService *s, guint n);
/* path NULL: no catalogue. */
void dbus_service_set_catalogue(DbusService *s, const char *path, guint n_records);
void dbus_service_set_registry(DbusService *s, const char *path, const char *updated,
                               guint n_records);

/* The D-Bus values, exposed for the tests. */
GVariant *dbus_service_list_services(ServiceTable *table);
GVariant *dbus_service_list_findings(ServiceTable *table);
GVariant *dbus_service_get_findings(ServiceTable *table);
