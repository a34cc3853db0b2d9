/* cli-daemon.c - the subcommands that ask the running dnssd-auditd over
 * D-Bus: status, findings, services, and accept (which falls back to a
 * scan when no daemon runs).
 *
 * The daemon's strings are escaped (org.dnssdaudit.Auditor1.xml);
 * escape_parse() turns them back into the network bytes, so that its
 * advertisements go through the same audit model and the same renderer as
 * a scan's (audit/service-table.h, cli/scan-report.h): the output of
 * `services` is the output of `scan`, with the daemon's verdicts.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <gio/gio.h>

#include "cli/cli.h"
#include "cli/scan-report.h"
#include "daemon/dbus-service.h"
#include "format/escape.h"

/* One finding of the daemon (GetFindings), network bytes again. */
typedef struct {
	FindingCode code;
	Severity severity;
	char *message;
	gboolean accepted;
} DaemonFinding;

typedef struct {
	GDBusConnection *bus;
	GHashTable *findings;      /* service key -> GPtrArray of DaemonFinding */
	const char *only_severity; /* findings: --severity */
	const char *only_code;     /* findings: --code */
} Daemon;

static void
daemon_finding_free(gpointer p)
{
	DaemonFinding *f = p;

	g_free(f->message);
	g_free(f);
}

/* The key of a service as GetFindings and ServiceEntry both can say it:
 * escaped type and instance, the type in lower case. */
static char *
daemon_service_key(const char *type_esc, const char *instance_esc)
{
	g_autofree char *type = g_ascii_strdown(type_esc, -1);

	return g_strdup_printf("%zu:%s/%s", strlen(type), type, instance_esc);
}

/* The network bytes of an escaped D-Bus string; NULL if it is not one. */
static char *
unescape(const char *esc)
{
	g_autoptr(GString) out = g_string_new(NULL);

	if (esc == NULL || !escape_parse(out, esc, strlen(esc)))
		return NULL;
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Connect to the system bus and make sure dnssd-auditd owns its name.
 * NULL after one line on stderr (exit status 2). */
static GDBusConnection *
daemon_connect(const char *prg, gboolean quiet)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	g_autoptr(GVariant) has = NULL;
	gboolean owned = FALSE;

	if (bus == NULL) {
		if (!quiet)
			fprintf(stderr, "%s: no system bus (%s): is dnssd-auditd running? "
			        "'dnssd-audit scan' audits the LAN without it\n", prg, error->message);
		return NULL;
	}
	has = g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                                  "org.freedesktop.DBus", "NameHasOwner",
	                                  g_variant_new("(s)", AUDITD_DBUS_NAME),
	                                  G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, 5000,
	                                  NULL, &error);
	if (has != NULL)
		g_variant_get(has, "(b)", &owned);
	if (!owned) {
		if (!quiet)
			fprintf(stderr, "%s: dnssd-auditd is not running (nobody owns %s on the "
			        "system bus); 'dnssd-audit scan' audits the LAN without it\n",
			        prg, AUDITD_DBUS_NAME);
		return NULL;
	}
	return g_steal_pointer(&bus);
}

static GVariant *
daemon_call(GDBusConnection *bus, const char *prg, const char *method, const char *type)
{
	g_autoptr(GError) error = NULL;
	GVariant *reply = g_dbus_connection_call_sync(bus, AUDITD_DBUS_NAME, AUDITD_DBUS_PATH,
	                                              AUDITD_DBUS_INTERFACE, method, NULL,
	                                              G_VARIANT_TYPE(type),
	                                              G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000,
	                                              NULL, &error);

	if (reply == NULL) {
		g_autofree char *why = escape_str(error->message);

		fprintf(stderr, "%s: %s() failed: %s\n", prg, method, why);
	}
	return reply;
}

static gboolean
finding_selected(const Daemon *d, const char *code, const char *severity)
{
	return (d->only_code == NULL || strcmp(d->only_code, code) == 0) &&
	       (d->only_severity == NULL || strcmp(d->only_severity, severity) == 0);
}

/* GetFindings into d->findings.  FALSE after one line on stderr. */
static gboolean
daemon_load_findings(Daemon *d, const char *prg)
{
	g_autoptr(GVariant) reply = daemon_call(d->bus, prg, "GetFindings", "(aa{sv})");
	g_autoptr(GVariantIter) it = NULL;
	GVariant *dict;
	guint n_unknown = 0;

	if (reply == NULL)
		return FALSE;
	d->findings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                    (GDestroyNotify) g_ptr_array_unref);
	g_variant_get(reply, "(aa{sv})", &it);
	while ((dict = g_variant_iter_next_value(it)) != NULL) {
		g_autoptr(GVariant) owned = dict;
		const char *code = NULL, *severity = NULL, *type = NULL, *instance = NULL;
		const char *message = NULL;
		gboolean accepted = FALSE;
		DaemonFinding *f;
		GPtrArray *list;
		char *key;

		g_variant_lookup(dict, "code", "&s", &code);
		g_variant_lookup(dict, "severity", "&s", &severity);
		g_variant_lookup(dict, "type", "&s", &type);
		g_variant_lookup(dict, "instance", "&s", &instance);
		g_variant_lookup(dict, "message", "&s", &message);
		g_variant_lookup(dict, "accepted", "b", &accepted);
		if (code == NULL || severity == NULL || type == NULL || instance == NULL ||
		    !finding_selected(d, code, severity))
			continue;
		f = g_new0(DaemonFinding, 1);
		if (!finding_code_from_name(code, &f->code) ||
		    !severity_from_name(severity, &f->severity)) {
			/* A newer daemon's code: not shown as one it is not. */
			n_unknown++;
			g_free(f);
			continue;
		}
		f->message = unescape(message);
		if (f->message == NULL)
			f->message = g_strdup(message != NULL ? message : "");
		f->accepted = accepted;
		key = daemon_service_key(type, instance);
		list = g_hash_table_lookup(d->findings, key);
		if (list == NULL) {
			list = g_ptr_array_new_with_free_func(daemon_finding_free);
			g_hash_table_insert(d->findings, key, list);
		} else {
			g_free(key);
		}
		g_ptr_array_add(list, f);
	}
	if (n_unknown > 0)
		fprintf(stderr, "%s: warning: %u findings of codes this dnssd-audit does not know "
		        "(is dnssd-auditd newer?) are not shown\n", prg, n_unknown);
	return TRUE;
}

/* The table's judge: the daemon's verdict on the entry's service. */
static void
daemon_judge(const ServiceEntry *e, FindingList *out, gpointer data)
{
	Daemon *d = data;
	g_autofree char *key = daemon_service_key(e->type_esc, e->name_esc);
	GPtrArray *list = g_hash_table_lookup(d->findings, key);

	for (guint i = 0; list != NULL && i < list->len; i++) {
		const DaemonFinding *f = list->pdata[i];

		finding_list_add(out, f->code, f->severity, g_strdup(f->message));
		finding_list_get(out, out->len - 1)->accepted = f->accepted;
	}
}

static void
daemon_report_nothing(const ServiceEntry *e, const Finding *f, gpointer data)
{
}

static const ServiceTableCallbacks daemon_table_callbacks = {
	.judge = daemon_judge,
	.report = daemon_report_nothing,
};

static ObservedProtocol
protocol_of(const char *name)
{
	if (g_strcmp0(name, "ipv4") == 0)
		return OBSERVED_PROTO_IPV4;
	if (g_strcmp0(name, "ipv6") == 0)
		return OBSERVED_PROTO_IPV6;
	return OBSERVED_PROTO_UNSPEC;
}

/* One ListServices entry into the table.  with_findings_only: skip it
 * unless its service has a (selected) finding. */
static void
daemon_add_service(Daemon *d, ServiceTable *table, GVariant *dict, gboolean with_findings_only)
{
	const char *s_if = "", *s_proto = NULL, *s_inst = NULL, *s_type = NULL, *s_dom = NULL;
	const char *s_host = NULL, *s_addr = NULL, *s_err = NULL;
	g_autofree char *ifname = NULL, *name = NULL, *type = NULL, *domain = NULL;
	g_autofree char *host = NULL, *address = NULL;
	g_autoptr(GVariant) txt = NULL;
	g_autoptr(GPtrArray) txt_bytes = NULL;
	ObservedService svc = { .port = -1 };
	gint32 ifindex = -1, port = -1;

	g_variant_lookup(dict, "interface", "&s", &s_if);
	g_variant_lookup(dict, "ifindex", "i", &ifindex);
	g_variant_lookup(dict, "protocol", "&s", &s_proto);
	g_variant_lookup(dict, "instance", "&s", &s_inst);
	g_variant_lookup(dict, "type", "&s", &s_type);
	g_variant_lookup(dict, "domain", "&s", &s_dom);
	g_variant_lookup(dict, "resolved", "b", &svc.resolved);
	g_variant_lookup(dict, "resolve-failed", "b", &svc.resolve_failed);
	g_variant_lookup(dict, "resolve-error", "&s", &s_err);
	g_variant_lookup(dict, "host", "&s", &s_host);
	g_variant_lookup(dict, "address", "&s", &s_addr);
	g_variant_lookup(dict, "port", "i", &port);
	txt = g_variant_lookup_value(dict, "txt", G_VARIANT_TYPE("aay"));
	if (s_inst == NULL || s_type == NULL)
		return;
	if (with_findings_only) {
		g_autofree char *key = daemon_service_key(s_type, s_inst);

		if (!g_hash_table_contains(d->findings, key))
			return;
	}
	ifname = unescape(s_if);
	name = unescape(s_inst);
	type = unescape(s_type);
	domain = unescape(s_dom != NULL ? s_dom : "local");
	host = unescape(s_host);
	address = unescape(s_addr);
	if (name == NULL || type == NULL)
		return;
	svc.ifindex = ifindex;
	svc.ifname = ifname;
	svc.protocol = protocol_of(s_proto);
	svc.name = name;
	svc.type = type;
	svc.domain = domain;
	svc.resolve_error = s_err;
	if (svc.resolved) {
		GVariantIter it;
		GVariant *one;

		svc.host = host;
		svc.address = address;
		svc.port = port;
		txt_bytes = g_ptr_array_new_with_free_func((GDestroyNotify) g_bytes_unref);
		if (txt != NULL) {
			g_variant_iter_init(&it, txt);
			while ((one = g_variant_iter_next_value(&it)) != NULL) {
				gsize len;
				const void *p = g_variant_get_fixed_array(one, &len, 1);

				g_ptr_array_add(txt_bytes, g_bytes_new(p, len));
				g_variant_unref(one);
			}
		}
		svc.txt = txt_bytes;
	}
	service_table_update(table, &svc, NULL);
}

/* The daemon's advertisements and findings as an audit model, as a scan
 * would build it.  NULL after one line on stderr. */
static ServiceTable *
daemon_table(Daemon *d, const char *prg, gboolean with_findings_only)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariantIter) it = NULL;
	ServiceTable *table;
	GVariant *dict;

	if (!daemon_load_findings(d, prg))
		return NULL;
	reply = daemon_call(d->bus, prg, "ListServices", "(aa{sv})");
	if (reply == NULL)
		return NULL;
	table = service_table_new(G_MAXUINT, &daemon_table_callbacks, d);
	g_variant_get(reply, "(aa{sv})", &it);
	while ((dict = g_variant_iter_next_value(it)) != NULL) {
		daemon_add_service(d, table, dict, with_findings_only);
		g_variant_unref(dict);
	}
	return table;
}

static void
daemon_clear(Daemon *d)
{
	g_clear_object(&d->bus);
	g_clear_pointer(&d->findings, g_hash_table_unref);
}

static gboolean
parse_simple(const char *prg, const char *summary, GOptionEntry *entries, int *argc,
             char ***argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;

	g_set_prgname(prg);
	g_option_context_set_summary(ctx, summary);
	g_option_context_set_description(ctx,
		"Asks the running dnssd-auditd over the system bus.  Without one:\n"
		"one line saying so, exit status 2 ('dnssd-audit scan' audits the\n"
		"LAN without it).");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		fprintf(stderr, "%s: %s (see %s --help)\n", prg, error->message, prg);
		return FALSE;
	}
	if (*argc > 1) {
		fprintf(stderr, "%s: unexpected argument '%s' (see %s --help)\n", prg, (*argv)[1], prg);
		return FALSE;
	}
	return TRUE;
}

/* --- findings, services ---------------------------------------------- */

static int
daemon_render(int argc, char **argv, const char *prg, gboolean findings_only)
{
	gboolean json = FALSE;
	g_autofree char *severity = NULL, *code = NULL;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON (the shape of scan --json)", NULL },
		{ "severity", 0, 0, G_OPTION_ARG_STRING, &severity,
		  "Only findings of this severity (findings)", "S" },
		{ "code", 0, 0, G_OPTION_ARG_STRING, &code, "Only findings of this code (findings)",
		  "CODE" },
		{ NULL }
	};
	Daemon d = { 0 };
	g_autoptr(ServiceTable) table = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	FindingCode c;
	Severity s;
	gboolean problem;

	if (!findings_only)
		entries[1].long_name = NULL;
	if (!parse_simple(prg, findings_only ?
	                  "The current findings of the running dnssd-auditd, rendered like scan." :
	                  "The advertisements the running dnssd-auditd knows, rendered like scan.",
	                  entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (severity != NULL && !severity_from_name(severity, &s)) {
		fprintf(stderr, "%s: --severity: one of error, warning, notice, info\n", prg);
		return CLI_EXIT_USAGE;
	}
	if (code != NULL && !finding_code_from_name(code, &c)) {
		g_autofree char *esc = escape_str(code);

		fprintf(stderr, "%s: --code: unknown finding code '%s'\n", prg, esc);
		return CLI_EXIT_USAGE;
	}
	d.only_severity = severity;
	d.only_code = code;
	d.bus = daemon_connect(prg, FALSE);
	if (d.bus == NULL)
		return CLI_EXIT_USAGE;
	table = daemon_table(&d, prg, findings_only);
	if (table == NULL) {
		daemon_clear(&d);
		return CLI_EXIT_USAGE;
	}
	if (json)
		problem = scan_report_write_json(table, TRUE, NULL, out);
	else
		problem = scan_report_write_human(table, TRUE, NULL, cli_use_color(STDOUT_FILENO), out);
	g_clear_pointer(&table, service_table_free);
	daemon_clear(&d);
	return cli_write_out(out, prg, problem ? CLI_EXIT_PROBLEM : CLI_EXIT_OK);
}

int
cli_findings_main(int argc, char **argv)
{
	return daemon_render(argc, argv, "dnssd-audit findings", TRUE);
}

int
cli_services_main(int argc, char **argv)
{
	return daemon_render(argc, argv, "dnssd-audit services", FALSE);
}

/* --- status ---------------------------------------------------------- */

static GVariant *
prop(GVariant *all, const char *name, const char *type)
{
	return g_variant_lookup_value(all, name, G_VARIANT_TYPE(type));
}

static const char *
prop_str(GVariant *all, const char *name, char **slot)
{
	g_autoptr(GVariant) v = prop(all, name, "s");

	*slot = v != NULL ? g_variant_dup_string(v, NULL) : NULL;
	return *slot != NULL ? *slot : "";
}

static guint64
prop_uint(GVariant *all, const char *name)
{
	g_autoptr(GVariant) u = prop(all, name, "u");
	g_autoptr(GVariant) t = prop(all, name, "t");

	return u != NULL ? g_variant_get_uint32(u) : t != NULL ? g_variant_get_uint64(t) : 0;
}

static gboolean
prop_bool(GVariant *all, const char *name)
{
	g_autoptr(GVariant) v = prop(all, name, "b");

	return v != NULL && g_variant_get_boolean(v);
}

/* "3 d 4 h", "2 h 5 min", "12 min", "40 s" */
static char *
duration_text(guint64 s)
{
	if (s >= 86400)
		return g_strdup_printf("%" G_GUINT64_FORMAT " d %" G_GUINT64_FORMAT " h",
		                       s / 86400, s % 86400 / 3600);
	if (s >= 3600)
		return g_strdup_printf("%" G_GUINT64_FORMAT " h %" G_GUINT64_FORMAT " min",
		                       s / 3600, s % 3600 / 60);
	if (s >= 60)
		return g_strdup_printf("%" G_GUINT64_FORMAT " min", s / 60);
	return g_strdup_printf("%" G_GUINT64_FORMAT " s", s);
}

int
cli_status_main(int argc, char **argv)
{
	const char *prg = "dnssd-audit status";
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
		{ NULL }
	};
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GVariant) reply = NULL, all = NULL, by_sev = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *version = NULL, *status = NULL, *reg_path = NULL, *reg_updated = NULL;
	g_autofree char *cat_path = NULL, *uptime = NULL;
	guint32 sev[SEVERITY_ERROR + 1] = { 0 };
	gint64 now = g_get_real_time(), age = -1;
	guint64 start;

	if (!parse_simple(prg, "Is dnssd-auditd running, with which registry, and what does it see.",
	                  entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	bus = daemon_connect(prg, FALSE);
	if (bus == NULL)
		return CLI_EXIT_USAGE;
	reply = g_dbus_connection_call_sync(bus, AUDITD_DBUS_NAME, AUDITD_DBUS_PATH,
	                                    "org.freedesktop.DBus.Properties", "GetAll",
	                                    g_variant_new("(s)", AUDITD_DBUS_INTERFACE),
	                                    G_VARIANT_TYPE("(a{sv})"),
	                                    G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000, NULL, &error);
	if (reply == NULL) {
		g_autofree char *why = escape_str(error->message);

		fprintf(stderr, "%s: cannot read the daemon's properties: %s\n", prg, why);
		return CLI_EXIT_USAGE;
	}
	all = g_variant_get_child_value(reply, 0);
	by_sev = prop(all, "FindingsBySeverity", "a{su}");
	for (int s = SEVERITY_INFO; s <= SEVERITY_ERROR; s++) {
		if (by_sev != NULL)
			g_variant_lookup(by_sev, severity_name((Severity) s), "u", &sev[s]);
	}
	start = prop_uint(all, "StartTime");
	uptime = duration_text(start > 0 && (guint64) now > start ?
	                       ((guint64) now - start) / G_USEC_PER_SEC : 0);
	prop_str(all, "RegistryUpdated", &reg_updated);
	age = audit_date_age_days(reg_updated, now / G_USEC_PER_SEC);
	prop_str(all, "Version", &version);
	prop_str(all, "Status", &status);
	prop_str(all, "RegistryPath", &reg_path);
	prop_str(all, "CataloguePath", &cat_path);

	if (json) {
		JsonWriter w;

		json_writer_init(&w, out, FALSE);
		json_begin_object(&w);
		json_key(&w, "running");
		json_bool(&w, TRUE);
		json_key(&w, "version");
		json_string(&w, version);
		json_key(&w, "status");
		json_string(&w, status);
		json_key(&w, "avahi_running");
		json_bool(&w, prop_bool(all, "AvahiRunning"));
		json_key(&w, "uptime_s");
		json_int(&w, start > 0 && (guint64) now > start ?
		         (gint64) (((guint64) now - start) / G_USEC_PER_SEC) : 0);
		json_key(&w, "registry");
		json_begin_object(&w);
		json_key(&w, "path");
		json_string(&w, reg_path);
		json_key(&w, "updated");
		json_string(&w, reg_updated != NULL && reg_updated[0] != '\0' ? reg_updated : NULL);
		json_key(&w, "age_days");
		if (age >= 0)
			json_int(&w, age);
		else
			json_null(&w);
		json_key(&w, "records");
		json_int(&w, (gint64) prop_uint(all, "RegistryRecords"));
		json_end_object(&w);
		json_key(&w, "catalogue");
		json_begin_object(&w);
		json_key(&w, "path");
		json_string(&w, cat_path != NULL && cat_path[0] != '\0' ? cat_path : NULL);
		json_key(&w, "records");
		json_int(&w, (gint64) prop_uint(all, "CatalogueRecords"));
		json_end_object(&w);
		json_key(&w, "services");
		json_int(&w, (gint64) prop_uint(all, "NServices"));
		json_key(&w, "findings");
		json_begin_object(&w);
		for (int s = SEVERITY_ERROR; s >= SEVERITY_INFO; s--) {
			json_key(&w, severity_name((Severity) s));
			json_int(&w, sev[s]);
		}
		json_end_object(&w);
		json_key(&w, "accepted");
		json_int(&w, (gint64) prop_uint(all, "NAccepted"));
		json_key(&w, "suppressed_lines");
		json_int(&w, (gint64) prop_uint(all, "SuppressedLines"));
		json_end_object(&w);
		g_string_append_c(out, '\n');
	} else {
		/* Right-aligned labels, like resolvectl status. */
		g_string_append_printf(out, "       Daemon: running, dnssd-auditd %s, up %s\n",
		                       version, uptime);
		g_string_append_printf(out, "       Status: %s\n", status);
		g_string_append_printf(out, " avahi-daemon: %s\n",
		                       prop_bool(all, "AvahiRunning") ? "running" : "not running");
		g_string_append(out, "     Registry: ");
		g_string_append(out, reg_path);
		g_string_append_printf(out, " (%" G_GUINT64_FORMAT " records, updated %s",
		                       prop_uint(all, "RegistryRecords"),
		                       reg_updated != NULL && reg_updated[0] != '\0' ?
		                       reg_updated : "unknown");
		if (age >= 0)
			g_string_append_printf(out, ", %" G_GINT64_FORMAT " days ago", age);
		g_string_append(out, ")\n    Catalogue: ");
		if (cat_path != NULL && cat_path[0] != '\0')
			g_string_append_printf(out, "%s (%" G_GUINT64_FORMAT " records)\n", cat_path,
			                       prop_uint(all, "CatalogueRecords"));
		else
			g_string_append(out, "none\n");
		g_string_append_printf(out, "     Services: %" G_GUINT64_FORMAT " advertisements\n",
		                       prop_uint(all, "NServices"));
		g_string_append_printf(out, "     Findings: %u error, %u warning, %u notice, %u info"
		                       " (one per finding per service)\n",
		                       sev[SEVERITY_ERROR], sev[SEVERITY_WARNING],
		                       sev[SEVERITY_NOTICE], sev[SEVERITY_INFO]);
		g_string_append_printf(out, "     Accepted: %" G_GUINT64_FORMAT "\n",
		                       prop_uint(all, "NAccepted"));
		g_string_append_printf(out, "   Suppressed: %" G_GUINT64_FORMAT " log lines (rate-limit)\n",
		                       prop_uint(all, "SuppressedLines"));
	}
	return cli_write_out(out, prg, CLI_EXIT_OK);
}

/* --- accept ---------------------------------------------------------- */

typedef struct {
	GString *out;
	GHashTable *seen;   /* rules printed already (one per finding per service) */
	guint n;
} AcceptState;

static void
accept_entry(const ServiceEntry *e, gpointer data)
{
	AcceptState *st = data;

	for (guint i = 0; i < e->findings->len; i++) {
		const Finding *f = finding_list_get(e->findings, i);
		g_autoptr(GString) rule = g_string_new(NULL);

		if (f->accepted)
			continue;
		accepted_rule_append(rule, f->code, e->type_esc, e->name_esc, NULL);
		if (g_hash_table_contains(st->seen, rule->str))
			continue;
		g_string_append(st->out, rule->str);
		g_hash_table_add(st->seen, g_string_free(g_steal_pointer(&rule), FALSE));
		st->n++;
	}
}

guint
cli_accept_rules(const ServiceTable *table, GString *out)
{
	AcceptState st = { out, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), 0 };

	service_table_foreach(table, accept_entry, &st);
	g_hash_table_unref(st.seen);
	return st.n;
}

gboolean
cli_accept_from_daemon(GString *out, int *status)
{
	const char *prg = "dnssd-audit accept";
	Daemon d = { 0 };
	g_autoptr(ServiceTable) table = NULL;

	d.bus = daemon_connect(prg, TRUE);
	if (d.bus == NULL)
		return FALSE;
	table = daemon_table(&d, prg, TRUE);
	if (table == NULL) {
		*status = CLI_EXIT_USAGE;
	} else {
		cli_accept_rules(table, out);
		*status = CLI_EXIT_OK;
	}
	g_clear_pointer(&table, service_table_free);
	daemon_clear(&d);
	return TRUE;
}
