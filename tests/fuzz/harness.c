/* harness.c - helpers shared by the fuzz targets (harness.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/harness.h"

void
fuzz_input_init(FuzzInput *in, const guint8 *data, gsize size)
{
	in->p = data;
	in->left = size;
}

guint8
fuzz_input_byte(FuzzInput *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

const guint8 *
fuzz_input_field(FuzzInput *in, gsize *len)
{
	gsize n = fuzz_input_byte(in);
	const guint8 *start = in->p;

	if (n > in->left)
		n = in->left;
	in->p += n;
	in->left -= n;
	*len = n;
	return start;
}

char *
fuzz_input_string(FuzzInput *in)
{
	gsize len;
	const guint8 *s = fuzz_input_field(in, &len);

	return g_strndup((const char *)s, len);
}

const guint8 *
fuzz_input_rest(FuzzInput *in, gsize *len)
{
	const guint8 *start = in->p;

	*len = in->left;
	in->p += in->left;
	in->left = 0;
	return start;
}

void
fuzz_fail(const char *what, const char *text)
{
	g_autofree char *shown = g_strescape(text != NULL ? text : "(null)", NULL);

	fprintf(stderr, "fuzz check failed: %s: \"%s\"\n", what, shown);
	abort();
}

void
fuzz_check_safe(const char *s, gsize len, const char *what)
{
	if (!g_utf8_validate_len(s, len, NULL))
		fuzz_fail(what, s);
	for (const char *p = s; p < s + len; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);

		/* FINDINGS.md: C0, DEL, C1, bidi embedding/override/isolate. */
		if (u < 0x20 || (u >= 0x7f && u <= 0x9f) ||
		    (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069))
			fuzz_fail(what, s);
	}
}

void
fuzz_check_error_line(const char *msg, const char *what)
{
	if (msg == NULL || *msg == '\0')
		fuzz_fail(what, "empty error message");
	fuzz_check_safe(msg, strlen(msg), what);
}

gboolean
fuzz_known_bugs(void)
{
	static int on = -1;

	if (on < 0)
		on = g_getenv("FUZZ_KNOWN_BUGS") != NULL;
	return on;
}
