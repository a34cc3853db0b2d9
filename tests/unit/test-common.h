/* test-common.h - helpers shared by the cmocka unit tests. */
#pragma once

#include <glib.h>
#include <stdlib.h>

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

/* The current IANA registry: $DNSSD_AUDIT_REGISTRY, else
 * ../shared/iana/service-names-port-numbers.xml. */
static inline char *
test_registry_path(void)
{
	const char *env = g_getenv("DNSSD_AUDIT_REGISTRY");

	if (env != NULL && g_file_test(env, G_FILE_TEST_IS_REGULAR))
		return g_strdup(env);
	return test_shared_path("iana/service-names-port-numbers.xml");
}
