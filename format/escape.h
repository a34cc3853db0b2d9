/* escape.h - make untrusted bytes safe for a log line, a terminal or JSON.
 *
 * FINDINGS.md: '\' -> "\\", '"' -> "\"", bytes 0x00-0x1F, 0x7F and bytes
 * that are not part of valid UTF-8 -> "\xNN".  Valid UTF-8 sequences other
 * than those pass through unchanged.
 */
#pragma once

#include <glib.h>

/* Append the escaped form of data[0..len) to out. */
void escape_append(GString *out, const void *data, gsize len);
/* Same for a NUL-terminated string (NULL appends nothing). */
void escape_append_str(GString *out, const char *s);
/* Newly allocated escaped copy. */
char *escape_bytes(const void *data, gsize len);

/* Append data as the contents of a JSON string (without the quotes):
 * JSON escapes for '"', '\\' and control characters (\uXXXX); bytes that
 * are not valid UTF-8 become the six characters "\\xNN" (a literal
 * backslash in the decoded string), so the output is always valid JSON. */
void json_escape_append(GString *out, const void *data, gsize len);
