/* escape.h - make untrusted bytes safe for a log line, a terminal or JSON:
 * the only escaper of both programs.
 *
 * FINDINGS.md: '\' -> "\\", '"' -> "\"", bytes 0x00-0x1F, 0x7F and bytes
 * that are not part of valid UTF-8 -> "\xNN"; C1 controls U+0080-U+009F
 * and the bidi embedding, override and isolate characters U+202A-U+202E,
 * U+2066-U+2069 -> "\uXXXX" (four lowercase hex digits).  Every other
 * valid UTF-8 sequence passes through unchanged (U+00A0, U+2028, U+200F
 * too: the contract names only those two ranges).
 *
 * The output of every mode is valid UTF-8 and holds none of the bytes or
 * characters above raw.
 */
#pragma once

#include <glib.h>

typedef enum {
	/* Log lines, D-Bus strings, the scan and registry tables: the
	 * escaping of FINDINGS.md, reversible (escape_append()). */
	ESCAPE_QUOTED,
	/* Text for a human (a terminal; the "txt" arrays of the JSON
	 * outputs): the same, but '"' stays as it is (harmless there, and
	 * "\"" is hard to read).  Still reversible: '"' starts no escape. */
	ESCAPE_TEXT,
	/* Text that is already escaped or is our own (a status line, a
	 * library's message): only what could break the line or the
	 * terminal is escaped; '\' and '"' stay. */
	ESCAPE_CONTROLS,
	/* The contents of a JSON string: JSON escapes for '"', '\', control
	 * characters, C1 and bidi characters ("\n", "\u001b", "\u202e": the
	 * decoded string keeps the character); bytes that are not valid UTF-8
	 * become the six characters "\\xNN" (a literal backslash once
	 * decoded), so the output is always valid JSON. */
	ESCAPE_JSON,
} EscapeMode;

/* Append the escaped form of data[0..len) to out. */
void escape_append_mode(GString *out, const void *data, gsize len, EscapeMode mode);

/* The room escape_write_mode() needs for len input bytes: 6 bytes per
 * byte at worst ("\u00XX" in JSON, or "\\xNN" for invalid UTF-8; "\xNN"
 * is 4, "\uXXXX" for a C1 or bidi character 3 per byte).  It may write
 * anywhere in that room (plain bytes go 16 at a time). */
#define ESCAPE_ROOM(len) ((len) * 6)

/* The same into w, which has room for ESCAPE_ROOM(len) bytes (no NUL is
 * written); returns the end of what was written.  For a writer that
 * reserves its room once (json-writer.c). */
char *escape_write_mode(char *w, const void *data, gsize len, EscapeMode mode);

/* The ESCAPE_QUOTED shorthands. */
void escape_append(GString *out, const void *data, gsize len);
/* A NUL-terminated string (NULL appends nothing). */
void escape_append_str(GString *out, const char *s);
/* Newly allocated escaped copies (escape_str(NULL) is NULL). */
char *escape_bytes(const void *data, gsize len);
char *escape_str(const char *s);

/* The inverse of ESCAPE_QUOTED (and ESCAPE_TEXT): append to out the bytes
 * whose escaped form is esc[0..len) ("\\", "\"", "\xNN", "\uXXXX";
 * any other byte stands for itself).  FALSE, with out holding what was
 * decoded so far, at a malformed escape.  What the D-Bus API hands out
 * (escaped) becomes the network bytes again. */
gboolean escape_parse(GString *out, const char *esc, gsize len);

/* escape_append_mode(out, data, len, ESCAPE_JSON). */
void json_escape_append(GString *out, const void *data, gsize len);
