/* cli-scan.c - `dnssd-audit scan`: a one-shot audit of the LAN as it is
 * now.  Browse every service type through Avahi, resolve every service
 * (many at once), and as soon as Avahi says ALL_FOR_NOW everywhere and the
 * last resolution has finished, judge each advertisement and print the
 * report.  No fixed sleeps: --timeout only caps a LAN that never settles.
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

#include "daemon/cli.h"
#include "daemon/scan-report.h"
#include "daemon/watcher.h"
#include "registry/registry.h"

#define DEFAULT_TIMEOUT_S 10

typedef struct _ScanOptions {
	char *registry;
	char *local_registry;
	gboolean json;
	gint timeout_s;
	gint resolve_timeout_ms;
	char **interfaces;
} ScanOptions;

typedef enum {
	SCAN_RUNNING,
	SCAN_SETTLED,
	SCAN_TIMED_OUT,
	SCAN_INTERRUPTED,
	SCAN_AVAHI_GONE,
	SCAN_NO_REGISTRY,
} ScanEnd;

typedef struct {
	GMainLoop *loop;
	ScanReport *report;
	ScanEnd end;
	char *avahi_message;
	gboolean settled;           /* avahi settled, maybe before the registry */
	/* The registry loads in a thread while avahi browses; these are
	 * written by that thread before it hands over to the main loop. */
	const struct _ScanOptions *opts;
	Registry *reg;
	char *registry_error;       /* one line, when reg is NULL */
	gboolean registry_done;     /* main loop side: registry_loaded() ran */
	/* The thread waits REGISTRY_DEFER_US, or until go is set. */
	GMutex lock;
	GCond go_cond;
	gboolean go;
} Scan;

/* How long the registry thread lets avahi browse before it parses.  On
 * two cores the parse (~35 ms when this was measured, ~15 ms since the
 * loader uses SAX2) competes for CPU with avahi-daemon and
 * dbus-daemon exactly while the service browsers are being created, and a
 * scan ends a fixed ~1 s after its last browser was made, so parsing a
 * little later costs nothing and keeps browsing on time (measured on the
 * 300-service bench LAN, with the warm avahi cache the bench then had by
 * mistake: 32 ms behind avahi-browse -a -r -t without the wait, 9 ms with
 * it).  The browsers are made when the type query is first answered:
 * ~15 ms after start with a warm cache, 150 to 250 ms with a cold one
 * (avahi defers a new query by 100 ms, the responder adds 20 to 120 ms). */
#define REGISTRY_DEFER_US (250 * G_TIME_SPAN_MILLISECOND)

/* Let the registry thread start parsing now (the scan is ending). */
static void
scan_release_loader(Scan *scan)
{
	g_mutex_lock(&scan->lock);
	scan->go = TRUE;
	g_cond_broadcast(&scan->go_cond);
	g_mutex_unlock(&scan->lock);
}

static void
scan_options_clear(ScanOptions *o)
{
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

static void
on_service_changed(const WatchedService *svc, gpointer data)
{
	Scan *scan = data;

	scan_report_update(scan->report, svc);
}

static void
on_service_removed(const WatchedService *svc, gpointer data)
{
	Scan *scan = data;

	scan_report_remove(scan->report, svc);
}

static void
on_settled(gpointer data)
{
	Scan *scan = data;

	scan->settled = TRUE;
	if (scan->registry_done)
		scan_stop(scan, SCAN_SETTLED);
}

static void
on_avahi_state(gboolean running, const char *message, gpointer data)
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

/* Load the IANA registry and the site-local one (--local-registry, else
 * the default file if it exists).  NULL with *why set to one line. */
static Registry *
scan_load_registry(const ScanOptions *o, char **why)
{
	g_autofree char *path = registry_default_path(o->registry);
	g_autofree char *local = o->local_registry != NULL ?
		g_strdup(o->local_registry) : registry_default_local_path();
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = registry_load(path, &error);

	if (reg == NULL) {
		*why = g_strdup_printf("cannot load the registry: %s", error->message);
		return NULL;
	}
	if (o->local_registry == NULL && local != NULL &&
	    !g_file_test(local, G_FILE_TEST_EXISTS))
		g_clear_pointer(&local, g_free);
	if (local != NULL && !registry_add_local(reg, local, &error)) {
		*why = g_strdup_printf("cannot load the local registry: %s", error->message);
		return NULL;
	}
	return g_steal_pointer(&reg);
}

/* Main loop side of the registry thread: a failure ends the scan at once;
 * a settle that came first is acted on now. */
static gboolean
registry_loaded(gpointer data)
{
	Scan *scan = data;

	scan->registry_done = TRUE;
	/* Judge what was seen so far, and from now on each snapshot as it
	 * comes: the scan waits about a second for avahi's ALL_FOR_NOW
	 * anyway, and then has only the rendering left. */
	scan_report_set_registry(scan->report, scan->reg, scan->opts->json);
	if (scan->reg == NULL)
		scan_stop(scan, SCAN_NO_REGISTRY);
	else if (scan->settled)
		scan_stop(scan, SCAN_SETTLED);
	return G_SOURCE_REMOVE;
}

/* The registry thread: parsing ~15,000 records takes tens of
 * milliseconds, during which the main loop keeps creating service
 * browsers (each one's ALL_FOR_NOW comes a fixed time after its creation,
 * so a late browser means a late end of the scan). */
static gpointer
registry_thread(gpointer data)
{
	Scan *scan = data;
	gint64 until = g_get_monotonic_time() + REGISTRY_DEFER_US;

	g_mutex_lock(&scan->lock);
	while (!scan->go && g_cond_wait_until(&scan->go_cond, &scan->lock, until))
		;
	g_mutex_unlock(&scan->lock);
	scan->reg = scan_load_registry(scan->opts, &scan->registry_error);
	g_idle_add(registry_loaded, scan);
	return NULL;
}

/* Let the registry thread finish now, wait for it and take its result:
 * the registry, or NULL and *why.  The thread's hand-over to the main loop
 * may still be pending: it only sets flags, so it is dropped rather than
 * run (running the main context here would also deliver avahi events). */
static Registry *
scan_join_loader(Scan *scan, GThread *loader, char **why)
{
	scan_release_loader(scan);
	g_thread_join(loader);
	g_mutex_clear(&scan->lock);
	g_cond_clear(&scan->go_cond);
	g_idle_remove_by_data(scan);
	*why = g_steal_pointer(&scan->registry_error);
	return g_steal_pointer(&scan->reg);
}

/* Parse argv into o.  Returns FALSE after a message on stderr. */
static gboolean
scan_parse(ScanOptions *o, int argc, char **argv)
{
	GOptionEntry entries[] = {
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
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- audit the DNS-SD services on the network now");
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary(ctx,
		"Browse every service type through Avahi, resolve every service and\n"
		"judge each advertisement against RFC 6335/6763 and the IANA Service\n"
		"Name registry.  Ends as soon as Avahi has reported everything it\n"
		"knows and every resolution has finished.");
	g_option_context_set_description(ctx,
		"Exit status: 0 no finding at warning or error severity; 1 at least\n"
		"one; 2 usage error, registry not loadable, or avahi-daemon not\n"
		"reachable.");
	g_set_prgname("dnssd-audit scan");
	g_option_context_add_main_entries(ctx, entries, NULL);
	o->timeout_s = DEFAULT_TIMEOUT_S;
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "dnssd-audit scan: %s (see dnssd-audit scan --help)\n",
		        error->message);
		return FALSE;
	}
	if (argc > 1) {
		fprintf(stderr, "dnssd-audit scan: unexpected argument '%s' (see dnssd-audit scan --help)\n",
		        argv[1]);
		return FALSE;
	}
	if (o->timeout_s <= 0 || o->timeout_s > 24 * 3600) {
		fprintf(stderr, "dnssd-audit scan: --timeout must be 1..86400 seconds\n");
		return FALSE;
	}
	if (o->resolve_timeout_ms < 0 || o->resolve_timeout_ms > 3600 * 1000) {
		fprintf(stderr, "dnssd-audit scan: --resolve-timeout must be 1..3600000 milliseconds\n");
		return FALSE;
	}
	return TRUE;
}

int
cli_scan_main(int argc, char **argv)
{
	g_auto(ScanOptions) o = { 0 };
	g_autoptr(Registry) reg = NULL;
	g_autofree char *registry_error = NULL;
	g_autoptr(ScanReport) report = scan_report_new();
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(Watcher) watcher = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *avahi_message = NULL;
	Scan scan = { loop, report, SCAN_RUNNING, NULL, FALSE, &o, NULL, NULL, FALSE };
	GThread *loader;
	WatcherOptions wopts = { 0 };
	WatcherCallbacks cb = {
		.service_changed = on_service_changed,
		.service_removed = on_service_removed,
		.settled = on_settled,
		.avahi_state = on_avahi_state,
	};
	guint timeout_id, sigint_id, sigterm_id;
	gboolean problem;

	if (!scan_parse(&o, argc, argv))
		return 2;

	wopts.interfaces = (const char *const *) o.interfaces;
	wopts.resolve_timeout_ms = (guint) o.resolve_timeout_ms;
	wopts.exit_on_no_daemon = TRUE;
	wopts.one_shot = TRUE;
	watcher = watcher_new(&wopts, &cb, &scan, &error);
	if (watcher == NULL) {
		/* A registry error takes precedence. */
		reg = scan_load_registry(&o, &registry_error);
		fprintf(stderr, "dnssd-audit scan: %s\n",
		        reg == NULL ? registry_error : error->message);
		return 2;
	}
	/* The registry loads in a thread while avahi browses (started after
	 * the watcher, whose type browser is the first thing avahi hears). */
	g_mutex_init(&scan.lock);
	g_cond_init(&scan.go_cond);
	loader = g_thread_new("registry", registry_thread, &scan);
	timeout_id = g_timeout_add_seconds((guint) o.timeout_s, on_timeout, &scan);
	sigint_id = g_unix_signal_add(SIGINT, on_signal, &scan);
	sigterm_id = g_unix_signal_add(SIGTERM, on_signal, &scan);
	g_main_loop_run(loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	if (scan.end != SCAN_TIMED_OUT)
		g_source_remove(timeout_id);
	avahi_message = g_steal_pointer(&scan.avahi_message);
	/* The main loop is not run again, so the report is what was seen
	 * now.  The watcher stays until the report is out: closing its bus
	 * connection sets avahi-daemon and dbus-daemon to freeing every
	 * browser and resolver of ours, which on two cores competes with
	 * writing the report (measured: 1.5 ms to write 600 services when
	 * the daemons are idle, up to 8 ms while they clean up). */
	reg = scan_join_loader(&scan, loader, &registry_error);
	if (reg == NULL) {
		fprintf(stderr, "dnssd-audit scan: %s\n", registry_error);
		return 2;
	}

	switch (scan.end) {
	case SCAN_NO_REGISTRY: /* handled above */
	case SCAN_AVAHI_GONE:
		fprintf(stderr, "dnssd-audit scan: avahi-daemon is not running (%s)\n",
		        avahi_message != NULL ? avahi_message : "gone");
		return 2;
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

	if (o.json)
		problem = scan_report_write_json(report, reg, scan.end == SCAN_SETTLED, out);
	else
		problem = scan_report_write_human(report, reg, scan.end == SCAN_SETTLED,
		                                  cli_use_color(STDOUT_FILENO), out);
	if (fwrite(out->str, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
		perror("dnssd-audit scan: cannot write the report");
		return 2;
	}
	/* The report is out: exit now.  Freeing the watcher, the report and
	 * the registry's 15,000 records would only hand back pages that the
	 * kernel takes back at exit anyway, about a millisecond after the
	 * last ALL_FOR_NOW (and scan's time is measured against
	 * avahi-browse).  The bus connection closes with the process;
	 * avahi-daemon frees our browsers then. */
	_exit(problem ? 1 : 0);
}
