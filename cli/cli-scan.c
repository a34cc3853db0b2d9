/* cli-scan.c - `dnssd-audit scan`: a one-shot audit of the LAN as it is
 * now.  Browse every service type through Avahi, resolve every service
 * (many at once), and as soon as the watcher has settled (ALL_FOR_NOW
 * everywhere, the last resolution finished, and the LAN quiet: the rule
 * of watcher.h), judge each advertisement and print the report.  No fixed
 * sleeps: --timeout only caps a LAN that never settles, and a scan it
 * ends (or SIGINT) is reported incomplete.
 *
 * Exit status (FINDINGS.md): 0 no warning/error finding, 1 at least one,
 * 2 usage error, registry not loadable, or avahi-daemon not reachable.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <glib.h>
#include <glib-unix.h>

#include "audit/service-table.h"
#include "avahi/watcher.h"
#include "cli/cli.h"
#include "cli/scan-report.h"
#include "registry/registry.h"
#include "validator/validator.h"

#define DEFAULT_TIMEOUT_S 10

typedef struct {
	char *config;
	char *registry;
	char *local_registry;
	gboolean json;
	gint timeout_s;
	gint resolve_timeout_ms;
	char **interfaces;
	gboolean accept;        /* `dnssd-audit accept`: rules instead of a report */
	gboolean force_scan;    /* accept --scan: even when dnssd-auditd runs */
} ScanOptions;

typedef enum {
	SCAN_RUNNING,
	SCAN_SETTLED,
	SCAN_TIMED_OUT,
	SCAN_INTERRUPTED,
	SCAN_AVAHI_GONE,
} ScanEnd;

typedef struct {
	GMainLoop *loop;
	ServiceTable *table;
	const AuditSite *site;
	ScanEnd end;
	char *avahi_message;
	gint64 start_us;            /* monotonic */
	gint64 last_new_us;         /* the last new service; 0: none */
} Scan;

static void
scan_options_clear(ScanOptions *o)
{
	g_free(o->config);
	g_free(o->registry);
	g_free(o->local_registry);
	g_strfreev(o->interfaces);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ScanOptions, scan_options_clear)

static void
scan_stop(Scan *scan, ScanEnd end)
{
	if (scan->end == SCAN_RUNNING)
		scan->end = end;
	g_main_loop_quit(scan->loop);
}

/* The one verdict (audit/judge.h), as the daemon gives it. */
static void
scan_judge(const ServiceEntry *e, FindingList *out, gpointer data)
{
	Scan *scan = data;
	Advertisement ad;

	service_entry_advertisement(e, &ad);
	audit_judge(scan->site, &ad, e->type_esc, e->name_esc, e->host_esc, out);
}

/* A scan reports nothing as it goes: the table is rendered at the end. */
static void
scan_report_nothing(const ServiceEntry *e, const Finding *f, gpointer data)
{
}

static const ServiceTableCallbacks scan_table_callbacks = {
	.judge = scan_judge,
	.report = scan_report_nothing,
};

static void
scan_on_service_changed(const ObservedService *svc, gpointer data)
{
	Scan *scan = data;

	/* The unresolved snapshot of browse NEW (watcher.h). */
	if (!svc->resolved && !svc->resolve_failed)
		scan->last_new_us = g_get_monotonic_time();
	service_table_update(scan->table, svc, NULL);
}

static void
scan_on_service_removed(const ObservedService *svc, gpointer data)
{
	Scan *scan = data;

	service_table_remove(scan->table, svc);
}

static void
scan_on_settled(gpointer data)
{
	scan_stop(data, SCAN_SETTLED);
}

static void
scan_on_avahi_state(gboolean running, const char *message, gpointer data)
{
	Scan *scan = data;

	if (running)
		return;
	g_free(scan->avahi_message);
	scan->avahi_message = g_strdup(message);
	scan_stop(scan, SCAN_AVAHI_GONE);
}

static gboolean
on_timeout(gpointer data)
{
	scan_stop(data, SCAN_TIMED_OUT);
	return G_SOURCE_REMOVE;
}

static gboolean
on_signal(gpointer data)
{
	scan_stop(data, SCAN_INTERRUPTED);
	return G_SOURCE_REMOVE;
}

/* Parse argv into o.  Returns FALSE after a message on stderr. */
static gboolean
scan_parse(ScanOptions *o, int argc, char **argv)
{
	GOptionEntry entries[] = {
		{ "config", 0, 0, G_OPTION_ARG_FILENAME, &o->config,
		  "Site configuration (default: " SYSCONFDIR "/dnssd-audit/dnssd-audit.conf if present)", "FILE" },
		{ "registry", 0, 0, G_OPTION_ARG_FILENAME, &o->registry,
		  "IANA registry XML (default: $DNSSD_AUDIT_REGISTRY, then the installed copy)", "FILE" },
		{ "local-registry", 0, 0, G_OPTION_ARG_FILENAME, &o->local_registry,
		  "Site-local registry XML (default: the configured one, if present)", "FILE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
		  "Print one JSON document instead of the table", NULL },
		{ "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout_s,
		  "Give up waiting for the network after S seconds (default 10)", "S" },
		{ "interface", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->interfaces,
		  "Only services seen on this interface (repeatable)", "IF" },
		{ "resolve-timeout", 0, 0, G_OPTION_ARG_INT, &o->resolve_timeout_ms,
		  "Give up resolving one service after MS milliseconds (default 5000)", "MS" },
		{ "scan", 0, 0, G_OPTION_ARG_NONE, &o->force_scan,
		  "Scan even when dnssd-auditd runs (default: ask it)", NULL },
		{ NULL }
	};
	const char *prg = o->accept ? "dnssd-audit accept" : "dnssd-audit scan";
	g_autoptr(GOptionContext) ctx = g_option_context_new(o->accept ?
		"- accept the current findings" : "- audit the DNS-SD services on the network now");
	g_autoptr(GError) error = NULL;

	if (o->accept) {
		/* Rules are text: --json has no meaning here. */
		entries[3].flags = G_OPTION_FLAG_HIDDEN;
		g_option_context_set_summary(ctx,
			"Print an accepted-findings rule (dnssd-audit.conf(5)) for every\n"
			"current finding that is not accepted yet: those of the running\n"
			"dnssd-auditd, else of a scan of the LAN now.  Append them to the\n"
			"accepted-findings file and reload the daemon to baseline a LAN:\n"
			"  dnssd-audit accept >> /etc/dnssd-audit/accepted-findings\n"
			"  systemctl reload dnssd-auditd");
		g_option_context_set_description(ctx,
			"Exit status: 0 rules printed (maybe none); 2 usage error, registry\n"
			"not loadable, or neither dnssd-auditd nor avahi-daemon reachable.");
	} else {
		/* --scan, the last entry, is accept's: end the list before it. */
		entries[G_N_ELEMENTS(entries) - 2].long_name = NULL;
		g_option_context_set_summary(ctx,
			"Browse every service type through Avahi, resolve every service and\n"
			"judge each advertisement against RFC 6335/6763 and the IANA Service\n"
			"Name registry.  Ends as soon as Avahi has reported everything it\n"
			"knows, every resolution has finished and no new service has come\n"
			"for a while (see dnssd-audit(1)).");
		g_option_context_set_description(ctx,
			"Exit status: 0 no finding at warning or error severity; 1 at least\n"
			"one; 2 usage error, registry not loadable, or avahi-daemon not\n"
			"reachable.");
	}
	g_set_prgname(prg);
	g_option_context_add_main_entries(ctx, entries, NULL);
	o->timeout_s = DEFAULT_TIMEOUT_S;
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "%s: %s (see %s --help)\n", prg, error->message, prg);
		return FALSE;
	}
	if (argc > 1) {
		fprintf(stderr, "%s: unexpected argument '%s' (see %s --help)\n", prg, argv[1], prg);
		return FALSE;
	}
	if (o->timeout_s <= 0 || o->timeout_s > 24 * 3600) {
		fprintf(stderr, "%s: --timeout must be 1..86400 seconds\n", prg);
		return FALSE;
	}
	if (o->resolve_timeout_ms < 0 || o->resolve_timeout_ms > 3600 * 1000) {
		fprintf(stderr, "%s: --resolve-timeout must be 1..3600000 milliseconds\n", prg);
		return FALSE;
	}
	return TRUE;
}

/* scan, or with accept the rules of `dnssd-audit accept`. */
static int
scan_run(int argc, char **argv, gboolean accept)
{
	g_auto(ScanOptions) o = { .accept = accept };
	AuditSite site = { 0 };
	g_autoptr(ServiceTable) table = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(Watcher) watcher = NULL;
	g_autoptr(GError) watch_error = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) out = g_string_new(NULL);
	Scan scan = { .loop = loop, .end = SCAN_RUNNING, .start_us = g_get_monotonic_time() };
	WatcherOptions wopts = { 0 };
	WatcherCallbacks cb = {
		.service_changed = scan_on_service_changed,
		.service_removed = scan_on_service_removed,
		.settled = scan_on_settled,
		.avahi_state = scan_on_avahi_state,
	};
	guint timeout_id, sigint_id, sigterm_id;
	gboolean problem;
	int status;
	ScanTiming timing;

	if (!scan_parse(&o, argc, argv))
		return CLI_EXIT_USAGE;
	if (accept && !o.force_scan) {
		if (cli_accept_from_daemon(out, &status))
			return cli_write_out(out, "dnssd-audit accept", status);
	}

	/* The watcher first: its type browser goes out now, and avahi-daemon
	 * holds a new query back ~100 ms anyway, time enough to load the
	 * registry before the main loop hands over the first answer. */
	wopts.interfaces = (const char *const *) o.interfaces;
	wopts.resolve_timeout_ms = (guint) o.resolve_timeout_ms;
	wopts.exit_on_no_daemon = TRUE;
	wopts.one_shot = TRUE;
	watcher = watcher_new(&wopts, &cb, &scan, &watch_error);
	/* A registry error takes precedence over a missing avahi-daemon. */
	if (!cli_site_load(o.config, o.registry, o.local_registry, &site))
		return CLI_EXIT_USAGE;
	if (watcher == NULL) {
		fprintf(stderr, "dnssd-audit scan: %s\n", watch_error->message);
		audit_site_clear(&site);
		return CLI_EXIT_USAGE;
	}
	scan.site = &site;
	table = service_table_new(G_MAXUINT, &scan_table_callbacks, &scan);
	scan.table = table;
	timeout_id = g_timeout_add_seconds((guint) o.timeout_s, on_timeout, &scan);
	sigint_id = g_unix_signal_add(SIGINT, on_signal, &scan);
	sigterm_id = g_unix_signal_add(SIGTERM, on_signal, &scan);
	g_main_loop_run(loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	if (scan.end != SCAN_TIMED_OUT)
		g_source_remove(timeout_id);

	switch (scan.end) {
	case SCAN_AVAHI_GONE:
		fprintf(stderr, "dnssd-audit scan: avahi-daemon is not running (%s)\n",
		        scan.avahi_message != NULL ? scan.avahi_message : "gone");
		g_free(scan.avahi_message);
		g_clear_pointer(&watcher, watcher_free);
		g_clear_pointer(&table, service_table_free);
		audit_site_clear(&site);
		return CLI_EXIT_USAGE;
	case SCAN_TIMED_OUT:
		fprintf(stderr, "dnssd-audit scan: timed out after %d s; the report shows "
		        "what was seen until then\n", o.timeout_s);
		break;
	case SCAN_INTERRUPTED:
		fprintf(stderr, "dnssd-audit scan: interrupted; the report shows what "
		        "was seen until then\n");
		break;
	case SCAN_RUNNING:
	case SCAN_SETTLED:
		break;
	}

	timing.duration_ms = (g_get_monotonic_time() - scan.start_us) / 1000;
	timing.last_new_ms = scan.last_new_us != 0 ? (scan.last_new_us - scan.start_us) / 1000 : -1;
	/* Complete only when the settle rule ended the scan. */
	if (accept)
		problem = (cli_accept_rules(table, out), FALSE);
	else if (o.json)
		problem = scan_report_write_json(table, scan.end == SCAN_SETTLED, &timing, out);
	else
		problem = scan_report_write_human(table, scan.end == SCAN_SETTLED, &timing,
		                                  cli_use_color(STDOUT_FILENO), out);
	status = cli_write_out(out, accept ? "dnssd-audit accept" : "dnssd-audit scan",
	                       problem ? CLI_EXIT_PROBLEM : CLI_EXIT_OK);
	/* The watcher goes before the table its callbacks feed, the table
	 * before the site its entries were judged with. */
	g_clear_pointer(&watcher, watcher_free);
	g_clear_pointer(&table, service_table_free);
	audit_site_clear(&site);
	return status;
}

int
cli_scan_main(int argc, char **argv)
{
	return scan_run(argc, argv, FALSE);
}

int
cli_accept_main(int argc, char **argv)
{
	return scan_run(argc, argv, TRUE);
}
