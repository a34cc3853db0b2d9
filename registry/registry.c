/* registry.c - load IANA's service-names-port-numbers.xml into an index.
 *
 * The file (about 4 MB, 14,000 records) is streamed through libxml2's
 * SAX2 callbacks: no tree, not even the per-node one xmlTextReader
 * builds and frees (which costs twice the parse itself).  Only the
 * record fields we keep are copied, into one GStringChunk.
 * Records live in one array; the index maps each name (compared ASCII
 * case-insensitively, without allocating) to a run of record pointers in
 * one flat array, so a lookup is one hash probe and returns a slice.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/escape.h"
#include "registry/registry.h"
#include <libxml/parser.h>
#include <libxml/SAX2.h>

#define IANA_NS "http://www.iana.org/assignments"
#define REGISTRY_FILE "service-names-port-numbers.xml"

G_DEFINE_QUARK(registry-error-quark, registry_error)

/* One distinct name: its spelling (of the first record) and the run
 * index->ptrs[start .. start + n). */
typedef struct {
	const char *name;
	guint len;
	guint start;
	guint n;
} NameSlot;

struct _Registry {
	gint refcount;
	char *path;
	char *updated;
	GStringChunk *strings;
	GArray *records;               /* RegistryRecord, file order */
	/* The index, rebuilt after every file. */
	GHashTable *by_name;           /* NameSlot * -> NameSlot * */
	NameSlot *slots;
	const RegistryRecord **ptrs;
	/* records->data when the index was built: ptrs point into it, and a
	 * file being loaded may move the array (local_record_allowed()). */
	const RegistryRecord *index_base;
};

static inline guchar
ascii_lower(guchar c)
{
	return (c >= 'A' && c <= 'Z') ? c | 0x20 : c;
}

/* FNV-1a over the ASCII-lowercased bytes. */
static guint
slot_hash(gconstpointer p)
{
	const NameSlot *s = p;
	guint32 h = 2166136261u;

	for (guint i = 0; i < s->len; i++) {
		h ^= ascii_lower((guchar) s->name[i]);
		h *= 16777619u;
	}
	return h;
}

static gboolean
slot_equal(gconstpointer a, gconstpointer b)
{
	const NameSlot *x = a, *y = b;

	if (x->len != y->len)
		return FALSE;
	/* Inline, not g_ascii_strncasecmp(): one lookup per advertisement
	 * judged, and the names hold no NUL within their length. */
	for (guint i = 0; i < x->len; i++)
		if (ascii_lower((guchar) x->name[i]) != ascii_lower((guchar) y->name[i]))
			return FALSE;
	return TRUE;
}

/* ---- loading ---- */

typedef enum {
	FIELD_NONE = 0,
	FIELD_NAME,
	FIELD_PROTOCOL,
	FIELD_NUMBER,
	FIELD_DESCRIPTION,
	FIELD_NOTE,
	FIELD_UPDATED,
} Field;

typedef struct {
	Registry *reg;
	const char *path;
	RegistrySource source;
	xmlParserCtxtPtr ctxt;
	/* Where the SAX events are: the open element's depth (the root is
	 * 0), the depth of a subtree being skipped (-1: none). */
	int depth;
	int skip_from;
	gboolean in_record;
	gboolean saw_root;
	/* First libxml2 error, reported instead of printed. */
	gboolean xml_failed;
	int xml_code;
	int xml_line;
	char *xml_message;
	/* Our own first error. */
	GError *error;
	/* Interned element names: compare pointers, not strings. */
	const xmlChar *s_registry, *s_record, *s_name, *s_protocol, *s_number,
	              *s_description, *s_note, *s_updated, *s_br, *s_paragraph, *s_xref;
	/* The record being read: each field's text, appended in place. */
	Field field;
	int field_line;
	GString *text;                 /* == value[field] while in a field */
	GString *value[FIELD_UPDATED + 1];
	int number_line;
	/* The previous record's strings: tcp and udp records repeat them,
	 * so equal neighbours share one copy. */
	const char *prev_name, *prev_description, *prev_note;
	int record_line;               /* where the open <record> starts */
	GString *uri;                  /* the record's first <xref type="uri"> */
	/* Local files: the records ignored because IANA has them
	 * (registry_add_local()); NULL: not asked for. */
	GPtrArray *warnings;
	guint n_records;
	gint64 file_size;
	int fd;
} Loader;

#if LIBXML_VERSION >= 21200
static void
on_xml_error(void *data, const xmlError *err)
#else
static void
on_xml_error(void *data, xmlErrorPtr err)
#endif
{
	Loader *ld = data;

	if (ld->xml_failed || err == NULL || err->level < XML_ERR_ERROR)
		return;
	ld->xml_failed = TRUE;
	ld->xml_code = err->code;
	ld->xml_line = err->line;
	g_autofree char *msg = g_strstrip(g_strdup(err->message != NULL ? err->message : "unknown error"));
	ld->xml_message = escape_str(msg);
}

/* libxml2's generic (printf-style) error channel: see load_file(). */
static void
discard_generic_error(void *ctx, const char *msg, ...)
{
}

static void G_GNUC_PRINTF(4, 5)
loader_fail(Loader *ld, RegistryErrorCode code, int line, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	if (ld->error != NULL)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		g_set_error(&ld->error, REGISTRY_ERROR, code, "%s:%d: %s", ld->path, line, msg);
	else
		g_set_error(&ld->error, REGISTRY_ERROR, code, "%s: %s", ld->path, msg);
}

/* What kind of XML problem the first libxml2 error is.  No root element
 * parsed: the file does not start as XML.  The whole file read and the
 * parser stopped within its last bytes (an unfinished token): it ends
 * too early (libxml2 says "Extra content at the end of the document" for
 * some cuts, "Premature end of data" for others). */
static const char *
xml_problem(Loader *ld)
{
	long consumed = xmlByteConsumed(ld->ctxt);

	if (!ld->saw_root ||
	    ld->xml_code == XML_ERR_DOCUMENT_EMPTY || ld->xml_code == XML_ERR_DOCUMENT_START)
		return "not XML";
	/* Bytes that are not UTF-8 are bad content wherever they stand. */
	if (ld->xml_code == XML_ERR_INVALID_CHAR || ld->xml_code == XML_ERR_INVALID_ENCODING)
		return "malformed XML";
	if ((lseek(ld->fd, 0, SEEK_CUR) >= ld->file_size && consumed >= 0 &&
	     (gint64) consumed + 256 >= ld->file_size) ||
	    ld->xml_code == XML_ERR_TAG_NOT_FINISHED)
		return "truncated XML";
	return "malformed XML";
}

/* Turn the first libxml2 error into our one line. */
static void
loader_fail_xml(Loader *ld)
{
	loader_fail(ld, REGISTRY_ERROR_PARSE, ld->xml_line, "%s: %s", xml_problem(ld),
	            ld->xml_message != NULL ? ld->xml_message : "parse error");
}

/* The field's text without surrounding white space, or NULL if empty. */
static const char *
field_text(Loader *ld, Field f)
{
	GString *v = ld->value[f];
	gsize start = 0;

	while (v->len > 0 && g_ascii_isspace(v->str[v->len - 1]))
		v->str[--v->len] = '\0';
	while (start < v->len && g_ascii_isspace(v->str[start]))
		start++;
	return start < v->len ? v->str + start : NULL;
}

static void
clear_record(Loader *ld)
{
	for (guint f = 0; f < G_N_ELEMENTS(ld->value); f++)
		if (ld->value[f] != NULL)
			g_string_truncate(ld->value[f], 0);
	if (ld->uri != NULL)
		g_string_truncate(ld->uri, 0);
}

/* Parse "631" or "6000-6063".  Returns FALSE if s is neither. */
static gboolean
registry_parse_port(const char *s, gint32 *low, gint32 *high)
{
	guint64 a, b;
	char *end;

	if (!g_ascii_isdigit(s[0]))
		return FALSE;
	a = g_ascii_strtoull(s, &end, 10);
	if (a > 65535)
		return FALSE;
	*low = (gint32) a;
	*high = -1;
	if (*end == '\0')
		return TRUE;
	if (*end != '-' || !g_ascii_isdigit(end[1]))
		return FALSE;
	b = g_ascii_strtoull(end + 1, &end, 10);
	if (*end != '\0' || b > 65535 || b < a)
		return FALSE;
	*high = (gint32) b;
	return TRUE;
}

static gboolean
parse_transport(const char *s, RegistryTransport *t)
{
	if (s == NULL || *s == '\0')
		*t = REGISTRY_TRANSPORT_NONE;
	else if (g_ascii_strcasecmp(s, "tcp") == 0)
		*t = REGISTRY_TRANSPORT_TCP;
	else if (g_ascii_strcasecmp(s, "udp") == 0)
		*t = REGISTRY_TRANSPORT_UDP;
	else if (g_ascii_strcasecmp(s, "sctp") == 0)
		*t = REGISTRY_TRANSPORT_SCTP;
	else if (g_ascii_strcasecmp(s, "dccp") == 0)
		*t = REGISTRY_TRANSPORT_DCCP;
	else
		return FALSE;
	return TRUE;
}

/* The status a note gives a name; sets *replacement (in the chunk) for
 * aliases.  device-info's "Not a service type" is the exception: its
 * TXT record carries the device model and is meant to be advertised. */
static RegistryStatus
note_status(Loader *ld, const char *name, const char *note, const char **replacement)
{
	const char *alias;

	*replacement = NULL;
	if (note == NULL)
		return REGISTRY_STATUS_ACTIVE;
	alias = strstr(note, "This entry is an alias to \"");
	if (alias != NULL) {
		const char *x = alias + strlen("This entry is an alias to \"");
		const char *q = strchr(x, '"');

		if (q != NULL && q > x) {
			g_autofree char *r = g_strndup(x, q - x);
			*replacement = g_string_chunk_insert_const(ld->reg->strings, r);
		}
		return REGISTRY_STATUS_HISTORIC;
	}
	if (strstr(note, "This service name is no longer in use") != NULL)
		return REGISTRY_STATUS_HISTORIC;
	if (strstr(note, "should not be used for discovery purposes") != NULL)
		return REGISTRY_STATUS_NOT_FOR_DISCOVERY;
	if ((g_str_has_prefix(note, "Not a service type") ||
	     g_str_has_prefix(note, "Not a real service type")) &&
	    g_ascii_strcasecmp(name, "device-info") != 0)
		return REGISTRY_STATUS_NOT_FOR_DISCOVERY;
	return REGISTRY_STATUS_ACTIVE;
}

/* Copy s into the registry's strings, sharing the previous record's copy
 * (*prev) when equal. */
static const char *
keep_string(Loader *ld, const char *s, const char **prev)
{
	if (s == NULL)
		return NULL;
	if (*prev == NULL || strcmp(*prev, s) != 0)
		*prev = g_string_chunk_insert(ld->reg->strings, s);
	return *prev;
}

/* The DNS-SD transport labels a record serves: _tcp (1), _udp (2; for
 * udp, sctp and dccp), both for a record without transport. */
static guint
transport_labels(RegistryTransport t)
{
	switch (t) {
	case REGISTRY_TRANSPORT_NONE: return 3;
	case REGISTRY_TRANSPORT_TCP:  return 1;
	default:                      return 2;
	}
}

static const char *
transport_or_none(RegistryTransport t)
{
	const char *n = registry_transport_name(t);

	return n != NULL ? n : "no transport";
}

/* A site-local record against IANA's records of its name (the index
 * holds them: registry_load() built it).  Local records add names and
 * transports; they never change what IANA says about a name.  FALSE if
 * IANA already has the name for a transport label the record serves
 * (then the record is ignored, with one warning); else *iana_name is
 * IANA's spelling of the name, or NULL if IANA does not have it. */
static gboolean
local_record_allowed(Loader *ld, const char *name, RegistryTransport t, const char **iana_name)
{
	Registry *reg = ld->reg;
	NameSlot key = { name, (guint) strlen(name), 0, 0 };
	const NameSlot *slot = reg->by_name != NULL ? g_hash_table_lookup(reg->by_name, &key) : NULL;

	*iana_name = NULL;
	for (guint i = 0; slot != NULL && i < slot->n; i++) {
		/* The index is of the records before this file; appending to
		 * the array may have moved it, so go by position. */
		gsize pos = (gsize) (reg->ptrs[slot->start + i] - reg->index_base);
		const RegistryRecord *r = &g_array_index(reg->records, RegistryRecord, pos);

		if (r->source != REGISTRY_SOURCE_IANA)
			continue;
		if (transport_labels(r->transport) & transport_labels(t)) {
			g_autofree char *nm = escape_bytes(name, strnlen(name, 80));
			g_autofree char *iana = escape_bytes(r->name, strnlen(r->name, 80));

			if (ld->warnings != NULL)
				g_ptr_array_add(ld->warnings, g_strdup_printf(
					"%s:%d: local record \"%s\" (%s) ignored: the IANA"
					" registry has \"%s\" for %s already; local records"
					" only add names and transports", ld->path,
					ld->record_line, nm, transport_or_none(t),
					iana, transport_or_none(r->transport)));
			return FALSE;
		}
		if (*iana_name == NULL)
			*iana_name = r->name;
	}
	return TRUE;
}

/* </record>: keep it if it has a name. */
static void
finish_record(Loader *ld, int line)
{
	RegistryRecord rec = { 0 };
	const char *name = field_text(ld, FIELD_NAME);
	const char *number = field_text(ld, FIELD_NUMBER);
	const char *iana_name = NULL;

	if (name == NULL) {
		clear_record(ld);
		return;
	}
	if (!parse_transport(field_text(ld, FIELD_PROTOCOL), &rec.transport)) {
		/* A transport this program does not know cannot match an
		 * advertisement's _tcp/_udp; keep the rest of the file. */
		clear_record(ld);
		return;
	}
	rec.port = rec.port_high = -1;
	if (number != NULL && !registry_parse_port(number, &rec.port, &rec.port_high)) {
		g_autofree char *num = escape_bytes(number, strnlen(number, 40));
		g_autofree char *nm = escape_bytes(name, strnlen(name, 80));

		loader_fail(ld, REGISTRY_ERROR_INVALID, ld->number_line > 0 ? ld->number_line : line,
		            "bad port number \"%s\" in the record of \"%s\"", num, nm);
		clear_record(ld);
		return;
	}
	if (ld->source == REGISTRY_SOURCE_LOCAL &&
	    !local_record_allowed(ld, name, rec.transport, &iana_name)) {
		clear_record(ld);
		return;
	}
	rec.name = keep_string(ld, name, &ld->prev_name);
	rec.description = keep_string(ld, field_text(ld, FIELD_DESCRIPTION), &ld->prev_description);
	rec.note = keep_string(ld, field_text(ld, FIELD_NOTE), &ld->prev_note);
	rec.status = note_status(ld, rec.name, rec.note, &rec.replacement);
	rec.source = ld->source;
	if (iana_name != NULL) {
		/* A new transport for an IANA name: IANA's spelling, and never
		 * a status of its own (status is the name's, not the
		 * transport's: it would turn IANA's name historic). */
		rec.name = iana_name;
		rec.status = REGISTRY_STATUS_ACTIVE;
		rec.replacement = NULL;
	}
	if (ld->uri->len > 0)
		rec.source_uri = g_string_chunk_insert_const(ld->reg->strings, ld->uri->str);
	txt_spec_parse(rec.note, &rec.txt);
	g_array_append_val(ld->reg->records, rec);
	ld->n_records++;
	clear_record(ld);
}

/* The line the parser is on: in a start-tag callback, the line of the
 * tag's '>'; in an end-tag callback, that of the end tag. */
static int
parser_line(Loader *ld)
{
	return xmlSAX2GetLineNumber(ld->ctxt);
}

static void
start_field(Loader *ld, Field f)
{
	ld->field = f;
	/* Only a port number can be wrong: find lines only for those. */
	ld->field_line = f == FIELD_NUMBER ? parser_line(ld) : 0;
	ld->text = ld->value[f];
	g_string_truncate(ld->text, 0);
}

/* Is s an ISO date "YYYY-MM-DD", the only form IANA writes in <updated>?
 * The date reaches log lines, terminals and a D-Bus property, so anything
 * else (a newline forging a second line, say) is not taken as the date. */
static gboolean
is_iso_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";

	for (guint i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !g_ascii_isdigit(s[i]) : s[i] != shape[i])
			return FALSE;
	}
	return s[sizeof(shape) - 1] == '\0';
}

static void
end_field(Loader *ld)
{
	const char *updated;

	if (ld->field == FIELD_NUMBER)
		ld->number_line = ld->field_line;
	if (ld->field == FIELD_UPDATED && ld->source == REGISTRY_SOURCE_IANA &&
	    ld->reg->updated == NULL &&
	    (updated = field_text(ld, FIELD_UPDATED)) != NULL && is_iso_date(updated))
		ld->reg->updated = g_strdup(updated);
	ld->field = FIELD_NONE;
}

/* An element inside a field's text: <br/> and <paragraph> break lines,
 * <xref type="rfc" data="rfc6335"/> reads "[RFC6335]". */
static void
inline_element(Loader *ld, const xmlChar *local, int n_attributes, const xmlChar **attributes)
{
	if (local == ld->s_br || local == ld->s_paragraph) {
		g_string_append_c(ld->text, '\n');
	} else if (local == ld->s_xref) {
		/* SAX2 hands attributes over as (local name, prefix, URI,
		 * value, value end) quintuples; the value is not terminated. */
		for (int i = 0; i < n_attributes; i++) {
			const xmlChar **a = attributes + 5 * i;

			if (a[1] == NULL && strcmp((const char *) a[0], "data") == 0) {
				g_string_append_c(ld->text, '[');
				for (const xmlChar *c = a[3]; c < a[4]; c++)
					g_string_append_c(ld->text, g_ascii_toupper(*c));
				g_string_append_c(ld->text, ']');
				break;
			}
		}
	}
}

/* A record's own <xref type="uri" data="..."/> (not one inside a field):
 * where the record comes from.  The first one is kept. */
static void
record_xref(Loader *ld, int n_attributes, const xmlChar **attributes)
{
	const xmlChar *data = NULL, *data_end = NULL;
	gboolean uri = FALSE;

	if (ld->uri->len > 0)
		return;
	for (int i = 0; i < n_attributes; i++) {
		const xmlChar **a = attributes + 5 * i;
		gsize len = (gsize) (a[4] - a[3]);

		if (a[1] != NULL)
			continue;
		if (strcmp((const char *) a[0], "type") == 0)
			uri = len == 3 && memcmp(a[3], "uri", 3) == 0;
		else if (strcmp((const char *) a[0], "data") == 0) {
			data = a[3];
			data_end = a[4];
		}
	}
	if (!uri || data == NULL)
		return;
	while (data < data_end && g_ascii_isspace(*data))
		data++;
	while (data_end > data && g_ascii_isspace(data_end[-1]))
		data_end--;
	/* Without entity substitution libxml2 hands "&amp;" (and "&#38;")
	 * over as "&#38;"; the other predefined entities come decoded. */
	while (data < data_end) {
		if (data_end - data >= 5 && memcmp(data, "&#38;", 5) == 0) {
			g_string_append_c(ld->uri, '&');
			data += 5;
		} else {
			g_string_append_c(ld->uri, (char) *data++);
		}
	}
}

static Field
field_of(Loader *ld, const xmlChar *local)
{
	if (local == ld->s_name)        return FIELD_NAME;
	if (local == ld->s_protocol)    return FIELD_PROTOCOL;
	if (local == ld->s_number)      return FIELD_NUMBER;
	if (local == ld->s_description) return FIELD_DESCRIPTION;
	if (local == ld->s_note)        return FIELD_NOTE;
	return FIELD_NONE;
}

/* The root must be IANA's <registry>. */
static gboolean
check_root(Loader *ld, const xmlChar *local, const xmlChar *ns)
{
	if (local == ld->s_registry && ns != NULL && strcmp((const char *) ns, IANA_NS) == 0)
		return TRUE;
	loader_fail(ld, REGISTRY_ERROR_INVALID, parser_line(ld),
	            "not an IANA registry: the root element is not <registry xmlns=\"%s\">", IANA_NS);
	return FALSE;
}

/* Our own error: stop the parser (allowed from a SAX callback). */
static void
loader_stop(Loader *ld)
{
	xmlStopParser(ld->ctxt);
}

/* The SAX2 callbacks.  Depth 0 is <registry>, 1 holds <record> and
 * <updated>, 2 the record's fields; everything else is skipped whole. */
static void
on_start(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
         int n_namespaces, const xmlChar **namespaces,
         int n_attributes, int n_defaulted, const xmlChar **attributes)
{
	Loader *ld = data;
	int depth = ld->depth++;

	if (ld->error != NULL || ld->skip_from >= 0)
		return;
	if (depth == 0) {
		ld->saw_root = TRUE;
		if (!check_root(ld, local, uri))
			loader_stop(ld);
	} else if (ld->field != FIELD_NONE) {
		inline_element(ld, local, n_attributes, attributes);
	} else if (depth == 1 && local == ld->s_record) {
		ld->in_record = TRUE;
		ld->record_line = parser_line(ld);
	} else if (depth == 1 && local == ld->s_updated) {
		start_field(ld, FIELD_UPDATED);
	} else if (depth == 2 && ld->in_record && field_of(ld, local) != FIELD_NONE) {
		start_field(ld, field_of(ld, local));
	} else if (depth == 2 && ld->in_record && local == ld->s_xref) {
		record_xref(ld, n_attributes, attributes);
		ld->skip_from = depth;
	} else {
		ld->skip_from = depth;
	}
}

static void
on_end(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	Loader *ld = data;
	int depth = --ld->depth;

	if (ld->error != NULL)
		return;
	if (ld->skip_from >= 0) {
		if (depth == ld->skip_from)
			ld->skip_from = -1;
		return;
	}
	if (ld->field != FIELD_NONE && depth == (ld->field == FIELD_UPDATED ? 1 : 2)) {
		end_field(ld);
	} else if (depth == 1 && ld->in_record) {
		ld->in_record = FALSE;
		finish_record(ld, parser_line(ld));
		if (ld->error != NULL)
			loader_stop(ld);
	}
}

/* Text and CDATA (and blanks: with no DTD all of it is characters). */
static void
on_text(void *data, const xmlChar *text, int len)
{
	Loader *ld = data;

	if (ld->field != FIELD_NONE && ld->skip_from < 0 && ld->error == NULL)
		g_string_append_len(ld->text, (const char *) text, len);
}

/* IANA's file has no DOCTYPE; a DTD only brings entities.  Refused
 * before its internal subset is read. */
static void
on_doctype(void *data, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
	Loader *ld = data;

	loader_fail(ld, REGISTRY_ERROR_INVALID, parser_line(ld),
	            "document type declarations are not accepted");
	loader_stop(ld);
}

/* The parser's input: the file, until the first error.  After it the
 * parser sees an end of file, so no more than the bytes already read are
 * parsed (libxml2 goes on past some errors, e.g. by reading bad UTF-8 as
 * Latin-1; 100 MB of garbage must still fail at once). */
static int
read_input(void *data, char *buf, int len)
{
	Loader *ld = data;
	ssize_t n;

	if (ld->error != NULL || ld->xml_failed)
		return 0;
	do
		n = read(ld->fd, buf, (size_t) len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		loader_fail(ld, REGISTRY_ERROR_OPEN, 0, "read error: %s", g_strerror(errno));
		return -1;
	}
	return (int) n;
}

/* Parse the whole file with the callbacks above. */
static void
loader_run(Loader *ld)
{
	int ok = xmlParseDocument(ld->ctxt);

	if (ld->error == NULL && (ok != 0 || !ld->ctxt->wellFormed || ld->xml_failed)) {
		if (!ld->xml_failed) {
			ld->xml_line = parser_line(ld);
			ld->xml_message = g_strdup("parse error");
		}
		loader_fail_xml(ld);
	}
}

/* Read one file into reg.  Returns FALSE with error set (one line naming
 * the file, the line and the problem).  Records already added by this
 * call stay in reg; callers throw reg away on failure (registry_load) or
 * trim it (registry_add_local). */
static gboolean
load_file(Registry *reg, const char *path, RegistrySource source, GPtrArray *warnings,
          GError **error)
{
	Loader ld = { 0 };
	xmlSAXHandler sax;
	struct stat st;
	int fd;
	guint n_warnings = warnings != NULL ? warnings->len : 0;

	ld.reg = reg;
	ld.path = path;
	ld.source = source;
	ld.warnings = warnings;

	/* O_NONBLOCK: a FIFO named by mistake must not hang the open; it is
	 * refused below with everything else that is not a regular file. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		g_set_error(error, REGISTRY_ERROR, REGISTRY_ERROR_OPEN, "%s: cannot open: %s",
		            path, g_strerror(errno));
		return FALSE;
	}
	if (fstat(fd, &st) != 0) {
		g_set_error(error, REGISTRY_ERROR, REGISTRY_ERROR_OPEN, "%s: cannot stat: %s",
		            path, g_strerror(errno));
		close(fd);
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, REGISTRY_ERROR, REGISTRY_ERROR_OPEN, "%s: not a regular file", path);
		close(fd);
		return FALSE;
	}
	{
		int fl = fcntl(fd, F_GETFL);

		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
			g_set_error(error, REGISTRY_ERROR, REGISTRY_ERROR_OPEN, "%s: fcntl: %s",
			            path, g_strerror(errno));
			close(fd);
			return FALSE;
		}
	}
	ld.file_size = st.st_size;
	ld.fd = fd;
	if (st.st_size == 0) {
		g_set_error(error, REGISTRY_ERROR, REGISTRY_ERROR_PARSE, "%s:1: empty file", path);
		close(fd);
		return FALSE;
	}
	/* libxml2 reports some errors (encoding conversion, I/O) through its
	 * process-wide generic handler, which prints to stderr; the
	 * structured handler below already turns the first error into our
	 * one line, so the generic channel is silenced. */
	xmlSetGenericErrorFunc(NULL, discard_generic_error);
	/* Only the callbacks we need: no tree, no entity declarations kept,
	 * no external subset, no entity resolver, so nothing but the five
	 * predefined entities and character references is ever expanded. */
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.internalSubset = on_doctype;
	sax.serror = on_xml_error;
	ld.ctxt = xmlCreateIOParserCtxt(&sax, &ld, read_input, NULL, &ld, XML_CHAR_ENCODING_NONE);
	if (ld.ctxt == NULL) {
		g_set_error(error, REGISTRY_ERROR, REGISTRY_ERROR_OPEN, "%s: cannot read", path);
		close(fd);
		return FALSE;
	}
	/* No network, no DTD loading, no entity substitution (no
	 * XML_PARSE_NOENT / DTDLOAD): the file is data, not instructions.
	 * NOCDATA: CDATA arrives as characters.  BIG_LINES: the file has
	 * more than 65535 lines.  Always UTF-8 (IANA's encoding), whatever
	 * the file declares (IGNORE_ENC; naming "UTF-8" as the encoding
	 * instead would add a copying decoder): a declared legacy encoding
	 * would go through iconv, where valgrind saw libxml2 2.9.14 read past
	 * a buffer on bad ISO-2022-JP input. */
	xmlCtxtUseOptions(ld.ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
	                  XML_PARSE_IGNORE_ENC);
	ld.skip_from = -1;
#define INTERN(field, s) ld.field = xmlDictLookup(ld.ctxt->dict, BAD_CAST s, -1)
	INTERN(s_registry, "registry");
	INTERN(s_record, "record");
	INTERN(s_name, "name");
	INTERN(s_protocol, "protocol");
	INTERN(s_number, "number");
	INTERN(s_description, "description");
	INTERN(s_note, "note");
	INTERN(s_updated, "updated");
	INTERN(s_br, "br");
	INTERN(s_paragraph, "paragraph");
	INTERN(s_xref, "xref");
#undef INTERN
	for (guint f = 0; f < G_N_ELEMENTS(ld.value); f++)
		ld.value[f] = g_string_sized_new(f == FIELD_NOTE ? 1024 : 64);
	ld.uri = g_string_sized_new(64);

	loader_run(&ld);
	if (ld.error == NULL && ld.n_records == 0 && source != REGISTRY_SOURCE_LOCAL)
		loader_fail(&ld, REGISTRY_ERROR_INVALID, parser_line(&ld),
		            "no service records (no <record> with a <name>)");

	if (ld.ctxt->myDoc != NULL)
		xmlFreeDoc(ld.ctxt->myDoc);
	xmlFreeParserCtxt(ld.ctxt);
	close(fd);
	for (guint f = 0; f < G_N_ELEMENTS(ld.value); f++)
		g_string_free(ld.value[f], TRUE);
	g_string_free(ld.uri, TRUE);
	g_free(ld.xml_message);
	if (ld.error != NULL) {
		/* A file that fails adds nothing, not even warnings. */
		if (warnings != NULL)
			g_ptr_array_set_size(warnings, n_warnings);
		g_propagate_error(error, ld.error);
		return FALSE;
	}
	return TRUE;
}

/* Build the name index over all records: one slot per distinct name and
 * one flat pointer array in which each name's records are contiguous,
 * in file order. */
static void
build_index(Registry *reg)
{
	guint n = reg->records->len, n_slots = 0, fill;
	guint *slot_of = g_new(guint, n);
	guint *pos;

	g_clear_pointer(&reg->by_name, g_hash_table_unref);
	g_free(reg->slots);
	g_free(reg->ptrs);
	reg->by_name = g_hash_table_new(slot_hash, slot_equal);
	reg->slots = g_new0(NameSlot, n > 0 ? n : 1);
	reg->ptrs = g_new(const RegistryRecord *, n > 0 ? n : 1);
	reg->index_base = (const RegistryRecord *) (void *) reg->records->data;

	for (guint i = 0; i < n; i++) {
		const RegistryRecord *rec = &g_array_index(reg->records, RegistryRecord, i);
		NameSlot key = { rec->name, (guint) strlen(rec->name), 0, 0 };
		NameSlot *slot = g_hash_table_lookup(reg->by_name, &key);

		if (slot == NULL) {
			slot = &reg->slots[n_slots++];
			*slot = key;
			g_hash_table_add(reg->by_name, slot);
		}
		slot->n++;
		slot_of[i] = (guint) (slot - reg->slots);
	}
	fill = 0;
	for (guint s = 0; s < n_slots; s++) {
		reg->slots[s].start = fill;
		fill += reg->slots[s].n;
	}
	pos = g_new0(guint, n_slots > 0 ? n_slots : 1);
	for (guint i = 0; i < n; i++) {
		guint s = slot_of[i];
		reg->ptrs[reg->slots[s].start + pos[s]++] = &g_array_index(reg->records, RegistryRecord, i);
	}
	g_free(pos);
	g_free(slot_of);
}

static void
free_records_from(Registry *reg, guint from)
{
	for (guint i = from; i < reg->records->len; i++)
		txt_spec_clear(&g_array_index(reg->records, RegistryRecord, i).txt);
	g_array_set_size(reg->records, from);
}

/* A registry of one file whose records carry source. */
static Registry *
load_registry(const char *path, RegistrySource source, guint size_hint, GError **error)
{
	g_autoptr(Registry) reg = g_new0(Registry, 1);

	g_return_val_if_fail(path != NULL, NULL);
	reg->refcount = 1;
	reg->path = g_strdup(path);
	reg->strings = g_string_chunk_new(64 * 1024);
	reg->records = g_array_sized_new(FALSE, FALSE, sizeof(RegistryRecord), size_hint);
	if (!load_file(reg, path, source, NULL, error))
		return NULL;
	build_index(reg);
	return g_steal_pointer(&reg);
}

Registry *
registry_load(const char *path, GError **error)
{
	return load_registry(path, REGISTRY_SOURCE_IANA, 16384, error);
}

Registry *
registry_load_catalogue(const char *path, GError **error)
{
	return load_registry(path, REGISTRY_SOURCE_CATALOGUE, 256, error);
}

gboolean
registry_add_local(Registry *reg, const char *path, GPtrArray *warnings, GError **error)
{
	guint before;

	g_return_val_if_fail(reg != NULL && path != NULL, FALSE);
	before = reg->records->len;
	if (!load_file(reg, path, REGISTRY_SOURCE_LOCAL, warnings, error)) {
		free_records_from(reg, before);
		return FALSE;
	}
	build_index(reg);
	return TRUE;
}

Registry *
registry_ref(Registry *reg)
{
	g_return_val_if_fail(reg != NULL, NULL);
	g_atomic_int_inc(&reg->refcount);
	return reg;
}

void
registry_unref(Registry *reg)
{
	if (reg == NULL || !g_atomic_int_dec_and_test(&reg->refcount))
		return;
	if (reg->records != NULL) {
		free_records_from(reg, 0);
		g_array_unref(reg->records);
	}
	g_clear_pointer(&reg->by_name, g_hash_table_unref);
	g_free(reg->slots);
	g_free(reg->ptrs);
	if (reg->strings != NULL)
		g_string_chunk_free(reg->strings);
	g_free(reg->updated);
	g_free(reg->path);
	g_free(reg);
}

guint
registry_lookup_len(const Registry *reg, const char *name, gsize len,
                    const RegistryRecord *const **records)
{
	NameSlot key = { name, (guint) len, 0, 0 };
	const NameSlot *slot;

	*records = NULL;
	if (reg == NULL || reg->by_name == NULL || name == NULL || len == 0 || len > G_MAXUINT)
		return 0;
	slot = g_hash_table_lookup(reg->by_name, &key);
	if (slot == NULL)
		return 0;
	*records = reg->ptrs + slot->start;
	return slot->n;
}

guint
registry_lookup(const Registry *reg, const char *name, const RegistryRecord *const **records)
{
	return registry_lookup_len(reg, name, name != NULL ? strlen(name) : 0, records);
}

const char *
registry_updated(const Registry *reg)
{
	return reg->updated;
}

const char *
registry_path(const Registry *reg)
{
	return reg->path;
}

guint
registry_n_records(const Registry *reg)
{
	return reg->records->len;
}

guint
registry_n_names(const Registry *reg)
{
	return reg->by_name != NULL ? g_hash_table_size(reg->by_name) : 0;
}

void
registry_foreach(const Registry *reg, void (*func)(const RegistryRecord *rec, gpointer data),
                 gpointer data)
{
	for (guint i = 0; i < reg->records->len; i++)
		func(&g_array_index(reg->records, RegistryRecord, i), data);
}

const char *
registry_transport_name(RegistryTransport t)
{
	switch (t) {
	case REGISTRY_TRANSPORT_TCP:  return "tcp";
	case REGISTRY_TRANSPORT_UDP:  return "udp";
	case REGISTRY_TRANSPORT_SCTP: return "sctp";
	case REGISTRY_TRANSPORT_DCCP: return "dccp";
	case REGISTRY_TRANSPORT_NONE: break;
	}
	return NULL;
}

const char *
registry_status_name(RegistryStatus s)
{
	switch (s) {
	case REGISTRY_STATUS_ACTIVE:            return "active";
	case REGISTRY_STATUS_HISTORIC:          return "historic";
	case REGISTRY_STATUS_NOT_FOR_DISCOVERY: return "not-for-discovery";
	}
	return "unknown";
}

const char *
registry_source_name(RegistrySource s)
{
	switch (s) {
	case REGISTRY_SOURCE_IANA:      return "iana";
	case REGISTRY_SOURCE_LOCAL:     return "local";
	case REGISTRY_SOURCE_CATALOGUE: return "catalogue";
	}
	return "iana";
}

char *
registry_default_path(const char *explicit_path)
{
	const char *env = g_getenv("DNSSD_AUDIT_REGISTRY");
	g_autofree char *state = NULL;

	if (explicit_path != NULL)
		return g_strdup(explicit_path);
	if (env != NULL && *env != '\0')
		return g_strdup(env);
	state = g_build_filename(LOCALSTATEDIR, "lib", "dnssd-audit", REGISTRY_FILE, NULL);
	if (g_file_test(state, G_FILE_TEST_EXISTS))
		return g_steal_pointer(&state);
	return g_build_filename(PKGDATADIR, REGISTRY_FILE, NULL);
}

char *
registry_default_local_path(void)
{
	return g_build_filename(SYSCONFDIR, "dnssd-audit", "local-services.xml", NULL);
}

Registry *
registry_open(const char *explicit_path, const char *local_path, gboolean skip_default_local,
              GPtrArray *warnings, GError **error)
{
	g_autofree char *path = registry_default_path(explicit_path);
	g_autofree char *local = NULL;
	g_autoptr(Registry) reg = registry_load(path, error);

	if (reg == NULL)
		return NULL;
	if (local_path != NULL) {
		local = g_strdup(local_path);
	} else if (!skip_default_local) {
		local = registry_default_local_path();
		if (!g_file_test(local, G_FILE_TEST_EXISTS))
			g_clear_pointer(&local, g_free);
	}
	if (local != NULL && !registry_add_local(reg, local, warnings, error))
		return NULL;
	return g_steal_pointer(&reg);
}
