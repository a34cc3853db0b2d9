/* cli-check.c - `dnssd-audit check`: judge one advertisement given on the
 * command line, or a stream of them (--batch, JSON lines), against the
 * rules of FINDINGS.md.
 *
 * Exit status (FINDINGS.md): 0 no warning/error finding, 1 at least one,
 * 2 usage error or registry not loadable.  In --batch mode a bad input
 * line gets an error object on its output line, processing goes on, and
 * the exit status is 2 at the end (the input was not fully judged).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include "cli/cli.h"
#include "format/escape.h"
#include "format/json-reader.h"
#include "format/json-writer.h"
#include "format/strbuf.h"
#include "registry/registry.h"
#include "validator/validator.h"

/* A TXT string is one length byte plus data on the wire. */
#define MAX_TXT_STRING 255

static const char check_summary[] =
	"Judge a DNS-SD advertisement against RFC 6335/6763 and the IANA\n"
	"Service Name registry.  TXT-STRINGs are given in wire order, one\n"
	"argument each (e.g. path=/ txtvers=1); without any, the TXT record is\n"
	"taken as empty and the TXT rules still run.\n"
	"\n"
	"With --batch, advertisements are read as JSON lines from FILE (or\n"
	"standard input for '-' or no FILE), e.g.\n"
	"  {\"type\":\"_http._tcp\",\"instance\":\"Web\",\"port\":80,\"txt\":[\"path=/\"]}\n"
	"Members: type (required), instance, port, txt, subtypes, host,\n"
	"resolve_failed; \"txt\": null means the TXT record is unknown.  One\n"
	"JSON result line (with \"line\": N) is written per input line, in\n"
	"order.  Blank lines are skipped; a bad line yields\n"
	"{\"line\":N,\"error\":\"column C: ...\"} and the rest is still judged.";

static const char check_description[] =
	"Exit status: 0 no finding at warning or error severity; 1 at least\n"
	"one; 2 usage error, registry not loadable, or (--batch) at least one\n"
	"input line that could not be read.";

typedef struct {
	char *registry;
	char *local_registry;
	gboolean json;
	char *instance;
	gint port;
	char **subtypes;
	gboolean batch;
	char *batch_file;
} CheckOptions;

static void
check_options_clear(CheckOptions *o)
{
	g_free(o->registry);
	g_free(o->local_registry);
	g_free(o->instance);
	g_strfreev(o->subtypes);
	g_free(o->batch_file);
}

static gboolean
batch_cb(const char *name, const char *value, gpointer data, GError **error)
{
	CheckOptions *o = data;

	o->batch = TRUE;
	g_free(o->batch_file);
	o->batch_file = g_strdup(value);
	return TRUE;
}

static void G_GNUC_PRINTF(1, 2)
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("dnssd-audit check: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see dnssd-audit check --help)\n", stderr);
}

/* Load the registry and the site-local registry as the options say
 * (an explicit --local-registry must load; the default one only if it
 * exists).  Returns NULL after printing one line on failure. */
static Registry *
load_registry(const CheckOptions *o)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	Registry *reg = registry_open(o->registry, o->local_registry, FALSE, warnings, &error);

	for (guint i = 0; i < warnings->len; i++)
		fprintf(stderr, "dnssd-audit: warning: %s\n", (const char *) warnings->pdata[i]);

	if (reg == NULL)
		fprintf(stderr, "dnssd-audit: cannot load the registry: %s\n",
		        error->message);
	return reg;
}

/* A JSON string member value: "...", escaped. */
static void
append_json_string(GString *out, const void *s, gsize len)
{
	strbuf_append_len(out, "\"", 1);
	json_escape_append(out, s, len);
	strbuf_append_len(out, "\"", 1);
}

/* The JSON result object of one advertisement (line > 0: batch line):
 *   {"line":N,"type":...,"instance":...,"port":...,"findings":[{"code":
 *    ...,"severity":...,"message":...}]}
 * Written by hand rather than through JsonWriter: the member names and
 * code/severity names are constants that need no escaping, and this is
 * the inner loop of --batch (the writer's generality was a third of the
 * batch time). */
static void
write_json_result(GString *out, const Advertisement *ad,
                  const FindingList *findings, guint line)
{
	strbuf_append(out, "{");
	if (line > 0) {
		strbuf_append(out, "\"line\":");
		strbuf_append_uint(out, line);
		strbuf_append(out, ",");
	}
	strbuf_append(out, "\"type\":");
	append_json_string(out, ad->type, strlen(ad->type));
	strbuf_append(out, ",\"instance\":");
	if (ad->instance.data != NULL)
		append_json_string(out, ad->instance.data, ad->instance.len);
	else
		strbuf_append(out, "null");
	strbuf_append(out, ",\"port\":");
	if (ad->port >= 0)
		strbuf_append_uint(out, (guint64)ad->port);
	else
		strbuf_append(out, "null");
	strbuf_append(out, ",\"findings\":[");
	for (guint i = 0; i < findings->len; i++) {
		const Finding *f = finding_list_get(findings, i);

		strbuf_append(out, i > 0 ? ",{\"code\":\"" : "{\"code\":\"");
		strbuf_append(out, finding_code_name(f->code));
		strbuf_append(out, "\",\"severity\":\"");
		strbuf_append(out, severity_name(f->severity));
		strbuf_append(out, "\",\"message\":");
		append_json_string(out, f->message, strlen(f->message));
		strbuf_append(out, "}");
	}
	strbuf_append(out, "]}\n");
}

/* "<severity> <code>: <message>" per finding, then the summary line. */
static void
write_human(GString *out, const FindingList *findings, gboolean color)
{
	guint count[SEVERITY_ERROR + 1] = { 0 };

	if (findings->len == 0) {
		g_string_append(out, "no findings\n");
		return;
	}
	for (guint i = 0; i < findings->len; i++) {
		const Finding *f = finding_list_get(findings, i);

		count[f->severity]++;
		cli_append_finding(out, f, color);
	}
	g_string_append_printf(out, "%u finding%s: ", findings->len,
	                       findings->len == 1 ? "" : "s");
	cli_append_severity_counts(out, count);
	g_string_append_c(out, '\n');
}

static gboolean
txt_lengths_ok(const Advertisement *ad, GError **error)
{
	for (guint i = 0; i < ad->n_txt; i++) {
		if (ad->txt[i].len > MAX_TXT_STRING) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "TXT string %u is %" G_GSIZE_FORMAT " bytes; a TXT"
			            " string holds at most %d", i + 1,
			            ad->txt[i].len, MAX_TXT_STRING);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
write_all(FILE *fp, GString *out)
{
	gboolean ok = fwrite(out->str, 1, out->len, fp) == out->len;

	g_string_truncate(out, 0);
	return ok;
}

/* One advertisement from the command line. */
static int
check_one(const CheckOptions *o, char **args, int n_args, const Registry *reg)
{
	g_autoptr(FindingList) findings = finding_list_new();
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree AdBytes *txt = g_new0(AdBytes, n_args > 1 ? n_args - 1 : 1);
	Advertisement ad = { 0 };

	ad.type = args[0];
	ad.subtypes = (const char *const *)o->subtypes;
	ad.n_subtypes = o->subtypes != NULL ? g_strv_length(o->subtypes) : 0;
	if (o->instance != NULL) {
		ad.instance.data = (const guint8 *)o->instance;
		ad.instance.len = strlen(o->instance);
	}
	ad.port = o->port;
	for (int i = 1; i < n_args; i++) {
		txt[i - 1].data = (const guint8 *)args[i];
		txt[i - 1].len = strlen(args[i]);
	}
	ad.txt = txt;
	ad.n_txt = n_args - 1;
	ad.txt_known = TRUE;
	if (!txt_lengths_ok(&ad, &error)) {
		usage_error("%s", error->message);
		return CLI_EXIT_USAGE;
	}

	validator_check(&ad, reg, findings);
	if (o->json)
		write_json_result(out, &ad, findings, 0);
	else
		write_human(out, findings, cli_use_color(STDOUT_FILENO));
	if (!write_all(stdout, out) || fflush(stdout) != 0) {
		fprintf(stderr, "dnssd-audit: cannot write the output: %s\n",
		        g_strerror(errno));
		return CLI_EXIT_USAGE;
	}
	return finding_list_has_problem(findings) ? CLI_EXIT_PROBLEM : CLI_EXIT_OK;
}

/* Reads lines of any length from a stream into one growing buffer. */
typedef struct {
	FILE *fp;
	char *buf;
	gsize size, start, end;
	gboolean eof;
} LineReader;

/* Next line without its '\n' (the last one may lack it).  Returns FALSE
 * at end of input or on a read error (then *error is set). */
static gboolean
line_reader_next(LineReader *r, const char **line, gsize *len, GError **error)
{
	for (;;) {
		char *nl = r->end > r->start ?
			memchr(r->buf + r->start, '\n', r->end - r->start) : NULL;
		gsize got;

		if (nl != NULL) {
			*line = r->buf + r->start;
			*len = (gsize)(nl - *line);
			r->start += *len + 1;
			return TRUE;
		}
		if (r->eof) {
			if (r->end == r->start)
				return FALSE;
			*line = r->buf + r->start;
			*len = r->end - r->start;
			r->start = r->end;
			return TRUE;
		}
		/* Move the partial line to the front, grow if it fills all. */
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		if (r->end == r->size) {
			r->size *= 2;
			r->buf = g_realloc(r->buf, r->size);
		}
		got = fread(r->buf + r->end, 1, r->size - r->end, r->fp);
		r->end += got;
		if (got == 0) {
			if (ferror(r->fp)) {
				g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
				            "read error: %s", g_strerror(errno));
				return FALSE;
			}
			r->eof = TRUE;
		}
	}
}

static gboolean
is_blank(const char *line, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isspace(line[i]))
			return FALSE;
	return TRUE;
}

static void
write_json_error(GString *out, guint line, const char *message)
{
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	json_begin_object(&w);
	json_key(&w, "line");
	json_int(&w, line);
	json_key(&w, "error");
	json_string(&w, message);
	json_end_object(&w);
	g_string_append_c(out, '\n');
}

/* --batch: JSON lines in, JSON lines out. */
static int
check_batch(const CheckOptions *o, const Registry *reg)
{
	gboolean use_stdin = o->batch_file == NULL || strcmp(o->batch_file, "-") == 0;
	LineReader r = { NULL, NULL, 1 << 16, 0, 0, FALSE };
	g_autoptr(FindingList) findings = finding_list_new();
	g_autoptr(GString) out = g_string_sized_new(1 << 17);
	g_autoptr(GError) error = NULL;
	BatchItem item;
	const char *line;
	gsize len;
	guint lineno = 0;
	gboolean problem = FALSE, bad_line = FALSE, write_ok = TRUE;

	r.fp = use_stdin ? stdin : fopen(o->batch_file, "rb");
	if (r.fp == NULL) {
		fprintf(stderr, "dnssd-audit: cannot open %s: %s\n",
		        o->batch_file, g_strerror(errno));
		return CLI_EXIT_USAGE;
	}
	r.buf = g_malloc(r.size);
	batch_item_init(&item);
	while (write_ok && line_reader_next(&r, &line, &len, &error)) {
		g_autoptr(GError) line_error = NULL;

		lineno++;
		if (is_blank(line, len))
			continue;
		if (!batch_parse(line, len, &item, &line_error) ||
		    !txt_lengths_ok(&item.ad, &line_error)) {
			write_json_error(out, lineno, line_error->message);
			bad_line = TRUE;
		} else {
			finding_list_clear(findings);
			validator_check(&item.ad, reg, findings);
			problem = problem || finding_list_has_problem(findings);
			write_json_result(out, &item.ad, findings, lineno);
		}
		if (out->len >= (1 << 16))
			write_ok = write_all(stdout, out);
	}
	write_ok = write_ok && write_all(stdout, out) && fflush(stdout) == 0;
	batch_item_clear(&item);
	g_free(r.buf);
	if (!use_stdin)
		fclose(r.fp);
	if (error != NULL) {
		fprintf(stderr, "dnssd-audit: %s: %s\n",
		        use_stdin ? "standard input" : o->batch_file, error->message);
		return CLI_EXIT_USAGE;
	}
	if (!write_ok) {
		fprintf(stderr, "dnssd-audit: cannot write the output: %s\n",
		        g_strerror(errno));
		return CLI_EXIT_USAGE;
	}
	if (bad_line)
		return CLI_EXIT_USAGE;
	return problem ? CLI_EXIT_PROBLEM : CLI_EXIT_OK;
}

int
cli_check_main(int argc, char **argv)
{
	CheckOptions o = { .port = -1 };
	const GOptionEntry entries[] = {
		{ "registry", 0, 0, G_OPTION_ARG_FILENAME, &o.registry,
		  "IANA registry XML (default: $DNSSD_AUDIT_REGISTRY or the installed copy)", "FILE" },
		{ "local-registry", 0, 0, G_OPTION_ARG_FILENAME, &o.local_registry,
		  "site-local registry XML (default: " SYSCONFDIR "/dnssd-audit/local-services.xml if present)", "FILE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &o.json,
		  "print the result as one JSON object", NULL },
		{ "instance", 0, 0, G_OPTION_ARG_FILENAME, &o.instance,
		  "the instance name (bytes as given)", "NAME" },
		{ "port", 0, 0, G_OPTION_ARG_INT, &o.port,
		  "the port the service listens on", "N" },
		{ "subtype", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.subtypes,
		  "a subtype label (repeatable)", "SUB" },
		{ "batch", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK,
		  (gpointer)batch_cb, "read JSON lines from FILE or standard input", "FILE" },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("TYPE [TXT-STRING...]");
	GOptionGroup *group = g_option_group_new(NULL, NULL, NULL, &o, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = NULL;
	int status;

	g_option_group_add_entries(group, entries);
	g_option_context_set_main_group(ctx, group);
	g_option_context_set_summary(ctx, check_summary);
	g_option_context_set_description(ctx, check_description);
	/* Options end at TYPE: TXT strings may begin with '-'. */
	g_option_context_set_strict_posix(ctx, TRUE);
	g_set_prgname("dnssd-audit check");
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		usage_error("%s", error->message);
		check_options_clear(&o);
		return CLI_EXIT_USAGE;
	}
	/* argv[0] is "check"; a "--" before TYPE is left in place by the
	 * parser when strict POSIX stops at it. */
	argc--;
	argv++;
	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	/* "--batch FILE" as well as "--batch=FILE": GOption only binds an
	 * optional argument written with '='. */
	if (o.batch && o.batch_file == NULL && argc == 1) {
		o.batch_file = g_strdup(argv[0]);
		argc--;
		argv++;
	}
	status = -1;
	if (o.batch && (argc > 0 || o.instance != NULL || o.port != -1 ||
	                o.subtypes != NULL)) {
		usage_error("--batch reads the advertisements from its input;"
		            " TYPE, --instance, --port and --subtype do not apply");
		status = 2;
	} else if (!o.batch && argc < 1) {
		usage_error("missing TYPE (e.g. _http._tcp)");
		status = 2;
	} else if (o.port < -1 || o.port > 65535) {
		usage_error("--port %d is not a port number (0..65535)", o.port);
		status = 2;
	}
	if (status < 0) {
		reg = load_registry(&o);
		if (reg == NULL)
			status = 2;
		else if (o.batch)
			status = check_batch(&o, reg);
		else
			status = check_one(&o, argv, argc, reg);
	}
	check_options_clear(&o);
	return status;
}
