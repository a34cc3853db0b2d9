/* standalone.c - run libFuzzer targets without libFuzzer.
 *
 * The standard "standalone reproducer": in a build without --enable-fuzzing
 * every fuzz target is linked with this main(), which feeds each file named
 * on the command line (or each regular file inside a named directory) to
 * LLVMFuzzerTestOneInput() once.  That is how `make check` replays the
 * saved crash inputs and seed corpora with gcc, under ASan or valgrind.
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);
/* Optional in a target, as with libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Feed one file to the target.  Returns FALSE (with a message) if it
 * cannot be read; a target that finds a bug aborts instead of returning. */
static gboolean
run_file(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *contents = NULL;
	gsize len = 0;
	guint8 *copy;

	if (!g_file_get_contents(path, &contents, &len, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return FALSE;
	}
	/* An exact-size heap copy, so ASan/valgrind see reads past the end
	 * (g_file_get_contents adds a NUL). */
	copy = g_malloc(len > 0 ? len : 1);
	memcpy(copy, contents, len);
	LLVMFuzzerTestOneInput(copy, len);
	g_free(copy);
	return TRUE;
}

/* Feed every regular file of a directory, in name order so a run is
 * reproducible.  Returns the number of files run, or -1 on error. */
static int
run_dir(const char *dir)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	int n = 0;

	if (d == NULL) {
		fprintf(stderr, "%s\n", error->message);
		return -1;
	}
	while ((name = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_build_filename(dir, name, NULL));
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		const char *path = g_ptr_array_index(names, i);

		const char *base = strrchr(path, '/') + 1;

		/* Skip a README, a .gitkeep, and the inputs of known,
		 * unfixed bugs (replay.test runs those one by one). */
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) ||
		    g_str_has_suffix(path, ".md") || base[0] == '.' ||
		    g_str_has_prefix(base, "known-"))
			continue;
		if (!run_file(path))
			return -1;
		n++;
	}
	return n;
}

int
main(int argc, char **argv)
{
	int total = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n"
		        "Runs each input once through the fuzz target "
		        "(standalone build, no fuzzing).\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
			int n = run_dir(argv[i]);

			if (n < 0)
				return 1;
			total += n;
		} else if (run_file(argv[i])) {
			total++;
		} else {
			return 1;
		}
	}
	fprintf(stderr, "%s: %d input(s) ran without a failure\n",
	        argv[0], total);
	return 0;
}
