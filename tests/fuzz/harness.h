/* harness.h - helpers shared by the fuzz targets.
 *
 * FuzzInput splits a fuzzer's input bytes into fields: a field is a length
 * byte followed by that many bytes (fewer if the input ends first), so
 * 0-255 byte fields, like DNS labels and TXT strings, map directly onto
 * the input and a seed is easy to write by hand.  Once the input is used
 * up every take returns an empty field / zero.
 *
 * The checks abort (with the offending text on stderr) when a property
 * that every output must have is violated, so libFuzzer records the input.
 */
#pragma once

#include <glib.h>
#include "registry/registry.h"

typedef struct {
	const guint8 *p;
	gsize left;
} FuzzInput;

void fuzz_input_init(FuzzInput *in, const guint8 *data, gsize size);
/* One byte, 0 when the input is used up. */
guint8 fuzz_input_byte(FuzzInput *in);
/* One length-prefixed field; *len gets its length.  Points into the
 * input (not NUL-terminated). */
const guint8 *fuzz_input_field(FuzzInput *in, gsize *len);
/* The same field as a newly allocated NUL-terminated string (cut at an
 * embedded NUL, as a C string would be). */
char *fuzz_input_string(FuzzInput *in);
/* Everything not used yet. */
const guint8 *fuzz_input_rest(FuzzInput *in, gsize *len);

/* Print "what: text" (text shown C-escaped) and abort. */
void fuzz_fail(const char *what, const char *text) G_GNUC_NORETURN;
/* Text meant for a log line or a terminal: valid UTF-8, no byte 0x00-0x1F
 * or 0x7F, no C1 (U+0080-U+009F) or bidi embedding, override or isolate
 * character (U+202A-U+202E, U+2066-U+2069). */
void fuzz_check_safe(const char *s, gsize len, const char *what);
/* An error message: one non-empty line of valid UTF-8. */
void fuzz_check_error_line(const char *msg, const char *what);

/* Are the checks for known, reported, unfixed bugs on?  Only when
 * $FUZZ_KNOWN_BUGS is set (replay.test sets it for regressions/<t>/known-*
 * inputs); otherwise fuzzing would stop at the same known bug every run. */
gboolean fuzz_known_bugs(void);

/* The real registry from $DNSSD_AUDIT_REGISTRY (else
 * $DNSSD_AUDIT_SHARED/iana/service-names-port-numbers.xml), loaded on the
 * first call (harness-registry.c); NULL if neither is set.  Aborts if it is set
 * but does not load: fuzzing with a silently missing registry would test
 * less than it claims. */
const Registry *fuzz_registry(void);
