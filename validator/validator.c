/* validator.c - the rules of FINDINGS.md: one advertisement plus the
 * registry in, findings out.
 *
 * Pure and cheap: no I/O, and no allocation unless a finding is made (the
 * service name is looked up as a slice of the type with
 * registry_lookup_len(); messages are only built for findings).  The
 * exceptions are the NFC check of a non-ASCII instance name, which goes
 * through g_utf8_normalize() (GLib's tables, never our own), and the
 * table of seen TXT keys of a record of more than 32 strings.  The TXT
 * rules take one pass over the strings: linear in their number.
 *
 * Decisions where FINDINGS.md leaves room (documented in the report and
 * tested in tests/unit/test-validator.c):
 * - The transport label is matched case-insensitively ("_http._TCP" is
 *   well formed: DNS labels are case-insensitive); the service name keeps
 *   its case for service-name-case.
 * - "_._tcp" (empty service name) is type-malformed.
 * - When the type is malformed, no service-name or registry rule runs; the
 *   subtype, instance, TXT and resolution rules still do.
 * - The registry rules run on every service name that splits, even one
 *   that breaks the syntax rules ("_apt_proxy._tcp" is both
 *   service-name-charset and unregistered).
 * - The records "for this transport" are the tcp records for _tcp, the
 *   udp/sctp/dccp records for _udp, plus records without a transport for
 *   both.  port-differs and the TXT-key rules use only those; with a
 *   transport-mismatch there are none, so those rules stay silent.
 * - TXT-key spec of several records: if any lists keys, the union of the
 *   listed keys applies; else if any says None, None applies; else (absent
 *   / unspecified) no TXT-key rule runs.
 * - "txtvers" (RFC 6763 s6.7, meant for every service) is always allowed:
 *   it is never txt-key-undefined and does not count for
 *   txt-keys-unexpected.
 * - An empty TXT string (avahi's default empty record, or a stray empty
 *   string) carries no key and is skipped by the key rules.
 * - txt-key-duplicate is reported once per key, at its second occurrence;
 *   txt-key-undefined once per key, at its first.
 * - An instance name with a NUL byte is instance-control-char; it is not
 *   also called not-UTF-8 (NUL is valid UTF-8).
 * - C1 controls and bidi controls are found as the well-formed UTF-8
 *   sequences that encode them, even in a name that is invalid UTF-8
 *   elsewhere; a raw byte 0x80-0x9F is only instance-not-utf8.
 * - port-differs needs a port above 0 (0: not offered on a port).
 * - Messages quote network bytes raw (outputs escape them), at most 64
 *   bytes of each, except NUL, which a C string cannot hold: it is shown
 *   as U+2400 SYMBOL FOR NULL.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include "validator/bytescan.h"
#include "validator/decimal.h"
#include "validator/validator.h"

#define MAX_SERVICE_LEN 15
#define MAX_LABEL_LEN 63
#define TXT_SIZE_WARNING 1300
#define TXT_SIZE_NOTICE 400
#define MAX_TXT_KEY_LEN 9
/* How many bytes of a network value a message quotes before "...". */
#define QUOTE_MAX 64
/* Records of one name considered for the TXT spec; IANA has at most a
 * handful per name. */
#define MAX_SPECS 16

/* ---- message helpers -------------------------------------------------- */

/* A message under construction: on the stack, so that a finding costs one
 * allocation (the final copy) and no GString growth.  Messages are one
 * line of bounded parts (network values are cut at QUOTE_MAX), so
 * MSG_MAX is never reached in practice; if it were, the text is cut. */
#define MSG_MAX 1024

typedef struct {
	gsize len;
	char buf[MSG_MAX];
} Msg;

static void
msg_raw(Msg *m, const void *data, gsize len)
{
	len = MIN(len, MSG_MAX - 1 - m->len);
	memcpy(m->buf + m->len, data, len);
	m->len += len;
}

static void
msg_str(Msg *m, const char *s)
{
	msg_raw(m, s, strlen(s));
}

static void
msg_init(Msg *m, const char *s)
{
	m->len = 0;
	msg_str(m, s);
}

static void
msg_uint(Msg *m, guint64 v)
{
	char buf[DECIMAL_MAX];
	const char *d = decimal_format(buf, v);

	msg_raw(m, d, (gsize)(buf + DECIMAL_MAX - d));
}

static void G_GNUC_PRINTF(2, 3)
msg_printf(Msg *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = g_vsnprintf(m->buf + m->len, MSG_MAX - m->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		m->len = MIN(m->len + (gsize)n, MSG_MAX - 1);
}

/* Append data raw (every output escapes messages), except NUL: a message
 * is a C string, so a NUL byte becomes U+2400 SYMBOL FOR NULL. */
static void
msg_bytes(Msg *m, const guint8 *data, gsize len)
{
	const guint8 *nul;

	while (len > 0 && (nul = memchr(data, '\0', len)) != NULL) {
		msg_raw(m, data, (gsize)(nul - data));
		msg_str(m, "\xe2\x90\x80");
		len -= (gsize)(nul - data) + 1;
		data = nul + 1;
	}
	msg_raw(m, data, len);
}

/* Append data as "...", cut at QUOTE_MAX bytes. */
static void
msg_quote(Msg *m, const void *data, gsize len)
{
	msg_str(m, "\"");
	if (len > QUOTE_MAX) {
		msg_bytes(m, data, QUOTE_MAX);
		msg_str(m, "...");
	} else {
		msg_bytes(m, data, len);
	}
	msg_str(m, "\"");
}

/* Start a message with prefix and a quoted network value: most messages
 * name the offending value first ("service name \"x\" ..."). */
static void
msg_init_quoted(Msg *m, const char *prefix, const void *data, gsize len)
{
	msg_init(m, prefix);
	msg_quote(m, data, len);
}

static void
add_msg(FindingList *out, FindingCode code, Severity sev, const Msg *m)
{
	finding_list_add(out, code, sev, g_strndup(m->buf, m->len));
}

static void
add(FindingList *out, FindingCode code, const Msg *m)
{
	add_msg(out, code, finding_code_default_severity(code), m);
}

/* ---- service type ------------------------------------------------------ */

/* Contract in validator.h.  *proto points into type at "tcp" or "udp" (in
 * whatever case the type spells it). */
/* g_ascii_strcasecmp(s, proto) == 0 for a three-letter lowercase proto,
 * inline: every advertisement's type is split. */
static inline gboolean
is_proto(const char *s, const char proto[4])
{
	/* | 0x20 lowercases a letter and makes nothing else one */
	return (s[0] | 0x20) == proto[0] && (s[1] | 0x20) == proto[1] &&
	       (s[2] | 0x20) == proto[2] && s[3] == '\0';
}

gboolean
validator_split_type(const char *type, const char **service, gsize *service_len,
                     const char **proto)
{
	const char *dot;

	if (type == NULL || type[0] != '_')
		return FALSE;
	dot = strchr(type, '.');
	if (dot == NULL || dot == type + 1 || dot[1] != '_')
		return FALSE;
	if (!is_proto(dot + 2, "tcp") && !is_proto(dot + 2, "udp"))
		return FALSE;
	*service = type + 1;
	*service_len = (gsize)(dot - type - 1);
	*proto = dot + 2;
	return TRUE;
}

static void
check_type_malformed(const char *type, FindingList *out)
{
	Msg m;

	msg_init(&m, "service type ");
	gsize len = type != NULL ? strlen(type) : 0;

	msg_quote(&m, type != NULL ? type : "", len);
	msg_str(&m, " is not of the form _<service>._tcp or _<service>._udp");
	add(out, FINDING_TYPE_MALFORMED, &m);
}

/* RFC 6335 s5.1 syntax of the service name (without the '_'). */
static void
check_service_name(const char *name, gsize len, FindingList *out)
{
	gboolean letter = FALSE, hyphens = FALSE;
	gsize bad = len;

	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)name[i];

		if (g_ascii_isalpha(c))
			letter = TRUE;
		else if (c == '-')
			hyphens = hyphens || (i > 0 && name[i - 1] == '-');
		else if (bad == len && !g_ascii_isdigit(c))
			bad = i;
	}
	if (len > MAX_SERVICE_LEN) {
		Msg m;

		msg_init_quoted(&m, "service name ", name, len);
		msg_printf(&m, " is %" G_GSIZE_FORMAT
		               " characters; at most %d are allowed",
		               len, MAX_SERVICE_LEN);
		add(out, FINDING_SERVICE_NAME_TOO_LONG, &m);
	}
	if (bad < len) {
		Msg m;

	msg_init(&m, "service name ");
		guchar c = (guchar)name[bad];

		msg_quote(&m, name, len);
		if (c > 0x20 && c < 0x7f)
			msg_printf(&m, " contains '%c'", c);
		else
			msg_printf(&m, " contains byte 0x%02x", c);
		msg_str(&m, "; only A-Z, a-z, 0-9 and '-' are allowed");
		add(out, FINDING_SERVICE_NAME_CHARSET, &m);
	}
	if (!letter) {
		Msg m;

		msg_init_quoted(&m, "service name ", name, len);
		msg_str(&m, " has no letter; it must contain at least one");
		add(out, FINDING_SERVICE_NAME_NO_LETTER, &m);
	}
	if (name[0] == '-' || name[len - 1] == '-' || hyphens) {
		Msg m;

		msg_init_quoted(&m, "service name ", name, len);
		msg_str(&m, name[0] == '-' || name[len - 1] == '-'
		                ? " begins or ends with '-'"
		                : " contains two adjacent hyphens");
		add(out, FINDING_SERVICE_NAME_HYPHEN, &m);
	}
}

/* ---- registry ---------------------------------------------------------- */

/* Does a record of transport t serve the advertised transport label? */
static gboolean
record_serves(RegistryTransport t, gboolean tcp)
{
	if (t == REGISTRY_TRANSPORT_NONE)
		return TRUE;
	if (tcp)
		return t == REGISTRY_TRANSPORT_TCP;
	return t == REGISTRY_TRANSPORT_UDP || t == REGISTRY_TRANSPORT_SCTP ||
	       t == REGISTRY_TRANSPORT_DCCP;
}

/* What the registry (or the catalogue) says about the advertisement's
 * TXT keys. */
typedef struct {
	TxtSpecKind kind;            /* NONE, KEYS, or ABSENT (no check) */
	const TxtSpec *specs[MAX_SPECS];
	guint n_specs;
	gboolean from_catalogue;     /* the keys are the catalogue's */
} TxtRule;

/* The TXT rule of the records of one name that serve the transport. */
static void
txt_rule_from(const RegistryRecord *const *recs, guint n, gboolean tcp, TxtRule *txt)
{
	gboolean any_none = FALSE;

	txt->n_specs = 0;
	txt->kind = TXT_SPEC_ABSENT;
	for (guint i = 0; i < n; i++) {
		const RegistryRecord *r = recs[i];

		if (!record_serves(r->transport, tcp))
			continue;
		if (r->txt.kind == TXT_SPEC_KEYS && txt->n_specs < MAX_SPECS)
			txt->specs[txt->n_specs++] = &r->txt;
		else if (r->txt.kind == TXT_SPEC_NONE)
			any_none = TRUE;
	}
	if (txt->n_specs > 0)
		txt->kind = TXT_SPEC_KEYS;
	else if (any_none)
		txt->kind = TXT_SPEC_NONE;
}

/* The catalogue's record of the name for this transport (else any of
 * its records), or NULL. */
static const RegistryRecord *
catalogue_record(const RegistryRecord *const *recs, guint n, gboolean tcp)
{
	for (guint i = 0; i < n; i++) {
		if (record_serves(recs[i]->transport, tcp))
			return recs[i];
	}
	return n > 0 ? recs[0] : NULL;
}

static void
report_unregistered_known(const char *service, gsize len, const RegistryRecord *r,
                          FindingList *out)
{
	Msg m;

	msg_init_quoted(&m, "service name ", service, len);
	msg_str(&m, " is not in the IANA service name registry; the catalogue of"
	        " known service types lists it");
	if (r->description != NULL) {
		msg_str(&m, ": ");
		msg_str(&m, r->description);
	}
	if (r->source_uri != NULL) {
		msg_str(&m, " (source: ");
		msg_str(&m, r->source_uri);
		msg_str(&m, ")");
	}
	add(out, FINDING_UNREGISTERED_KNOWN, &m);
}

static void
append_transports(Msg *m, const RegistryRecord *const *recs, guint n)
{
	guint seen = 0; /* bit per RegistryTransport already named */
	gboolean first = TRUE;

	for (guint i = 0; i < n; i++) {
		const char *t = registry_transport_name(recs[i]->transport);

		if (t == NULL || (seen & (1u << recs[i]->transport)))
			continue;
		seen |= 1u << recs[i]->transport;
		msg_str(m, first ? "" : ", ");
		msg_str(m, t);
		first = FALSE;
	}
}

static void
report_transport_mismatch(const char *service, gsize len, const char *proto,
                          const RegistryRecord *const *recs, guint n,
                          FindingList *out)
{
	Msg m;

	msg_init_quoted(&m, "service name ", service, len);
	msg_str(&m, " is registered for ");
	append_transports(&m, recs, n);
	msg_str(&m, " only, not for _");
	msg_str(&m, proto);
	add(out, FINDING_TRANSPORT_MISMATCH, &m);
}

static void
report_historic(const char *service, gsize len, gboolean tcp,
                const RegistryRecord *rec, FindingList *out)
{
	Msg m;

	msg_init_quoted(&m, "service name ", service, len);
	if (rec->replacement != NULL)
		msg_printf(&m, " is historic: the registry lists it as"
		               " an alias of \"%s\"; advertise _%s._%s instead",
		               rec->replacement, rec->replacement,
		               tcp ? "tcp" : "udp");
	else
		msg_str(&m, " is historic: the registry says it is no"
		        " longer in use");
	add(out, FINDING_HISTORIC_NAME, &m);
}

/* The first line of a registry note, trimmed, at most 120 bytes. */
static void
append_note_line(Msg *m, const char *note)
{
	gsize n = strcspn(note, "\r\n");

	while (n > 0 && g_ascii_isspace(note[n - 1]))
		n--;
	msg_raw(m, note, MIN(n, 120));
	if (n > 120)
		msg_str(m, "...");
}

static void
report_not_for_discovery(const char *service, gsize len, gboolean tcp,
                         const RegistryRecord *rec, FindingList *out)
{
	Msg m;

	msg_init_quoted(&m, "service name ", service, len);
	msg_str(&m, " must not be used for service discovery");
	if (rec->replacement != NULL) {
		msg_printf(&m, "; advertise _%s._%s instead",
		               rec->replacement, tcp ? "tcp" : "udp");
	} else if (rec->note != NULL) {
		msg_str(&m, " (registry: ");
		append_note_line(&m, rec->note);
		msg_str(&m, ")");
	}
	add(out, FINDING_NOT_FOR_DISCOVERY, &m);
}

/* port-differs: only when the records for this transport assign exactly
 * one single port (no range, no disagreement) and the port is known. */
static void
check_port(const Advertisement *ad, const char *service, gsize len, gboolean tcp,
           const RegistryRecord *const *recs, guint n, FindingList *out)
{
	gint32 port = -1;
	Msg m;

	/* Port 0 is DNS-SD's "not offered on a port" (Bonjour Printing's
	 * _printer._tcp placeholder without LPD): no port to differ. */
	if (ad->port <= 0)
		return;
	for (guint i = 0; i < n; i++) {
		const RegistryRecord *r = recs[i];

		if (!record_serves(r->transport, tcp) || r->port < 0)
			continue;
		if (r->port_high >= 0 && r->port_high != r->port)
			return;
		if (port >= 0 && port != r->port)
			return;
		port = r->port;
	}
	if (port < 0 || port == ad->port)
		return;
	msg_init_quoted(&m, "service name ", service, len);
	msg_str(&m, " is assigned port ");
	msg_uint(&m, (guint64)port);
	msg_str(&m, tcp ? "/tcp, but the service listens on port "
	                : "/udp, but the service listens on port ");
	msg_uint(&m, (guint64)ad->port);
	add(out, FINDING_PORT_DIFFERS, &m);
}

/* The registry rules for a well-formed type; fills *txt for the TXT
 * rules. */
static void
check_registry(const Advertisement *ad, const Registry *reg, const Registry *catalogue,
               const char *service, gsize len, const char *proto, FindingList *out,
               TxtRule *txt)
{
	const RegistryRecord *const *recs = NULL;
	const RegistryRecord *const *known = NULL;
	guint n = reg != NULL ? registry_lookup_len(reg, service, len, &recs) : 0;
	guint n_known = catalogue != NULL ?
		registry_lookup_len(catalogue, service, len, &known) : 0;
	gboolean tcp = g_ascii_tolower(proto[0]) == 't';
	gboolean exact = FALSE, serves = FALSE;
	const RegistryRecord *historic = NULL, *nfd = NULL;

	/* The catalogue's keys, where it has any for this transport, win over
	 * a registry note (FINDINGS.md: notes that contradict every
	 * implementation). */
	if (n_known > 0) {
		txt_rule_from(known, n_known, tcp, txt);
		txt->from_catalogue = txt->kind != TXT_SPEC_ABSENT;
	}
	if (reg == NULL)
		return;
	if (n == 0) {
		Msg m;

		if (n_known > 0) {
			report_unregistered_known(service, len,
			                          catalogue_record(known, n_known, tcp), out);
			return;
		}
		msg_init_quoted(&m, "service name ", service, len);
		msg_str(&m, " is not in the IANA service name registry"
		        " (nor in the local registry)");
		add(out, FINDING_UNREGISTERED, &m);
		return;
	}
	for (guint i = 0; i < n; i++) {
		const RegistryRecord *r = recs[i];

		if (strlen(r->name) == len && memcmp(r->name, service, len) == 0)
			exact = TRUE;
		if (r->status == REGISTRY_STATUS_HISTORIC && historic == NULL)
			historic = r;
		if (r->status == REGISTRY_STATUS_NOT_FOR_DISCOVERY && nfd == NULL)
			nfd = r;
		if (record_serves(r->transport, tcp))
			serves = TRUE;
	}
	if (!exact) {
		Msg m;

		msg_init_quoted(&m, "service name ", service, len);
		msg_printf(&m, " is registered as \"%s\"; use the"
		               " registry's spelling", recs[0]->name);
		add(out, FINDING_SERVICE_NAME_CASE, &m);
	}
	if (!serves)
		report_transport_mismatch(service, len, proto, recs, n, out);
	if (historic != NULL)
		report_historic(service, len, tcp, historic, out);
	if (nfd != NULL)
		report_not_for_discovery(service, len, tcp, nfd, out);
	check_port(ad, service, len, tcp, recs, n, out);
	if (!txt->from_catalogue)
		txt_rule_from(recs, n, tcp, txt);
}

/* ---- subtypes ---------------------------------------------------------- */

static void
check_subtypes(const Advertisement *ad, FindingList *out)
{
	for (guint i = 0; i < ad->n_subtypes && ad->subtypes != NULL; i++) {
		const char *sub = ad->subtypes[i];
		gsize len = sub != NULL ? strlen(sub) : 0;
		Msg m;

		if (len > 0 && len <= MAX_LABEL_LEN)
			continue;
		msg_init(&m, "subtype ");
		if (len == 0) {
			msg_printf(&m, "%u is an empty label", i + 1);
		} else {
			msg_quote(&m, sub, len);
			msg_printf(&m, " is %" G_GSIZE_FORMAT " bytes;"
			               " a label holds at most %d", len,
			               MAX_LABEL_LEN);
		}
		add(out, FINDING_SUBTYPE_MALFORMED, &m);
	}
}

/* ---- instance name ----------------------------------------------------- */

/* Is data valid UTF-8, NUL bytes allowed (g_utf8_validate_len() stops at
 * a NUL)?  On FALSE, *bad is the offset of the first invalid byte. */
static gboolean
utf8_valid(const guint8 *data, gsize len, gsize *bad)
{
	gsize off = 0;

	while (off < len) {
		const gchar *end;

		if (g_utf8_validate_len((const gchar *)data + off, len - off, &end))
			return TRUE;
		off = (gsize)((const guint8 *)end - data);
		if (data[off] != '\0') {
			*bad = off;
			return FALSE;
		}
		off++;
	}
	return TRUE;
}

/* The control and bidi characters of an instance name: C0 bytes and DEL,
 * C1 controls U+0080-U+009F (UTF-8 C2 80..C2 9F) and the bidi embedding,
 * override and isolate characters U+202A-U+202E, U+2066-U+2069 (E2 80 AA..
 * AE, E2 81 A6..A9).  Those byte sequences are well-formed UTF-8 wherever
 * they stand (C2 and E2 are never continuation bytes), so matching them is
 * decoding them; a lone 0x85 (Latin-1 NEL) is not one of them: it is
 * invalid UTF-8 and only instance-not-utf8. */
typedef struct {
	gsize n;                /* how many */
	gsize first;            /* offset of the first */
	gunichar first_char;    /* the first: a byte < 0x80 or a code point */
} CharHits;

static void
char_hit(CharHits *h, gsize offset, gunichar c)
{
	if (h->n++ == 0) {
		h->first = offset;
		h->first_char = c;
	}
}

/* Bytes 0x80 and up of an instance name: returns how many bytes after
 * d[i] the character it starts has, counting it in *c1 or *bidi. */
static gsize
scan_non_ascii(const guint8 *d, gsize len, gsize i, CharHits *c1, CharHits *bidi)
{
	if (d[i] == 0xc2 && i + 1 < len && d[i + 1] >= 0x80 && d[i + 1] <= 0x9f) {
		char_hit(c1, i, d[i + 1]);
		return 1;
	}
	if (d[i] == 0xe2 && i + 2 < len &&
	    ((d[i + 1] == 0x80 && d[i + 2] >= 0xaa && d[i + 2] <= 0xae) ||
	     (d[i + 1] == 0x81 && d[i + 2] >= 0xa6 && d[i + 2] <= 0xa9))) {
		char_hit(bidi, i, 0x2000 | (gunichar)(d[i + 1] & 0x3f) << 6 |
		                  (gunichar)(d[i + 2] & 0x3f));
		return 2;
	}
	return 0;
}

static void
report_chars(FindingCode code, const char *what, const CharHits *h, const char *tail,
             FindingList *out)
{
	Msg m;

	msg_init(&m, "");
	msg_printf(&m, "instance name contains %" G_GSIZE_FORMAT " %s%s (first: ",
	               h->n, what, h->n == 1 ? "" : "s");
	if (h->first_char < 0x80)
		msg_printf(&m, "byte 0x%02x", (guint)h->first_char);
	else
		msg_printf(&m, "U+%04X", (guint)h->first_char);
	msg_printf(&m, " at offset %" G_GSIZE_FORMAT ")%s", h->first, tail);
	add(out, code, &m);
}

/* Length of the printable-ASCII prefix of d: in most instance names,
 * all of it, skipped without the per-byte work of the full scan. */
static gsize
printable_prefix(const guint8 *d, gsize len)
{
	gsize i = 0;

#ifdef BYTESCAN_VECTORS
	for (; len - i >= 16; i += 16) {
		ByteScanV16 x = bytescan_load(d + i);
		gsize n = bytescan_first((x < 0x20) | (x >= 0x7f));

		if (n < 16)
			return i + n;
	}
#endif
	while (i < len && d[i] >= 0x20 && d[i] < 0x7f)
		i++;
	return i;
}

static void
check_instance(const AdBytes *inst, FindingList *out)
{
	const guint8 *d = inst->data;
	gsize len = inst->len;
	gsize bad = 0;
	CharHits ctl = { 0, 0, 0 }, bidi = { 0, 0, 0 };
	gboolean ascii = TRUE, valid;

	if (len > MAX_LABEL_LEN) {
		Msg m;

		msg_init(&m, "");
		msg_printf(&m, "instance name is %" G_GSIZE_FORMAT
		               " bytes; DNS-SD allows at most %d", len,
		               MAX_LABEL_LEN);
		add(out, FINDING_INSTANCE_TOO_LONG, &m);
	}
	for (gsize i = printable_prefix(d, len); i < len; i++) {
		if (d[i] < 0x20 || d[i] == 0x7f) {
			char_hit(&ctl, i, d[i]);
		} else if (d[i] >= 0x80) {
			ascii = FALSE;
			i += scan_non_ascii(d, len, i, &ctl, &bidi);
		}
	}
	valid = ascii || utf8_valid(d, len, &bad);
	if (!valid) {
		Msg m;

		msg_init(&m, "");
		msg_printf(&m, "instance name is not valid UTF-8"
		               " (byte 0x%02x at offset %" G_GSIZE_FORMAT ")",
		               d[bad], bad);
		add(out, FINDING_INSTANCE_NOT_UTF8, &m);
	}
	if (ctl.n > 0)
		report_chars(FINDING_INSTANCE_CONTROL_CHAR, "control character", &ctl, "", out);
	if (bidi.n > 0)
		report_chars(FINDING_INSTANCE_BIDI_CONTROL, "bidirectional control character",
		             &bidi, "; it can display as something other than what it is", out);
	/* ASCII is always NFC; NFC of text with a NUL is not defined by
	 * g_utf8_normalize() (it stops there), and NUL is an error anyway. */
	if (!ascii && valid && memchr(d, '\0', len) == NULL) {
		g_autofree char *nfc = g_utf8_normalize((const gchar *)d,
		                                        (gssize)len,
		                                        G_NORMALIZE_NFC);

		if (nfc != NULL && (strlen(nfc) != len || memcmp(nfc, d, len) != 0)) {
			Msg m;

			msg_init_quoted(&m, "instance name ", d, len);
			msg_str(&m, " is not in Unicode NFC; the NFC form is ");
			msg_quote(&m, nfc, strlen(nfc));
			add(out, FINDING_INSTANCE_NOT_NFC, &m);
		}
	}
}

/* ---- TXT record -------------------------------------------------------- */

/* Length of the key of a TXT string: up to the first '=' or the end. */
static inline gsize
txt_key_len(const AdBytes *s)
{
	const guint8 *eq = s->len > 0 ? memchr(s->data, '=', s->len) : NULL;

	return eq != NULL ? (gsize)(eq - s->data) : s->len;
}

static inline guchar
ascii_lower(guchar c)
{
	return (c >= 'A' && c <= 'Z') ? c | 0x20 : c;
}

/* ASCII case-insensitive comparison of n bytes; unlike
 * g_ascii_strncasecmp() it does not stop at a NUL (network bytes). */
static inline gboolean
bytes_caseeq(const guint8 *a, const guint8 *b, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return FALSE;
	return TRUE;
}

static gboolean
is_txtvers(const AdBytes *s, gsize klen)
{
	return klen == 7 && bytes_caseeq(s->data, (const guint8 *)"txtvers", 7);
}

static gboolean
key_charset_ok(const AdBytes *s, gsize klen, gsize *bad)
{
	for (gsize i = 0; i < klen; i++) {
		if (s->data[i] < 0x20 || s->data[i] > 0x7e) {
			*bad = i;
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
spec_defines(const TxtRule *rule, const guint8 *key, gsize len)
{
	for (guint i = 0; i < rule->n_specs; i++)
		if (txt_spec_defines(rule->specs[i], (const char *)key, len))
			return TRUE;
	return FALSE;
}

/* The keys of the TXT record seen so far, for txt-key-duplicate, each
 * (ASCII case-insensitively) with its first string.  A record of up to
 * SEEN_LINEAR_MAX strings, nearly every one, is searched linearly in a
 * list on the stack: fewer instructions than hashing each key and
 * clearing a table.  A larger one uses an open-addressing hash, so that n
 * strings cost O(n) probes and one hash of each key however many repeat;
 * up to SEEN_STACK_SLOTS / 2 strings its table is on the stack, beyond
 * that allocated (the one allocation that is not a finding). */
#define SEEN_LINEAR_MAX 16
#define SEEN_STACK_SLOTS 64

typedef struct {
	guint32 first1;     /* the key's first string + 1; 0: empty slot */
	guint32 hash;
	gsize klen;
	gboolean reported;  /* its txt-key-duplicate is made */
} SeenSlot;

typedef struct {
	SeenSlot *slots;
	gsize mask;         /* 0: the linear list slots[0..n_used) */
	gsize n_used;
	SeenSlot stack[SEEN_STACK_SLOTS];
} SeenKeys;

static void
seen_init(SeenKeys *sk, guint n_strings)
{
	gsize n = SEEN_STACK_SLOTS;

	sk->slots = sk->stack;
	sk->n_used = 0;
	if (n_strings <= SEEN_LINEAR_MAX) {
		sk->mask = 0;
		return;
	}
	/* at most half full */
	while (n < (gsize)n_strings * 2)
		n <<= 1;
	sk->mask = n - 1;
	if (n == SEEN_STACK_SLOTS)
		memset(sk->stack, 0, sizeof sk->stack);
	else
		sk->slots = g_new0(SeenSlot, n);
}

static void
seen_clear(SeenKeys *sk)
{
	if (sk->slots != sk->stack)
		g_free(sk->slots);
}

/* The slot of the key of string i (klen > 0 bytes): that of an earlier
 * string with the same key, else a new one whose first1 is i + 1. */
static SeenSlot *
seen_find_or_add(SeenKeys *sk, const Advertisement *ad, guint i, gsize klen)
{
	const guint8 *key = ad->txt[i].data;
	guint32 h = 2166136261u;    /* FNV-1a over the lowercased key */
	gsize j;

	if (sk->mask == 0) {
		for (j = 0; j < sk->n_used; j++) {
			SeenSlot *sl = &sk->slots[j];

			if (sl->klen == klen &&
			    bytes_caseeq(ad->txt[sl->first1 - 1].data, key, klen))
				return sl;
		}
		sk->slots[j] = (SeenSlot){ i + 1, 0, klen, FALSE };
		sk->n_used++;
		return &sk->slots[j];
	}
	for (gsize k = 0; k < klen; k++)
		h = (h ^ ascii_lower(key[k])) * 16777619u;
	for (j = h & sk->mask;; j = (j + 1) & sk->mask) {
		SeenSlot *sl = &sk->slots[j];

		if (sl->first1 == 0)
			break;
		if (sl->hash == h && sl->klen == klen &&
		    bytes_caseeq(ad->txt[sl->first1 - 1].data, key, klen))
			return sl;
	}
	sk->slots[j] = (SeenSlot){ i + 1, h, klen, FALSE };
	return &sk->slots[j];
}

/* What txt-keys-unexpected says: how many keys count, and the first few
 * of them, taken in the same pass so that the two always agree. */
#define UNEXPECTED_SHOWN 5

typedef struct {
	guint n_keys;
	guint n_shown;
	guint shown[UNEXPECTED_SHOWN];  /* their strings */
} KeyTally;

static void
report_duplicate(const Advertisement *ad, guint i, gsize klen, guint first,
                 FindingList *out)
{
	const AdBytes *s = &ad->txt[i], *w = &ad->txt[first];
	Msg m;

	msg_init_quoted(&m, "TXT key ", s->data, klen);
	msg_str(&m, " appears more than once (strings ");
	msg_uint(&m, first + 1);
	msg_str(&m, " and ");
	msg_uint(&m, i + 1);
	msg_str(&m, "); clients use the first, ");
	msg_quote(&m, w->data, w->len);
	if (w->len == klen)
		msg_str(&m, " (a boolean attribute without value)");
	add(out, FINDING_TXT_KEY_DUPLICATE, &m);
}

static void
check_txtvers(const Advertisement *ad, guint i, gsize klen, FindingList *out)
{
	const AdBytes *s = &ad->txt[i];

	if (i != 0) {
		Msg m;

		msg_init(&m, "");
		msg_str(&m, "txtvers is TXT string ");
		msg_uint(&m, i + 1);
		msg_str(&m, "; it should be the first");
		add(out, FINDING_TXTVERS_NOT_FIRST, &m);
	}
	if (s->len > klen) {
		const guint8 *v = s->data + klen + 1;
		gsize vlen = s->len - klen - 1, k = 0;

		while (k < vlen && g_ascii_isdigit(v[k]))
			k++;
		if (vlen == 0 || k < vlen) {
			Msg m;

			msg_init_quoted(&m, "txtvers value ", v, vlen);
			msg_str(&m, " is not a decimal number");
			add(out, FINDING_TXTVERS_NOT_NUMERIC, &m);
		}
	}
}

/* The rules for TXT string i whose key is klen > 0 bytes long; seen is
 * the slot of its key (seen->first1 == i + 1: the key's first string). */
static void
check_txt_key(const Advertisement *ad, guint i, gsize klen, SeenSlot *seen,
              const TxtRule *rule, FindingList *out, KeyTally *tally)
{
	const AdBytes *s = &ad->txt[i];
	gsize bad = 0;
	gboolean charset_ok = key_charset_ok(s, klen, &bad);
	gboolean repeat = seen->first1 != i + 1;
	gboolean txtvers = is_txtvers(s, klen);

	if (!charset_ok) {
		Msg m;

		msg_init_quoted(&m, "TXT key ", s->data, klen);
		msg_printf(&m, " (string %u) contains byte 0x%02x;"
		               " keys must be printable US-ASCII",
		               i + 1, s->data[bad]);
		add(out, FINDING_TXT_KEY_CHARSET, &m);
	}
	if (repeat && !seen->reported) {
		seen->reported = TRUE;
		report_duplicate(ad, i, klen, seen->first1 - 1, out);
	}
	if (repeat)
		return;
	if (klen > MAX_TXT_KEY_LEN) {
		Msg m;

		msg_init_quoted(&m, "TXT key ", s->data, klen);
		msg_str(&m, " is ");
		msg_uint(&m, klen);
		msg_str(&m, " characters; keys should be at most "
		        G_STRINGIFY(MAX_TXT_KEY_LEN));
		add(out, FINDING_TXT_KEY_TOO_LONG, &m);
	}
	if (txtvers)
		check_txtvers(ad, i, klen, out);
	if (txtvers || !charset_ok)
		return;
	if (tally->n_shown < UNEXPECTED_SHOWN)
		tally->shown[tally->n_shown++] = i;
	tally->n_keys++;
	if (rule->kind == TXT_SPEC_KEYS && !spec_defines(rule, s->data, klen)) {
		Msg m;

		msg_init_quoted(&m, "TXT key ", s->data, klen);
		msg_str(&m, rule->from_catalogue ?
		        " is not among the keys the catalogue lists for this service" :
		        " is not among the keys the registry defines for this service");
		add(out, FINDING_TXT_KEY_UNDEFINED, &m);
	}
}

/* txt-keys-unexpected: one finding, its count and the keys it names
 * taken from the same tally (distinct keys, case-insensitively, without
 * txtvers and without keys that are not printable ASCII). */
static void
report_unexpected(const Advertisement *ad, const TxtRule *rule, const KeyTally *tally,
                  FindingList *out)
{
	Msg m;

	/* Pieces, not printf: one in nine advertisements gets this finding,
	 * and g_vsnprintf() was most of its cost. */
	msg_init(&m, rule->from_catalogue ? "the catalogue" : "the registry");
	msg_str(&m, " says this service defines no TXT keys, but ");
	msg_uint(&m, tally->n_keys);
	msg_str(&m, tally->n_keys == 1 ? " is advertised: " : " are advertised: ");
	for (guint k = 0; k < tally->n_shown; k++) {
		const AdBytes *s = &ad->txt[tally->shown[k]];

		if (k > 0)
			msg_str(&m, ", ");
		msg_quote(&m, s->data, txt_key_len(s));
	}
	if (tally->n_keys > tally->n_shown)
		msg_str(&m, ", ...");
	add(out, FINDING_TXT_KEYS_UNEXPECTED, &m);
}

static void
check_txt(const Advertisement *ad, const TxtRule *rule, FindingList *out)
{
	gsize size = 0;
	KeyTally tally = { 0, 0, { 0 } };
	SeenKeys seen;

	seen_init(&seen, ad->n_txt);
	for (guint i = 0; i < ad->n_txt; i++) {
		const AdBytes *s = &ad->txt[i];
		gsize klen;

		size += 1 + s->len;
		if (s->len == 0 || s->data == NULL)
			continue;
		klen = txt_key_len(s);
		if (klen == 0) {
			Msg m;

			msg_init(&m, "TXT string ");
			msg_uint(&m, i + 1);
			msg_str(&m, " ");
			msg_quote(&m, s->data, s->len);
			msg_str(&m, " has no key (it begins with '=')");
			add(out, FINDING_TXT_KEY_EMPTY, &m);
			continue;
		}
		check_txt_key(ad, i, klen, seen_find_or_add(&seen, ad, i, klen), rule, out,
		              &tally);
	}
	seen_clear(&seen);
	if (size > TXT_SIZE_NOTICE) {
		Msg m;
		gboolean big = size > TXT_SIZE_WARNING;

		msg_init(&m, "");
		msg_printf(&m, "TXT record is %" G_GSIZE_FORMAT " bytes"
		               " (%u strings); DNS-SD %s %d bytes", size,
		               ad->n_txt, big ? "limits it to" :
		               "recommends at most",
		               big ? TXT_SIZE_WARNING : TXT_SIZE_NOTICE);
		add_msg(out, FINDING_TXT_TOO_LARGE,
		        big ? SEVERITY_WARNING : SEVERITY_NOTICE, &m);
	}
	if (rule->kind == TXT_SPEC_NONE && tally.n_keys > 0)
		report_unexpected(ad, rule, &tally, out);
}

/* ---- entry point ------------------------------------------------------- */

guint
validator_check(const Advertisement *ad, const Registry *reg, const Registry *catalogue,
                FindingList *out)
{
	guint before = out->len;
	const char *service, *proto;
	gsize service_len;
	TxtRule txt = { TXT_SPEC_ABSENT, { NULL }, 0, FALSE };

	if (validator_split_type(ad->type, &service, &service_len, &proto)) {
		check_service_name(service, service_len, out);
		check_registry(ad, reg, catalogue, service, service_len, proto, out, &txt);
	} else {
		check_type_malformed(ad->type, out);
	}
	check_subtypes(ad, out);
	if (ad->instance.data != NULL)
		check_instance(&ad->instance, out);
	if (ad->txt_known)
		check_txt(ad, &txt, out);
	if (ad->resolve_failed) {
		Msg m;

		msg_init(&m, "the service could not be resolved (no SRV/TXT answer)");
		add(out, FINDING_RESOLVE_FAILED, &m);
	}
	return out->len - before;
}
