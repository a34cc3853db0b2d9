/* fields.c - split a fuzzer's input bytes into fields (fields.h). */
#include "config.h"

#include "tests/fuzz/fields.h"

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
