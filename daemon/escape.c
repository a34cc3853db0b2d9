/* escape.c - make untrusted bytes safe for a log line, a terminal or JSON
 * (the escaping rules of FINDINGS.md; see escape.h). */
#include "config.h"

#include <string.h>
#include "daemon/escape.h"

static const char hex_digits[] = "0123456789abcdef";

static void
append_hex_byte(GString *out, const char *prefix, guchar c)
{
	g_string_append(out, prefix);
	g_string_append_c(out, hex_digits[c >> 4]);
	g_string_append_c(out, hex_digits[c & 0xf]);
}

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

/* Does the byte pass through both escapers unchanged? */
static inline gboolean
is_plain(guchar c)
{
	return c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
}

void
escape_append(GString *out, const void *data, gsize len)
{
	const guchar *p = data;
	const guchar *end = p + len;

	if (data == NULL)
		return;
	while (p < end) {
		const guchar *run = p;
		gsize n;

		while (p < end && is_plain(*p))
			p++;
		if (p > run)
			g_string_append_len(out, (const gchar *)run, p - run);
		if (p >= end)
			break;
		if (*p == '\\') {
			g_string_append(out, "\\\\");
			p++;
		} else if (*p == '"') {
			g_string_append(out, "\\\"");
			p++;
		} else if (*p < 0x80) {
			/* 0x00-0x1F and 0x7F */
			append_hex_byte(out, "\\x", *p);
			p++;
		} else if ((n = utf8_char_len(p, end)) > 0) {
			g_string_append_len(out, (const gchar *)p, n);
			p += n;
		} else {
			append_hex_byte(out, "\\x", *p);
			p++;
		}
	}
}

void
escape_append_str(GString *out, const char *s)
{
	if (s != NULL)
		escape_append(out, s, strlen(s));
}

char *
escape_bytes(const void *data, gsize len)
{
	GString *out = g_string_sized_new(len + 8);

	escape_append(out, data, len);
	return g_string_free(out, FALSE);
}

void
json_escape_append(GString *out, const void *data, gsize len)
{
	const guchar *p = data;
	const guchar *end = p + len;

	if (data == NULL)
		return;
	while (p < end) {
		const guchar *run = p;
		gsize n;

		while (p < end && is_plain(*p))
			p++;
		if (p > run)
			g_string_append_len(out, (const gchar *)run, p - run);
		if (p >= end)
			break;
		switch (*p) {
		case '\\': g_string_append(out, "\\\\"); p++; continue;
		case '"':  g_string_append(out, "\\\""); p++; continue;
		case '\n': g_string_append(out, "\\n"); p++; continue;
		case '\r': g_string_append(out, "\\r"); p++; continue;
		case '\t': g_string_append(out, "\\t"); p++; continue;
		default: break;
		}
		if (*p < 0x80) {
			/* Other controls and DEL (legal raw in JSON, but
			 * dangerous on a terminal that shows the output). */
			append_hex_byte(out, "\\u00", *p);
			p++;
		} else if ((n = utf8_char_len(p, end)) > 0) {
			g_string_append_len(out, (const gchar *)p, n);
			p += n;
		} else {
			/* Not UTF-8: a literal backslash, 'x' and two hex
			 * digits in the decoded string. */
			append_hex_byte(out, "\\\\x", *p);
			p++;
		}
	}
}
