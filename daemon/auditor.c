/* auditor.c - dnssd-auditd's core (see auditor.h). */
#include "config.h"

#include <string.h>
#include "daemon/auditor.h"
#include "daemon/dbus-service.h"
#include "daemon/log.h"
#include "daemon/notify.h"
#include "daemon/reporter-line.h"
#include "daemon/reporter-metrics.h"
#include "audit/service-table.h"
#include "avahi/watcher.h"
#include "validator/validator.h"

#define STATUS_DELAY_MS 250

struct _Auditor {
	AuditorOptions opts;
	char *config_path;
	char *registry_path;
	AuditSite site;             /* configuration, registry, catalogue */
	ServiceTable *table;
	LineReporter *lines;
	MetricsReporter *metrics;   /* NULL: no metrics-file */
	DbusService *dbus;
	Watcher *watcher;
	/* avahi: -1 not heard yet, 0 gone, 1 running */
	int avahi_state;
	gboolean log_next_settle;   /* first settle since avahi came up */
	gboolean sweep_on_settle;   /* a new watcher replaced the old one */
	guint first_resolution_only; /* at the last settle (watcher.h) */
	guint first_resolution_warned; /* the count last warned about */
	gboolean ready;             /* READY=1 sent */
	guint ready_idle_id;
	guint status_id;
};

char *
auditor_status(const Auditor *a)
{
	if (a->watcher != NULL && a->avahi_state != 1)
		return g_strdup("waiting for avahi-daemon");
	return g_strdup_printf("auditing %u services, %u findings",
	                       service_table_size(a->table),
	                       service_table_n_findings(a->table));
}

static void check_first_resolution_only(Auditor *a, gboolean warn);

static gboolean
push_status(gpointer data)
{
	Auditor *a = data;
	g_autofree char *status = auditor_status(a);

	a->status_id = 0;
	check_first_resolution_only(a, FALSE);
	notify_status(status);
	dbus_service_set_status(a->dbus, status, a->avahi_state == 1,
	                        service_table_size(a->table),
	                        service_table_n_findings(a->table),
	                        line_reporter_n_suppressed(a->lines));
	return G_SOURCE_REMOVE;
}

/* Status changes come in bursts (hundreds of services at start): tell
 * systemd and D-Bus at most every STATUS_DELAY_MS.  Every change of the
 * state comes here, so the metrics file hears of them here too (it
 * coalesces on its own). */
static void
schedule_status(Auditor *a)
{
	if (a->metrics != NULL)
		metrics_reporter_changed(a->metrics);
	if (a->status_id == 0)
		a->status_id = g_timeout_add(STATUS_DELAY_MS, push_status, a);
}

static void
metrics_state(MetricsState *st, gpointer data)
{
	Auditor *a = data;

	st->table = a->table;
	st->config = a->site.config;
	st->avahi_up = a->avahi_state == 1;
	st->registry_updated = registry_updated(a->site.registry);
	st->lines_suppressed = line_reporter_n_suppressed(a->lines);
	st->first_resolution_only = a->first_resolution_only;
}

/* metrics-file= at start or after a reload: start, move or stop the
 * metrics reporter. */
static void
configure_metrics(Auditor *a)
{
	const char *path = a->site.config->metrics_file;

	if (path == NULL)
		g_clear_pointer(&a->metrics, metrics_reporter_free);
	else if (a->metrics == NULL)
		a->metrics = metrics_reporter_new(path, metrics_state, a, NULL);
	else
		metrics_reporter_set_path(a->metrics, path);
}

static void
publish_registry(Auditor *a)
{
	const Registry *cat = a->site.catalogue;

	dbus_service_set_registry(a->dbus, registry_path(a->site.registry), registry_updated(a->site.registry),
	                          registry_n_records(a->site.registry));
	dbus_service_set_catalogue(a->dbus, cat != NULL ? registry_path(cat) : NULL,
	                           cat != NULL ? registry_n_records(cat) : 0);
}

/* --- judging and reporting ------------------------------------------- */

/* The one verdict (audit/judge.h): validator + site policy. */
static void
judge(const ServiceEntry *e, FindingList *out, gpointer data)
{
	Auditor *a = data;
	Advertisement ad;

	service_entry_advertisement(e, &ad);
	audit_judge(&a->site, &ad, e->type_esc, e->name_esc, e->host_esc, out);
}

static void
report(const ServiceEntry *e, const Finding *f, gpointer data)
{
	Auditor *a = data;

	line_reporter_finding(a->lines, e, f);
	dbus_service_emit_finding(a->dbus, e, f);
}

static void
over_capacity(guint max, gpointer data)
{
	log_msg(LOG_WARNING,
	        "more than %u advertisements (max-services): forgetting the oldest ones", max);
}

static void
gone(const ServiceEntry *e, const Finding *f, ServiceGone why, gpointer data)
{
	Auditor *a = data;

	/* A reload that changes a verdict is worth a line; a service leaving
	 * or changing is not.  D-Bus clients hear of every one (never of an
	 * accepted finding: they never heard it was added). */
	if (why == SERVICE_GONE_REAUDIT && !f->accepted)
		line_reporter_gone(a->lines, e, f);
	dbus_service_emit_finding_removed(a->dbus, e, f);
}

static const ServiceTableCallbacks table_callbacks = { judge, report, over_capacity, gone };

/* --- the watcher ----------------------------------------------------- */

static void
auditor_on_service_changed(const ObservedService *svc, gpointer data)
{
	Auditor *a = data;
	guint64 gen = service_table_generation(a->table);

	service_table_update(a->table, svc, NULL);
	dbus_service_invalidate(a->dbus);
	/* The status counts the whole table: a TXT change with the same
	 * findings (most events under churn) leaves it as it was. */
	if (service_table_generation(a->table) != gen)
		schedule_status(a);
}

static void
auditor_on_service_removed(const ObservedService *svc, gpointer data)
{
	Auditor *a = data;

	service_table_remove(a->table, svc);
	dbus_service_invalidate(a->dbus);
	schedule_status(a);
}

/* No blind spot goes unsaid: the count on D-Bus and in the metrics, and,
 * at a settle (warn), once per growth one warning naming it. */
static void
check_first_resolution_only(Auditor *a, gboolean warn)
{
	guint n = watcher_n_first_resolution_only(a->watcher);

	a->first_resolution_only = n;
	dbus_service_set_first_resolution_only(a->dbus, n);
	if (!warn)
		return;
	if (n == 0) {
		a->first_resolution_warned = 0;
		return;
	}
	if (n <= a->first_resolution_warned)
		return;
	a->first_resolution_warned = n;
	log_msg(LOG_WARNING, "%u advertisements are judged on their first resolution only: "
	        "avahi-daemon allows a client 1024 objects, so their later TXT changes "
	        "are not seen (raise objects-per-client-max in avahi-daemon.conf)", n);
}

static void
auditor_on_settled(gpointer data)
{
	Auditor *a = data;

	if (a->sweep_on_settle) {
		guint n = service_table_sweep_stale(a->table);

		a->sweep_on_settle = FALSE;
		dbus_service_invalidate(a->dbus);
		if (n > 0)
			log_msg(LOG_INFO, "forgot %u advertisements no longer watched", n);
	}
	if (a->log_next_settle) {
		g_autofree char *status = auditor_status(a);

		a->log_next_settle = FALSE;
		log_msg(LOG_INFO, "browse settled: %s", status);
	}
	check_first_resolution_only(a, TRUE);
	schedule_status(a);
}

static void
auditor_on_avahi_state(gboolean running, const char *message, gpointer data)
{
	Auditor *a = data;

	if (running) {
		if (a->avahi_state == 0)
			log_msg(LOG_NOTICE, "avahi-daemon is back (%s): browsing again", message);
		else
			log_msg(LOG_NOTICE, "avahi-daemon is running (%s): browsing", message);
		a->log_next_settle = TRUE;
	} else if (a->avahi_state == -1) {
		log_msg(LOG_WARNING, "avahi-daemon is not available (%s)", message);
	} else {
		log_msg(LOG_WARNING, "avahi-daemon is gone (%s): waiting for it to come back",
		        message);
	}
	a->avahi_state = running ? 1 : 0;
	schedule_status(a);
}

static const WatcherCallbacks watcher_callbacks = {
	auditor_on_service_changed, auditor_on_service_removed, auditor_on_settled, auditor_on_avahi_state,
};

const WatcherCallbacks *
auditor_watcher_callbacks(void)
{
	return &watcher_callbacks;
}

static gboolean
start_watcher(Auditor *a, GError **error)
{
	WatcherOptions wo = {
		.interfaces = (const char *const *)a->site.config->interfaces,
		.resolve_timeout_ms = a->site.config->resolve_timeout_ms,
	};

	a->watcher = watcher_new(&wo, &watcher_callbacks, a, error);
	return a->watcher != NULL;
}

/* --- D-Bus and readiness --------------------------------------------- */

static void
warn_registry_age(const Auditor *a)
{
	g_autofree char *warning = audit_registry_age_warning(&a->site,
	                                                      g_get_real_time() / G_USEC_PER_SEC);

	if (warning != NULL)
		log_msg(LOG_WARNING, "%s", warning);
}

static void
become_ready(Auditor *a, const char *bus)
{
	if (a->ready)
		return;
	a->ready = TRUE;
	log_msg(LOG_NOTICE, "dnssd-auditd ready: registry %s (%u records, updated %s), %s",
	        registry_path(a->site.registry), registry_n_records(a->site.registry),
	        registry_updated(a->site.registry) != NULL ? registry_updated(a->site.registry) : "unknown", bus);
	warn_registry_age(a);
	notify_ready();
	schedule_status(a);
	/* Watch only now, so that D-Bus clients waiting for the name see the
	 * FindingAdded signals of the first advertisements too. */
	if (a->opts.watch && a->watcher == NULL) {
		g_autoptr(GError) error = NULL;

		if (!start_watcher(a, &error)) {
			log_msg(LOG_ERR, "cannot watch avahi: %s", error->message);
			if (a->opts.fatal != NULL)
				a->opts.fatal(1, a->opts.user_data);
		}
	}
}

static gboolean
ready_without_bus(gpointer data)
{
	Auditor *a = data;

	a->ready_idle_id = 0;
	become_ready(a, "D-Bus disabled");
	return G_SOURCE_REMOVE;
}

static void
on_dbus_state(DbusServiceState state, const char *message, gpointer data)
{
	Auditor *a = data;
	g_autofree char *bus = NULL;

	switch (state) {
	case DBUS_SERVICE_NAME_OWNED:
		if (a->ready)
			log_msg(LOG_NOTICE, "%s again", message);
		bus = g_strdup_printf("bus name %s owned", AUDITD_DBUS_NAME);
		become_ready(a, bus);
		publish_registry(a);
		schedule_status(a);
		break;
	case DBUS_SERVICE_UNAVAILABLE:
		log_msg(LOG_WARNING, "%s", message);
		/* Without the bus the daemon still audits and logs. */
		become_ready(a, "D-Bus unavailable");
		break;
	case DBUS_SERVICE_NAME_TAKEN:
		log_msg(LOG_ERR, "%s; is another dnssd-auditd running?", message);
		if (a->opts.fatal != NULL)
			a->opts.fatal(1, a->opts.user_data);
		break;
	}
}

static gboolean
dbus_reload(char **summary, GError **error, gpointer data)
{
	return auditor_reload(data, summary, error);
}

static const DbusServiceCallbacks dbus_callbacks = { dbus_reload, on_dbus_state };

/* --- life cycle ------------------------------------------------------ */

Auditor *
auditor_new(const AuditorOptions *opts, AuditSite *site, GError **error)
{
	g_autoptr(Auditor) a = g_new0(Auditor, 1);
	const AuditdConfig *cfg = site->config;

	a->opts = *opts;
	a->config_path = g_strdup(opts->config_path);
	a->registry_path = g_strdup(opts->registry_path);
	a->opts.config_path = a->config_path;
	a->opts.registry_path = a->registry_path;
	a->site = *site;
	*site = (AuditSite){ 0 };
	a->avahi_state = -1;
	a->table = service_table_new(cfg->max_services, &table_callbacks, a);
	a->lines = line_reporter_new(cfg->rate_limit, NULL);
	configure_metrics(a);
	if (opts->bus_type != G_BUS_TYPE_NONE) {
		a->dbus = dbus_service_new(opts->bus_type, a->table, &dbus_callbacks, a);
		publish_registry(a);
	} else
		a->ready_idle_id = g_idle_add(ready_without_bus, a);
	return g_steal_pointer(&a);
}

void
auditor_free(Auditor *a)
{
	if (a == NULL)
		return;
	if (a->ready_idle_id != 0)
		g_source_remove(a->ready_idle_id);
	if (a->status_id != 0)
		g_source_remove(a->status_id);
	watcher_free(a->watcher);
	/* Before the table it reads; removes the file. */
	metrics_reporter_free(a->metrics);
	dbus_service_free(a->dbus);
	line_reporter_free(a->lines);
	service_table_free(a->table);
	audit_site_clear(&a->site);
	g_free(a->config_path);
	g_free(a->registry_path);
	g_free(a);
}

gboolean
auditor_reload(Auditor *a, char **summary, GError **error)
{
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) local_error = NULL;
	AuditSite site = { 0 }, old;
	const AuditdConfig *cfg;
	const Registry *reg;
	guint added, removed;
	g_autofree char *line = NULL;

	/* systemd only wants to hear about reloads once it heard READY=1. */
	if (a->ready)
		notify_reloading();
	if (!audit_site_load(a->config_path, a->registry_path, NULL, warnings, &site,
	                     &local_error)) {
		log_msg(LOG_ERR, "reload failed: %s; keeping the previous configuration and registry",
		        local_error->message);
		g_propagate_error(error, g_steal_pointer(&local_error));
		if (a->ready)
			notify_ready();
		return FALSE;
	}
	for (guint i = 0; i < warnings->len; i++)
		log_msg(LOG_WARNING, "%s", (const char *)g_ptr_array_index(warnings, i));

	old = a->site;
	a->site = site;
	cfg = site.config;
	reg = site.registry;
	line_reporter_set_rate_limit(a->lines, cfg->rate_limit);
	configure_metrics(a);
	service_table_set_max(a->table, cfg->max_services);
	if (a->watcher != NULL && config_watcher_differs(old.config, cfg)) {
		/* Other interfaces or timeout: a new watcher reports every
		 * service again; the ones it does not are forgotten when it
		 * settles.  Known ones are not logged again (same content). */
		watcher_free(g_steal_pointer(&a->watcher));
		service_table_mark_stale(a->table);
		a->sweep_on_settle = TRUE;
		a->avahi_state = -1;
		if (!start_watcher(a, &local_error))
			log_msg(LOG_ERR, "cannot watch avahi after reload: %s", local_error->message);
	}
	audit_site_clear(&old);

	service_table_reaudit(a->table, &added, &removed);
	dbus_service_invalidate(a->dbus);
	line = g_strdup_printf("registry reloaded: %u records (updated %s); "
	                       "re-audited %u services, %u findings changed",
	                       registry_n_records(reg),
	                       registry_updated(reg) != NULL ? registry_updated(reg) : "unknown",
	                       service_table_size(a->table), added + removed);
	log_msg(LOG_NOTICE, "%s", line);
	warn_registry_age(a);
	publish_registry(a);
	schedule_status(a);
	if (a->ready)
		notify_ready();
	if (summary != NULL)
		*summary = g_steal_pointer(&line);
	return TRUE;
}
