/* fuzz-logline.c - escape_bytes(), json_escape_append() and
 * logline_format() on arbitrary bytes.
 *
 * Properties checked (FINDINGS.md "One finding, one log line"): the output
 * is valid UTF-8 and holds no byte 0x00-0x1F or 0x7F, no C1 and no bidi
 * control character (harness.h); escape_bytes() can be
 * undone exactly; a log line splits back into its key=value fields and each
 * field decodes to the bytes that went in, so network bytes can neither
 * forge a field nor end a line.  Any violation aborts.
 *
 * Input: code byte, severity byte, port (2 bytes), then length-prefixed
 * fields (harness.h): type, instance, interface, protocol, host,
 * message; a presence byte decides which optional fields are set.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format/escape.h"
#include "format/logline.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Undo escape_append() on s[0..len): "\\\\", "\\\"", "\\xNN" and "\\uXXXX"
 * (C1 and bidi characters only).  Any other backslash sequence is a bug. */
static GByteArray *
unescape(const char *s, gsize len)
{
	GByteArray *out = g_byte_array_new();

	for (gsize i = 0; i < len; i++) {
		guint8 b = (guint8)s[i];

		if (s[i] == '\\') {
			if (i + 1 < len && (s[i + 1] == '\\' || s[i + 1] == '"')) {
				b = (guint8)s[++i];
			} else if (i + 3 < len && s[i + 1] == 'x' &&
			           hex_value(s[i + 2]) >= 0 &&
			           hex_value(s[i + 3]) >= 0) {
				b = (guint8)(hex_value(s[i + 2]) * 16 +
				             hex_value(s[i + 3]));
				i += 3;
			} else if (i + 5 < len && s[i + 1] == 'u') {
				char utf8[6];
				gunichar u = 0;

				for (int k = 2; k <= 5; k++) {
					if (hex_value(s[i + k]) < 0)
						fuzz_fail("bad \\u escape", s);
					u = u * 16 + (gunichar)hex_value(s[i + k]);
				}
				if (!((u >= 0x80 && u <= 0x9f) || (u >= 0x202a && u <= 0x202e) ||
				      (u >= 0x2066 && u <= 0x2069)))
					fuzz_fail("\\u escape of a safe character", s);
				g_byte_array_append(out, (const guint8 *)utf8,
				                    (guint)g_unichar_to_utf8(u, utf8));
				i += 5;
				continue;
			} else {
				fuzz_fail("stray backslash in escaped text", s);
			}
		}
		g_byte_array_append(out, &b, 1);
	}
	return out;
}

static void
check_roundtrip(const char *escaped, gsize escaped_len, const guint8 *orig,
                gsize orig_len, const char *what)
{
	g_autoptr(GByteArray) back = unescape(escaped, escaped_len);

	if (back->len != orig_len || memcmp(back->data, orig, orig_len) != 0)
		fuzz_fail(what, escaped);
}

/* JSON string contents: only the escapes JSON knows, no raw '"'. */
static void
check_json(const char *s, gsize len)
{
	fuzz_check_safe(s, len, "json_escape_append");
	for (gsize i = 0; i < len; i++) {
		if (s[i] == '"')
			fuzz_fail("raw quote in JSON string", s);
		if (s[i] != '\\')
			continue;
		if (++i >= len)
			fuzz_fail("JSON string ends in a backslash", s);
		if (s[i] == 'u') {
			if (i + 4 >= len)
				fuzz_fail("short \\u escape", s);
			for (int k = 1; k <= 4; k++)
				if (!g_ascii_isxdigit(s[i + k]))
					fuzz_fail("bad \\u escape", s);
			i += 4;
		} else if (s[i] == '\0' || strchr("\\\"/bfnrt", s[i]) == NULL) {
			fuzz_fail("unknown JSON escape", s);
		}
	}
}

/* One expected field of a log line. */
typedef struct {
	const char *key;
	const guint8 *value;
	gsize len;
} Field;

/* Split line (after "<code> severity=<sev>") into key=value pairs and
 * compare them, in order, with want[]. */
static void
check_fields(const char *line, const Field *want, guint n_want)
{
	const char *p = strstr(line, " severity=");
	guint n = 0;

	if (p == NULL)
		fuzz_fail("no severity field", line);
	p = strchr(p + 1, ' ');
	while (p != NULL && *p == ' ') {
		const char *key = ++p;
		const char *eq = strchr(key, '=');
		const char *v;
		const char *v_end;

		if (eq == NULL)
			fuzz_fail("field without '='", line);
		v = eq + 1;
		if (*v == '"') {
			v_end = ++v;
			while (*v_end != '\0' && *v_end != '"') {
				if (*v_end == '\\' && v_end[1] != '\0')
					v_end++;
				v_end++;
			}
			if (*v_end != '"')
				fuzz_fail("unterminated quoted value", line);
			p = v_end + 1;
		} else {
			v_end = v;
			while (*v_end != '\0' && *v_end != ' ')
				v_end++;
			p = v_end;
		}
		if (n >= n_want)
			fuzz_fail("more fields than went in", line);
		if ((gsize)(eq - key) != strlen(want[n].key) ||
		    memcmp(key, want[n].key, eq - key) != 0)
			fuzz_fail("unexpected key", line);
		check_roundtrip(v, v_end - v, want[n].value, want[n].len, line);
		n++;
		if (*p != '\0' && *p != ' ')
			fuzz_fail("garbage after a quoted value", line);
	}
	if (n != n_want)
		fuzz_fail("fields missing", line);
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	FuzzInput in;
	Finding f;
	LogLineContext ctx = { 0 };
	Field want[8];
	guint n_want = 0;
	guint8 present;
	gsize len;
	const guint8 *bytes;
	g_autofree char *type = NULL, *interface = NULL, *protocol = NULL;
	g_autofree char *host = NULL, *message = NULL;
	g_autofree char *escaped = NULL;
	g_autofree char *line = NULL;
	g_autoptr(GString) json = g_string_new(NULL);

	/* The whole input through both escapers. */
	escaped = escape_bytes(data, size);
	fuzz_check_safe(escaped, strlen(escaped), "escape_bytes");
	check_roundtrip(escaped, strlen(escaped), data, size, "escape_bytes");
	json_escape_append(json, data, size);
	check_json(json->str, json->len);

	fuzz_input_init(&in, data, size);
	f.code = fuzz_input_byte(&in) % FINDING_N_CODES;
	f.severity = fuzz_input_byte(&in) % 4;
	ctx.port = fuzz_input_byte(&in) << 8;
	ctx.port |= fuzz_input_byte(&in);
	present = fuzz_input_byte(&in);
	type = fuzz_input_string(&in);
	bytes = fuzz_input_field(&in, &len);
	interface = fuzz_input_string(&in);
	protocol = fuzz_input_string(&in);
	host = fuzz_input_string(&in);
	message = fuzz_input_string(&in);
	f.message = message;

	if (present & 1) {
		ctx.type = type;
		want[n_want++] = (Field){ "type", (const guint8 *)type, strlen(type) };
	}
	if (present & 2) {
		ctx.instance.data = bytes;
		ctx.instance.len = len;
		want[n_want++] = (Field){ "instance", bytes, len };
	}
	if (present & 4) {
		ctx.interface = interface;
		want[n_want++] = (Field){ "interface", (const guint8 *)interface,
		                          strlen(interface) };
	}
	if (present & 8) {
		ctx.protocol = protocol;
		want[n_want++] = (Field){ "protocol", (const guint8 *)protocol,
		                          strlen(protocol) };
	}
	if (present & 16) {
		ctx.host = host;
		want[n_want++] = (Field){ "host", (const guint8 *)host, strlen(host) };
	}
	g_autofree char *port_text = g_strdup_printf("%d", ctx.port);
	if (present & 32)
		want[n_want++] = (Field){ "port", (const guint8 *)port_text,
		                          strlen(port_text) };
	else
		ctx.port = -1;
	want[n_want++] = (Field){ "message", (const guint8 *)message,
	                          strlen(message) };

	line = logline_format(&f, (present & 64) ? NULL : &ctx);
	fuzz_check_safe(line, strlen(line), "logline_format");
	if (!g_str_has_prefix(line, finding_code_name(f.code)))
		fuzz_fail("line does not start with the code", line);
	if (present & 64) {
		/* No context: only the message. */
		want[0] = want[n_want - 1];
		n_want = 1;
	}
	check_fields(line, want, n_want);
	return 0;
}
