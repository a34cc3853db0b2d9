/* bytescan.h - find the first byte of a class in a run of bytes, 16 bytes
 * at a time.
 *
 * The batch mode spends much of its time walking strings for the few
 * bytes that matter (a quote, a backslash, a control byte): the reader
 * for the end of a JSON string, the escaper for a byte to escape, the
 * validator for a byte an instance name must not hold.  Here, beside
 * decimal.h, as the lowest layer that needs it.  A byte
 * loop costs 4-5 instructions a byte; a GCC/Clang generic vector (SSE2 on
 * x86-64, NEON on ARM, from one source) tests 16 bytes in about as many.
 * Other compilers and byte orders get no BYTESCAN_VECTORS and keep their
 * byte loops. */
#pragma once

#include <string.h>
#include <glib.h>

#if defined(__GNUC__) && G_BYTE_ORDER == G_LITTLE_ENDIAN
#define BYTESCAN_VECTORS 1

typedef unsigned char ByteScanV16 __attribute__((vector_size(16)));

static inline ByteScanV16
bytescan_load(const void *p)
{
	ByteScanV16 x;

	memcpy(&x, p, 16);
	return x;
}

/* The index of the first nonzero byte of m (a comparison's result), or
 * 16 if there is none. */
static inline gsize
bytescan_first(ByteScanV16 m)
{
	guint64 lo, hi;

	memcpy(&lo, &m, 8);
	memcpy(&hi, (const char *)&m + 8, 8);
	if (lo != 0)
		return (gsize)__builtin_ctzll(lo) / 8;
	if (hi != 0)
		return 8 + (gsize)__builtin_ctzll(hi) / 8;
	return 16;
}
#endif
