/* fuzz-validator.c - validator_check() on arbitrary advertisements, with
 * the real registry when $DNSSD_AUDIT_REGISTRY is set (loaded once).
 *
 * Input (harness.h fields): flags byte, port (2 bytes), type, instance,
 * host, a subtype count (0-7) and the subtypes, then TXT strings (each a
 * length byte + bytes, like the wire format) until the input ends.
 * Flags: 1 txt_known, 2 resolve_failed, 4 instance known, 8 host known,
 * 16 port known, 32 no registry.
 *
 * Properties: the return value is the number of findings appended; each
 * finding has a known code, a valid severity and a message; every finding
 * makes a safe log line; checking twice gives the same findings (the order
 * is stable).
 */
#include "config.h"

#include <string.h>
#include "format/logline.h"
#include "tests/fuzz/harness.h"
#include "validator/validator.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void
check_findings(const FindingList *list, guint n, const Advertisement *ad)
{
	LogLineContext ctx = {
		.type = ad->type, .instance = ad->instance, .host = ad->host,
		.port = ad->port, .interface = "eth0", .protocol = "ipv4",
	};

	if (list->len != n)
		fuzz_fail("return value is not the number of findings", ad->type);
	for (guint i = 0; i < list->len; i++) {
		const Finding *f = finding_list_get((FindingList *)list, i);
		g_autofree char *line = NULL;

		if ((guint)f->code >= FINDING_N_CODES)
			fuzz_fail("unknown finding code", ad->type);
		if (severity_name(f->severity) == NULL)
			fuzz_fail("unknown severity", ad->type);
		if (f->message == NULL || *f->message == '\0')
			fuzz_fail("finding without a message",
			          finding_code_name(f->code));
		line = logline_format(f, &ctx);
		fuzz_check_safe(line, strlen(line), "log line of a finding");
	}
}

static gboolean
same_findings(const FindingList *a, const FindingList *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		const Finding *x = finding_list_get((FindingList *)a, i);
		const Finding *y = finding_list_get((FindingList *)b, i);

		if (x->code != y->code || x->severity != y->severity ||
		    g_strcmp0(x->message, y->message) != 0)
			return FALSE;
	}
	return TRUE;
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	FuzzInput in;
	Advertisement ad = { 0 };
	guint8 flags;
	gint port;
	g_autofree char *type = NULL, *host = NULL;
	g_autofree guint8 *instance = NULL;
	g_autoptr(GPtrArray) subtypes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) txt = g_array_new(FALSE, TRUE, sizeof(AdBytes));
	g_autoptr(GPtrArray) txt_copies = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(FindingList) list = finding_list_new();
	g_autoptr(FindingList) again = finding_list_new();
	const Registry *reg;
	guint n_sub, n;
	gsize len, inst_len;
	const guint8 *bytes;

	fuzz_input_init(&in, data, size);
	flags = fuzz_input_byte(&in);
	port = fuzz_input_byte(&in) << 8;
	port |= fuzz_input_byte(&in);
	type = fuzz_input_string(&in);
	bytes = fuzz_input_field(&in, &len);
	/* Exact-size copies of everything the validator reads by length, so
	 * ASan sees a read past the end. */
	inst_len = len;
	instance = g_malloc(len > 0 ? len : 1);
	memcpy(instance, bytes, len);
	host = fuzz_input_string(&in);
	n_sub = fuzz_input_byte(&in) % 8;
	for (guint i = 0; i < n_sub; i++)
		g_ptr_array_add(subtypes, fuzz_input_string(&in));
	while (in.left > 0) {
		AdBytes b;
		guint8 *copy;

		bytes = fuzz_input_field(&in, &len);
		copy = g_malloc(len > 0 ? len : 1);
		memcpy(copy, bytes, len);
		g_ptr_array_add(txt_copies, copy);
		b.data = copy;
		b.len = len;
		g_array_append_val(txt, b);
	}

	ad.type = type;
	ad.subtypes = n_sub > 0 ? (const char *const *)subtypes->pdata : NULL;
	ad.n_subtypes = n_sub;
	if (flags & 4) {
		ad.instance.data = instance;
		ad.instance.len = inst_len;
	}
	ad.port = (flags & 16) ? port : -1;
	ad.host = (flags & 8) ? host : NULL;
	ad.txt = (const AdBytes *)txt->data;
	ad.n_txt = txt->len;
	ad.txt_known = (flags & 1) != 0;
	ad.resolve_failed = (flags & 2) != 0;
	reg = (flags & 32) ? NULL : fuzz_registry();

	n = validator_check(&ad, reg, NULL, list);
	check_findings(list, n, &ad);
	validator_check(&ad, reg, NULL, again);
	if (!same_findings(list, again))
		fuzz_fail("checking twice gives different findings", type);
	return 0;
}
