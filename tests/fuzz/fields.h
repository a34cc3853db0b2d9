/* fields.h - split a fuzzer's input bytes into fields.
 *
 * A field is a length byte followed by that many bytes (fewer if the input
 * ends first), so 0-255 byte fields, like DNS labels and TXT strings, map
 * directly onto the input and a seed is easy to write by hand.  Once the
 * input is used up every take returns an empty field / zero.
 */
#pragma once

#include <glib.h>

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
