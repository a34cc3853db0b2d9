/* harness-registry.c - the real registry for the fuzz targets that judge
 * advertisements (harness.h): $DNSSD_AUDIT_REGISTRY, else the one in
 * $DNSSD_AUDIT_SHARED, else none.  Apart from harness.c so that targets that
 * do not need the registry do not link it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include "tests/fuzz/harness.h"

const Registry *
fuzz_registry(void)
{
	static Registry *reg;
	static gboolean tried;
	g_autoptr(GError) error = NULL;
	const char *path;
	g_autofree char *found = NULL;

	if (tried)
		return reg;
	tried = TRUE;
	path = g_getenv("DNSSD_AUDIT_REGISTRY");
	if (path == NULL || *path == '\0') {
		/* make check sets only DNSSD_AUDIT_SHARED. */
		const char *shared = g_getenv("DNSSD_AUDIT_SHARED");

		if (shared != NULL)
			found = g_build_filename(shared, "iana",
			                         "service-names-port-numbers.xml", NULL);
		if (found == NULL || !g_file_test(found, G_FILE_TEST_IS_REGULAR)) {
			fprintf(stderr, "DNSSD_AUDIT_REGISTRY unset: no registry "
			        "rules are exercised\n");
			return NULL;
		}
		path = found;
	}
	reg = registry_load(path, &error);
	if (reg == NULL) {
		fprintf(stderr, "fuzz registry: %s\n", error->message);
		abort();
	}
	/* Kept until exit on purpose: loaded once for every input. */
	return reg;
}

/* libFuzzer (and standalone.c) call this once before the first input:
 * load the registry then, not inside the first measured run. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_registry();
	return 0;
}
