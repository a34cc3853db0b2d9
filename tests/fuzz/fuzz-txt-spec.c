/* fuzz-txt-spec.c - txt_spec_parse() and txt_spec_defines() on arbitrary
 * note text.
 *
 * Input: a length-prefixed key to look up (harness.h), then the note.
 * Properties: parsing never fails and gives a known kind; only
 * TXT_SPEC_KEYS has keys, every key it lists (and a member of every family)
 * is "defined", nothing is defined by the other kinds; parsing the same
 * note twice gives the same spec.
 */
#include "config.h"

#include <string.h>
#include "registry/txt-spec.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static gboolean
spec_equal(const TxtSpec *a, const TxtSpec *b)
{
	if (a->kind != b->kind || a->n_keys != b->n_keys)
		return FALSE;
	for (guint i = 0; i < a->n_keys; i++) {
		if (g_strcmp0(a->keys[i].key, b->keys[i].key) != 0 ||
		    g_strcmp0(a->keys[i].key_display, b->keys[i].key_display) != 0 ||
		    a->keys[i].is_family != b->keys[i].is_family)
			return FALSE;
	}
	return TRUE;
}

static void
check_spec(const TxtSpec *spec, const char *note)
{
	if (txt_spec_kind_name(spec->kind) == NULL)
		fuzz_fail("unknown kind", note);
	if (spec->kind != TXT_SPEC_KEYS) {
		if (spec->n_keys != 0 || spec->keys != NULL)
			fuzz_fail("keys on a spec that is not TXT_SPEC_KEYS", note);
		if (txt_spec_defines(spec, "txtvers", 7))
			fuzz_fail("a spec without keys defines one", note);
		return;
	}
	if (spec->n_keys == 0 || spec->keys == NULL)
		fuzz_fail("TXT_SPEC_KEYS without keys", note);
	for (guint i = 0; i < spec->n_keys; i++) {
		const TxtSpecKey *k = &spec->keys[i];
		g_autofree char *member = NULL;

		if (k->key == NULL || k->key_display == NULL)
			fuzz_fail("key or key_display NULL", note);
		if (!k->is_family && *k->key == '\0')
			fuzz_fail("empty plain key", note);
		member = k->is_family ? g_strconcat(k->key, "0", NULL)
		                      : g_strdup(k->key);
		if (!txt_spec_defines(spec, member, strlen(member)))
			fuzz_fail("a listed key is not defined", note);
		/* Case-insensitive, and the length is honoured. */
		g_autofree char *upper = g_ascii_strup(member, -1);
		if (!txt_spec_defines(spec, upper, strlen(upper)))
			fuzz_fail("key lookup is case-sensitive", note);
	}
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	FuzzInput in;
	gsize key_len, note_len;
	const guint8 *key, *note_bytes;
	g_autofree char *note = NULL;
	g_autofree char *key_copy = NULL;
	TxtSpec spec = { 0 }, again = { 0 };

	fuzz_input_init(&in, data, size);
	key = fuzz_input_field(&in, &key_len);
	note_bytes = fuzz_input_rest(&in, &note_len);
	note = g_strndup((const char *)note_bytes, note_len);
	/* An exact-size copy: txt_spec_defines() must not read past len. */
	key_copy = g_malloc(key_len > 0 ? key_len : 1);
	memcpy(key_copy, key, key_len);

	txt_spec_parse(note, &spec);
	check_spec(&spec, note);
	txt_spec_defines(&spec, key_copy, key_len);
	txt_spec_parse(note, &again);
	if (!spec_equal(&spec, &again))
		fuzz_fail("parsing the same note twice differs", note);
	txt_spec_clear(&spec);
	txt_spec_clear(&again);
	if (size == 0) {
		txt_spec_parse(NULL, &spec);
		if (spec.kind != TXT_SPEC_ABSENT)
			fuzz_fail("NULL note is not absent", "");
		txt_spec_clear(&spec);
	}
	return 0;
}
