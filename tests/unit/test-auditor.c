/* test-auditor.c - the daemon's core against the real registry, fed
 * snapshots directly (no avahi, no bus): configuration filters, what a
 * reload logs, and that a bad reload keeps the old state. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include "daemon/auditor.h"
#include "daemon/log.h"
#include "tests/unit/stderr-capture.h"
#include "tests/unit/test-common.h"

typedef struct {
	char *dir;
	char *conf;
	char *registry;
	StderrCapture err;
	Auditor *a;
} Fixture;

static void
write_conf(Fixture *fx, const char *text)
{
	assert_true(g_file_set_contents(fx->conf, text, -1, NULL));
}

static int
setup(void **state)
{
	Fixture *fx = g_new0(Fixture, 1);

	fx->registry = test_registry_path();
	fx->dir = g_dir_make_tmp("test-auditor-XXXXXX", NULL);
	fx->conf = g_build_filename(fx->dir, "dnssd-audit.conf", NULL);
	stderr_capture_begin(&fx->err);
	log_open(LOG_TARGET_STDERR);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	auditor_free(fx->a);
	stderr_capture_end(&fx->err);
	log_close();
	g_unlink(fx->conf);
	g_rmdir(fx->dir);
	g_free(fx->conf);
	g_free(fx->dir);
	g_free(fx->registry);
	g_free(fx);
	return 0;
}

static void
start(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	AuditSite site = { 0 };
	AuditorOptions ao = { .config_path = fx->conf, .registry_path = fx->registry,
	                      .bus_type = G_BUS_TYPE_NONE, .watch = FALSE };

	assert_true(audit_site_load(fx->conf, fx->registry, NULL, NULL, &site, &error));
	fx->a = auditor_new(&ao, &site, &error);
	assert_non_null(fx->a);
}

static void
announce(Fixture *fx, const char *name, const char *type, gint port)
{
	GPtrArray *txt = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	ObservedService s = {
		.ifindex = 2, .ifname = "eth0", .protocol = OBSERVED_PROTO_IPV4,
		.name = name, .type = type, .domain = "local",
		.resolved = TRUE, .host = "h.local", .address = "192.0.2.9", .port = port,
		.txt = txt,
	};

	auditor_watcher_callbacks()->service_changed(&s, fx->a);
	g_ptr_array_unref(txt);
}

static guint
count_lines(const char *text, const char *prefix)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = 0;

	for (guint i = 0; lines[i] != NULL; i++)
		n += g_str_has_prefix(lines[i], prefix);
	return n;
}

static void
test_filters_and_reload(void **state)
{
	Fixture *fx = *state;
	g_autofree char *log1 = NULL, *log2 = NULL, *log3 = NULL, *status = NULL;
	g_autofree char *summary = NULL, *want = NULL;
	g_autoptr(GError) error = NULL;

	assert_non_null(fx->registry);      /* the full registry, else the fixture */
	write_conf(fx, "[audit]\nlocal-registry=\nignore-codes=port-differs\n"
	               "ignore-types=_Ignored-x._tcp\nmin-severity=warning\n");
	start(fx);
	announce(fx, "web", "_http._tcp", 8080);          /* port-differs (info) */
	announce(fx, "bad", "_bad_name._tcp", 80);        /* charset (error), unregistered */
	announce(fx, "ign", "_ignored-x._tcp", 80);       /* unregistered, but ignored */
	announce(fx, "bad", "_bad_name._tcp", 80);        /* the same again: nothing */
	log1 = stderr_capture_take(&fx->err);
	assert_int_equal(count_lines(log1, "service-name-charset severity=error type=_bad_name._tcp"), 1);
	assert_int_equal(count_lines(log1, "unregistered severity=warning type=_bad_name._tcp"), 1);
	assert_int_equal(count_lines(log1, "port-differs"), 0);
	assert_null(strstr(log1, "_ignored-x"));
	status = auditor_status(fx->a);
	assert_string_equal(status, "auditing 3 services, 2 findings");

	/* Loosen the filters: the reload logs what is now reported. */
	write_conf(fx, "[audit]\nlocal-registry=\n");
	assert_true(auditor_reload(fx->a, &summary, &error));
	log2 = stderr_capture_take(&fx->err);
	assert_int_equal(count_lines(log2, "port-differs severity=info type=_http._tcp"), 1);
	assert_int_equal(count_lines(log2, "unregistered severity=warning type=_ignored-x._tcp"), 1);
	assert_int_equal(count_lines(log2, "service-name-charset"), 0);
	assert_true(g_str_has_prefix(summary, "registry reloaded: "));
	assert_true(g_str_has_suffix(summary, "; re-audited 3 services, 2 findings changed"));
	assert_non_null(strstr(log2, summary));

	/* Tighten them again: what is filtered out now is said once each. */
	write_conf(fx, "[audit]\nlocal-registry=\nignore-types=_ignored-x._tcp\n");
	assert_true(auditor_reload(fx->a, NULL, &error));
	g_free(log2);
	log2 = stderr_capture_take(&fx->err);
	assert_int_equal(count_lines(log2, "finding no longer applies: code=unregistered "
	                                   "type=\"_ignored-x._tcp\" instance=\"ign\" "
	                                   "interface=\"eth0\" protocol=ipv4"), 1);
	assert_null(strstr(log2, " severity="));
	write_conf(fx, "[audit]\nlocal-registry=\n");
	assert_true(auditor_reload(fx->a, NULL, &error));
	g_free(stderr_capture_take(&fx->err));

	/* A bad configuration: one error, the old state stays. */
	write_conf(fx, "[audit]\nrate-limit=lots\n");
	assert_false(auditor_reload(fx->a, NULL, &error));
	assert_non_null(error);
	log3 = stderr_capture_take(&fx->err);
	want = g_strdup_printf("reload failed: %s: key 'rate-limit': expected a positive integer, "
	                       "got 'lots'; keeping the previous configuration and registry\n",
	                       fx->conf);
	assert_string_equal(log3, want);
	g_free(status);
	status = auditor_status(fx->a);
	assert_string_equal(status, "auditing 3 services, 4 findings");
}

static void
test_remove_and_return(void **state)
{
	Fixture *fx = *state;
	g_autofree char *log1 = NULL, *log2 = NULL;
	ObservedService s = {
		.ifindex = 2, .ifname = "eth0", .protocol = OBSERVED_PROTO_IPV4,
		.name = "bad", .type = "_bad_name._tcp", .domain = "local", .port = -1,
	};

	assert_non_null(fx->registry);      /* the full registry, else the fixture */
	write_conf(fx, "[audit]\nlocal-registry=\nignore-codes=unregistered\n");
	start(fx);
	auditor_watcher_callbacks()->service_changed(&s, fx->a);
	log1 = stderr_capture_take(&fx->err);
	assert_int_equal(count_lines(log1, "service-name-charset severity=error type=_bad_name._tcp "
	                                   "instance=\"bad\" interface=eth0 protocol=ipv4 message="), 1);
	auditor_watcher_callbacks()->service_removed(&s, fx->a);
	auditor_watcher_callbacks()->service_changed(&s, fx->a);
	log2 = stderr_capture_take(&fx->err);
	assert_int_equal(count_lines(log2, "service-name-charset"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filters_and_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_and_return, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
