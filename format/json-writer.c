/* json-writer.c - a small streaming JSON writer on a GString (see
 * json-writer.h).  Nesting deeper than the has_items bits is still
 * written correctly for the outermost levels (deeper levels share the
 * last bit).  Each key or value is written as one piece: room reserved
 * once, the comma, quotes and bytes put in place, then committed (check
 * --batch writes a dozen pieces per advertisement, a million times a
 * second, and separate appends cost more than the bytes). */
#include "config.h"

#include <string.h>
#include "format/escape.h"
#include "format/strbuf.h"
#include "format/json-writer.h"

#define MAX_LEVEL 63

/* The bit of the current level in has_items. */
static inline guint64
level_bit(const JsonWriter *w)
{
	return G_GUINT64_CONSTANT(1) << (w->depth < MAX_LEVEL ? w->depth : MAX_LEVEL);
}

static void
newline_indent(JsonWriter *w)
{
	g_string_append_c(w->out, '\n');
	for (guint i = 0; i < w->depth; i++)
		strbuf_append(w->out, "  ");
}

/* The comma before a key or a value that is not a member's value, if the
 * container already has an item. */
static inline char *
put_comma(JsonWriter *w, char *p)
{
	guint64 bit = level_bit(w);

	if (w->has_items & bit)
		*p++ = ',';
	w->has_items |= bit;
	return p;
}

/* begin_value() in pretty mode inside a container: the comma and line
 * break are appended first, then the room is reserved after them. */
static char *
begin_pretty(JsonWriter *w, gsize n)
{
	strbuf_commit(w->out, put_comma(w, strbuf_reserve(w->out, 1)));
	newline_indent(w);
	return strbuf_reserve(w->out, n);
}

/* Room for a key or value of at most n bytes, after its comma (none for
 * a member's value); returns where its bytes go, for strbuf_commit().
 * Inline: it runs before every piece the writer writes. */
static inline char *
begin_value(JsonWriter *w, gsize n)
{
	char *p;

	if (w->after_key) {
		w->after_key = FALSE;
		return strbuf_reserve(w->out, n);
	}
	if (G_UNLIKELY(w->pretty) && w->depth > 0)
		return begin_pretty(w, n);
	p = strbuf_reserve(w->out, n + 1);
	return put_comma(w, p);
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
	char *p = begin_value(w, 1);

	*p++ = c;
	strbuf_commit(w->out, p);
	w->depth++;
	w->has_items &= ~level_bit(w);
}

static void
end(JsonWriter *w, char c)
{
	gboolean had_items = (w->has_items & level_bit(w)) != 0;

	if (w->depth > 0)
		w->depth--;
	if (w->pretty && had_items)
		newline_indent(w);
	strbuf_append_len(w->out, &c, 1);
}

void json_begin_object(JsonWriter *w) { json_begin(w, '{'); }
void json_end_object(JsonWriter *w) { end(w, '}'); }
void json_begin_array(JsonWriter *w) { json_begin(w, '['); }
void json_end_array(JsonWriter *w) { end(w, ']'); }

/* Keys are the program's own member names (json-writer.h): no escaping,
 * which was a third of the writer's time in `check --batch`. */
void
json_key_len(JsonWriter *w, const char *key, gsize len)
{
	char *p = begin_value(w, len + 4);

	*p++ = '"';
	memcpy(p, key, len);
	p += len;
	*p++ = '"';
	*p++ = ':';
	if (w->pretty)
		*p++ = ' ';
	strbuf_commit(w->out, p);
	w->after_key = TRUE;
}

/* Names, like keys, need no escaping: a finding's code and severity
 * were a fifth of check --batch's writing, through the escaper. */
void
json_name_len(JsonWriter *w, const char *name, gsize len)
{
	char *p = begin_value(w, len + 2);

	*p++ = '"';
	memcpy(p, name, len);
	p += len;
	*p++ = '"';
	strbuf_commit(w->out, p);
}

void
json_string(JsonWriter *w, const char *s)
{
	if (s == NULL)
		json_null(w);
	else
		json_string_len(w, s, strlen(s));
}

/* The quotes and the escaped bytes in one piece of the buffer. */
void
json_string_len(JsonWriter *w, const void *s, gsize len)
{
	char *p;

	if (s == NULL) {
		json_null(w);
		return;
	}
	p = begin_value(w, ESCAPE_ROOM(len) + 2);
	*p++ = '"';
	p = escape_write_mode(p, s, len, ESCAPE_JSON);
	*p++ = '"';
	strbuf_commit(w->out, p);
}

void
json_int(JsonWriter *w, gint64 v)
{
	char buf[DECIMAL_MAX];
	const char *d = decimal_format(buf, v < 0 ? -(guint64)v : (guint64)v);
	gsize n = (gsize)(buf + DECIMAL_MAX - d);
	char *p = begin_value(w, n + 1);

	if (v < 0)
		*p++ = '-';
	memcpy(p, d, n);
	strbuf_commit(w->out, p + n);
}

static void
put_literal(JsonWriter *w, const char *lit, gsize n)
{
	char *p = begin_value(w, n);

	memcpy(p, lit, n);
	strbuf_commit(w->out, p + n);
}

void
json_bool(JsonWriter *w, gboolean v)
{
	if (v)
		put_literal(w, "true", 4);
	else
		put_literal(w, "false", 5);
}

void
json_null(JsonWriter *w)
{
	put_literal(w, "null", 4);
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
