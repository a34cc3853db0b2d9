/* escape.c - make untrusted bytes safe for a log line, a terminal or JSON
 * (the escaping rules of FINDINGS.md; see escape.h). */
#include "config.h"

#include <string.h>
#include "validator/bytescan.h"
#include "format/escape.h"
#include "format/strbuf.h"

static const char hex_digits[] = "0123456789abcdef";

/* Length of the valid UTF-8 character (>= 2 bytes) starting at p, or 0 if
 * the bytes at p are not one.  Validation is GLib's (rejects overlong
 * forms, surrogates and code points above U+10FFFF). */
static gsize
utf8_char_len(const guchar *p, const guchar *end)
{
	gsize avail = (gsize)(end - p);
	gsize need = (gsize)g_utf8_skip[*p];
	const gchar *valid_end;

	if (need < 2 || need > 4 || need > avail)
		return 0;
	g_utf8_validate_len((const gchar *)p, need, &valid_end);
	return (const guchar *)valid_end == p + need ? need : 0;
}

/* 1 for the bytes that pass through every mode unchanged: printable
 * ASCII except '"' and '\\'. */
static const guint8 plain_table[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Copy the run of plain bytes at *p (to at most end) to w; returns the
 * new w, *p past the run.  Sixteen bytes are tested and stored at a time
 * (bytescan.h): the escaper's time goes into runs of plain text (names,
 * messages).  A store may reach 16 bytes past the run, within the worst
 * case ESCAPE_ROOM() reserves. */
static inline char *
copy_plain(char *w, const guchar **p, const guchar *end)
{
	const guchar *q = *p;

#ifdef BYTESCAN_VECTORS
	while (end - q >= 16) {
		ByteScanV16 x = bytescan_load(q);
		gsize n;

		memcpy(w, &x, 16);
		n = bytescan_first((x < 0x20) | (x >= 0x7f) | (x == '"') | (x == '\\'));
		if (n < 16) {
			*p = q + n;
			return w + n;
		}
		q += 16;
		w += 16;
	}
#endif
	while (q < end && plain_table[*q])
		*w++ = (char)*q++;
	*p = q;
	return w;
}

static inline char *
put_hex_byte(char *w, const char *prefix, guchar c)
{
	while (*prefix != '\0')
		*w++ = *prefix++;
	*w++ = hex_digits[c >> 4];
	*w++ = hex_digits[c & 0xf];
	return w;
}

/* JSON form of a control byte or DEL (DEL is legal raw in JSON, but
 * dangerous on a terminal that shows the output). */
static inline char *
put_json_control(char *w, guchar c)
{
	switch (c) {
	case '\n': *w++ = '\\'; *w++ = 'n'; return w;
	case '\r': *w++ = '\\'; *w++ = 'r'; return w;
	case '\t': *w++ = '\\'; *w++ = 't'; return w;
	default:    return put_hex_byte(w, "\\u00", c);
	}
}

/* The code point of the n-byte UTF-8 character at p (valid, n >= 2) if it
 * is a C1 control or a bidi embedding/override/isolate character, else 0.
 * Only two encodings can be one: C2 80..9F and E2 80 AA..AE / E2 81
 * A6..A9. */
static inline gunichar
unsafe_char(const guchar *p, gsize n)
{
	if (n == 2 && p[0] == 0xc2 && p[1] <= 0x9f)
		return p[1];
	if (n == 3 && p[0] == 0xe2) {
		gunichar u = 0x2000 | ((gunichar)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);

		if ((u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069))
			return u;
	}
	return 0;
}

/* "\uXXXX": the same text in every mode (a JSON escape, too). */
static inline char *
put_unichar(char *w, gunichar u)
{
	*w++ = '\\';
	*w++ = 'u';
	*w++ = hex_digits[(u >> 12) & 0xf];
	*w++ = hex_digits[(u >> 8) & 0xf];
	*w++ = hex_digits[(u >> 4) & 0xf];
	*w++ = hex_digits[u & 0xf];
	return w;
}

/* The modes differ only in how '\\', '"', a control byte and a byte that
 * is not UTF-8 are written (escape.h). */
char *
escape_write_mode(char *w, const void *data, gsize len, EscapeMode mode)
{
	const guchar *p = data;
	const guchar *end = p + len;
	const gboolean json = mode == ESCAPE_JSON;
	gsize n;
	gunichar u;

	if (data == NULL)
		return w;
	for (;;) {
		guchar c;

		w = copy_plain(w, &p, end);
		if (p >= end)
			break;
		c = *p;
		if (c == '\\' || c == '"') {
			if (mode == ESCAPE_QUOTED || json ||
			    (mode == ESCAPE_TEXT && c == '\\'))
				*w++ = '\\';
			*w++ = (char)c;
			p++;
		} else if (c < 0x80) {
			/* 0x00-0x1F and 0x7F */
			w = json ? put_json_control(w, c) : put_hex_byte(w, "\\x", c);
			p++;
		} else if ((n = utf8_char_len(p, end)) > 0) {
			if ((u = unsafe_char(p, n)) != 0) {
				w = put_unichar(w, u);
			} else {
				memcpy(w, p, n);
				w += n;
			}
			p += n;
		} else {
			w = put_hex_byte(w, json ? "\\\\x" : "\\x", c);
			p++;
		}
	}
	return w;
}

/* Straight into out's buffer, grown once for the worst case: per-run
 * g_string_append_len() calls cost more than the escaping itself. */
void
escape_append_mode(GString *out, const void *data, gsize len, EscapeMode mode)
{
	char *w;

	if (data == NULL || len == 0)
		return;
	w = strbuf_reserve(out, ESCAPE_ROOM(len));
	strbuf_commit(out, escape_write_mode(w, data, len, mode));
}

void
escape_append(GString *out, const void *data, gsize len)
{
	escape_append_mode(out, data, len, ESCAPE_QUOTED);
}

void
escape_append_str(GString *out, const char *s)
{
	if (s != NULL)
		escape_append(out, s, strlen(s));
}

/* Exactly as long as it needs: the service table keeps six of these per
 * advertisement, and the worst-case room is six times the input. */
char *
escape_bytes(const void *data, gsize len)
{
	char *out = g_malloc(ESCAPE_ROOM(len) + 1);
	char *end = len > 0 ? escape_write_mode(out, data, len, ESCAPE_QUOTED) : out;

	*end = '\0';
	return g_realloc(out, (gsize)(end - out) + 1);
}

char *
escape_str(const char *s)
{
	return s != NULL ? escape_bytes(s, strlen(s)) : NULL;
}

void
json_escape_append(GString *out, const void *data, gsize len)
{
	escape_append_mode(out, data, len, ESCAPE_JSON);
}

gboolean
escape_parse(GString *out, const char *esc, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		guint32 v = 0;
		gsize digits;

		if (esc[i] != '\\') {
			g_string_append_c(out, esc[i]);
			continue;
		}
		if (++i == len)
			return FALSE;
		switch (esc[i]) {
		case '\\':
		case '"':
			g_string_append_c(out, esc[i]);
			continue;
		case 'x':
			digits = 2;
			break;
		case 'u':
			digits = 4;
			break;
		default:
			return FALSE;
		}
		if (len - i - 1 < digits)
			return FALSE;
		for (gsize d = 1; d <= digits; d++) {
			int h = g_ascii_xdigit_value(esc[i + d]);

			if (h < 0)
				return FALSE;
			v = v * 16 + (guint32) h;
		}
		i += digits;
		if (digits == 2)
			g_string_append_c(out, (char) v);
		else
			g_string_append_unichar(out, (gunichar) v);
	}
	return TRUE;
}
