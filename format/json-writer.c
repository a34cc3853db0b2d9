/* json-writer.c - a small streaming JSON writer on a GString (see
 * json-writer.h).  Nesting deeper than the need_comma array is still
 * written correctly for the outermost levels; the writer never indexes past
 * the array (deeper levels share its last slot). */
#include "config.h"

#include <string.h>
#include "format/escape.h"
#include "format/strbuf.h"
#include "format/json-writer.h"

#define MAX_LEVEL (G_N_ELEMENTS(((JsonWriter *)NULL)->need_comma) - 1)

static inline guint
level(const JsonWriter *w)
{
	return w->depth < MAX_LEVEL ? w->depth : MAX_LEVEL;
}

static void
newline_indent(JsonWriter *w)
{
	g_string_append_c(w->out, '\n');
	for (guint i = 0; i < w->depth; i++)
		strbuf_append(w->out, "  ");
}

/* Called before every key and every value that is not a member's value:
 * the comma between siblings and, in pretty mode, the line break. */
static void
before_item(JsonWriter *w)
{
	guint l = level(w);

	if (w->need_comma[l])
		g_string_append_c(w->out, ',');
	w->need_comma[l] = TRUE;
	if (w->pretty && w->depth > 0)
		newline_indent(w);
}

/* Is the writer right after json_key()?  Then the value goes in place,
 * without a comma.  The header fixes the struct, so instead of a flag the
 * state is read from the buffer: only a key leaves a trailing ':' (or
 * ": "); every value ends in '"', a digit, a letter, ']' or '}'. */
static gboolean
after_key(const JsonWriter *w)
{
	return w->out->len > 0 && (w->out->str[w->out->len - 1] == ':' ||
	       (w->out->len > 1 && w->out->str[w->out->len - 1] == ' ' &&
	        w->out->str[w->out->len - 2] == ':'));
}

static void
before_value(JsonWriter *w)
{
	if (!after_key(w))
		before_item(w);
}

void
json_writer_init(JsonWriter *w, GString *out, gboolean pretty)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->pretty = pretty;
}

static void
json_begin(JsonWriter *w, char c)
{
	before_value(w);
	g_string_append_c(w->out, c);
	w->depth++;
	w->need_comma[level(w)] = FALSE;
}

static void
end(JsonWriter *w, char c)
{
	gboolean had_items = w->need_comma[level(w)];

	if (w->depth > 0)
		w->depth--;
	if (w->pretty && had_items)
		newline_indent(w);
	g_string_append_c(w->out, c);
}

void json_begin_object(JsonWriter *w) { json_begin(w, '{'); }
void json_end_object(JsonWriter *w) { end(w, '}'); }
void json_begin_array(JsonWriter *w) { json_begin(w, '['); }
void json_end_array(JsonWriter *w) { end(w, ']'); }

/* Keys are the program's own member names (json-writer.h): no escaping,
 * which was a third of the writer's time in `check --batch`. */
void
json_key(JsonWriter *w, const char *key)
{
	before_item(w);
	strbuf_append_len(w->out, "\"", 1);
	strbuf_append(w->out, key);
	strbuf_append(w->out, w->pretty ? "\": " : "\":");
}

void
json_string(JsonWriter *w, const char *s)
{
	if (s == NULL)
		json_null(w);
	else
		json_string_len(w, s, strlen(s));
}

void
json_string_len(JsonWriter *w, const void *s, gsize len)
{
	if (s == NULL) {
		json_null(w);
		return;
	}
	before_value(w);
	g_string_append_c(w->out, '"');
	json_escape_append(w->out, s, len);
	g_string_append_c(w->out, '"');
}

void
json_int(JsonWriter *w, gint64 v)
{
	before_value(w);
	if (v < 0)
		g_string_append_c(w->out, '-');
	strbuf_append_uint(w->out, v < 0 ? -(guint64)v : (guint64)v);
}

void
json_bool(JsonWriter *w, gboolean v)
{
	before_value(w);
	strbuf_append(w->out, v ? "true" : "false");
}

void
json_null(JsonWriter *w)
{
	before_value(w);
	strbuf_append(w->out, "null");
}

void
json_txt_members(JsonWriter *w, const AdBytes *txt, guint n, gboolean known)
{
	g_autoptr(GString) text = NULL;

	json_key(w, "txt");
	if (!known) {
		json_null(w);
		json_key(w, "txt_base64");
		json_null(w);
		return;
	}
	text = g_string_new(NULL);
	json_begin_array(w);
	for (guint i = 0; i < n; i++) {
		g_string_truncate(text, 0);
		escape_append_mode(text, txt[i].data, txt[i].len, ESCAPE_TEXT);
		json_string_len(w, text->str, text->len);
	}
	json_end_array(w);
	json_key(w, "txt_base64");
	json_begin_array(w);
	for (guint i = 0; i < n; i++) {
		g_autofree char *b64 = g_base64_encode(txt[i].data, txt[i].len);

		json_string(w, b64);
	}
	json_end_array(w);
}
