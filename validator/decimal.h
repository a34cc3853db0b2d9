/* decimal.h - an unsigned integer in decimal, without printf.
 *
 * printf was the largest cost of a finding's message and a tenth of the
 * batch mode's time; both hot paths format numbers through this. */
#pragma once

#include <glib.h>

#define DECIMAL_MAX 20   /* digits of G_MAXUINT64 */

/* Write v into buf (DECIMAL_MAX bytes, not NUL-terminated) right-aligned;
 * returns the first digit, which runs to buf + DECIMAL_MAX. */
static inline const char *
decimal_format(char buf[DECIMAL_MAX], guint64 v)
{
	char *d = buf + DECIMAL_MAX;

	do {
		*--d = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return d;
}
