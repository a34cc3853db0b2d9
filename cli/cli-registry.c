/* cli-registry.c - "dnssd-audit registry lookup|stats": look into the IANA
 * registry the way the validator sees it. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "cli/cli.h"
#include "format/escape.h"
#include "format/json-writer.h"
#include "registry/registry.h"

typedef struct {
	char *registry;
	char *local_registry;
	char *catalogue;
	gboolean no_local;
	gboolean no_catalogue;
	gboolean json;
} RegistryOptions;

static void
options_clear(RegistryOptions *o)
{
	g_free(o->registry);
	g_free(o->local_registry);
	g_free(o->catalogue);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RegistryOptions, options_clear)

static const char registry_description[] =
	"Registry file: --registry FILE, else $DNSSD_AUDIT_REGISTRY, else\n"
	"  " LOCALSTATEDIR "/lib/dnssd-audit/service-names-port-numbers.xml\n"
	"  (kept current by dnssd-audit-update-registry), else\n"
	"  " PKGDATADIR "/service-names-port-numbers.xml.\n"
	"Site-local service types: --local-registry FILE, else\n"
	"  " SYSCONFDIR "/dnssd-audit/local-services.xml if it exists.\n"
	"Catalogue of known service types: --catalogue FILE, else\n"
	"  $DNSSD_AUDIT_CATALOGUE, else " PKGDATADIR "/known-service-types.xml\n"
	"  if it exists (--no-catalogue: none).\n"
	"\n"
	"Exit status: 0 success, 1 a name is not registered,\n"
	"2 usage error or the registry cannot be loaded.";

static const char lookup_description[] =
	"Prints every registry record of each NAME (compared case-insensitively,\n"
	"without the leading underscore: \"ipp\", not \"_ipp._tcp\").\n"
	"\n"
	"TXT column / \"txt\" member: what the record's \"Defined TXT keys:\" note says:\n"
	"  none         the service defines no TXT keys\n"
	"  keys         the listed keys; a numbered family such as \"dkX\" or\n"
	"               \"c0, c1, ..., cn\" is shown as \"dk<n>\", \"c<n>\" and matches\n"
	"               the prefix followed by one or more [0-9A-Za-z_]\n"
	"  unspecified  Proprietary, a document reference or free text: not checked\n"
	"  absent       the record has no such note\n"
	"\n"
	"--json prints one array of objects for all names:\n"
	"  {\"name\", \"transport\" (null if none), \"port\", \"port_high\" (ranges\n"
	"   only, else null), \"description\", \"status\" (active, historic,\n"
	"   not-for-discovery), \"replacement\" (alias target or null),\n"
	"   \"source\" (iana, local, catalogue), \"source_uri\" (the record's\n"
	"   first URI reference, or null), \"txt\": {\"kind\", \"keys\": [...]}}\n"
	"Catalogue records follow the registry's, marked (catalogue): they\n"
	"never make a name registered; they say what a vendor type is.\n"
	"\n";

static const char stats_description[] =
	"Loads the registry (checking it) and prints its date and counts:\n"
	"records that carry a service name, distinct names, and records by\n"
	"transport, status and TXT-key note kind; its age in days; the\n"
	"catalogue's file and record count.\n"
	"\n";

/* Parse the options of a subcommand.  Returns FALSE (after one line on
 * stderr) on a usage error. */
static gboolean
parse_options(const char *prgname, const char *params, const char *summary, const char *extra,
              RegistryOptions *o, int *argc, char ***argv)
{
	GOptionEntry entries[] = {
		{ "registry", 'r', 0, G_OPTION_ARG_FILENAME, &o->registry,
		  "IANA registry XML file", "FILE" },
		{ "local-registry", 'l', 0, G_OPTION_ARG_FILENAME, &o->local_registry,
		  "site-local registry XML file (same format)", "FILE" },
		{ "no-local-registry", 0, 0, G_OPTION_ARG_NONE, &o->no_local,
		  "do not read the default site-local registry", NULL },
		{ "catalogue", 0, 0, G_OPTION_ARG_FILENAME, &o->catalogue,
		  "catalogue of known service types (same format)", "FILE" },
		{ "no-catalogue", 0, 0, G_OPTION_ARG_NONE, &o->no_catalogue,
		  "do not read the catalogue", NULL },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &o->json, "print JSON", NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(params);
	g_autoptr(GError) error = NULL;
	g_autofree char *desc = g_strconcat(extra, registry_description, NULL);

	/* "Usage: dnssd-audit registry lookup [OPTION…] NAME..." */
	g_set_prgname(prgname);
	g_option_context_set_summary(ctx, summary);
	g_option_context_set_description(ctx, desc);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		fprintf(stderr, "dnssd-audit registry: %s (try --help)\n", error->message);
		return FALSE;
	}
	return TRUE;
}

/* Load the registry and the site-local registry the options name.
 * Returns NULL after one line on stderr. */
static Registry *
open_registry(const RegistryOptions *o)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	Registry *reg = registry_open(o->registry, o->local_registry, o->no_local, warnings, &error);

	for (guint i = 0; i < warnings->len; i++)
		fprintf(stderr, "dnssd-audit: registry: warning: %s\n",
		        (const char *) warnings->pdata[i]);

	if (reg == NULL)
		fprintf(stderr, "dnssd-audit: registry: %s\n", error->message);
	return reg;
}

/* The catalogue the options name, or none; FALSE after one line on
 * stderr when a catalogue exists but cannot be loaded. */
static gboolean
open_catalogue(const RegistryOptions *o, Registry **out)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = o->no_catalogue ? NULL :
		o->catalogue != NULL ? g_strdup(o->catalogue) : audit_catalogue_path(NULL);

	*out = NULL;
	if (path == NULL)
		return TRUE;
	*out = registry_load_catalogue(path, &error);
	if (*out == NULL)
		fprintf(stderr, "dnssd-audit: registry: cannot load the catalogue: %s\n",
		        error->message);
	return *out != NULL;
}

/* A port member: the number, or null for -1 (none). */
static void
json_port(JsonWriter *w, const char *key, gint32 port)
{
	json_key(w, key);
	if (port >= 0)
		json_int(w, port);
	else
		json_null(w);
}

static void
json_record(JsonWriter *w, const RegistryRecord *rec)
{
	json_begin_object(w);
	json_key(w, "name");
	json_string(w, rec->name);
	json_key(w, "transport");
	json_string(w, registry_transport_name(rec->transport));
	json_port(w, "port", rec->port);
	json_port(w, "port_high", rec->port_high);
	json_key(w, "description");
	json_string(w, rec->description);
	json_key(w, "status");
	json_string(w, registry_status_name(rec->status));
	json_key(w, "replacement");
	json_string(w, rec->replacement);
	json_key(w, "source");
	json_string(w, registry_source_name(rec->source));
	json_key(w, "source_uri");
	json_string(w, rec->source_uri);
	json_key(w, "txt");
	json_begin_object(w);
	json_key(w, "kind");
	json_string(w, txt_spec_kind_name(rec->txt.kind));
	json_key(w, "keys");
	json_begin_array(w);
	for (guint i = 0; i < rec->txt.n_keys; i++)
		json_string(w, rec->txt.keys[i].key_display);
	json_end_array(w);
	json_end_object(w);
	json_end_object(w);
}

/* Append s escaped, padded with spaces to width columns. */
static void
append_cell(GString *out, const char *s, int width)
{
	gsize before = out->len;

	escape_append_str(out, s != NULL ? s : "-");
	for (gsize n = out->len - before; (int) n < width; n++)
		g_string_append_c(out, ' ');
	g_string_append_c(out, ' ');
}

/* One line: name, transport, port, status, TXT kind and the description's
 * first line; then, indented, the alias target and the TXT keys if any. */
static void
human_record(GString *out, const RegistryRecord *rec, int name_width)
{
	g_autofree char *port = NULL;
	g_autofree char *desc = g_strdup(rec->description != NULL ? rec->description : "");
	char *nl = strchr(desc, '\n');

	if (rec->port < 0)
		port = g_strdup("-");
	else if (rec->port_high >= 0)
		port = g_strdup_printf("%d-%d", rec->port, rec->port_high);
	else
		port = g_strdup_printf("%d", rec->port);
	if (nl != NULL)
		*nl = '\0';
	append_cell(out, rec->name, name_width);
	append_cell(out, registry_transport_name(rec->transport), 5);
	append_cell(out, port, 9);
	append_cell(out, registry_status_name(rec->status), 17);
	append_cell(out, txt_spec_kind_name(rec->txt.kind), 11);
	escape_append_str(out, desc);
	if (rec->source != REGISTRY_SOURCE_IANA)
		g_string_append_printf(out, " (%s)", registry_source_name(rec->source));
	g_string_append_c(out, '\n');
	if (rec->source == REGISTRY_SOURCE_CATALOGUE && rec->source_uri != NULL) {
		g_string_append_printf(out, "%*s source: ", name_width, "");
		escape_append_str(out, rec->source_uri);
		g_string_append_c(out, '\n');
	}
	if (rec->replacement != NULL) {
		g_string_append_printf(out, "%*s alias of: ", name_width, "");
		escape_append_str(out, rec->replacement);
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < rec->txt.n_keys; i++) {
		if (i == 0)
			g_string_append_printf(out, "%*s TXT keys: ", name_width, "");
		else
			g_string_append(out, ", ");
		escape_append_str(out, rec->txt.keys[i].key_display);
		if (i + 1 == rec->txt.n_keys)
			g_string_append_c(out, '\n');
	}
}

static int
registry_lookup_main(int argc, char **argv)
{
	g_auto(RegistryOptions) o = { 0 };
	g_autoptr(Registry) reg = NULL;
	g_autoptr(Registry) cat = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	JsonWriter w;
	int status = CLI_EXIT_OK, name_width = 4;

	if (!parse_options("dnssd-audit registry lookup", "NAME...", "Show the registry records of service names.",
	                   lookup_description, &o, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc < 2) {
		fprintf(stderr, "dnssd-audit registry lookup: no NAME given (try --help)\n");
		return CLI_EXIT_USAGE;
	}
	reg = open_registry(&o);
	if (reg == NULL || !open_catalogue(&o, &cat))
		return CLI_EXIT_USAGE;

	for (int i = 1; i < argc; i++)
		name_width = MAX(name_width, (int) MIN(strlen(argv[i]), 40));
	if (o.json) {
		json_writer_init(&w, out, TRUE);
		json_begin_array(&w);
	} else {
		g_string_append_printf(out, "%-*s %-5s %-9s %-17s %-11s %s\n", name_width, "NAME",
		                       "PROTO", "PORT", "STATUS", "TXT", "DESCRIPTION");
	}
	for (int i = 1; i < argc; i++) {
		const RegistryRecord *const *recs, *const *known = NULL;
		guint n = registry_lookup(reg, argv[i], &recs);
		guint n_known = cat != NULL ? registry_lookup(cat, argv[i], &known) : 0;

		if (n == 0 && n_known == 0) {
			g_autofree char *esc = escape_bytes(argv[i], strlen(argv[i]));
			fprintf(stderr, "dnssd-audit: \"%s\" is not in the registry\n", esc);
			status = CLI_EXIT_NOT_FOUND;
		}
		for (guint j = 0; j < n + n_known; j++) {
			const RegistryRecord *r = j < n ? recs[j] : known[j - n];

			if (o.json)
				json_record(&w, r);
			else
				human_record(out, r, name_width);
		}
	}
	if (o.json) {
		json_end_array(&w);
		g_string_append_c(out, '\n');
	}
	return cli_write_out(out, "dnssd-audit registry", status);
}

typedef struct {
	guint by_transport[REGISTRY_TRANSPORT_DCCP + 1];
	guint by_status[REGISTRY_STATUS_NOT_FOR_DISCOVERY + 1];
	guint by_txt[TXT_SPEC_UNSPECIFIED + 1];
	guint by_source[REGISTRY_SOURCE_CATALOGUE + 1];
} Stats;

static void
count_record(const RegistryRecord *rec, gpointer data)
{
	Stats *s = data;

	s->by_transport[rec->transport]++;
	s->by_status[rec->status]++;
	s->by_txt[rec->txt.kind]++;
	s->by_source[rec->source]++;
}

/* Names of the counted enum values, one signature for all. */
static const char *
transport_label(guint t)
{
	const char *n = registry_transport_name(t);
	return n != NULL ? n : "none";
}

static const char *
status_label(guint s)
{
	return registry_status_name(s);
}

static const char *
txt_label(guint k)
{
	return txt_spec_kind_name(k);
}

static const char *
source_label(guint s)
{
	return registry_source_name(s);
}

/* "key": {"label0": n0, "label1": n1, ...} */
static void
json_counts(JsonWriter *w, const char *key, const guint *counts, guint n,
            const char *(*label)(guint))
{
	json_key(w, key);
	json_begin_object(w);
	for (guint i = 0; i < n; i++) {
		json_key(w, label(i));
		json_int(w, counts[i]);
	}
	json_end_object(w);
}

/* "title label0 n0 label1 n1 ..." */
static void
text_counts(GString *out, const char *title, const guint *counts, guint n,
            const char *(*label)(guint))
{
	g_string_append(out, title);
	for (guint i = 0; i < n; i++)
		g_string_append_printf(out, " %s %u", label(i), counts[i]);
}

static int
registry_stats_main(int argc, char **argv)
{
	g_auto(RegistryOptions) o = { 0 };
	g_autoptr(Registry) reg = NULL;
	g_autoptr(Registry) cat = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	Stats s = { { 0 } };
	gint64 age;

	if (!parse_options("dnssd-audit registry stats", "", "Check the registry file and print its counts.",
	                   stats_description, &o, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc > 1) {
		fprintf(stderr, "dnssd-audit registry stats: unexpected argument (try --help)\n");
		return CLI_EXIT_USAGE;
	}
	reg = open_registry(&o);
	if (reg == NULL || !open_catalogue(&o, &cat))
		return CLI_EXIT_USAGE;
	registry_foreach(reg, count_record, &s);
	age = audit_registry_age_days(reg, g_get_real_time() / G_USEC_PER_SEC);

	if (o.json) {
		JsonWriter w;

		json_writer_init(&w, out, TRUE);
		json_begin_object(&w);
		json_key(&w, "updated");
		json_string(&w, registry_updated(reg));
		json_key(&w, "age_days");
		if (age >= 0)
			json_int(&w, age);
		else
			json_null(&w);
		json_key(&w, "records");
		json_int(&w, registry_n_records(reg));
		json_key(&w, "names");
		json_int(&w, registry_n_names(reg));
		json_counts(&w, "by_transport", s.by_transport, G_N_ELEMENTS(s.by_transport),
		            transport_label);
		json_counts(&w, "by_status", s.by_status, G_N_ELEMENTS(s.by_status), status_label);
		json_counts(&w, "by_txt_kind", s.by_txt, G_N_ELEMENTS(s.by_txt), txt_label);
		json_counts(&w, "by_source", s.by_source, G_N_ELEMENTS(s.by_source), source_label);
		json_key(&w, "catalogue");
		if (cat != NULL) {
			json_begin_object(&w);
			json_key(&w, "file");
			json_string(&w, registry_path(cat));
			json_key(&w, "records");
			json_int(&w, registry_n_records(cat));
			json_key(&w, "names");
			json_int(&w, registry_n_names(cat));
			json_end_object(&w);
		} else {
			json_null(&w);
		}
		json_end_object(&w);
		g_string_append_c(out, '\n');
	} else {
		g_string_append(out, "file:      ");
		escape_append_str(out, registry_path(reg));
		g_string_append_printf(out, "\nupdated:   %s",
		                       registry_updated(reg) != NULL ? registry_updated(reg) : "unknown");
		if (age >= 0)
			g_string_append_printf(out, " (%" G_GINT64_FORMAT " days ago)", age);
		g_string_append_printf(out, "\nrecords:   %u (%u local)\nnames:     %u\n",
		                       registry_n_records(reg), s.by_source[REGISTRY_SOURCE_LOCAL],
		                       registry_n_names(reg));
		g_string_append(out, "catalogue: ");
		if (cat != NULL) {
			escape_append_str(out, registry_path(cat));
			g_string_append_printf(out, " (%u records, %u names)\n",
			                       registry_n_records(cat), registry_n_names(cat));
		} else {
			g_string_append(out, "none\n");
		}
		text_counts(out, "transport:", s.by_transport, G_N_ELEMENTS(s.by_transport),
		            transport_label);
		text_counts(out, "\nstatus:   ", s.by_status, G_N_ELEMENTS(s.by_status), status_label);
		text_counts(out, "\ntxt keys: ", s.by_txt, G_N_ELEMENTS(s.by_txt), txt_label);
		g_string_append_c(out, '\n');
	}
	return cli_write_out(out, "dnssd-audit registry", CLI_EXIT_OK);
}

int
cli_registry_main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "lookup") == 0)
		return registry_lookup_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "stats") == 0)
		return registry_stats_main(argc - 1, argv + 1);
	fprintf(stderr,
	        "usage: dnssd-audit registry lookup NAME... [--registry FILE] [--local-registry FILE] [--json]\n"
	        "       dnssd-audit registry stats [--registry FILE] [--json]\n"
	        "(dnssd-audit registry lookup --help for details)\n");
	return (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
