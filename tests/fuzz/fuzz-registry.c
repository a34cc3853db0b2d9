/* fuzz-registry.c - registry_load() and registry_add_local() on arbitrary
 * bytes.
 *
 * The loader only reads files, so each input is written to a memfd and
 * loaded through /proc/self/fd/N.  Properties: a failed load returns NULL
 * with one clean error line; a successful one has records, every record
 * can be found by its name (case-insensitively), a record's TXT spec is
 * consistent with its kind, and adding the same bytes as a local registry
 * either works or fails with one clean line.
 */
/* memfd_create() */
#define _GNU_SOURCE 1
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "registry/registry.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static int memfd = -1;
static char memfd_path[64];

/* Replace the memfd's contents with data[0..size). */
static void
write_input(const guint8 *data, size_t size)
{
	if (memfd < 0) {
		memfd = memfd_create("fuzz-registry", MFD_CLOEXEC);
		if (memfd < 0) {
			perror("memfd_create");
			abort();
		}
		g_snprintf(memfd_path, sizeof memfd_path, "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) != 0 ||
	    (size > 0 && pwrite(memfd, data, size, 0) != (ssize_t)size)) {
		perror("memfd write");
		abort();
	}
}

static void
check_record(const RegistryRecord *rec, gpointer data)
{
	const Registry *reg = data;
	const RegistryRecord *const *found = NULL;
	g_autofree char *upper = NULL;
	guint n;
	gboolean self = FALSE;

	if (rec->name == NULL)
		fuzz_fail("record without a name", "");
	upper = g_ascii_strup(rec->name, -1);
	n = registry_lookup(reg, upper, &found);
	for (guint i = 0; i < n; i++)
		self |= found[i] == rec;
	if (!self)
		fuzz_fail("record not found by its name", rec->name);
	if (registry_status_name(rec->status) == NULL ||
	    registry_source_name(rec->source) == NULL)
		fuzz_fail("unknown status or source", rec->name);
	if (rec->port_high >= 0 && rec->port_high < rec->port)
		fuzz_fail("port range upside down", rec->name);
	if ((rec->txt.kind == TXT_SPEC_KEYS) != (rec->txt.n_keys > 0))
		fuzz_fail("TXT spec kind and keys disagree", rec->name);
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = NULL;
	g_autoptr(GPtrArray) warnings = NULL;
	guint n_iana;

	write_input(data, size);
	reg = registry_load(memfd_path, &error);
	if (reg == NULL) {
		if (error == NULL)
			fuzz_fail("NULL without an error", "");
		fuzz_check_error_line(error->message, "registry_load error");
		return 0;
	}
	if (error != NULL)
		fuzz_fail("a registry and an error", error->message);
	if (registry_n_records(reg) == 0 ||
	    registry_n_names(reg) > registry_n_records(reg))
		fuzz_fail("record counts", "");
	registry_foreach(reg, check_record, reg);
	/* regressions/registry/updated-newline.xml: a newline in <updated>
	 * once forged a line of `dnssd-audit registry stats`. */
	if (registry_updated(reg) != NULL)
		fuzz_check_safe(registry_updated(reg), strlen(registry_updated(reg)),
		                "registry_updated");

	n_iana = registry_n_records(reg);
	warnings = g_ptr_array_new_with_free_func(g_free);
	if (!registry_add_local(reg, memfd_path, warnings, &error)) {
		fuzz_check_error_line(error->message, "registry_add_local error");
		if (warnings->len != 0)
			fuzz_fail("warnings from a local file that failed", "");
		return 0;
	}
	/* The same file as a local registry: IANA has every name and
	 * transport of it, so each record is ignored with one safe warning
	 * line, and nothing is added. */
	for (guint i = 0; i < warnings->len; i++)
		fuzz_check_error_line(warnings->pdata[i], "registry_add_local warning");
	if (registry_n_records(reg) != n_iana || warnings->len != n_iana)
		fuzz_fail("a local copy of the IANA file changed the registry", "");
	registry_foreach(reg, check_record, reg);
	return 0;
}
