/* test-json-reader.c - the --batch line parser: decoding, errors with
 * columns, and no crash on hostile input. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include "format/json-reader.h"

static int
setup(void **state)
{
	BatchItem *item = g_new0(BatchItem, 1);

	batch_item_init(item);
	*state = item;
	return 0;
}

static int
teardown(void **state)
{
	batch_item_clear(*state);
	g_free(*state);
	return 0;
}

static gboolean
parse(BatchItem *item, const char *line, GError **error)
{
	return batch_parse(line, strlen(line), item, error);
}

/* Parse must fail and the message must mention want. */
static void
assert_fails(BatchItem *item, const char *line, const char *want)
{
	g_autoptr(GError) error = NULL;

	assert_false(parse(item, line, &error));
	assert_non_null(error);
	if (strstr(error->message, want) == NULL)
		fail_msg("%s: got \"%s\", want \"%s\"", line, error->message, want);
}

static void
test_full(void **state)
{
	BatchItem *item = *state;
	g_autoptr(GError) error = NULL;
	const Advertisement *ad = &item->ad;

	assert_true(parse(item, " {\"type\": \"_http._tcp\", \"instance\": \"Web\","
	                  " \"port\": 8080, \"txt\": [\"path=/\", \"\"],"
	                  " \"subtypes\": [\"printer\"], \"host\": \"a.local\","
	                  " \"x\": {\"y\": [1, 2.5e3, true, null, \"z\"]}} \r\n",
	                  &error));
	assert_null(error);
	assert_string_equal(ad->type, "_http._tcp");
	assert_int_equal(ad->instance.len, 3);
	assert_memory_equal(ad->instance.data, "Web", 3);
	assert_int_equal(ad->port, 8080);
	assert_int_equal(ad->n_txt, 2);
	assert_int_equal(ad->txt[0].len, 6);
	assert_memory_equal(ad->txt[0].data, "path=/", 6);
	assert_int_equal(ad->txt[1].len, 0);
	assert_true(ad->txt_known);
	assert_int_equal(ad->n_subtypes, 1);
	assert_string_equal(ad->subtypes[0], "printer");
	assert_string_equal(ad->host, "a.local");
	assert_false(ad->resolve_failed);
}

static void
test_defaults(void **state)
{
	BatchItem *item = *state;

	assert_true(parse(item, "{\"type\":\"_x._udp\"}", NULL));
	assert_null(item->ad.instance.data);
	assert_int_equal(item->ad.port, -1);
	assert_int_equal(item->ad.n_txt, 0);
	assert_true(item->ad.txt_known);
	assert_null(item->ad.host);

	assert_true(parse(item, "{\"type\":\"_x._udp\",\"txt\":null,\"port\":null,"
	                  "\"instance\":null,\"resolve_failed\":true}", NULL));
	assert_false(item->ad.txt_known);
	assert_true(item->ad.resolve_failed);
	assert_null(item->ad.instance.data);
}

static void
test_escapes(void **state)
{
	BatchItem *item = *state;
	const AdBytes *t;

	assert_true(parse(item, "{\"type\":\"_a._tcp\",\"instance\":"
	                  "\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\\b\\f\\r\\t\","
	                  "\"txt\":[\"k=a\\u0000b\"]}", NULL));
	assert_int_equal(item->ad.instance.len, 2 + 4 + 8);
	assert_memory_equal(item->ad.instance.data,
	                    "\xc3\xa9\xf0\x9f\x98\x80\n\"\\/\b\f\r\t", 14);
	t = &item->ad.txt[0];
	assert_int_equal(t->len, 5);
	assert_memory_equal(t->data, "k=a\0b", 5);
}

static void
test_raw_bytes_kept(void **state)
{
	BatchItem *item = *state;

	assert_true(parse(item, "{\"type\":\"_a._tcp\",\"instance\":\"x\xff\xc3\"}", NULL));
	assert_int_equal(item->ad.instance.len, 3);
	assert_memory_equal(item->ad.instance.data, "x\xff\xc3", 3);
}

static void
test_errors(void **state)
{
	BatchItem *item = *state;

	assert_fails(item, "", "column 1: expected '{'");
	assert_fails(item, "[1]", "column 1: expected a JSON object");
	assert_fails(item, "{}", "missing \"type\"");
	assert_fails(item, "{\"type\":1}", "column 9: \"type\" must be a string");
	assert_fails(item, "{\"type\":\"_a._tcp\"", "column 18: expected ',' or '}'");
	assert_fails(item, "{\"type\":\"_a._tcp\"} x", "column 20: unexpected 'x'");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"type\":\"_b._tcp\"}", "member given twice");
	assert_fails(item, "{\"type\":\"_a\001\"}", "raw control byte 0x01");
	assert_fails(item, "{\"type\":\"_a\\q\"}", "unknown escape \\q");
	assert_fails(item, "{\"type\":\"\\ud800\"}", "without a low one");
	assert_fails(item, "{\"type\":\"\\udc00\"}", "lone low surrogate");
	assert_fails(item, "{\"type\":\"\\u12\"}", "bad hex digit");
	assert_fails(item, "{\"type\":\"\\u00", "truncated \\u escape");
	assert_fails(item, "{\"type\":\"a\\u0000b\"}", "must not contain \\u0000");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"port\":70000}", "0..65535");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"port\":8.5}", "0..65535");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"port\":\"80\"}", "must be a number");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"port\":012}", "leading zero");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"txt\":\"a=b\"}", "array of strings");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"txt\":[1]}", "only strings");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"txt\":[\"a\",]}", "only strings, found ']'");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"x\":tru}", "expected a value");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"x\":1.}", "digit expected after '.'");
	assert_fails(item, "{\"type\":\"_a._tcp\" \"x\":1}", "expected ',' or '}'");
	assert_fails(item, "{\"type\" \"_a._tcp\"}", "expected ':'");
	assert_fails(item, "{\"type\":\"_a._tcp\",\"resolve_failed\":1}", "true or false");
}

static void
test_depth_limit(void **state)
{
	BatchItem *item = *state;
	g_autoptr(GString) s = g_string_new("{\"type\":\"_a._tcp\",\"x\":");

	for (int i = 0; i < 100000; i++)
		g_string_append_c(s, '[');
	assert_fails(item, s->str, "nested deeper than");

	g_string_assign(s, "{\"type\":\"_a._tcp\",\"x\":");
	for (int i = 0; i < BATCH_MAX_DEPTH - 1; i++)
		g_string_append_c(s, '[');
	for (int i = 0; i < BATCH_MAX_DEPTH - 1; i++)
		g_string_append_c(s, ']');
	g_string_append_c(s, '}');
	assert_true(parse(item, s->str, NULL));
}

static void
test_many_txt(void **state)
{
	BatchItem *item = *state;
	g_autoptr(GString) s = g_string_new("{\"type\":\"_a._tcp\",\"txt\":[");

	for (int i = 0; i < 2000; i++)
		g_string_append_printf(s, "%s\"k%d=%0200d\"", i ? "," : "", i, i);
	g_string_append(s, "]}");
	assert_true(parse(item, s->str, NULL));
	assert_int_equal(item->ad.n_txt, 2000);
	assert_memory_equal(item->ad.txt[1999].data, "k1999=", 6);
}

/* Every prefix of a valid line, and random bytes: a verdict, no crash
 * (run under the sanitizers this also proves no out-of-bounds read). */
static void
test_no_crash(void **state)
{
	BatchItem *item = *state;
	static const char line[] =
		"{\"type\":\"_a._tcp\",\"instance\":\"\\ud83d\\ude00x\",\"port\":1,"
		"\"txt\":[\"a=\\u0000\"],\"subtypes\":[\"s\"],\"z\":[{\"q\":-1e+5}]}";
	static const char alphabet[] = "{}[]\":,\\u0ed8ae\x80 tn";
	GRand *rand = g_rand_new_with_seed(42);

	for (gsize n = 0; n < sizeof line - 1; n++) {
		char *copy = g_memdup2(line, n);
		g_autoptr(GError) error = NULL;

		assert_false(batch_parse(copy, n, item, &error));
		assert_non_null(error);
		g_free(copy);
	}
	assert_true(parse(item, line, NULL));
	for (int round = 0; round < 20000; round++) {
		guint8 buf[48];
		gsize n = g_rand_int_range(rand, 0, sizeof buf);
		GError *error = NULL;

		for (gsize i = 0; i < n; i++)
			buf[i] = alphabet[g_rand_int_range(rand, 0, sizeof alphabet - 1)];
		if (!batch_parse((const char *)buf, n, item, &error))
			g_error_free(error);
	}
	g_rand_free(rand);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_bytes_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_txt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_crash, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
