/* dnssd-auditd.c - main(): options, the log, signals, the main loop.  The
 * daemon itself is in auditor.c. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib-unix.h>
#include "daemon/auditor.h"
#include "daemon/log.h"
#include "daemon/notify.h"

/* Exit status (dnssd-auditd(8)). */
enum {
	AUDITD_EXIT_OK = 0,
	AUDITD_EXIT_FAILURE = 1,   /* a runtime failure, e.g. the bus name is taken */
	AUDITD_EXIT_USAGE = 2,     /* bad option, configuration or registry */
};

typedef struct {
	GMainLoop *loop;
	Auditor *auditor;
	int exit_status;
} Daemon;

static gboolean
on_quit_signal(gpointer data)
{
	Daemon *d = data;

	log_msg(LOG_NOTICE, "stopping");
	g_main_loop_quit(d->loop);
	return G_SOURCE_CONTINUE;
}

/* g_unix_signal_add() runs this from the main loop, not in signal
 * context, so it may do the work itself. */
static gboolean
on_sighup(gpointer data)
{
	Daemon *d = data;

	if (d->auditor != NULL)
		auditor_reload(d->auditor, NULL, NULL);
	return G_SOURCE_CONTINUE;
}

static void
on_fatal(int exit_status, gpointer data)
{
	Daemon *d = data;

	d->exit_status = exit_status;
	g_main_loop_quit(d->loop);
}

int
main(int argc, char **argv)
{
	gboolean foreground = FALSE, check_config = FALSE, version = FALSE;
	g_autofree char *config_path = NULL, *registry_path = NULL, *target_name = NULL;
	GOptionEntry entries[] = {
		{ "foreground", 'f', 0, G_OPTION_ARG_NONE, &foreground,
		  "Log to stderr unless --log-target says otherwise", NULL },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		  "Configuration file (default " SYSCONFDIR "/dnssd-audit/dnssd-audit.conf)", "FILE" },
		{ "registry", 'r', 0, G_OPTION_ARG_FILENAME, &registry_path,
		  "IANA registry XML (overrides the registry key)", "FILE" },
		{ "log-target", 'l', 0, G_OPTION_ARG_STRING, &target_name,
		  "stderr, syslog, journal or auto (default: syslog; stderr with --foreground)",
		  "TARGET" },
		{ "check-config", 't', 0, G_OPTION_ARG_NONE, &check_config,
		  "Check the configuration and the registry, then exit (0 OK, 2 error)", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- audit DNS-SD advertisements");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	AuditSite site = { 0 };
	LogTarget target;
	Daemon d = { 0 };
	AuditorOptions ao = { 0 };
	guint sig_ids[3];

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx,
		"dnssd-auditd never forks or detaches: run it under systemd (Type=notify)\n"
		"or another supervisor.  Without --foreground it logs to syslog.\n"
		"\n"
		"Environment: DNSSD_AUDIT_REGISTRY (registry file when neither --registry\n"
		"nor the registry key names one), DBUS_SYSTEM_BUS_ADDRESS (the system bus).\n"
		"See dnssd-auditd(8) and dnssd-audit.conf(5).");
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "dnssd-auditd: %s (try --help)\n", error->message);
		return AUDITD_EXIT_USAGE;
	}
	if (argc > 1) {
		fprintf(stderr, "dnssd-auditd: unexpected argument '%s' (try --help)\n", argv[1]);
		return AUDITD_EXIT_USAGE;
	}
	if (version) {
		printf("dnssd-auditd %s\n", PACKAGE_VERSION);
		return AUDITD_EXIT_OK;
	}
	if (target_name != NULL) {
		if (!log_target_from_name(target_name, &target)) {
			fprintf(stderr, "dnssd-auditd: --log-target: expected stderr, syslog, "
			        "journal or auto, got '%s'\n", target_name);
			return AUDITD_EXIT_USAGE;
		}
	} else {
		target = foreground ? LOG_TARGET_STDERR : LOG_TARGET_SYSLOG;
	}

	/* Until the log is open, and for --check-config, errors go to
	 * stderr: whoever started us is looking there. */
	if (!audit_site_load(config_path, registry_path, NULL, warnings, &site, &error)) {
		for (guint i = 0; i < warnings->len; i++)
			fprintf(stderr, "dnssd-auditd: warning: %s\n",
			        (const char *)g_ptr_array_index(warnings, i));
		fprintf(stderr, "dnssd-auditd: %s\n", error->message);
		return AUDITD_EXIT_USAGE;
	}
	if (check_config) {
		for (guint i = 0; i < warnings->len; i++)
			fprintf(stderr, "dnssd-auditd: warning: %s\n",
			        (const char *)g_ptr_array_index(warnings, i));
		printf("configuration OK\n");
		audit_site_clear(&site);
		return AUDITD_EXIT_OK;
	}

	log_open(target);
	log_msg(LOG_NOTICE, "dnssd-auditd %s starting: configuration %s, log target %s",
	        PACKAGE_VERSION, site.config->path != NULL ? site.config->path : "(defaults)",
	        log_target_name(log_get_target()));
	for (guint i = 0; i < warnings->len; i++)
		log_msg(LOG_WARNING, "%s", (const char *)g_ptr_array_index(warnings, i));

	d.loop = g_main_loop_new(NULL, FALSE);
	ao.config_path = config_path;
	ao.registry_path = registry_path;
	ao.bus_type = G_BUS_TYPE_SYSTEM;
	ao.watch = TRUE;
	ao.fatal = on_fatal;
	ao.user_data = &d;
	d.auditor = auditor_new(&ao, &site, &error);
	if (d.auditor == NULL) {
		log_msg(LOG_ERR, "cannot start: %s", error->message);
		g_main_loop_unref(d.loop);
		log_close();
		return AUDITD_EXIT_FAILURE;
	}
	sig_ids[0] = g_unix_signal_add(SIGTERM, on_quit_signal, &d);
	sig_ids[1] = g_unix_signal_add(SIGINT, on_quit_signal, &d);
	sig_ids[2] = g_unix_signal_add(SIGHUP, on_sighup, &d);
	/* A vanished log reader must not kill us. */
	signal(SIGPIPE, SIG_IGN);

	g_main_loop_run(d.loop);

	notify_stopping();
	for (guint i = 0; i < G_N_ELEMENTS(sig_ids); i++)
		g_source_remove(sig_ids[i]);
	auditor_free(d.auditor);
	g_main_loop_unref(d.loop);
	log_msg(LOG_NOTICE, "stopped");
	log_close();
	return d.exit_status;
}
