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

static char *
esc_mode(const char *s, EscapeMode mode)
{
	GString *out = g_string_new(NULL);

	escape_append_mode(out, s, strlen(s), mode);
	return g_string_free(out, FALSE);
}

/* FINDINGS.md since 0.2: C1 controls and the bidi embedding, override and
 * isolate characters become "\uXXXX" in every mode. */
static void
test_c1_and_bidi(void **state)
{
	static const char in[] =
		"a\xc2\x80" "b\xc2\x9b" "31m"          /* U+0080, U+009B (CSI) */
		"\xe2\x80\xaa\xe2\x80\xae"                /* U+202A, U+202E */
		"\xe2\x81\xa6\xe2\x81\xa9" "z";          /* U+2066, U+2069 */
	static const char want[] = "a\\u0080b\\u009b31m\\u202a\\u202e\\u2066\\u2069z";
	static const EscapeMode modes[] = {
		ESCAPE_QUOTED, ESCAPE_TEXT, ESCAPE_CONTROLS, ESCAPE_JSON,
	};

	for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
		g_autofree char *a = esc_mode(in, modes[i]);

		assert_string_equal(a, want);
	}
}

/* Near misses pass unchanged (or stay what they were): DEL is a C0-style
 * "\x7f"; U+00A0 (no-break space) follows the C1 range; U+2029, U+202F,
 * U+2065 and U+206A are outside the bidi ranges; U+200F (RLM) is not an
 * embedding, override or isolate. */
static void
test_near_misses(void **state)
{
	static const char *const pass[] = {
		"\xc2\xa0", "\xc2\xbf", "\xe2\x80\xa8", "\xe2\x80\xa9",
		"\xe2\x80\xaf", "\xe2\x81\xa5", "\xe2\x81\xaa", "\xe2\x80\x8f",
		"\xc3\x80",
	};
	g_autofree char *del = esc("\x7f", 1);
	/* C1 as bytes that are not UTF-8 (a lone 0x9b): "\xNN", not "\u". */
	g_autofree char *lone = esc("\x9b", 1);
	g_autofree char *jlone = jesc("\x9b", 1);
	/* U+202E cut short: two bytes that are not UTF-8. */
	g_autofree char *cut = esc("\xe2\x80", 2);

	for (guint i = 0; i < G_N_ELEMENTS(pass); i++) {
		g_autofree char *a = esc(pass[i], strlen(pass[i]));
		g_autofree char *b = jesc(pass[i], strlen(pass[i]));

		assert_string_equal(a, pass[i]);
		assert_string_equal(b, pass[i]);
	}
	assert_string_equal(del, "\\x7f");
	assert_string_equal(lone, "\\x9b");
	assert_string_equal(jlone, "\\\\x9b");
	assert_string_equal(cut, "\\xe2\\x80");
}

/* What each mode does with '"', '\\' and a control byte. */
static void
test_modes(void **state)
{
	static const char in[] = "q\"b\\\n";
	g_autofree char *quoted = esc_mode(in, ESCAPE_QUOTED);
	g_autofree char *terminal = esc_mode(in, ESCAPE_TEXT);
	g_autofree char *controls = esc_mode(in, ESCAPE_CONTROLS);
	g_autofree char *json = esc_mode(in, ESCAPE_JSON);
	g_autofree char *s = escape_str("a\"");

	assert_string_equal(quoted, "q\\\"b\\\\\\x0a");
	assert_string_equal(terminal, "q\"b\\\\\\x0a");
	assert_string_equal(controls, "q\"b\\\\x0a");
	assert_string_equal(json, "q\\\"b\\\\\\n");
	assert_string_equal(s, "a\\\"");
	assert_null(escape_str(NULL));
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

/* escape_parse() gives back the bytes: every escaped form round-trips,
 * hostile bytes included; malformed escapes are refused. */
static void
test_parse_round_trip(void **state)
{
	const char *cases[] = { "plain", "quote \" back \\ slash", "ctl \033[31m\n\x7f",
	                        "bad \xff\xfe utf8", "c1 \xc2\x9b bidi \xe2\x80\xae",
	                        "nbsp \xc2\xa0 \xce\xa9", "" };
	const char *bad[] = { "\\", "\\q", "\\x4", "\\xzz", "\\u12", "\\u12g4" };

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *esc = escape_str(cases[i]);
		g_autoptr(GString) back = g_string_new(NULL);

		assert_true(escape_parse(back, esc, strlen(esc)));
		assert_int_equal(back->len, strlen(cases[i]));
		assert_memory_equal(back->str, cases[i], back->len);
	}
	{
		/* embedded NUL */
		g_autofree char *esc = escape_bytes("a\0b", 3);
		g_autoptr(GString) back = g_string_new(NULL);

		assert_true(escape_parse(back, esc, strlen(esc)));
		assert_int_equal(back->len, 3);
		assert_memory_equal(back->str, "a\0b", 3);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GString) back = g_string_new(NULL);

		assert_false(escape_parse(back, bad[i], strlen(bad[i])));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_round_trip),
		cmocka_unit_test(test_plain_passes),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_nul_inside),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_escape_str_null),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_escape_nul),
		cmocka_unit_test(test_all_bytes_safe),
		cmocka_unit_test(test_c1_and_bidi),
		cmocka_unit_test(test_near_misses),
		cmocka_unit_test(test_modes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
