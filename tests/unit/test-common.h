/* test-common.h - helpers shared by the cmocka unit tests. */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Skip the running test, saying why (printf-style).  cmocka 1.1.5 prints
 * a skipped test as "not ok N # SKIP name", which TAP reads as a failure;
 * the reason goes out first as the TAP comment "# skip: REASON", and
 * tests/unit/cmocka-tap.sh (the unit tests' LOG_COMPILER) turns the pair
 * into "ok N - name # SKIP REASON".  Only in a test body: cmocka counts a
 * skip in a setup function as an error. */
#define test_skip(...) do { \
		test_skip_reason_(__VA_ARGS__); \
		skip(); \
	} while (0)

G_GNUC_PRINTF(1, 2)
static inline void
test_skip_reason_(const char *fmt, ...)
{
	va_list ap;

	fputs("# skip: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputs("\n", stdout);
	fflush(stdout);
}

/* Path of a file in ../shared (the registry releases, the excerpts):
 * $DNSSD_AUDIT_SHARED/<rel>, which the test environment sets.  Returns NULL
 * when the file is not there. */
static inline char *
test_shared_path(const char *rel)
{
	const char *shared = g_getenv("DNSSD_AUDIT_SHARED");
	char *p;

	if (shared == NULL)
		shared = "../shared";
	p = g_build_filename(shared, rel, NULL);
	if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
		g_free(p);
		return NULL;
	}
	return p;
}

/* The full current IANA registry: $DNSSD_AUDIT_REGISTRY, else
 * ../shared/iana/service-names-port-numbers.xml; NULL when neither is
 * there (a plain clone).  Only for tests that need the whole file (record
 * counts, a cut past 3 MB, speed); they skip without it. */
static inline char *
test_full_registry_path(void)
{
	const char *env = g_getenv("DNSSD_AUDIT_REGISTRY");

	if (env != NULL && g_file_test(env, G_FILE_TEST_IS_REGULAR))
		return g_strdup(env);
	return test_shared_path("iana/service-names-port-numbers.xml");
}

/* tests/registry-data/fixture-registry.xml: IANA's records of every name
 * the tests use (an excerpt of the 2024-03-18 release).  Found through
 * REGISTRY_TEST_DATA where the test defines it, else $top_srcdir (set by
 * the test environment), else the current directory. */
static inline char *
test_fixture_registry_path(void)
{
#ifdef REGISTRY_TEST_DATA
	const char *dir = REGISTRY_TEST_DATA;
	char *p = g_build_filename(dir, "fixture-registry.xml", NULL);
#else
	const char *top = g_getenv("top_srcdir");
	char *p = g_build_filename(top != NULL ? top : ".", "tests", "registry-data",
	                           "fixture-registry.xml", NULL);
#endif
	if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
		g_free(p);
		return NULL;
	}
	return p;
}

/* The registry the tests judge with: the full one (test_full_registry_path())
 * when it is there, else the fixture excerpt, said once as a TAP comment.
 * NULL only when the source tree lacks the fixture. */
static inline char *
test_registry_path(void)
{
	static gboolean said;
	char *p = test_full_registry_path();

	if (p != NULL)
		return p;
	p = test_fixture_registry_path();
	if (!said) {
		printf("# no full IANA registry ($DNSSD_AUDIT_REGISTRY, $DNSSD_AUDIT_SHARED/iana/): "
		       "using the fixture %s\n", p != NULL ? p : "(missing!)");
		fflush(stdout);
		said = TRUE;
	}
	return p;
}

#define TEST_NO_FULL_REGISTRY \
	"needs the full IANA registry (set DNSSD_AUDIT_REGISTRY or DNSSD_AUDIT_SHARED)"
