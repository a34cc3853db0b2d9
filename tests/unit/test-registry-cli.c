/* test-registry-cli.c - "dnssd-audit registry lookup|stats": output, JSON
 * shape and exit statuses, run as a user would run them. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/test-common.h"

typedef struct {
	int status;
	char *out;
	char *err;
} Run;

static void
run_clear(Run *r)
{
	g_free(r->out);
	g_free(r->err);
}

/* Run dnssd-audit with the NULL-terminated arguments after "registry". */
static Run
run(const char *first, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	Run r = { 0 };
	va_list ap;
	int wait_status;

	g_ptr_array_add(argv, g_build_filename(TOP_BUILDDIR, "dnssd-audit", NULL));
	g_ptr_array_add(argv, g_strdup("registry"));
	va_start(ap, first);
	for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
		g_ptr_array_add(argv, g_strdup(a));
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
	                  &r.out, &r.err, &wait_status, &error)) {
		print_error("cannot run %s: %s\n", (char *) argv->pdata[0], error->message);
		fail();
	}
	r.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
	return r;
}

static char *
data(const char *name)
{
	return g_build_filename(REGISTRY_TEST_DATA, name, NULL);
}

#define assert_contains(hay, needle) do { \
		if (strstr((hay), (needle)) == NULL) { \
			print_error("\"%s\" not in:\n%s\n", (needle), (hay)); \
			fail(); \
		} \
	} while (0)

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_lookup_json(void **state)
{
	g_autofree char *reg = data("minimal.xml");
	Run r = run("lookup", "--json", "--no-local-registry", "--registry", reg, "HTTP", "x11", NULL);

	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_true(r.out[0] == '[');
	assert_contains(r.out, "\"name\": \"http\"");
	assert_contains(r.out, "\"transport\": \"tcp\"");
	assert_contains(r.out, "\"port\": 80,");
	assert_contains(r.out, "\"port_high\": null");
	assert_contains(r.out, "\"port_high\": 6063");
	assert_contains(r.out, "\"description\": \"World Wide Web HTTP\"");
	assert_contains(r.out, "\"status\": \"active\"");
	assert_contains(r.out, "\"replacement\": null");
	assert_contains(r.out, "\"source\": \"iana\"");
	assert_contains(r.out, "\"kind\": \"keys\"");
	assert_contains(r.out, "\"u\"");
	assert_contains(r.out, "\"path\"");
	assert_contains(r.out, "\"kind\": \"absent\"");
	assert_contains(r.out, "\"keys\": []");
	run_clear(&r);
}

static void
test_lookup_real(void **state)
{
	g_autofree char *reg = test_registry_path();
	Run r;

	assert_non_null(reg);       /* the full registry, else the fixture */
	r = run("lookup", "--json", "--no-local-registry", "--registry", reg, "odisk", "dec_dlm", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "\"transport\": null");
	assert_contains(r.out, "\"port\": null");
	assert_contains(r.out, "\"dk<n>\"");
	assert_contains(r.out, "\"status\": \"historic\"");
	assert_contains(r.out, "\"replacement\": \"dec-dlm\"");
	run_clear(&r);

	/* Human output: a header and aligned columns. */
	r = run("lookup", "--no-local-registry", "--registry", reg, "x11", "odisk", NULL);
	assert_int_equal(r.status, 0);
	assert_true(g_str_has_prefix(r.out, "NAME"));
	assert_contains(r.out, "DESCRIPTION");
	assert_contains(r.out, "x11   tcp   6000-6063 active");
	assert_contains(r.out, "TXT keys: sys, dk<n>");
	run_clear(&r);
}

/* An unknown name is a negative answer (1); the others still print. */
static void
test_lookup_unknown(void **state)
{
	g_autofree char *reg = data("minimal.xml");
	Run r = run("lookup", "--json", "--no-local-registry", "--registry", reg, "no-such", "http", NULL);

	assert_int_equal(r.status, 1);
	assert_contains(r.err, "\"no-such\" is not in the registry");
	assert_int_equal(count_lines(r.err), 1);
	assert_contains(r.out, "\"name\": \"http\"");
	run_clear(&r);

	/* Terminal-unsafe bytes in a name are escaped in the message. */
	r = run("lookup", "--no-local-registry", "--registry", reg, "bad\x1b[2Jname", NULL);
	assert_int_equal(r.status, 1);
	assert_null(strchr(r.err, '\x1b'));
	run_clear(&r);
}

static void
test_usage_and_load_errors(void **state)
{
	g_autofree char *reg = data("minimal.xml");
	g_autofree char *bad = data("bad-port.xml");
	g_autofree char *missing = data("missing.xml");
	Run r;

	r = run("lookup", "--registry", reg, NULL);                 /* no NAME */
	assert_int_equal(r.status, 2);
	run_clear(&r);
	r = run("lookup", "--bogus", "ipp", NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(count_lines(r.err), 1);
	run_clear(&r);
	r = run("frobnicate", NULL);
	assert_int_equal(r.status, 2);
	run_clear(&r);
	r = run("stats", "--registry", reg, "extra", NULL);
	assert_int_equal(r.status, 2);
	run_clear(&r);

	/* A registry that does not load: one line, exit 2. */
	r = run("stats", "--registry", bad, NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(count_lines(r.err), 1);
	assert_contains(r.err, "bad-port.xml:12: bad port number");
	assert_string_equal(r.out, "");
	run_clear(&r);
	r = run("lookup", "--registry", missing, "ipp", NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(count_lines(r.err), 1);
	assert_contains(r.err, "missing.xml");
	run_clear(&r);
	/* An explicitly named local registry must exist. */
	r = run("stats", "--registry", reg, "--local-registry", missing, NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(count_lines(r.err), 1);
	run_clear(&r);

	r = run("lookup", "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "dk<n>");
	assert_contains(r.out, "--local-registry");
	run_clear(&r);
}

static void
test_stats(void **state)
{
	g_autofree char *reg = data("minimal.xml");
	g_autofree char *local = data("local-services.xml");
	Run r = run("stats", "--json", "--no-local-registry", "--registry", reg, NULL);

	assert_int_equal(r.status, 0);
	assert_contains(r.out, "\"updated\": \"2001-02-03\"");
	assert_contains(r.out, "\"records\": 3,");
	assert_contains(r.out, "\"names\": 3,");
	assert_contains(r.out, "\"by_transport\": {");
	assert_contains(r.out, "\"udp\": 2");
	assert_contains(r.out, "\"by_status\": {");
	assert_contains(r.out, "\"historic\": 1");
	assert_contains(r.out, "\"by_txt_kind\": {");
	assert_contains(r.out, "\"keys\": 1");
	run_clear(&r);

	r = run("stats", "--json", "--registry", reg, "--local-registry", local, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "\"records\": 5,");
	assert_contains(r.out, "\"local\": 2");
	run_clear(&r);

	r = run("stats", "--no-local-registry", "--registry", reg, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "updated:   2001-02-03");
	assert_contains(r.out, "records:   3");
	run_clear(&r);
}

/* $DNSSD_AUDIT_REGISTRY names the file when --registry does not. */
static void
test_env(void **state)
{
	g_autofree char *reg = data("minimal.xml");
	Run r;

	g_setenv("DNSSD_AUDIT_REGISTRY", reg, TRUE);
	r = run("stats", "--no-local-registry", NULL);
	g_unsetenv("DNSSD_AUDIT_REGISTRY");
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "minimal.xml");
	run_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_json),
		cmocka_unit_test(test_lookup_real),
		cmocka_unit_test(test_lookup_unknown),
		cmocka_unit_test(test_usage_and_load_errors),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
