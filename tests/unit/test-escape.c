/* test-escape.c - escaping of untrusted bytes (FINDINGS.md, escape.h). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include "format/escape.h"

static char *
esc(const char *s, gsize len)
{
	return escape_bytes(s, len);
}

static char *
jesc(const char *s, gsize len)
{
	GString *out = g_string_new(NULL);

	json_escape_append(out, s, len);
	return g_string_free(out, FALSE);
}

static void
test_plain_passes(void **state)
{
	g_autofree char *a = esc("My Printer (2nd floor)", 22);
	g_autofree char *b = esc("Küche – Drucker", strlen("Küche – Drucker"));

	assert_string_equal(a, "My Printer (2nd floor)");
	assert_string_equal(b, "Küche – Drucker");
}

static void
test_hostile_bytes(void **state)
{
	static const char in[] = "a\nb\033[31mc\"d\\e%n\x7f";
	g_autofree char *a = esc(in, sizeof in - 1);

	/* '%' is harmless once no one uses the text as a format: it stays. */
	assert_string_equal(a, "a\\x0ab\\x1b[31mc\\\"d\\\\e%n\\x7f");
	assert_null(strchr(a, '\n'));
	assert_null(strchr(a, '\033'));
}

static void
test_nul_inside(void **state)
{
	g_autofree char *a = esc("a\0b", 3);

	assert_string_equal(a, "a\\x00b");
}

static void
test_invalid_utf8(void **state)
{
	/* lone continuation, truncated 2-byte, overlong '/', surrogate, 0xff */
	g_autofree char *a = esc("\x80x\xc3", 3);
	g_autofree char *b = esc("\xc0\xaf", 2);
	g_autofree char *c = esc("\xed\xa0\x80", 3);
	g_autofree char *d = esc("\xff\xfe", 2);
	g_autofree char *e = esc("\xe2\x82", 2);

	assert_string_equal(a, "\\x80x\\xc3");
	assert_string_equal(b, "\\xc0\\xaf");
	assert_string_equal(c, "\\xed\\xa0\\x80");
	assert_string_equal(d, "\\xff\\xfe");
	assert_string_equal(e, "\\xe2\\x82");
}

static void
test_escape_str_null(void **state)
{
	g_autoptr(GString) out = g_string_new("x");

	escape_append_str(out, NULL);
	escape_append_str(out, "\t");
	assert_string_equal(out->str, "x\\x09");
}

static void
test_json_escape(void **state)
{
	static const char in[] = "q\"b\\n\nt\tc\001d\x7f\xc3\xa9\xff";
	g_autofree char *a = jesc(in, sizeof in - 1);

	assert_string_equal(a, "q\\\"b\\\\n\\nt\\tc\\u0001d\\u007fé\\\\xff");
}

static void
test_json_escape_nul(void **state)
{
	g_autofree char *a = jesc("a\0b", 3);

	assert_string_equal(a, "a\\u0000b");
}

/* Every single byte value and every pair yields output free of raw
 * control bytes and valid UTF-8. */
static void
test_all_bytes_safe(void **state)
{
	for (guint i = 0; i < 256; i++) {
		for (guint j = 0; j < 256; j += 17) {
			char in[2] = { (char)i, (char)j };
			g_autofree char *a = esc(in, 2);
			g_autofree char *b = jesc(in, 2);

			assert_true(g_utf8_validate(a, -1, NULL));
			assert_true(g_utf8_validate(b, -1, NULL));
			for (const char *p = a; *p; p++)
				assert_false((guchar)*p < 0x20 || *p == 0x7f);
			for (const char *p = b; *p; p++)
				assert_false((guchar)*p < 0x20 || *p == 0x7f);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_passes),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_nul_inside),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_escape_str_null),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_escape_nul),
		cmocka_unit_test(test_all_bytes_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
