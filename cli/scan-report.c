/* scan-report.c - the audit model (audit/service-table.h) rendered for
 * `dnssd-audit scan`: the human table or JSON.  Every byte that came from
 * the network is escaped on output (escape.h / json-writer.h). */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "cli/cli.h"
#include "cli/scan-report.h"
#include "format/escape.h"
#include "format/json-writer.h"

/* Instance names longer than this (escaped) push their row out instead of
 * widening the whole table. */
#define MAX_INSTANCE_COLUMN 32

static const char *
proto_label(ObservedProtocol p)
{
	switch (p) {
	case OBSERVED_PROTO_IPV4: return "IPv4";
	case OBSERVED_PROTO_IPV6: return "IPv6";
	case OBSERVED_PROTO_UNSPEC: break;
	}
	return "-";
}

/* One service as the JSON object of dnssd-audit(1). */
static void
entry_write_json(const ServiceEntry *e, JsonWriter *w)
{
	g_autofree AdBytes *txt = NULL;

	json_begin_object(w);
	json_key(w, "instance");
	json_string(w, e->name);
	json_key(w, "type");
	json_string(w, e->type);
	json_key(w, "interface");
	json_string(w, e->ifname);
	json_key(w, "protocol");
	json_string(w, service_entry_protocol_name(e) != NULL ?
	            service_entry_protocol_name(e) : "unspec");
	json_key(w, "host");
	json_string(w, e->host);
	json_key(w, "address");
	json_string(w, e->address);
	json_key(w, "port");
	if (e->port >= 0)
		json_int(w, e->port);
	else
		json_null(w);
	txt = g_new0(AdBytes, e->txt->len);
	for (guint j = 0; j < e->txt->len; j++)
		txt[j].data = g_bytes_get_data(e->txt->pdata[j], &txt[j].len);
	json_txt_members(w, txt, e->txt->len, e->resolved && !e->resolve_failed);
	json_key(w, "findings");
	cli_json_findings(w, e->findings);
	json_end_object(w);
}

/* Report order: type (case-insensitively, then exactly), instance,
 * interface, protocol. */
static gint
entry_cmp(gconstpointer pa, gconstpointer pb)
{
	const ServiceEntry *a = *(const ServiceEntry *const *) pa;
	const ServiceEntry *b = *(const ServiceEntry *const *) pb;
	gint c;

	if ((c = g_ascii_strcasecmp(a->type, b->type)) != 0 ||
	    (c = strcmp(a->type, b->type)) != 0 ||
	    (c = strcmp(a->name, b->name)) != 0 ||
	    (c = g_strcmp0(a->ifname, b->ifname)) != 0)
		return c;
	return a->protocol - b->protocol;
}

static void
collect(const ServiceEntry *e, gpointer data)
{
	g_ptr_array_add(data, (gpointer) e);
}

/* The entries of t in report order, in a new array. */
static GPtrArray *
sorted_entries(const ServiceTable *t)
{
	GPtrArray *sorted = g_ptr_array_sized_new(service_table_size(t));

	service_table_foreach(t, collect, sorted);
	g_ptr_array_sort(sorted, entry_cmp);
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
scan_report_write_human(const ServiceTable *t, gboolean complete,
                        const ScanTiming *timing, gboolean color, GString *out)
{
	g_autoptr(GPtrArray) sorted = sorted_entries(t);
	g_autoptr(GArray) rows = g_array_sized_new(FALSE, TRUE, sizeof(Row), sorted->len);
	guint count[SEVERITY_ERROR + 1] = { 0 };
	guint w_inst = 8, w_if = 2, w_host = 4, w_addr = 7, n_types = 0, n_findings = 0;
	gboolean problem = FALSE;
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	const char *prev_type = NULL;

	g_array_set_clear_func(rows, row_clear);
	g_array_set_size(rows, sorted->len);
	for (guint i = 0; i < sorted->len; i++) {
		const ServiceEntry *e = sorted->pdata[i];
		Row *row = &g_array_index(rows, Row, i);

		row->instance = g_strdup(e->name_esc);
		row->host = g_strdup(e->host_esc != NULL ? e->host_esc : "-");
		row->address = g_strdup(e->address_esc != NULL ? e->address_esc : "-");
		if (e->port >= 0)
			g_snprintf(row->port, sizeof(row->port), "%d", e->port);
		else
			g_strlcpy(row->port, "-", sizeof(row->port));
		w_inst = MAX(w_inst, MIN(width_of(row->instance), MAX_INSTANCE_COLUMN));
		w_if = MAX(w_if, width_of(e->ifname_esc != NULL ? e->ifname_esc : "-"));
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
		const ServiceEntry *e = sorted->pdata[i];
		const Row *row = &g_array_index(rows, Row, i);

		if (prev_type == NULL || strcmp(prev_type, e->type) != 0) {
			g_string_append(out, bold);
			g_string_append(out, e->type_esc);
			g_string_append(out, reset);
			g_string_append_c(out, '\n');
			prev_type = e->type;
			n_types++;
		}
		g_string_append(out, "  ");
		pad_append(out, row->instance, w_inst + 2);
		pad_append(out, e->ifname_esc != NULL ? e->ifname_esc : "-", w_if + 2);
		pad_append(out, proto_label(e->protocol), 6);
		pad_append(out, row->host, w_host + 2);
		pad_append(out, row->address, w_addr + 2);
		g_string_append(out, row->port);
		g_string_append_c(out, '\n');
		for (guint j = 0; j < e->findings->len; j++) {
			const Finding *f = finding_list_get(e->findings, j);

			count[f->severity]++;
			n_findings++;
			problem |= finding_is_problem(f);
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
	if (timing != NULL) {
		g_string_append_printf(out, "scan took %" G_GINT64_FORMAT " ms; ",
		                       timing->duration_ms);
		if (timing->last_new_ms >= 0)
			g_string_append_printf(out, "last new service at %" G_GINT64_FORMAT " ms\n",
			                       timing->last_new_ms);
		else
			g_string_append(out, "no service seen\n");
	}
	return problem;
}

/* --- JSON ------------------------------------------------------------ */

gboolean
scan_report_write_json(const ServiceTable *t, gboolean complete,
                       const ScanTiming *timing, GString *out)
{
	g_autoptr(GPtrArray) sorted = sorted_entries(t);
	gboolean problem = FALSE;
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	json_begin_object(&w);
	json_key(&w, "complete");
	json_bool(&w, complete);
	if (timing != NULL) {
		json_key(&w, "duration_ms");
		json_int(&w, timing->duration_ms);
		json_key(&w, "last_new_ms");
		if (timing->last_new_ms >= 0)
			json_int(&w, timing->last_new_ms);
		else
			json_null(&w);
	}
	json_key(&w, "services");
	json_begin_array(&w);
	for (guint i = 0; i < sorted->len; i++) {
		const ServiceEntry *e = sorted->pdata[i];

		problem |= finding_list_has_problem(e->findings);
		entry_write_json(e, &w);
	}
	json_end_array(&w);
	json_end_object(&w);
	g_string_append_c(out, '\n');
	return problem;
}
