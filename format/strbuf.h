/* strbuf.h - appending to a GString without a library call when it fits.
 *
 * GLib before 2.76 has no inline g_string_append_len(): every append goes
 * through g_string_insert_len(), which costs more than the escaping of a
 * short JSON string.  The batch mode appends a dozen short pieces per
 * advertisement, hundreds of thousands of times a second. */
#pragma once

#include <string.h>
#include <glib.h>
#include "validator/decimal.h"

static inline void
strbuf_append_len(GString *s, const void *data, gsize len)
{
	if (s->len + len < s->allocated_len) {
		memcpy(s->str + s->len, data, len);
		s->len += len;
		s->str[s->len] = '\0';
	} else {
		g_string_append_len(s, data, len);
	}
}

/* Room for n more bytes (and the NUL) behind s->len: returns where they
 * go; s->len is unchanged until strbuf_commit().  For writers that
 * assemble a piece in place instead of appending it in parts. */
static inline char *
strbuf_reserve(GString *s, gsize n)
{
	gsize old = s->len;

	if (old + n >= s->allocated_len) {
		g_string_set_size(s, old + n);
		s->len = old;
	}
	return s->str + old;
}

/* End the piece begun by strbuf_reserve() at end. */
static inline void
strbuf_commit(GString *s, char *end)
{
	s->len = (gsize)(end - s->str);
	*end = '\0';
}

static inline void
strbuf_append(GString *s, const char *str)
{
	strbuf_append_len(s, str, strlen(str));
}

static inline void
strbuf_append_uint(GString *s, guint64 v)
{
	char buf[DECIMAL_MAX];
	const char *d = decimal_format(buf, v);

	strbuf_append_len(s, d, (gsize)(buf + DECIMAL_MAX - d));
}
