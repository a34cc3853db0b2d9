/* json-writer.h - a small streaming JSON writer on a GString.
 *
 * Commas between members/elements are inserted automatically.  Strings are
 * escaped with json_escape_append(), so network bytes are safe.
 */
#pragma once

#include <glib.h>

typedef struct {
	GString *out;
	guint depth;
	gboolean need_comma[64];
	gboolean pretty;            /* newlines + indentation */
} JsonWriter;

void json_writer_init(JsonWriter *w, GString *out, gboolean pretty);
void json_begin_object(JsonWriter *w);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w);
void json_end_array(JsonWriter *w);
void json_key(JsonWriter *w, const char *key);
void json_string(JsonWriter *w, const char *s);            /* NULL -> null */
void json_string_len(JsonWriter *w, const void *s, gsize len);
void json_int(JsonWriter *w, gint64 v);
void json_bool(JsonWriter *w, gboolean v);
void json_null(JsonWriter *w);
/* A value rendered already (by a compact writer of its own): inserted as
 * it is, with the comma before it as needed. */
void json_raw(JsonWriter *w, const char *json, gsize len);
