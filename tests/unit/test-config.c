/* test-config.c - dnssd-audit.conf parsing: values, defaults, warnings for
 * unknown keys, one clear error for bad values and missing files. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include "audit/site-config.h"

typedef struct {
	char *dir;
	char *file;
} Fixture;

static int
setup(void **state)
{
	Fixture *fx = g_new0(Fixture, 1);

	fx->dir = g_dir_make_tmp("test-config-XXXXXX", NULL);
	assert_non_null(fx->dir);
	fx->file = g_build_filename(fx->dir, "dnssd-audit.conf", NULL);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	g_unlink(fx->file);
	g_rmdir(fx->dir);
	g_free(fx->file);
	g_free(fx->dir);
	g_free(fx);
	return 0;
}

static void
write_conf(Fixture *fx, const char *text)
{
	assert_true(g_file_set_contents(fx->file, text, -1, NULL));
}

/* Load fx->file expecting failure; returns the message (owned). */
static char *
load_error(Fixture *fx, const char *text, int code)
{
	g_autoptr(GError) error = NULL;
	AuditdConfig *cfg;

	write_conf(fx, text);
	cfg = config_load(fx->file, NULL, &error);
	assert_null(cfg);
	assert_non_null(error);
	assert_true(g_error_matches(error, CONFIG_ERROR, code));
	return g_strdup(error->message);
}

static void
test_good(void **state)
{
	Fixture *fx = *state;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(AuditdConfig) cfg = NULL;

	write_conf(fx,
	           "# comment\n"
	           "[audit]\n"
	           "registry=/var/lib/x.xml\n"
	           "local-registry=/etc/local.xml\n"
	           "ignore-codes=port-differs, txt-key-too-long;resolve-failed\n"
	           "ignore-types=_airplay._tcp _RAOP._tcp\n"
	           "min-severity=warning\n"
	           "interfaces=eth0,wlan0\n"
	           "rate-limit=7\n"
	           "max-services=42\n"
	           "resolve-timeout=0.5\n");
	cfg = config_load(fx->file, warnings, &error);
	assert_null(error);
	assert_non_null(cfg);
	assert_int_equal(warnings->len, 0);
	assert_string_equal(cfg->path, fx->file);
	assert_string_equal(cfg->registry, "/var/lib/x.xml");
	assert_string_equal(cfg->local_registry, "/etc/local.xml");
	assert_true(cfg->ignore_codes[FINDING_PORT_DIFFERS]);
	assert_true(cfg->ignore_codes[FINDING_TXT_KEY_TOO_LONG]);
	assert_true(cfg->ignore_codes[FINDING_RESOLVE_FAILED]);
	assert_false(cfg->ignore_codes[FINDING_UNREGISTERED]);
	assert_int_equal(g_hash_table_size(cfg->ignore_types), 2);
	assert_true(config_type_ignored(cfg, "_raop._tcp"));
	assert_true(config_type_ignored(cfg, "_AirPlay._tcp"));
	assert_false(config_type_ignored(cfg, "_http._tcp"));
	assert_int_equal(cfg->min_severity, SEVERITY_WARNING);
	assert_int_equal(g_strv_length(cfg->interfaces), 2);
	assert_string_equal(cfg->interfaces[0], "eth0");
	assert_string_equal(cfg->interfaces[1], "wlan0");
	assert_int_equal(cfg->rate_limit, 7);
	assert_int_equal(cfg->max_services, 42);
	assert_int_equal(cfg->resolve_timeout_ms, 500);

	assert_false(config_finding_wanted(cfg, FINDING_PORT_DIFFERS, SEVERITY_WARNING));
	assert_false(config_finding_wanted(cfg, FINDING_UNREGISTERED, SEVERITY_NOTICE));
	assert_true(config_finding_wanted(cfg, FINDING_UNREGISTERED, SEVERITY_WARNING));
	assert_true(config_finding_wanted(cfg, FINDING_TYPE_MALFORMED, SEVERITY_ERROR));
}

static void
test_defaults(void **state)
{
	Fixture *fx = *state;
	g_autoptr(GError) error = NULL;
	g_autoptr(AuditdConfig) cfg = NULL;
	g_autoptr(AuditdConfig) def = config_new_default();

	/* An empty file and a missing default file both mean the defaults. */
	write_conf(fx, "");
	cfg = config_load(fx->file, NULL, &error);
	assert_non_null(cfg);
	assert_null(cfg->registry);
	assert_null(cfg->local_registry);
	assert_null(cfg->interfaces);
	assert_non_null(cfg->ignore_types);
	assert_int_equal(g_hash_table_size(cfg->ignore_types), 0);
	assert_int_equal(cfg->min_severity, SEVERITY_INFO);
	assert_int_equal(cfg->rate_limit, 100);
	assert_int_equal(cfg->max_services, 10000);
	assert_int_equal(cfg->resolve_timeout_ms, 5000);
	for (guint i = 0; i < FINDING_N_CODES; i++)
		assert_true(config_finding_wanted(cfg, (FindingCode)i, SEVERITY_INFO));
	assert_false(config_watcher_differs(cfg, def));

	g_unlink(fx->file);
	config_free(g_steal_pointer(&cfg));
	cfg = config_load_file(fx->file, FALSE, NULL, &error);
	assert_null(error);
	assert_non_null(cfg);
	assert_null(cfg->path);
	assert_int_equal(cfg->rate_limit, 100);
}

static void
test_missing_explicit(void **state)
{
	Fixture *fx = *state;
	g_autoptr(GError) error = NULL;
	g_autofree char *missing = g_build_filename(fx->dir, "nope.conf", NULL);
	AuditdConfig *cfg = config_load(missing, NULL, &error);

	assert_null(cfg);
	assert_true(g_error_matches(error, CONFIG_ERROR, CONFIG_ERROR_OPEN));
	assert_true(g_str_has_prefix(error->message, missing));
	assert_non_null(strstr(error->message, "cannot read configuration"));
}

static void
test_unknown_keys_warn(void **state)
{
	Fixture *fx = *state;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(AuditdConfig) cfg = NULL;
	g_autofree char *w0 = NULL, *w1 = NULL;

	write_conf(fx, "[audit]\nrate-limit=5\nratelimit=6\n[other]\nx=1\n");
	cfg = config_load(fx->file, warnings, &error);
	assert_non_null(cfg);
	assert_int_equal(cfg->rate_limit, 5);
	assert_int_equal(warnings->len, 2);
	w0 = g_strdup_printf("%s: unknown key 'ratelimit' in group [audit] (ignored)", fx->file);
	w1 = g_strdup_printf("%s: unknown group [other] (ignored)", fx->file);
	assert_string_equal(g_ptr_array_index(warnings, 0), w0);
	assert_string_equal(g_ptr_array_index(warnings, 1), w1);
}

static void
test_bad_values(void **state)
{
	Fixture *fx = *state;
	static const struct {
		const char *text;
		const char *tail; /* after "FILE: " */
	} cases[] = {
		{ "[audit]\nrate-limit=abc\n",
		  "key 'rate-limit': expected a positive integer, got 'abc'" },
		{ "[audit]\nrate-limit=0\n",
		  "key 'rate-limit': expected a positive integer, got '0'" },
		{ "[audit]\nrate-limit=-3\n",
		  "key 'rate-limit': expected a positive integer, got '-3'" },
		{ "[audit]\nrate-limit=99999999999\n",
		  "key 'rate-limit': expected a positive integer up to 1000000, got '99999999999'" },
		{ "[audit]\nmax-services=10k\n",
		  "key 'max-services': expected a positive integer, got '10k'" },
		{ "[audit]\nmin-severity=loud\n",
		  "key 'min-severity': expected one of info, notice, warning, error, got 'loud'" },
		{ "[audit]\nignore-codes=port-differs,bogus-code\n",
		  "key 'ignore-codes': expected finding codes such as 'port-differs', got 'bogus-code'" },
		{ "[audit]\nresolve-timeout=0\n",
		  "key 'resolve-timeout': expected a number of seconds from 0.1 to 600, got '0'" },
		{ "[audit]\nresolve-timeout=5s\n",
		  "key 'resolve-timeout': expected a number of seconds from 0.1 to 600, got '5s'" },
		{ "[audit]\nregistry=\n",
		  "key 'registry': expected a file name, got ''" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *msg = load_error(fx, cases[i].text, CONFIG_ERROR_VALUE);
		g_autofree char *want = g_strdup_printf("%s: %s", fx->file, cases[i].tail);

		assert_string_equal(msg, want);
	}
}

static void
test_syntax_error(void **state)
{
	Fixture *fx = *state;
	g_autofree char *msg = load_error(fx, "[audit]\nthis is not a key file\n",
	                                  CONFIG_ERROR_PARSE);

	assert_true(g_str_has_prefix(msg, fx->file));
	assert_non_null(strstr(msg, "not a valid configuration file"));
}

static void
test_watcher_differs(void **state)
{
	g_autoptr(AuditdConfig) a = config_new_default();
	g_autoptr(AuditdConfig) b = config_new_default();

	b->rate_limit = 3;
	assert_false(config_watcher_differs(a, b));
	b->resolve_timeout_ms = 100;
	assert_true(config_watcher_differs(a, b));
	b->resolve_timeout_ms = a->resolve_timeout_ms;
	b->interfaces = g_strsplit("eth0", ",", -1);
	assert_true(config_watcher_differs(a, b));
	a->interfaces = g_strsplit("eth0", ",", -1);
	assert_false(config_watcher_differs(a, b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_explicit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_keys_warn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
		cmocka_unit_test(test_watcher_differs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
