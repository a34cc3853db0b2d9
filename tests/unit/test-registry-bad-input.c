/* test-registry-bad-input.c - every kind of bad registry file gets NULL and
 * one line naming the file, the line and the problem; nothing reaches
 * stderr from libxml2, and garbage fails fast. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "registry/registry.h"
#include "tests/unit/test-common.h"

/* Load path (a fixture name or an absolute path), expect failure with
 * code and a message that starts "<path>:<line>: " (any line, or none,
 * when line is 0) and contains what. */
static void
expect_failure(const char *name, RegistryErrorCode code, int line, const char *what)
{
	g_autofree char *path = g_path_is_absolute(name) ? g_strdup(name)
	                        : g_build_filename(REGISTRY_TEST_DATA, name, NULL);
	g_autofree char *prefix = line > 0 ? g_strdup_printf("%s:%d: ", path, line)
	                          : g_strdup_printf("%s:", path);
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = NULL;
	g_autofree char *err_file = g_build_filename(g_get_tmp_dir(), "test-registry-stderr-XXXXXX", NULL);
	int saved, fd;
	char buf[256];
	ssize_t n;

	/* Capture stderr: libxml2 must not print there itself. */
	fflush(stderr);
	fd = g_mkstemp(err_file);
	assert_true(fd >= 0);
	saved = dup(2);
	dup2(fd, 2);
	reg = registry_load(path, &error);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(err_file);
	if (n > 0) {
		buf[n] = '\0';
		print_error("stderr got: %s\n", buf);
		fail();
	}

	assert_null(reg);
	assert_non_null(error);
	print_message("# %s\n", error->message);
	assert_int_equal(error->domain, REGISTRY_ERROR);
	assert_int_equal(error->code, code);
	assert_null(strchr(error->message, '\n'));
	if (!g_str_has_prefix(error->message, prefix) || strstr(error->message, what) == NULL) {
		print_error("message \"%s\": expected prefix \"%s\" and \"%s\"\n", error->message,
		            prefix, what);
		fail();
	}
}

static void
test_missing(void **state)
{
	expect_failure("no-such-file.xml", REGISTRY_ERROR_OPEN, 0, "No such file");
	expect_failure("/", REGISTRY_ERROR_OPEN, 0, "not a regular file");
	expect_failure("/dev/zero", REGISTRY_ERROR_OPEN, 0, "not a regular file");
}

/* A FIFO would block open() and read() forever. */
static void
test_fifo(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("test-registry-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "fifo.xml", NULL);

	assert_int_equal(mkfifo(path, 0600), 0);
	expect_failure(path, REGISTRY_ERROR_OPEN, 0, "not a regular file");
	unlink(path);
	rmdir(dir);
}

static void
test_empty(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("test-registry-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "empty.xml", NULL);

	assert_true(g_file_set_contents(path, "", 0, NULL));
	expect_failure(path, REGISTRY_ERROR_PARSE, 1, "empty file");
	/* Only white space. */
	assert_true(g_file_set_contents(path, "\n\n  \n", -1, NULL));
	expect_failure(path, REGISTRY_ERROR_PARSE, 0, "not XML");
	unlink(path);
	rmdir(dir);
}

static void
test_not_xml(void **state)
{
	expect_failure("not-xml.txt", REGISTRY_ERROR_PARSE, 0, "not XML");
}

static void
test_truncated(void **state)
{
	expect_failure("truncated.xml", REGISTRY_ERROR_PARSE, 0, "truncated XML");
}

/* A file that declares a legacy encoding and holds bytes that are not
 * UTF-8: it is read as UTF-8 all the same (never through iconv), and gives
 * one clean line; libxml2 prints nothing of its own (expect_failure checks
 * that stderr stays empty). */
static void
test_bad_encoding(void **state)
{
	expect_failure("bad-encoding.xml", REGISTRY_ERROR_PARSE, 3, "malformed XML: Input is not proper UTF-8");
}

static void
test_no_records(void **state)
{
	expect_failure("no-records.xml", REGISTRY_ERROR_INVALID, 0, "no service records");
}

static void
test_bad_port(void **state)
{
	expect_failure("bad-port.xml", REGISTRY_ERROR_INVALID, 12, "bad port number \"eighty\" in the record of \"broken\"");
	expect_failure("bad-port-range.xml", REGISTRY_ERROR_INVALID, 12, "\"6063-6000\"");
	expect_failure("bad-port-big.xml", REGISTRY_ERROR_INVALID, 12, "\"70000\"");
}

static void
test_wrong_root(void **state)
{
	expect_failure("wrong-root.xml", REGISTRY_ERROR_INVALID, 2, "not an IANA registry");
}

/* Entities are not expanded and no external entity is fetched: a
 * document type declaration is refused outright. */
static void
test_doctype(void **state)
{
	g_autofree char *path = g_build_filename(REGISTRY_TEST_DATA, "entity-loop.xml", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = NULL;

	expect_failure("doctype.xml", REGISTRY_ERROR_INVALID, 0, "document type declarations are not accepted");
	/* A "billion laughs" fails, whoever notices first. */
	reg = registry_load(path, &error);
	assert_null(reg);
	assert_non_null(error);
	assert_true(g_str_has_prefix(error->message, path));
}

/* <updated> is taken only as an ISO date: a newline in it would forge a
 * second line of `registry stats` and reach the RegistryUpdated property
 * (found by fuzz-registry).  Such a file still loads; its date is unknown. */
static void
load_with_updated(const char *updated, const char *expect)
{
	g_autofree char *dir = g_dir_make_tmp("test-registry-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "reg.xml", NULL);
	g_autofree char *xml = g_strdup_printf(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<registry xmlns=\"http://www.iana.org/assignments\">\n"
		"<updated>%s</updated>\n"
		"<record><name>http</name><protocol>tcp</protocol><number>80</number></record>\n"
		"</registry>\n", updated);
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = NULL;

	assert_true(g_file_set_contents(path, xml, -1, NULL));
	reg = registry_load(path, &error);
	assert_non_null(reg);
	if (expect == NULL)
		assert_null(registry_updated(reg));
	else
		assert_string_equal(registry_updated(reg), expect);
	unlink(path);
	rmdir(dir);
}

static void
test_updated_date_only(void **state)
{
	load_with_updated(" 2024-03-18\n", "2024-03-18");
	load_with_updated("2024-03-18\nregistry: 0 problems found", NULL);
	load_with_updated("2024-03-18 (draft)", NULL);
	load_with_updated("18 March 2024", NULL);
	load_with_updated("2024-03-1", NULL);
}

/* 100 MB of garbage: fails at the first bytes, without reading the file. */
static void
test_big_garbage(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("test-registry-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "garbage.xml", NULL);
	g_autofree char *block = g_malloc(1 << 20);
	gint64 t0;
	FILE *f;

	for (guint i = 0; i < (1u << 20); i++)
		block[i] = (char) ("garbage\n\x01\xff<>&;"[i % 13]);
	f = fopen(path, "wb");
	assert_non_null(f);
	/* Sparse would be faster to make, but then it reads as NULs; real
	 * bytes make sure the loader gives up at the first error. */
	for (int i = 0; i < 100; i++)
		assert_int_equal(fwrite(block, 1, 1 << 20, f), 1 << 20);
	assert_int_equal(fclose(f), 0);

	t0 = g_get_monotonic_time();
	expect_failure(path, REGISTRY_ERROR_PARSE, 0, "not XML");
	/* Reading 100 MB would take far longer than this. */
	assert_true(g_get_monotonic_time() - t0 < 200000);

	/* Garbage after a good start fails at its line, too. */
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("<?xml version='1.0'?>\n<registry xmlns=\"http://www.iana.org/assignments\">\n"
	      "<record><name>a</name></record>\n", f);
	for (int i = 0; i < 20; i++)
		assert_int_equal(fwrite(block, 1, 1 << 20, f), 1 << 20);
	assert_int_equal(fclose(f), 0);
	t0 = g_get_monotonic_time();
	expect_failure(path, REGISTRY_ERROR_PARSE, 5, "malformed XML");   /* the \x01 */
	assert_true(g_get_monotonic_time() - t0 < 200000);

	unlink(path);
	rmdir(dir);
}

/* A registry cut at every few hundred bytes fails cleanly each time. */
static void
test_every_cut(void **state)
{
	g_autofree char *src = g_build_filename(REGISTRY_TEST_DATA, "minimal.xml", NULL);
	g_autofree char *dir = g_dir_make_tmp("test-registry-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "cut.xml", NULL);
	g_autofree char *text = NULL;
	gsize len;

	assert_true(g_file_get_contents(src, &text, &len, NULL));
	for (gsize cut = 1; cut + 20 < len; cut += 37) {
		g_autoptr(GError) error = NULL;
		g_autoptr(Registry) reg = NULL;

		assert_true(g_file_set_contents(path, text, cut, NULL));
		reg = registry_load(path, &error);
		assert_null(reg);
		assert_non_null(error);
		assert_true(g_str_has_prefix(error->message, path));
		assert_null(strchr(error->message, '\n'));
		if (cut > 200 && strstr(error->message, "truncated XML") == NULL) {
			print_error("cut at %zu: %s\n", (size_t) cut, error->message);
			fail();
		}
	}
	unlink(path);
	rmdir(dir);
}

/* The real registry cut in the middle: truncated, at a line past 65535. */
static void
test_real_truncated(void **state)
{
	g_autofree char *src = test_full_registry_path();
	g_autofree char *dir = NULL;
	g_autofree char *path = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = NULL;
	gsize len;
	guint lines = 1;
	const char *colon;

	if (src == NULL)
		test_skip(TEST_NO_FULL_REGISTRY ": a cut at 3,000,000 bytes");
	assert_true(g_file_get_contents(src, &text, &len, NULL));
	assert_true(len > 3000000);
	for (gsize i = 0; i < 3000000; i++)
		lines += text[i] == '\n';
	dir = g_dir_make_tmp("test-registry-XXXXXX", NULL);
	path = g_build_filename(dir, "cut.xml", NULL);
	assert_true(g_file_set_contents(path, text, 3000000, NULL));
	reg = registry_load(path, &error);
	assert_null(reg);
	assert_non_null(error);
	print_message("# %s (file has %u lines)\n", error->message, lines);
	assert_true(g_str_has_prefix(error->message, path));
	colon = error->message + strlen(path);
	assert_int_equal(*colon, ':');
	assert_int_equal(atoi(colon + 1), lines);
	assert_true(lines > 65535);
	assert_non_null(strstr(error->message, "truncated XML"));
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_not_xml),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_encoding),
		cmocka_unit_test(test_no_records),
		cmocka_unit_test(test_bad_port),
		cmocka_unit_test(test_wrong_root),
		cmocka_unit_test(test_doctype),
		cmocka_unit_test(test_updated_date_only),
		cmocka_unit_test(test_big_garbage),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_real_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
