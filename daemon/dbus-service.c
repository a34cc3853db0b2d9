/* dbus-service.c - org.dnssdaudit.Auditor1 on the system bus (see
 * dbus-service.h and org.dnssdaudit.Auditor1.xml). */
#include "config.h"

#include <string.h>
#include "daemon/auditor-dbus.h"
#include "daemon/dbus-limits.h"
#include "daemon/dbus-service.h"
#include "format/escape.h"

#define RETRY_MIN_S 2
#define RETRY_MAX_S 60

static const GDBusErrorEntry dbus_error_entries[] = {
	{ AUDITD_DBUS_ERROR_FAILED, "org.dnssdaudit.Error.Failed" },
	{ AUDITD_DBUS_ERROR_RELOAD_FAILED, "org.dnssdaudit.Error.ReloadFailed" },
};

GQuark
auditd_dbus_error_quark(void)
{
	static gsize quark = 0;

	g_dbus_error_register_error_domain("dnssd-auditd-dbus-error-quark", &quark,
	                                   dbus_error_entries,
	                                   G_N_ELEMENTS(dbus_error_entries));
	return (GQuark)quark;
}

struct _DbusService {
	GBusType bus_type;
	ServiceTable *table;
	DbusServiceCallbacks cb;
	gpointer user_data;
	AuditdAuditor1 *skeleton;
	GDBusConnection *conn;
	GCancellable *cancel;
	gulong closed_id;
	guint owner_id;
	guint retry_id;
	guint retry_delay_s;
	gboolean owned;
	gboolean unavailable_said;   /* one message per outage */
	/* The large replies, built once per state of the table (NULL: not
	 * built since the last dbus_service_invalidate()).  Serialised, so
	 * that each call copies bytes instead of walking a tree. */
	GVariant *services_reply;
	GVariant *findings_reply;
	GVariant *get_findings_reply;
	/* Callers that do not read their replies (dbus-limits.h); one per
	 * connection. */
	DbusLimitsConfig limits_cfg;
	DbusLimits *limits;
};

static void start_connect(DbusService *s);

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static void
add_entry(const ServiceEntry *e, gpointer data)
{
	GVariantBuilder *b = data;
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "interface", "s", nz(e->ifname_esc));
	g_variant_dict_insert(&d, "ifindex", "i", e->ifindex);
	g_variant_dict_insert(&d, "protocol", "s", nz(service_entry_protocol_name(e)));
	g_variant_dict_insert(&d, "instance", "s", nz(e->name_esc));
	g_variant_dict_insert(&d, "type", "s", nz(e->type_esc));
	g_variant_dict_insert(&d, "domain", "s", nz(e->domain_esc));
	g_variant_dict_insert(&d, "resolved", "b", e->resolved && !e->resolve_failed);
	g_variant_dict_insert(&d, "resolve-failed", "b", e->resolve_failed);
	if (e->resolve_failed && e->resolve_error != NULL) {
		g_autofree char *err = escape_bytes(e->resolve_error, strlen(e->resolve_error));

		g_variant_dict_insert(&d, "resolve-error", "s", err);
	}
	if (e->host_esc != NULL)
		g_variant_dict_insert(&d, "host", "s", e->host_esc);
	if (e->address_esc != NULL)
		g_variant_dict_insert(&d, "address", "s", e->address_esc);
	if (e->port >= 0)
		g_variant_dict_insert(&d, "port", "i", e->port);
	if (e->resolved && !e->resolve_failed) {
		GVariantBuilder txt;

		g_variant_builder_init(&txt, G_VARIANT_TYPE("aay"));
		for (guint i = 0; i < e->txt->len; i++) {
			GBytes *bytes = g_ptr_array_index(e->txt, i);

			g_variant_builder_add_value(&txt, g_variant_new_from_bytes(
				G_VARIANT_TYPE_BYTESTRING, bytes, TRUE));
		}
		g_variant_dict_insert_value(&d, "txt", g_variant_builder_end(&txt));
	}
	g_variant_dict_insert(&d, "findings", "u", e->findings->len);
	g_variant_dict_insert(&d, "stale", "b", e->stale);
	g_variant_builder_add_value(b, g_variant_dict_end(&d));
}

GVariant *
dbus_service_list_services(ServiceTable *table)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	service_table_foreach(table, add_entry, &b);
	return g_variant_builder_end(&b);
}

/* The FindingAdded / ListFindings tuple of f; every string valid UTF-8. */
static GVariant *
finding_tuple(const ServiceEntry *e, const Finding *f)
{
	const char *msg = f->message != NULL ? f->message : "";
	g_autofree char *msg_esc = escape_bytes(msg, strlen(msg));

	return g_variant_new("(ssssssssi)", finding_code_name(f->code),
	                     severity_name(f->severity), nz(e->type_esc), nz(e->name_esc),
	                     nz(e->ifname_esc), msg_esc, nz(service_entry_protocol_name(e)),
	                     nz(e->host_esc), e->port);
}

static void
add_findings(const ServiceEntry *e, gpointer data)
{
	for (guint i = 0; i < e->findings->len; i++) {
		const Finding *f = finding_list_get(e->findings, i);

		if (!f->accepted)
			g_variant_builder_add_value(data, finding_tuple(e, f));
	}
}

GVariant *
dbus_service_list_findings(ServiceTable *table)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a(ssssssssi)"));
	service_table_foreach(table, add_findings, &b);
	return g_variant_builder_end(&b);
}

/* --- one report per service (GetFindings, the counts) ----------------- */

/* A service (instance, type, domain) as GetFindings shows it: all its
 * entries, and each of its findings once, with the oldest entry that has
 * it. */
typedef struct {
	const ServiceEntry *entry;
	const Finding *finding;
} ServiceViewFinding;

typedef struct {
	GPtrArray *entries;          /* const ServiceEntry *, oldest first */
	GArray *findings;            /* ServiceViewFinding, first come first */
	GHashTable *seen;            /* finding_view_key() -> NULL */
} ServiceView;

typedef struct {
	GHashTable *by_key;          /* e->group (borrowed) -> ServiceView */
	GPtrArray *order;            /* ServiceView *, oldest first (owned) */
} ServiceViews;

static void
service_view_free(ServiceView *v)
{
	g_ptr_array_unref(v->entries);
	g_array_unref(v->findings);
	g_hash_table_destroy(v->seen);
	g_free(v);
}

/* What makes two findings the same finding (the table's rule: code,
 * severity, message); the two numbers end at the first ':'. */
static char *
finding_view_key(const Finding *f)
{
	return g_strdup_printf("%d:%d:%s", (int)f->code, (int)f->severity, nz(f->message));
}

static void
service_views_add(const ServiceEntry *e, gpointer data)
{
	ServiceViews *vs = data;
	ServiceView *v = g_hash_table_lookup(vs->by_key, e->group);

	if (v == NULL) {
		v = g_new0(ServiceView, 1);
		v->entries = g_ptr_array_new();
		v->findings = g_array_new(FALSE, FALSE, sizeof(ServiceViewFinding));
		v->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_hash_table_insert(vs->by_key, e->group, v);
		g_ptr_array_add(vs->order, v);
	}
	g_ptr_array_add(v->entries, (gpointer)e);
	for (guint i = 0; i < e->findings->len; i++) {
		const Finding *f = finding_list_get(e->findings, i);
		char *key = finding_view_key(f);
		ServiceViewFinding vf = { e, f };

		if (!g_hash_table_add(v->seen, key))
			continue;   /* the set kept the first key and freed this one */
		g_array_append_val(v->findings, vf);
	}
}

/* The table's services; borrow from table, which must not change while
 * they live. */
static void
service_views_init(ServiceViews *vs, ServiceTable *table)
{
	vs->by_key = g_hash_table_new(NULL, NULL);
	vs->order = g_ptr_array_new_with_free_func((GDestroyNotify)service_view_free);
	service_table_foreach(table, service_views_add, vs);
}

static void
service_views_clear(ServiceViews *vs)
{
	g_hash_table_destroy(vs->by_key);
	g_ptr_array_unref(vs->order);
}

static GVariant *
service_view_finding_dict(const ServiceView *v, const ServiceViewFinding *vf)
{
	const ServiceEntry *e = vf->entry;
	const Finding *f = vf->finding;
	const char *msg = f->message != NULL ? f->message : "";
	g_autofree char *msg_esc = escape_bytes(msg, strlen(msg));
	gint64 first = service_entry_first_seen(e, f);
	GVariantBuilder seen;
	GVariantDict d;

	g_variant_builder_init(&seen, G_VARIANT_TYPE("a(ss)"));
	for (guint i = 0; i < v->entries->len; i++) {
		const ServiceEntry *other = g_ptr_array_index(v->entries, i);

		g_variant_builder_add(&seen, "(ss)", nz(other->ifname_esc),
		                      nz(service_entry_protocol_name(other)));
	}
	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "code", "s", finding_code_name(f->code));
	g_variant_dict_insert(&d, "severity", "s", severity_name(f->severity));
	g_variant_dict_insert(&d, "type", "s", nz(e->type_esc));
	g_variant_dict_insert(&d, "instance", "s", nz(e->name_esc));
	g_variant_dict_insert(&d, "interface", "s", nz(e->ifname_esc));
	g_variant_dict_insert(&d, "protocol", "s", nz(service_entry_protocol_name(e)));
	g_variant_dict_insert(&d, "host", "s", nz(e->host_esc));
	g_variant_dict_insert(&d, "port", "i", e->port);
	g_variant_dict_insert(&d, "message", "s", msg_esc);
	g_variant_dict_insert(&d, "accepted", "b", f->accepted);
	g_variant_dict_insert(&d, "first-seen", "t", (guint64)MAX(first, 0));
	g_variant_dict_insert_value(&d, "seen-on", g_variant_builder_end(&seen));
	return g_variant_dict_end(&d);
}

GVariant *
dbus_service_get_findings(ServiceTable *table)
{
	ServiceViews vs;
	GVariantBuilder b;

	service_views_init(&vs, table);
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < vs.order->len; i++) {
		const ServiceView *v = g_ptr_array_index(vs.order, i);

		for (guint j = 0; j < v->findings->len; j++)
			g_variant_builder_add_value(&b, service_view_finding_dict(
				v, &g_array_index(v->findings, ServiceViewFinding, j)));
	}
	service_views_clear(&vs);
	return g_variant_builder_end(&b);
}

/* --- method handlers ---------------------------------------------------- */

/* A cached reply: built from the table on first use after a change, and
 * serialised once, so that a burst of calls costs copies, not builds. */
static GVariant *
cached(DbusService *s, GVariant **slot, GVariant *(*build)(ServiceTable *), const char *member)
{
	if (*slot == NULL) {
		*slot = g_variant_ref_sink(build(s->table));
		(void)g_variant_get_data(*slot);
		/* What the next calls reserve before their reply is sent. */
		dbus_limits_expect(s->limits, member, g_variant_get_size(*slot));
	}
	return *slot;
}

void
dbus_service_invalidate(DbusService *s)
{
	if (s == NULL)
		return;
	g_clear_pointer(&s->services_reply, g_variant_unref);
	g_clear_pointer(&s->findings_reply, g_variant_unref);
	g_clear_pointer(&s->get_findings_reply, g_variant_unref);
}

static gboolean
handle_list_services(AuditdAuditor1 *obj, GDBusMethodInvocation *inv, gpointer data)
{
	DbusService *s = data;

	auditd_auditor1_complete_list_services(obj, inv, cached(s, &s->services_reply,
	                                                         dbus_service_list_services,
	                                                         "ListServices"));
	return TRUE;
}

static gboolean
handle_list_findings(AuditdAuditor1 *obj, GDBusMethodInvocation *inv, gpointer data)
{
	DbusService *s = data;

	auditd_auditor1_complete_list_findings(obj, inv, cached(s, &s->findings_reply,
	                                                         dbus_service_list_findings,
	                                                         "ListFindings"));
	return TRUE;
}

static gboolean
handle_get_findings(AuditdAuditor1 *obj, GDBusMethodInvocation *inv, gpointer data)
{
	DbusService *s = data;

	auditd_auditor1_complete_get_findings(obj, inv, cached(s, &s->get_findings_reply,
	                                                       dbus_service_get_findings,
	                                                       "GetFindings"));
	return TRUE;
}

static gboolean
handle_reload(AuditdAuditor1 *obj, GDBusMethodInvocation *inv, gpointer data)
{
	DbusService *s = data;
	g_autoptr(GError) error = NULL;
	g_autofree char *summary = NULL;

	if (s->cb.reload == NULL) {
		g_dbus_method_invocation_return_error_literal(inv, AUDITD_DBUS_ERROR,
		                                              AUDITD_DBUS_ERROR_FAILED,
		                                              "reload is not supported");
		return TRUE;
	}
	if (!s->cb.reload(&summary, &error, s->user_data)) {
		g_dbus_method_invocation_return_error_literal(inv, AUDITD_DBUS_ERROR,
		                                              AUDITD_DBUS_ERROR_RELOAD_FAILED,
		                                              error->message);
		return TRUE;
	}
	auditd_auditor1_complete_reload(obj, inv, nz(summary));
	return TRUE;
}

static void
service_report_state(DbusService *s, DbusServiceState state, const char *message)
{
	if (s->cb.state != NULL)
		s->cb.state(state, message, s->user_data);
}

/* Drop the connection (if any) without telling anyone. */
static void
teardown(DbusService *s)
{
	if (s->owner_id != 0)
		g_bus_unown_name(s->owner_id);
	s->owner_id = 0;
	if (g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(s->skeleton)) != NULL)
		g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(s->skeleton));
	g_clear_pointer(&s->limits, dbus_limits_free);
	if (s->conn != NULL) {
		if (s->closed_id != 0)
			g_signal_handler_disconnect(s->conn, s->closed_id);
		s->closed_id = 0;
		g_clear_object(&s->conn);
	}
	s->owned = FALSE;
}

static gboolean
retry_cb(gpointer data)
{
	DbusService *s = data;

	s->retry_id = 0;
	start_connect(s);
	return G_SOURCE_REMOVE;
}

/* The bus is not there (any more): say so once per outage and retry with
 * a growing delay. */
static void
unavailable(DbusService *s, const char *why)
{
	teardown(s);
	if (!s->unavailable_said) {
		g_autofree char *msg = g_strdup_printf(
			"D-Bus system bus unavailable (%s): running without the D-Bus API, retrying",
			why);

		s->unavailable_said = TRUE;
		service_report_state(s, DBUS_SERVICE_UNAVAILABLE, msg);
	}
	if (s->retry_id == 0) {
		s->retry_id = g_timeout_add_seconds(s->retry_delay_s, retry_cb, s);
		s->retry_delay_s = MIN(s->retry_delay_s * 2, RETRY_MAX_S);
	}
}

static void
on_closed(GDBusConnection *conn, gboolean remote_peer_vanished, GError *error,
          gpointer data)
{
	DbusService *s = data;

	unavailable(s, error != NULL ? error->message : "connection closed");
}

static void
on_name_acquired(GDBusConnection *conn, const char *name, gpointer data)
{
	DbusService *s = data;
	g_autofree char *msg = g_strdup_printf("bus name %s owned", name);

	s->owned = TRUE;
	s->unavailable_said = FALSE;
	s->retry_delay_s = RETRY_MIN_S;
	service_report_state(s, DBUS_SERVICE_NAME_OWNED, msg);
}

/* The answer to on_name_lost()'s question: is the name held by someone
 * else, or did the bus refuse it? */
static void
on_name_lost_owner(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) has = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res,
	                                                        &error);
	g_autofree char *msg = NULL;
	gboolean owned = TRUE;
	DbusService *s;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;   /* s is gone */
	s = data;
	if (s->conn != G_DBUS_CONNECTION(source))
		return;   /* that connection is gone already */
	if (has != NULL)
		g_variant_get(has, "(b)", &owned);
	msg = owned ?
		g_strdup_printf("cannot own the bus name %s: another process owns it"
		                " (is another dnssd-auditd running?)", AUDITD_DBUS_NAME) :
		g_strdup_printf("cannot own the bus name %s: the bus refused it"
		                " (does its policy, org.dnssdaudit.Auditor1.conf,"
		                " allow this user?)", AUDITD_DBUS_NAME);
	/* Close first: GLib would otherwise send ReleaseName for a name we
	 * never had and warn about the reply. */
	if (s->closed_id != 0)
		g_signal_handler_disconnect(s->conn, s->closed_id);
	s->closed_id = 0;
	g_dbus_connection_close_sync(s->conn, NULL, NULL);
	teardown(s);
	service_report_state(s, DBUS_SERVICE_NAME_TAKEN, msg);
}

static void
on_name_lost(GDBusConnection *conn, const char *name, gpointer data)
{
	DbusService *s = data;

	if (conn == NULL || g_dbus_connection_is_closed(conn)) {
		unavailable(s, "connection closed");
		return;
	}
	/* GLib reports a refusal by the bus policy and a name held by
	 * someone else alike; asking the bus tells them apart, so the admin
	 * is pointed at the right cause.  Asked without waiting: the main
	 * loop goes on. */
	g_dbus_connection_call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                       "org.freedesktop.DBus", "NameHasOwner", g_variant_new("(s)", name),
	                       G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000, s->cancel,
	                       on_name_lost_owner, s);
}

static void
on_connected(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *conn = g_dbus_connection_new_for_address_finish(res, &error);
	DbusService *s;

	if (conn == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;   /* s is gone */
	s = data;
	if (conn == NULL) {
		unavailable(s, error->message);
		return;
	}
	s->conn = conn;
	/* A bus that goes away must not kill the daemon (GLib's default for
	 * bus connections is to raise SIGTERM). */
	g_dbus_connection_set_exit_on_close(conn, FALSE);
	s->closed_id = g_signal_connect(conn, "closed", G_CALLBACK(on_closed), s);
	/* Before the object is exported: no call goes unaccounted. */
	s->limits = dbus_limits_new(conn, &s->limits_cfg);
	dbus_service_invalidate(s);   /* the estimates start anew */
	if (!g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(s->skeleton), conn,
	                                      AUDITD_DBUS_PATH, &error)) {
		unavailable(s, error->message);
		return;
	}
	s->owner_id = g_bus_own_name_on_connection(conn, AUDITD_DBUS_NAME,
	                                           G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
	                                           on_name_acquired, on_name_lost, s, NULL);
}

static void
start_connect(DbusService *s)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *address = g_dbus_address_get_for_bus_sync(s->bus_type, NULL, &error);

	if (address == NULL) {
		unavailable(s, error->message);
		return;
	}
	g_dbus_connection_new_for_address(address,
	                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
	                                  G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	                                  NULL, s->cancel, on_connected, s);
}

/* FindingsBySeverity, only when it changed (each set is a
 * PropertiesChanged signal). */
static void
set_by_severity(DbusService *s, const guint by_severity[4])
{
	static const Severity order[] = {
		SEVERITY_ERROR, SEVERITY_WARNING, SEVERITY_NOTICE, SEVERITY_INFO,
	};
	GVariant *old = auditd_auditor1_get_findings_by_severity(s->skeleton);
	GVariantBuilder b;
	g_autoptr(GVariant) v = NULL;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a{su}"));
	for (guint i = 0; i < G_N_ELEMENTS(order); i++)
		g_variant_builder_add(&b, "{su}", severity_name(order[i]), by_severity[order[i]]);
	v = g_variant_ref_sink(g_variant_builder_end(&b));
	if (old == NULL || !g_variant_equal(old, v))
		auditd_auditor1_set_findings_by_severity(s->skeleton, v);
}

DbusService *
dbus_service_new(GBusType bus_type, ServiceTable *table, const DbusServiceCallbacks *cb,
                 gpointer user_data)
{
	DbusService *s = g_new0(DbusService, 1);

	(void)AUDITD_DBUS_ERROR; /* register the error names before any call */
	s->bus_type = bus_type;
	s->table = table;
	s->cb = *cb;
	s->user_data = user_data;
	s->cancel = g_cancellable_new();
	s->retry_delay_s = RETRY_MIN_S;
	s->limits_cfg = dbus_limits_default;
	s->skeleton = auditd_auditor1_skeleton_new();
	auditd_auditor1_set_version(s->skeleton, PACKAGE_VERSION);
	auditd_auditor1_set_status(s->skeleton, "starting");
	auditd_auditor1_set_registry_path(s->skeleton, "");
	auditd_auditor1_set_registry_updated(s->skeleton, "");
	auditd_auditor1_set_catalogue_path(s->skeleton, "");
	auditd_auditor1_set_start_time(s->skeleton, (guint64)g_get_real_time());
	set_by_severity(s, (const guint[4]){ 0 });
	g_signal_connect(s->skeleton, "handle-list-services", G_CALLBACK(handle_list_services), s);
	g_signal_connect(s->skeleton, "handle-list-findings", G_CALLBACK(handle_list_findings), s);
	g_signal_connect(s->skeleton, "handle-get-findings", G_CALLBACK(handle_get_findings), s);
	g_signal_connect(s->skeleton, "handle-reload", G_CALLBACK(handle_reload), s);
	start_connect(s);
	return s;
}

void
dbus_service_free(DbusService *s)
{
	if (s == NULL)
		return;
	g_cancellable_cancel(s->cancel);
	if (s->retry_id != 0)
		g_source_remove(s->retry_id);
	teardown(s);
	if (s->skeleton != NULL)
		g_signal_handlers_disconnect_by_data(s->skeleton, s);
	g_clear_object(&s->skeleton);
	g_clear_object(&s->cancel);
	dbus_service_invalidate(s);
	g_free(s);
}

void
dbus_service_set_limits(DbusService *s, const DbusLimitsConfig *cfg)
{
	s->limits_cfg = *cfg;
}

gboolean
dbus_service_limits_stats(DbusService *s, DbusLimitsStats *out)
{
	if (s->limits == NULL)
		return FALSE;
	dbus_limits_get_stats(s->limits, out);
	return TRUE;
}

gboolean
dbus_service_is_owned(const DbusService *s)
{
	return s->owned;
}

static void
emit_finding(DbusService *s, const ServiceEntry *e, const Finding *f, gboolean added)
{
	g_autoptr(GVariant) t = NULL;
	const char *code, *sev, *type, *inst, *ifname, *msg, *proto, *host;
	gint32 port;

	if (s == NULL || !s->owned || f->accepted)
		return;
	t = g_variant_ref_sink(finding_tuple(e, f));
	g_variant_get(t, "(&s&s&s&s&s&s&s&si)", &code, &sev, &type, &inst, &ifname, &msg,
	              &proto, &host, &port);
	if (added)
		auditd_auditor1_emit_finding_added(s->skeleton, code, sev, type, inst, ifname,
		                                   msg, proto, host, port);
	else
		auditd_auditor1_emit_finding_removed(s->skeleton, code, sev, type, inst, ifname,
		                                     msg, proto, host, port);
}

void
dbus_service_emit_finding(DbusService *s, const ServiceEntry *e, const Finding *f)
{
	emit_finding(s, e, f, TRUE);
}

void
dbus_service_emit_finding_removed(DbusService *s, const ServiceEntry *e, const Finding *f)
{
	emit_finding(s, e, f, FALSE);
}

void
dbus_service_set_status(DbusService *s, const char *status, gboolean avahi_running,
                        guint n_services, guint n_findings, guint64 suppressed)
{
	guint by_severity[4], n_accepted;

	if (s == NULL)
		return;
	service_table_count_findings(s->table, by_severity, &n_accepted);
	set_by_severity(s, by_severity);
	if (auditd_auditor1_get_naccepted(s->skeleton) != n_accepted)
		auditd_auditor1_set_naccepted(s->skeleton, n_accepted);
	if (g_strcmp0(auditd_auditor1_get_status(s->skeleton), status) != 0)
		auditd_auditor1_set_status(s->skeleton, status);
	if (auditd_auditor1_get_avahi_running(s->skeleton) != avahi_running)
		auditd_auditor1_set_avahi_running(s->skeleton, avahi_running);
	if (auditd_auditor1_get_nservices(s->skeleton) != n_services)
		auditd_auditor1_set_nservices(s->skeleton, n_services);
	if (auditd_auditor1_get_nfindings(s->skeleton) != n_findings)
		auditd_auditor1_set_nfindings(s->skeleton, n_findings);
	if (auditd_auditor1_get_suppressed_lines(s->skeleton) != suppressed)
		auditd_auditor1_set_suppressed_lines(s->skeleton, suppressed);
}

void
dbus_service_set_first_resolution_only(DbusService *s, guint n)
{
	if (s != NULL && auditd_auditor1_get_nfirst_resolution_only(s->skeleton) != n)
		auditd_auditor1_set_nfirst_resolution_only(s->skeleton, n);
}

void
dbus_service_set_catalogue(DbusService *s, const char *path, guint n_records)
{
	g_autofree char *path_esc = path != NULL ? escape_bytes(path, strlen(path)) : NULL;

	if (s == NULL)
		return;
	if (g_strcmp0(auditd_auditor1_get_catalogue_path(s->skeleton), nz(path_esc)) != 0)
		auditd_auditor1_set_catalogue_path(s->skeleton, nz(path_esc));
	if (auditd_auditor1_get_catalogue_records(s->skeleton) != n_records)
		auditd_auditor1_set_catalogue_records(s->skeleton, n_records);
}

void
dbus_service_set_registry(DbusService *s, const char *path, const char *updated,
                          guint n_records)
{
	g_autofree char *path_esc = path != NULL ? escape_bytes(path, strlen(path)) : NULL;

	if (s == NULL)
		return;
	auditd_auditor1_set_registry_path(s->skeleton, nz(path_esc));
	auditd_auditor1_set_registry_updated(s->skeleton, nz(updated));
	auditd_auditor1_set_registry_records(s->skeleton, n_records);
}
