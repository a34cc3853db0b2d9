/* json-reader.c - one --batch input line into an Advertisement (see
 * json-reader.h for the accepted format).
 *
 * A small hand-written recursive-descent parser: the input is one short
 * line, the grammar is a single object with a few known members, and the
 * batch mode reads hundreds of thousands of lines a second, so every
 * decoded string goes into one reused buffer and nothing is allocated per
 * line once the buffers have grown.  Recursion only happens when skipping
 * unknown members, and stops at BATCH_MAX_DEPTH.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include "validator/bytescan.h"
#include "format/json-reader.h"
#include "format/strbuf.h"

G_DEFINE_QUARK(dnssd-audit-batch-error-quark, batch_error)

enum { ARRAY_TXT, ARRAY_SUBTYPES };

typedef struct {
	const guchar *start;
	const guchar *p;
	const guchar *end;
	BatchItem *item;
	GError **error;
} Parser;

/* Member bits, to reject a known member given twice. */
enum {
	SEEN_TYPE = 1 << 0,
	SEEN_INSTANCE = 1 << 1,
	SEEN_PORT = 1 << 2,
	SEEN_TXT = 1 << 3,
	SEEN_SUBTYPES = 1 << 4,
	SEEN_HOST = 1 << 5,
	SEEN_RESOLVE_FAILED = 1 << 6,
};

void
batch_item_init(BatchItem *item)
{
	memset(item, 0, sizeof *item);
	item->buf = g_string_sized_new(256);
	item->txt = g_array_new(FALSE, FALSE, sizeof(AdBytes));
	item->subtypes = g_ptr_array_new();
}

void
batch_item_clear(BatchItem *item)
{
	if (item->buf != NULL)
		g_string_free(item->buf, TRUE);
	if (item->txt != NULL)
		g_array_unref(item->txt);
	if (item->subtypes != NULL)
		g_ptr_array_unref(item->subtypes);
	memset(item, 0, sizeof *item);
}

/* Set the error "column N: what" (N: 1-based byte column of P->p) and
 * return FALSE. */
static gboolean G_GNUC_PRINTF(3, 0)
vfail(Parser *P, BatchErrorCode code, const char *fmt, va_list ap)
{
	g_autofree char *what = g_strdup_vprintf(fmt, ap);

	g_set_error(P->error, BATCH_ERROR, code, "column %" G_GSIZE_FORMAT ": %s",
	            (gsize)(P->p - P->start) + 1, what);
	return FALSE;
}

/* Not JSON. */
static gboolean G_GNUC_PRINTF(2, 3)
fail(Parser *P, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(P, BATCH_ERROR_SYNTAX, fmt, ap);
	va_end(ap);
	return FALSE;
}

/* JSON, but not an advertisement. */
static gboolean G_GNUC_PRINTF(2, 3)
invalid(Parser *P, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(P, BATCH_ERROR_INVALID, fmt, ap);
	va_end(ap);
	return FALSE;
}

/* What the parser sees at p, for messages: "end of line" or 'c'. */
static const char *
describe(Parser *P, char buf[16])
{
	if (P->p >= P->end)
		return "end of line";
	if (*P->p > 0x20 && *P->p < 0x7f)
		g_snprintf(buf, 16, "'%c'", *P->p);
	else
		g_snprintf(buf, 16, "byte 0x%02x", *P->p);
	return buf;
}

/* The first byte at or after q (before end) that ends a run of a JSON
 * string's plain bytes: '"', '\\' or a control byte. */
static inline const guchar *
string_run_end(const guchar *q, const guchar *end)
{
#ifdef BYTESCAN_VECTORS
	while (end - q >= 16) {
		ByteScanV16 x = bytescan_load(q);
		gsize n = bytescan_first((x == '"') | (x == '\\') | (x < 0x20));

		if (n < 16)
			return q + n;
		q += 16;
	}
#endif
	while (q < end && *q != '"' && *q != '\\' && *q >= 0x20)
		q++;
	return q;
}

static inline void
skip_ws(Parser *P)
{
	/* One compare in the usual case, no whitespace: nothing above ' '
	 * is whitespace (the parser calls this before every token). */
	if (P->p < P->end && *P->p > ' ')
		return;
	while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' ||
	                         *P->p == '\n' || *P->p == '\r'))
		P->p++;
}

static gboolean
expected(Parser *P, const char *what)
{
	char buf[16];

	return fail(P, "expected %s, found %s", what, describe(P, buf));
}

/* Inline, with the message out of line: a line has a dozen of these. */
static inline gboolean
expect(Parser *P, char c, const char *what)
{
	skip_ws(P);
	if (P->p < P->end && *P->p == (guchar)c) {
		P->p++;
		return TRUE;
	}
	return expected(P, what);
}

/* Four hex digits after "\u" at P->p. */
static gboolean
read_hex4(Parser *P, guint *out)
{
	guint v = 0;

	if (P->end - P->p < 4)
		return fail(P, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		int h = g_ascii_xdigit_value(P->p[i]);

		if (h < 0)
			return fail(P, "bad hex digit in \\u escape");
		v = v << 4 | (guint)h;
	}
	P->p += 4;
	*out = v;
	return TRUE;
}

/* \uXXXX at P->p (after the backslash and 'u'), with a following low
 * surrogate for a high one; appends the UTF-8 bytes. */
static gboolean
read_unicode_escape(Parser *P, GString *buf)
{
	guint hi, lo;
	gchar utf8[6];
	gint n;

	if (!read_hex4(P, &hi))
		return FALSE;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail(P, "lone low surrogate \\u%04x", hi);
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (P->end - P->p < 2 || P->p[0] != '\\' || P->p[1] != 'u')
			return fail(P, "high surrogate \\u%04x without a low one", hi);
		P->p += 2;
		if (!read_hex4(P, &lo))
			return FALSE;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(P, "high surrogate \\u%04x followed by \\u%04x",
			            hi, lo);
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	n = g_unichar_to_utf8(hi, utf8);
	strbuf_append_len(buf, utf8, (gsize)n);
	return TRUE;
}

/* A JSON string at P->p: decoded into item->buf (followed by a NUL);
 * *off and *len locate the decoded bytes. */
static gboolean
parse_string(Parser *P, gsize *off, gsize *len)
{
	GString *buf = P->item->buf;
	char dbuf[16];

	skip_ws(P);
	if (P->p >= P->end || *P->p != '"')
		return fail(P, "expected a string, found %s", describe(P, dbuf));
	P->p++;
	*off = buf->len;
	for (;;) {
		const guchar *run = P->p, *q = string_run_end(run, P->end);

		P->p = q;
		if (q > run)
			strbuf_append_len(buf, run, (gsize)(q - run));
		if (P->p >= P->end)
			return fail(P, "unterminated string");
		if (*P->p == '"') {
			P->p++;
			break;
		}
		if (*P->p < 0x20)
			return fail(P, "raw control byte 0x%02x in a string"
			            " (use \\u%04x)", *P->p, *P->p);
		/* backslash */
		P->p++;
		if (P->p >= P->end)
			return fail(P, "unterminated string");
		switch (*P->p++) {
		case '"':  g_string_append_c(buf, '"'); break;
		case '\\': g_string_append_c(buf, '\\'); break;
		case '/':  g_string_append_c(buf, '/'); break;
		case 'b':  g_string_append_c(buf, '\b'); break;
		case 'f':  g_string_append_c(buf, '\f'); break;
		case 'n':  g_string_append_c(buf, '\n'); break;
		case 'r':  g_string_append_c(buf, '\r'); break;
		case 't':  g_string_append_c(buf, '\t'); break;
		case 'u':
			if (!read_unicode_escape(P, buf))
				return FALSE;
			break;
		default:
			P->p--;
			return fail(P, "unknown escape \\%c",
			            *P->p > 0x20 && *P->p < 0x7f ? *P->p : '?');
		}
	}
	*len = buf->len - *off;
	g_string_append_c(buf, '\0');
	return TRUE;
}

static gboolean
match_literal(Parser *P, const char *lit)
{
	gsize n = strlen(lit);

	if ((gsize)(P->end - P->p) >= n && memcmp(P->p, lit, n) == 0) {
		P->p += n;
		return TRUE;
	}
	return FALSE;
}

/* A JSON number (RFC 8259 grammar).  *integral is FALSE when it has a
 * fraction or exponent; *value is its integer value, saturated. */
static gboolean
parse_number(Parser *P, gboolean *integral, gint64 *value)
{
	gboolean neg = FALSE;
	gint64 v = 0;

	*integral = TRUE;
	if (P->p < P->end && *P->p == '-') {
		neg = TRUE;
		P->p++;
	}
	if (P->p >= P->end || !g_ascii_isdigit(*P->p))
		return fail(P, "bad number");
	if (*P->p == '0' && P->p + 1 < P->end && g_ascii_isdigit(P->p[1]))
		return fail(P, "number with a leading zero");
	while (P->p < P->end && g_ascii_isdigit(*P->p)) {
		if (v < G_MAXINT64 / 10 - 10)
			v = v * 10 + (*P->p - '0');
		else
			v = G_MAXINT64 / 10;
		P->p++;
	}
	if (P->p < P->end && *P->p == '.') {
		*integral = FALSE;
		P->p++;
		if (P->p >= P->end || !g_ascii_isdigit(*P->p))
			return fail(P, "bad number: digit expected after '.'");
		while (P->p < P->end && g_ascii_isdigit(*P->p))
			P->p++;
	}
	if (P->p < P->end && (*P->p == 'e' || *P->p == 'E')) {
		*integral = FALSE;
		P->p++;
		if (P->p < P->end && (*P->p == '+' || *P->p == '-'))
			P->p++;
		if (P->p >= P->end || !g_ascii_isdigit(*P->p))
			return fail(P, "bad number: digit expected in exponent");
		while (P->p < P->end && g_ascii_isdigit(*P->p))
			P->p++;
	}
	*value = neg ? -v : v;
	return TRUE;
}

static gboolean skip_value(Parser *P, guint depth);

/* The members of an object or elements of an array being skipped. */
static gboolean
skip_container(Parser *P, guint depth, gboolean object)
{
	char close = object ? '}' : ']';

	skip_ws(P);
	if (P->p < P->end && *P->p == (guchar)close) {
		P->p++;
		return TRUE;
	}
	for (;;) {
		if (object) {
			gsize off, len;

			if (!parse_string(P, &off, &len))
				return FALSE;
			g_string_truncate(P->item->buf, off);
			if (!expect(P, ':', "':'"))
				return FALSE;
		}
		if (!skip_value(P, depth + 1))
			return FALSE;
		skip_ws(P);
		if (P->p < P->end && *P->p == ',') {
			P->p++;
			continue;
		}
		return expect(P, close, object ? "',' or '}'" : "',' or ']'");
	}
}

/* Any JSON value, discarded.  depth counts the enclosing containers. */
static gboolean
skip_value(Parser *P, guint depth)
{
	char buf[16];
	gboolean integral;
	gint64 v;
	gsize off, len;

	skip_ws(P);
	if (P->p >= P->end)
		return fail(P, "expected a value, found end of line");
	switch (*P->p) {
	case '{':
	case '[':
		if (depth >= BATCH_MAX_DEPTH)
			return fail(P, "nested deeper than %d levels", BATCH_MAX_DEPTH);
		P->p++;
		return skip_container(P, depth, P->p[-1] == '{');
	case '"':
		if (!parse_string(P, &off, &len))
			return FALSE;
		g_string_truncate(P->item->buf, off);
		return TRUE;
	case 't':
		if (match_literal(P, "true"))
			return TRUE;
		break;
	case 'f':
		if (match_literal(P, "false"))
			return TRUE;
		break;
	case 'n':
		if (match_literal(P, "null"))
			return TRUE;
		break;
	default:
		if (*P->p == '-' || g_ascii_isdigit(*P->p))
			return parse_number(P, &integral, &v);
		break;
	}
	return fail(P, "expected a value, found %s", describe(P, buf));
}

static gboolean
peek_null(Parser *P)
{
	skip_ws(P);
	return match_literal(P, "null");
}

/* A string member that must not contain NUL (a C string). */
static gboolean
parse_cstring(Parser *P, const char *key, gsize *off)
{
	const guchar *at;
	gsize len;

	skip_ws(P);
	at = P->p;
	if (!parse_string(P, off, &len))
		return FALSE;
	if (memchr(P->item->buf->str + *off, '\0', len) != NULL) {
		P->p = at;
		return invalid(P, "\"%s\" must not contain \\u0000", key);
	}
	return TRUE;
}

static gboolean
batch_parse_port(Parser *P)
{
	const guchar *at;
	gboolean integral;
	gint64 v;
	char buf[16];

	if (peek_null(P)) {
		P->item->ad.port = -1;
		return TRUE;
	}
	at = P->p;
	if (P->p >= P->end || (*P->p != '-' && !g_ascii_isdigit(*P->p)))
		return invalid(P, "\"port\" must be a number, found %s",
		               describe(P, buf));
	if (!parse_number(P, &integral, &v))
		return FALSE;
	if (!integral || v < -1 || v > 65535) {
		P->p = at;
		return invalid(P, "\"port\" must be an integer 0..65535 (or -1"
		               " or null for unknown)");
	}
	P->item->ad.port = (gint)v;
	return TRUE;
}

/* item->txt and item->subtypes hold ad.n_txt and ad.n_subtypes elements
 * of their len: len is the room, grown by doubling, so that a string
 * costs no library call (g_array_append_val() was a tenth of the
 * reader's time). */
static void
push_txt(BatchItem *item, const guint8 *data, gsize len)
{
	if (item->ad.n_txt == item->txt->len)
		g_array_set_size(item->txt, MAX(8, item->txt->len * 2));
	g_array_index(item->txt, AdBytes, item->ad.n_txt++) = (AdBytes){ data, len };
}

static void
push_subtype(BatchItem *item, const char *s)
{
	if (item->ad.n_subtypes == item->subtypes->len)
		g_ptr_array_set_size(item->subtypes, (gint)MAX(8, item->subtypes->len * 2));
	item->subtypes->pdata[item->ad.n_subtypes++] = (gpointer)s;
}

/* An array of strings, into item->txt or item->subtypes.  The decoded
 * strings stay where they are in buf (batch_parse() reserved room for
 * the whole line), so they are pointed to at once. */
static gboolean
parse_string_array(Parser *P, const char *key, guint kind)
{
	char buf[16];

	skip_ws(P);
	if (P->p >= P->end || *P->p != '[')
		return invalid(P, "\"%s\" must be an array of strings, found %s",
		               key, describe(P, buf));
	P->p++;
	skip_ws(P);
	if (P->p < P->end && *P->p == ']') {
		P->p++;
		return TRUE;
	}
	for (;;) {
		gsize off, len;

		skip_ws(P);
		if (P->p < P->end && *P->p != '"')
			return invalid(P, "\"%s\" must hold only strings, found %s",
			               key, describe(P, buf));
		if (kind == ARRAY_SUBTYPES) {
			if (!parse_cstring(P, "subtypes", &off))
				return FALSE;
			push_subtype(P->item, P->item->buf->str + off);
		} else {
			if (!parse_string(P, &off, &len))
				return FALSE;
			push_txt(P->item, (const guint8 *)P->item->buf->str + off, len);
		}
		skip_ws(P);
		if (P->p < P->end && *P->p == ',') {
			P->p++;
			continue;
		}
		return expect(P, ']', "',' or ']'");
	}
}

static gboolean
parse_bool(Parser *P, const char *key, gboolean *out)
{
	char buf[16];

	skip_ws(P);
	if (match_literal(P, "true"))
		*out = TRUE;
	else if (match_literal(P, "false"))
		*out = FALSE;
	else
		return invalid(P, "\"%s\" must be true or false, found %s", key,
		               describe(P, buf));
	return TRUE;
}

/* Offsets of the scalar members while parsing (G_MAXSIZE: absent). */
typedef struct {
	gsize type, instance, instance_len, host;
	gboolean txt_null;
	guint seen;
} Members;

/* A member name: plain names (no escape, the usual case) are compared in
 * place without being copied; others are decoded into buf (then *off is
 * where, for the caller to drop it; else G_MAXSIZE). */
static gboolean
member_name(Parser *P, const char **key, gsize *len, gsize *off)
{
	const guchar *q = P->p + 1;

	if (P->p < P->end && *P->p == '"') {
		q = string_run_end(q, P->end);
		if (q < P->end && *q == '"') {
			*key = (const char *)P->p + 1;
			*len = (gsize)(q - P->p - 1);
			*off = G_MAXSIZE;
			P->p = q + 1;
			return TRUE;
		}
	}
	if (!parse_string(P, off, len))
		return FALSE;
	*key = P->item->buf->str + *off;
	return TRUE;
}

static gboolean
parse_member(Parser *P, Members *m)
{
	const guchar *key_at;
	gsize off, len;
	const char *key;
	guint bit = 0;

	skip_ws(P);
	key_at = P->p;
	if (!member_name(P, &key, &len, &off))
		return FALSE;
#define IS(k) (len == sizeof(k) - 1 && memcmp(key, k, len) == 0)
	if (IS("type"))
		bit = SEEN_TYPE;
	else if (IS("instance"))
		bit = SEEN_INSTANCE;
	else if (IS("port"))
		bit = SEEN_PORT;
	else if (IS("txt"))
		bit = SEEN_TXT;
	else if (IS("subtypes"))
		bit = SEEN_SUBTYPES;
	else if (IS("host"))
		bit = SEEN_HOST;
	else if (IS("resolve_failed"))
		bit = SEEN_RESOLVE_FAILED;
#undef IS
	if (off != G_MAXSIZE)
		g_string_truncate(P->item->buf, off);
	if (m->seen & bit) {
		P->p = key_at;
		return invalid(P, "member given twice");
	}
	m->seen |= bit;
	if (!expect(P, ':', "':' after the member name"))
		return FALSE;
	switch (bit) {
	case SEEN_TYPE:
		skip_ws(P);
		if (P->p < P->end && *P->p != '"')
			return invalid(P, "\"type\" must be a string");
		return parse_cstring(P, "type", &m->type);
	case SEEN_INSTANCE:
		if (peek_null(P))
			return TRUE;
		return parse_string(P, &m->instance, &m->instance_len);
	case SEEN_HOST:
		if (peek_null(P))
			return TRUE;
		return parse_cstring(P, "host", &m->host);
	case SEEN_PORT:
		return batch_parse_port(P);
	case SEEN_TXT:
		if (peek_null(P)) {
			m->txt_null = TRUE;
			return TRUE;
		}
		return parse_string_array(P, "txt", ARRAY_TXT);
	case SEEN_SUBTYPES:
		if (peek_null(P))
			return TRUE;
		return parse_string_array(P, "subtypes", ARRAY_SUBTYPES);
	case SEEN_RESOLVE_FAILED:
		return parse_bool(P, "resolve_failed", &P->item->ad.resolve_failed);
	default:
		return skip_value(P, 1);
	}
}

/* Point item->ad's scalars into buf. */
static void
finish(BatchItem *item, const Members *m)
{
	Advertisement *ad = &item->ad;
	const char *base = item->buf->str;

	ad->type = base + m->type;
	if (m->instance != G_MAXSIZE) {
		ad->instance.data = (const guint8 *)base + m->instance;
		ad->instance.len = m->instance_len;
	}
	if (m->host != G_MAXSIZE)
		ad->host = base + m->host;
	ad->txt = (const AdBytes *)(void *)item->txt->data;
	ad->txt_known = !m->txt_null;
	ad->subtypes = (const char *const *)item->subtypes->pdata;
}

gboolean
batch_parse(const char *line, gsize len, BatchItem *item, GError **error)
{
	Parser P = { (const guchar *)line, (const guchar *)line,
	             (const guchar *)line + len, item, error };
	Members m = { G_MAXSIZE, G_MAXSIZE, 0, G_MAXSIZE, FALSE, 0 };
	char buf[16];

	g_string_truncate(item->buf, 0);
	/* Every decoded string (with its NUL) is at most as long as it was
	 * in the line with its quotes, so buf never moves while the line is
	 * parsed, and the arrays can point into it as they are filled. */
	strbuf_reserve(item->buf, len + 1);
	memset(&item->ad, 0, sizeof item->ad);
	item->ad.port = -1;

	if (line == NULL)
		return fail(&P, "no input");
	skip_ws(&P);
	if (P.p < P.end && *P.p != '{')
		return invalid(&P, "expected a JSON object ('{'), found %s",
		               describe(&P, buf));
	if (!expect(&P, '{', "'{'"))
		return FALSE;
	skip_ws(&P);
	if (P.p < P.end && *P.p == '}') {
		P.p++;
	} else {
		for (;;) {
			if (!parse_member(&P, &m))
				return FALSE;
			skip_ws(&P);
			if (P.p < P.end && *P.p == ',') {
				P.p++;
				continue;
			}
			if (!expect(&P, '}', "',' or '}'"))
				return FALSE;
			break;
		}
	}
	skip_ws(&P);
	if (P.p < P.end)
		return fail(&P, "unexpected %s after the object", describe(&P, buf));
	if (!(m.seen & SEEN_TYPE))
		return invalid(&P, "missing \"type\"");
	finish(item, &m);
	return TRUE;
}
