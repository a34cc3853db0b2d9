/* scan-report.c - the services `dnssd-audit scan` saw, judged and rendered
 * (human table or JSON).  Every byte that came from the network is escaped
 * on output (escape.h / json-writer.h). */
#include "config.h"

#include <string.h>
#include <glib.h>
#include <avahi-common/address.h>

#include "daemon/cli.h"
#include "daemon/escape.h"
#include "daemon/json-writer.h"
#include "daemon/scan-report.h"
#include "validator/validator.h"

/* Instance names longer than this (escaped) push their row out instead of
 * widening the whole table. */
#define MAX_INSTANCE_COLUMN 32

typedef struct {
	char *ifname;
	AvahiProtocol protocol;
	char *name;
	char *type;
	gboolean resolved;
	gboolean resolve_failed;
	char *host;
	char *address;
	gint port;
	GPtrArray *txt;          /* GBytes, wire order; NULL unless resolved */
	FindingList *findings;   /* filled by judge_entry() */
	const Registry *judged_with; /* findings (once judged) are for this one */
	GString *json;           /* the JSON object, rendered when judged */
	GSequenceIter *pos;      /* in ScanReport.order */
} ScanEntry;

struct _ScanReport {
	GHashTable *entries;     /* identity key -> ScanEntry */
	/* The same entries in report order (entry_cmp), kept as they come:
	 * sorting 600 entries at the end took ~0.3 ms, all of it after
	 * avahi's last ALL_FOR_NOW (scan's time is measured against
	 * avahi-browse's), while the ~1 s before is idle. */
	GSequence *order;
	Registry *reg;           /* judge snapshots as they come (or NULL) */
	gboolean render_json;    /* ... and render their JSON, too */
};

static void
scan_entry_free(gpointer p)
{
	ScanEntry *e = p;

	g_free(e->ifname);
	g_free(e->name);
	g_free(e->type);
	g_free(e->host);
	g_free(e->address);
	if (e->txt != NULL)
		g_ptr_array_unref(e->txt);
	if (e->findings != NULL)
		finding_list_free(e->findings);
	if (e->json != NULL)
		g_string_free(e->json, TRUE);
	g_free(e);
}

ScanReport *
scan_report_new(void)
{
	ScanReport *r = g_new0(ScanReport, 1);

	r->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                   scan_entry_free);
	r->order = g_sequence_new(NULL);
	return r;
}

void
scan_report_free(ScanReport *r)
{
	if (r == NULL)
		return;
	g_sequence_free(r->order);
	g_hash_table_destroy(r->entries);
	if (r->reg != NULL)
		registry_unref(r->reg);
	g_free(r);
}

/* The identity of a snapshot.  The watcher hands every snapshot of one
 * service over with the same spelling, so an exact key is enough; the
 * lengths keep arbitrary bytes in the name from forging another key. */
static char *
entry_key(const WatchedService *svc)
{
	return g_strdup_printf("%d/%d/%zu:%s/%zu:%s/%s", (int) svc->ifindex,
	                       (int) svc->protocol, strlen(svc->name), svc->name,
	                       strlen(svc->type), svc->type,
	                       svc->domain != NULL ? svc->domain : "");
}

static const char *
proto_name(AvahiProtocol p, gboolean lower)
{
	switch (p) {
	case AVAHI_PROTO_INET:  return lower ? "ipv4" : "IPv4";
	case AVAHI_PROTO_INET6: return lower ? "ipv6" : "IPv6";
	default:                return lower ? "unspec" : "-";
	}
}

static void
json_string_or_null(JsonWriter *w, const char *s)
{
	if (s != NULL)
		json_string_len(w, s, strlen(s));
	else
		json_null(w);
}

/* One service as the JSON object of dnssd-audit(1). */
static void
entry_write_json(const ScanEntry *e, JsonWriter *w)
{
	json_begin_object(w);
	json_key(w, "instance");
	json_string_or_null(w, e->name);
	json_key(w, "type");
	json_string_or_null(w, e->type);
	json_key(w, "interface");
	json_string_or_null(w, e->ifname);
	json_key(w, "protocol");
	json_string(w, proto_name(e->protocol, TRUE));
	json_key(w, "host");
	json_string_or_null(w, e->host);
	json_key(w, "address");
	json_string_or_null(w, e->address);
	json_key(w, "port");
	if (e->port >= 0)
		json_int(w, e->port);
	else
		json_null(w);
	json_key(w, "txt");
	if (e->txt != NULL) {
		json_begin_array(w);
		for (guint j = 0; j < e->txt->len; j++) {
			gsize len;
			const void *data = g_bytes_get_data(e->txt->pdata[j], &len);

			json_string_len(w, data, len);
		}
		json_end_array(w);
	} else {
		json_null(w);
	}
	json_key(w, "findings");
	json_begin_array(w);
	for (guint j = 0; j < e->findings->len; j++) {
		const Finding *f = finding_list_get(e->findings, j);

		json_begin_object(w);
		json_key(w, "code");
		json_string(w, finding_code_name(f->code));
		json_key(w, "severity");
		json_string(w, severity_name(f->severity));
		json_key(w, "message");
		json_string_or_null(w, f->message);
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
}

/* Judge one entry with reg (NULL: no registry rules); with render, keep
 * its JSON object too. */
static void
judge_entry(ScanEntry *e, const Registry *reg, gboolean render)
{
	guint n_txt = e->txt != NULL ? e->txt->len : 0;
	g_autofree AdBytes *txt = g_new0(AdBytes, n_txt + 1);
	Advertisement ad = { 0 };

	for (guint i = 0; i < n_txt; i++) {
		gsize len;

		txt[i].data = g_bytes_get_data(e->txt->pdata[i], &len);
		txt[i].len = len;
	}
	ad.type = e->type;
	ad.instance.data = (const guint8 *) e->name;
	ad.instance.len = strlen(e->name);
	ad.port = e->port;
	ad.host = e->host;
	ad.txt = txt;
	ad.n_txt = n_txt;
	ad.txt_known = e->resolved;
	ad.resolve_failed = e->resolve_failed;
	if (e->findings == NULL)
		e->findings = finding_list_new();
	finding_list_clear(e->findings);
	validator_check(&ad, reg, e->findings);
	e->judged_with = reg;
	if (e->json != NULL)
		g_string_truncate(e->json, 0);
	if (render) {
		JsonWriter w;

		if (e->json == NULL)
			e->json = g_string_sized_new(256);
		json_writer_init(&w, e->json, FALSE);
		entry_write_json(e, &w);
	}
}

/* Report order: type (case-insensitively, then exactly), instance,
 * interface, protocol. */
static gint
entry_cmp(gconstpointer pa, gconstpointer pb, gpointer unused)
{
	const ScanEntry *a = pa;
	const ScanEntry *b = pb;
	gint c;

	(void) unused;
	if ((c = g_ascii_strcasecmp(a->type, b->type)) != 0 ||
	    (c = strcmp(a->type, b->type)) != 0 ||
	    (c = strcmp(a->name, b->name)) != 0 ||
	    (c = strcmp(a->ifname, b->ifname)) != 0)
		return c;
	return a->protocol - b->protocol;
}

void
scan_report_set_registry(ScanReport *r, Registry *reg, gboolean json)
{
	GHashTableIter it;
	gpointer p;

	if (reg != NULL)
		registry_ref(reg);
	if (r->reg != NULL)
		registry_unref(r->reg);
	r->reg = reg;
	r->render_json = json;
	if (reg == NULL)
		return;
	g_hash_table_iter_init(&it, r->entries);
	while (g_hash_table_iter_next(&it, NULL, &p))
		judge_entry(p, reg, json);
}

void
scan_report_update(ScanReport *r, const WatchedService *svc)
{
	ScanEntry *e = g_new0(ScanEntry, 1), *old;
	g_autofree char *key = NULL;

	e->ifname = g_strdup(svc->ifname);
	e->protocol = svc->protocol;
	e->name = g_strdup(svc->name);
	e->type = g_strdup(svc->type);
	e->resolved = svc->resolved;
	e->resolve_failed = svc->resolve_failed;
	e->host = g_strdup(svc->host);
	e->address = g_strdup(svc->address);
	e->port = svc->resolved ? svc->port : -1;
	if (svc->resolved && svc->txt != NULL)
		e->txt = g_ptr_array_ref(svc->txt);
	if (r->reg != NULL)
		judge_entry(e, r->reg, r->render_json);
	key = entry_key(svc);
	if ((old = g_hash_table_lookup(r->entries, key)) != NULL)
		g_sequence_remove(old->pos);
	e->pos = g_sequence_insert_sorted(r->order, e, entry_cmp, NULL);
	g_hash_table_replace(r->entries, g_steal_pointer(&key), e);
}

void
scan_report_remove(ScanReport *r, const WatchedService *svc)
{
	g_autofree char *key = entry_key(svc);
	ScanEntry *e = g_hash_table_lookup(r->entries, key);

	if (e == NULL)
		return;
	g_sequence_remove(e->pos);
	g_hash_table_remove(r->entries, key);
}

guint
scan_report_n_services(const ScanReport *r)
{
	return g_hash_table_size(r->entries);
}

/* Judge every entry (those judged already with reg as they came are
 * kept); returns them in report order in a new array. */
static GPtrArray *
judge_all(ScanReport *r, const Registry *reg)
{
	GPtrArray *sorted = g_ptr_array_sized_new(g_hash_table_size(r->entries));
	GSequenceIter *it;

	for (it = g_sequence_get_begin_iter(r->order); !g_sequence_iter_is_end(it);
	     it = g_sequence_iter_next(it)) {
		ScanEntry *e = g_sequence_get(it);

		if (e->findings == NULL || e->judged_with != reg)
			judge_entry(e, reg, FALSE);
		g_ptr_array_add(sorted, e);
	}
	return sorted;
}

/* --- human ----------------------------------------------------------- */

typedef struct {
	char *instance;
	char *host;
	char *address;
	char port[8];
} Row;

static void
row_clear(gpointer p)
{
	Row *row = p;

	g_free(row->instance);
	g_free(row->host);
	g_free(row->address);
}

static void
pad_append(GString *out, const char *s, guint width)
{
	glong len = g_utf8_strlen(s, -1);

	g_string_append(out, s);
	for (; len < (glong) width; len++)
		g_string_append_c(out, ' ');
}

static guint
width_of(const char *s)
{
	return (guint) g_utf8_strlen(s, -1);
}

gboolean
scan_report_write_human(ScanReport *r, const Registry *reg, gboolean complete,
                        gboolean color, GString *out)
{
	g_autoptr(GPtrArray) sorted = judge_all(r, reg);
	g_autoptr(GArray) rows = g_array_sized_new(FALSE, TRUE, sizeof(Row), sorted->len);
	guint count[SEVERITY_ERROR + 1] = { 0 };
	guint w_inst = 8, w_if = 2, w_host = 4, w_addr = 7, n_types = 0, n_findings = 0;
	gboolean problem = FALSE;
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	const char *prev_type = NULL;

	g_array_set_clear_func(rows, row_clear);
	g_array_set_size(rows, sorted->len);
	for (guint i = 0; i < sorted->len; i++) {
		const ScanEntry *e = sorted->pdata[i];
		Row *row = &g_array_index(rows, Row, i);

		row->instance = escape_bytes(e->name, strlen(e->name));
		row->host = e->host != NULL ? escape_bytes(e->host, strlen(e->host)) : g_strdup("-");
		row->address = g_strdup(e->address != NULL ? e->address : "-");
		if (e->port >= 0)
			g_snprintf(row->port, sizeof(row->port), "%d", e->port);
		else
			g_strlcpy(row->port, "-", sizeof(row->port));
		w_inst = MAX(w_inst, MIN(width_of(row->instance), MAX_INSTANCE_COLUMN));
		w_if = MAX(w_if, width_of(e->ifname));
		w_host = MAX(w_host, width_of(row->host));
		w_addr = MAX(w_addr, width_of(row->address));
	}

	if (sorted->len > 0) {
		g_string_append(out, "  ");
		pad_append(out, "INSTANCE", w_inst + 2);
		pad_append(out, "IF", w_if + 2);
		pad_append(out, "IP", 6);
		pad_append(out, "HOST", w_host + 2);
		pad_append(out, "ADDRESS", w_addr + 2);
		g_string_append(out, "PORT\n");
	}
	for (guint i = 0; i < sorted->len; i++) {
		const ScanEntry *e = sorted->pdata[i];
		const Row *row = &g_array_index(rows, Row, i);

		if (prev_type == NULL || strcmp(prev_type, e->type) != 0) {
			g_string_append(out, bold);
			escape_append_str(out, e->type);
			g_string_append(out, reset);
			g_string_append_c(out, '\n');
			prev_type = e->type;
			n_types++;
		}
		g_string_append(out, "  ");
		pad_append(out, row->instance, w_inst + 2);
		pad_append(out, e->ifname, w_if + 2);
		pad_append(out, proto_name(e->protocol, FALSE), 6);
		pad_append(out, row->host, w_host + 2);
		pad_append(out, row->address, w_addr + 2);
		g_string_append(out, row->port);
		g_string_append_c(out, '\n');
		for (guint j = 0; j < e->findings->len; j++) {
			const Finding *f = finding_list_get(e->findings, j);

			count[f->severity]++;
			n_findings++;
			problem |= f->severity >= SEVERITY_WARNING;
			g_string_append(out, "    ");
			cli_append_finding(out, f, color);
		}
	}

	if (sorted->len > 0)
		g_string_append_c(out, '\n');
	g_string_append_printf(out, "%u service%s (%u type%s), ", sorted->len,
	                       sorted->len == 1 ? "" : "s", n_types,
	                       n_types == 1 ? "" : "s");
	if (n_findings == 0)
		g_string_append(out, "no findings");
	else
		g_string_append_printf(out, "%u finding%s: ", n_findings,
		                       n_findings == 1 ? "" : "s");
	cli_append_severity_counts(out, count);
	if (!complete)
		g_string_append(out, " (incomplete: the scan stopped early)");
	g_string_append_c(out, '\n');
	return problem;
}

/* --- JSON ------------------------------------------------------------ */

gboolean
scan_report_write_json(ScanReport *r, const Registry *reg, gboolean complete,
                       GString *out)
{
	g_autoptr(GPtrArray) sorted = judge_all(r, reg);
	gboolean problem = FALSE;
	gsize need = out->len + 64, start = out->len;
	JsonWriter w;

	/* One allocation for the document, not one doubling after another. */
	for (guint i = 0; i < sorted->len; i++) {
		const ScanEntry *e = sorted->pdata[i];

		need += (e->json != NULL ? e->json->len : 512) + 1;
	}
	g_string_set_size(out, need);
	g_string_truncate(out, start);
	json_writer_init(&w, out, FALSE);
	json_begin_object(&w);
	json_key(&w, "complete");
	json_bool(&w, complete);
	json_key(&w, "services");
	json_begin_array(&w);
	for (guint i = 0; i < sorted->len; i++) {
		const ScanEntry *e = sorted->pdata[i];

		problem |= cli_findings_problem(e->findings);
		/* Rendered as it came, with these findings (judge_all() left
		 * them alone): copy it. */
		if (e->json != NULL && e->json->len > 0)
			json_raw(&w, e->json->str, e->json->len);
		else
			entry_write_json(e, &w);
	}
	json_end_array(&w);
	json_end_object(&w);
	g_string_append_c(out, '\n');
	return problem;
}
