/* fuzz-batch.c - batch_parse(), the `dnssd-audit check --batch` line
 * parser (format/json-reader.h), on arbitrary bytes; what it accepts is
 * judged by validator_check() with the real registry if
 * $DNSSD_AUDIT_REGISTRY is set.
 *
 * Properties: bad input gives FALSE and one "column N: ..." line; good
 * input gives an advertisement whose type is a C string; parsing is
 * independent of what the reused BatchItem held before; an advertisement
 * whose strings are valid UTF-8 survives a round trip through the JSON
 * writer (what `check --json` prints can be fed back).
 */
#include "config.h"

#include <string.h>
#include "format/json-reader.h"
#include "format/json-writer.h"
#include "tests/fuzz/harness.h"
#include "validator/validator.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static const char other_line[] =
	"{\"type\":\"_ipp._tcp\",\"instance\":\"Other\\u0001\",\"port\":631,"
	"\"txt\":[\"txtvers=1\",\"rp=ipp/print\"],\"subtypes\":[\"universal\"],"
	"\"host\":\"p.local\",\"resolve_failed\":false}";

static void
describe_bytes(GString *out, const char *what, const void *data, gsize len)
{
	g_string_append_printf(out, "%s[%" G_GSIZE_FORMAT "]=", what, len);
	if (data == NULL)
		g_string_append(out, "(unknown)");
	else
		g_string_append_len(out, data, len);
	g_string_append_c(out, '\n');
}

/* Everything batch_parse() produced, as one comparable string. */
static char *
describe(const Advertisement *ad)
{
	GString *out = g_string_new(NULL);

	describe_bytes(out, "type", ad->type, strlen(ad->type));
	describe_bytes(out, "instance", ad->instance.data, ad->instance.len);
	describe_bytes(out, "host", ad->host,
	               ad->host != NULL ? strlen(ad->host) : 0);
	g_string_append_printf(out, "port=%d txt_known=%d resolve_failed=%d\n",
	                       ad->port, ad->txt_known, ad->resolve_failed);
	for (guint i = 0; i < ad->n_subtypes; i++)
		describe_bytes(out, "subtype", ad->subtypes[i],
		               strlen(ad->subtypes[i]));
	for (guint i = 0; i < ad->n_txt; i++)
		describe_bytes(out, "txt", ad->txt[i].data, ad->txt[i].len);
	return g_string_free(out, FALSE);
}

static gboolean
all_utf8(const Advertisement *ad)
{
	if (ad->instance.data != NULL &&
	    !g_utf8_validate_len((const char *)ad->instance.data, ad->instance.len, NULL))
		return FALSE;
	if (!g_utf8_validate(ad->type, -1, NULL) ||
	    (ad->host != NULL && !g_utf8_validate(ad->host, -1, NULL)))
		return FALSE;
	for (guint i = 0; i < ad->n_subtypes; i++)
		if (!g_utf8_validate(ad->subtypes[i], -1, NULL))
			return FALSE;
	for (guint i = 0; i < ad->n_txt; i++)
		if (!g_utf8_validate_len((const char *)ad->txt[i].data, ad->txt[i].len, NULL))
			return FALSE;
	return TRUE;
}

/* The advertisement as a --batch line, written with the JSON writer. */
static char *
to_json(const Advertisement *ad)
{
	GString *out = g_string_new(NULL);
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	json_begin_object(&w);
	json_key(&w, "type");
	json_string(&w, ad->type);
	if (ad->instance.data != NULL) {
		json_key(&w, "instance");
		json_string_len(&w, ad->instance.data, ad->instance.len);
	}
	if (ad->host != NULL) {
		json_key(&w, "host");
		json_string(&w, ad->host);
	}
	json_key(&w, "port");
	json_int(&w, ad->port);
	json_key(&w, "resolve_failed");
	json_bool(&w, ad->resolve_failed);
	json_key(&w, "subtypes");
	json_begin_array(&w);
	for (guint i = 0; i < ad->n_subtypes; i++)
		json_string(&w, ad->subtypes[i]);
	json_end_array(&w);
	json_key(&w, "txt");
	if (ad->txt_known) {
		json_begin_array(&w);
		for (guint i = 0; i < ad->n_txt; i++)
			json_string_len(&w, ad->txt[i].data, ad->txt[i].len);
		json_end_array(&w);
	} else {
		json_null(&w);
	}
	json_end_object(&w);
	return g_string_free(out, FALSE);
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	BatchItem item;
	g_autoptr(GError) error = NULL;
	g_autoptr(FindingList) findings = finding_list_new();
	g_autofree char *first = NULL, *second = NULL;
	g_autofree char *json = NULL, *third = NULL;
	/* Exact size, no NUL: batch_parse() takes a length. */
	g_autofree char *line = g_malloc(size > 0 ? size : 1);
	gboolean ok;

	memcpy(line, data, size);
	batch_item_init(&item);
	ok = batch_parse(line, size, &item, &error);
	if (!ok) {
		if (error == NULL)
			fuzz_fail("FALSE without an error", "");
		fuzz_check_error_line(error->message, "batch_parse error");
		if (!g_str_has_prefix(error->message, "column "))
			fuzz_fail("error does not name the column", error->message);
		batch_item_clear(&item);
		return 0;
	}
	if (error != NULL)
		fuzz_fail("TRUE with an error", error->message);
	if (item.ad.type == NULL)
		fuzz_fail("no type", "");
	if (item.ad.n_subtypes > 0 && item.ad.subtypes == NULL)
		fuzz_fail("n_subtypes without subtypes", item.ad.type);
	if (item.ad.n_txt > 0 && item.ad.txt == NULL)
		fuzz_fail("n_txt without txt", item.ad.type);
	if (item.ad.port < -1 || item.ad.port > 65535)
		fuzz_fail("port out of range", item.ad.type);
	first = describe(&item.ad);
	validator_check(&item.ad, fuzz_registry(), NULL, findings);

	/* Reuse the item for another line, then parse the input again. */
	if (!batch_parse(other_line, strlen(other_line), &item, &error))
		fuzz_fail("the fixed line does not parse", error->message);
	if (!batch_parse(line, size, &item, &error))
		fuzz_fail("second parse of the same line fails", error->message);
	second = describe(&item.ad);
	if (strcmp(first, second) != 0)
		fuzz_fail("parse depends on the item's previous contents", second);

	if (all_utf8(&item.ad)) {
		json = to_json(&item.ad);
		if (!batch_parse(json, strlen(json), &item, &error))
			fuzz_fail("the JSON writer's output does not parse", json);
		third = describe(&item.ad);
		if (strcmp(first, third) != 0)
			fuzz_fail("round trip through the JSON writer differs", json);
	}
	batch_item_clear(&item);
	return 0;
}
