/* json-writer.h - a small streaming JSON writer on a GString.
 *
 * Commas between members/elements are inserted automatically.  Strings are
 * escaped with json_escape_append(), so network bytes are safe.
 */
#pragma once

#include <string.h>
#include <glib.h>
#include "validator/advertisement.h"

typedef struct {
	GString *out;
	guint depth;
	/* Bit l: the container at level l has an item, so the next one needs
	 * a comma (levels past 63 share bit 63). */
	guint64 has_items;
	gboolean after_key;         /* the next value is a member's value */
	gboolean pretty;            /* newlines + indentation */
} JsonWriter;

void json_writer_init(JsonWriter *w, GString *out, gboolean pretty);
void json_begin_object(JsonWriter *w);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w);
void json_end_array(JsonWriter *w);
/* key is a member name of the program (printable ASCII, no '"' or '\\'),
 * never network bytes: it is written as it is. */
void json_key_len(JsonWriter *w, const char *key, gsize len);
/* Inline so that the length of a literal key is known when compiling. */
static inline void
json_key(JsonWriter *w, const char *key)
{
	json_key_len(w, key, strlen(key));
}
/* A string value that is one of the program's own names, like a key
 * (a finding code, a severity): written as it is, never network bytes. */
void json_name_len(JsonWriter *w, const char *name, gsize len);
static inline void
json_name(JsonWriter *w, const char *name)
{
	json_name_len(w, name, strlen(name));
}
void json_string(JsonWriter *w, const char *s);            /* NULL -> null */
void json_string_len(JsonWriter *w, const void *s, gsize len);
void json_int(JsonWriter *w, gint64 v);
void json_bool(JsonWriter *w, gboolean v);
void json_null(JsonWriter *w);

/* A TXT record as two members of the current object, one element per
 * string in wire order (known FALSE: the record is unknown, both null):
 *   "txt": each string as text: the escaping of FINDINGS.md with '"' kept
 *     (escape.h ESCAPE_TEXT), so a byte 0x80 reads "\x80" and the four
 *     characters \x80 read "\\x80" once the JSON is decoded;
 *   "txt_base64": each string's bytes in base64 (RFC 4648), exactly. */
void json_txt_members(JsonWriter *w, const AdBytes *txt, guint n, gboolean known);
