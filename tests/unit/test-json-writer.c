/* test-json-writer.c - the streaming JSON writer. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include "format/json-writer.h"

static void
test_compact(void **state)
{
	g_autoptr(GString) out = g_string_new(NULL);
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	json_begin_object(&w);
	json_key(&w, "type");
	json_string(&w, "_http._tcp");
	json_key(&w, "port");
	json_int(&w, -1);
	json_key(&w, "ok");
	json_bool(&w, TRUE);
	json_key(&w, "host");
	json_string(&w, NULL);
	json_key(&w, "empty");
	json_begin_array(&w);
	json_end_array(&w);
	json_key(&w, "list");
	json_begin_array(&w);
	json_string_len(&w, "a\0b", 3);
	json_begin_object(&w);
	json_key(&w, "k:");
	json_string(&w, "v:");
	json_end_object(&w);
	json_null(&w);
	json_end_array(&w);
	json_end_object(&w);
	assert_string_equal(out->str,
		"{\"type\":\"_http._tcp\",\"port\":-1,\"ok\":true,\"host\":null,"
		"\"empty\":[],\"list\":[\"a\\u0000b\",{\"k:\":\"v:\"},null]}");
}

/* Names go in as they are, with the commas and places of strings. */
static void
test_names(void **state)
{
	g_autoptr(GString) out = g_string_new(NULL);
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	json_begin_array(&w);
	json_name(&w, "txt-key-undefined");
	json_begin_object(&w);
	json_key(&w, "severity");
	json_name(&w, "notice");
	json_key(&w, "empty");
	json_name_len(&w, "", 0);
	json_end_object(&w);
	json_end_array(&w);
	assert_string_equal(out->str,
		"[\"txt-key-undefined\",{\"severity\":\"notice\",\"empty\":\"\"}]");
}

static void
test_pretty(void **state)
{
	g_autoptr(GString) out = g_string_new(NULL);
	JsonWriter w;

	json_writer_init(&w, out, TRUE);
	json_begin_object(&w);
	json_key(&w, "a");
	json_begin_array(&w);
	json_int(&w, 1);
	json_int(&w, 2);
	json_end_array(&w);
	json_key(&w, "b");
	json_begin_object(&w);
	json_end_object(&w);
	json_end_object(&w);
	assert_string_equal(out->str,
		"{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}");
}

static void
test_top_level_sequence(void **state)
{
	g_autoptr(GString) out = g_string_new(NULL);
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	json_int(&w, 1);
	json_string(&w, "x");
	assert_string_equal(out->str, "1,\"x\"");
}

static void
test_deep_nesting(void **state)
{
	g_autoptr(GString) out = g_string_new(NULL);
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	for (int i = 0; i < 100; i++)
		json_begin_array(&w);
	for (int i = 0; i < 100; i++)
		json_end_array(&w);
	assert_int_equal(out->len, 200);
	assert_int_equal(w.depth, 0);
}

/* The TXT members: escaped text and exact base64, in parallel; a byte
 * 0x80 and the text \x80 differ, an empty string is kept, an unknown
 * record is null. */
static void
test_txt_members(void **state)
{
	static const AdBytes txt[] = {
		{ (const guint8 *)"a=\x80", 3 },
		{ (const guint8 *)"a=\\x80", 6 },
		{ (const guint8 *)"", 0 },
		{ (const guint8 *)"q=\"\xe2\x80\xae\n\0", 8 },
	};
	g_autoptr(GString) out = g_string_new(NULL);
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	json_begin_object(&w);
	json_txt_members(&w, txt, G_N_ELEMENTS(txt), TRUE);
	json_end_object(&w);
	json_begin_object(&w);
	json_txt_members(&w, NULL, 0, FALSE);
	json_end_object(&w);
	assert_string_equal(out->str,
		"{\"txt\":[\"a=\\\\x80\",\"a=\\\\\\\\x80\",\"\",\"q=\\\"\\\\u202e\\\\x0a\\\\x00\"],"
		"\"txt_base64\":[\"YT2A\",\"YT1ceDgw\",\"\",\"cT0i4oCuCgA=\"]},"
		"{\"txt\":null,\"txt_base64\":null}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_top_level_sequence),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_txt_members),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
