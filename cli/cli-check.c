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
#include "format/json-reader.h"
#include "format/json-writer.h"
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
	"{\"line\":N,\"error\":\"column C: ...\"} and the rest is still judged.\n"
	"A line may hold at most 1 MiB.";

static const char check_description[] =
	"Exit status: 0 no finding at warning or error severity; 1 at least\n"
	"one; 2 usage error, registry not loadable, or (--batch) at least one\n"
	"input line that could not be read.";

typedef struct {
	char *config;
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
	g_free(o->config);
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


/* The JSON result object of one advertisement (line > 0: batch line):
 *   {"line":N,"type":...,"instance":...,"port":...,"findings":[{"code":...,
 *    "severity":...,"message":...}]}
 * The TXT strings are the caller's own input, so they are not echoed:
 * --batch judges a million advertisements a second, and writing every TXT
 * record back twice (text and base64) halved that. */
static void
write_json_result(GString *out, const Advertisement *ad,
                  const FindingList *findings, guint line)
{
	JsonWriter w;

	json_writer_init(&w, out, FALSE);
	json_begin_object(&w);
	if (line > 0) {
		json_key(&w, "line");
		json_int(&w, line);
	}
	json_key(&w, "type");
	json_string(&w, ad->type);
	json_key(&w, "instance");
	json_string_len(&w, ad->instance.data, ad->instance.len);
	json_key(&w, "port");
	if (ad->port >= 0)
		json_int(&w, ad->port);
	else
		json_null(&w);
	json_key(&w, "findings");
	cli_json_findings(&w, findings);
	json_end_object(&w);
	g_string_append_c(out, '\n');
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
check_write_all(FILE *fp, GString *out)
{
	gboolean ok = fwrite(out->str, 1, out->len, fp) == out->len;

	g_string_truncate(out, 0);
	return ok;
}

/* One advertisement from the command line. */
static int
check_one(const CheckOptions *o, char **args, int n_args, const AuditSite *site)
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

	cli_judge(site, &ad, findings);
	if (o->json)
		write_json_result(out, &ad, findings, 0);
	else
		write_human(out, findings, cli_use_color(STDOUT_FILENO));
	return cli_write_out(out, "dnssd-audit", finding_list_has_problem(findings) ?
	                     CLI_EXIT_PROBLEM : CLI_EXIT_OK);
}

/* --batch: the longest input line (without its newline).  A longer one
 * is an error, read to its end without being stored, so that no input
 * (a 300 MB line, /dev/zero) makes the buffer grow past this. */
#define BATCH_MAX_LINE (1024 * 1024)

typedef enum {
	LINE_OK,
	LINE_TOO_LONG,    /* longer than BATCH_MAX_LINE: skipped to its end */
	LINE_END,         /* end of input (or a read error: see ferror()) */
} LineStatus;

/* Lines of a stream out of one fixed buffer: a line is found with
 * memchr() in what was read in blocks (reading it a byte at a time cost
 * a seventh of --batch's time).  Not getline(3): that would store a line
 * of any length whole. */
#define BATCH_BLOCK (64 * 1024)

typedef struct {
	FILE *fp;
	char *buf;        /* BATCH_MAX_LINE + BATCH_BLOCK bytes */
	gsize start, end; /* the unread bytes buf[start..end) */
	gboolean eof;
} LineReader;

/* Read one more block behind the unread bytes (moved to the front).
 * FALSE at the end of the input. */
static gboolean
line_reader_fill(LineReader *r)
{
	gsize n;

	if (r->eof)
		return FALSE;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	n = fread(r->buf + r->end, 1, BATCH_MAX_LINE + BATCH_BLOCK - r->end, r->fp);
	r->end += n;
	if (n == 0)
		r->eof = TRUE;
	return n > 0;
}

/* The next line, without its '\n' (the last one may lack it): *line
 * points into the reader's buffer until the next call. */
static LineStatus
line_reader_next(LineReader *r, const char **line, gsize *len)
{
	gboolean too_long = FALSE;

	for (;;) {
		const char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);

		if (nl != NULL) {
			*line = r->buf + r->start;
			*len = (gsize) (nl - *line);
			r->start += *len + 1;
			return too_long || *len > BATCH_MAX_LINE ? LINE_TOO_LONG : LINE_OK;
		}
		if (r->end - r->start > BATCH_MAX_LINE) {
			/* No newline in the longest line allowed: drop what was
			 * read and look for the end of the line. */
			too_long = TRUE;
			r->start = r->end = 0;
		}
		if (!line_reader_fill(r)) {
			*line = r->buf + r->start;
			*len = r->end - r->start;
			r->start = r->end;
			if (*len == 0 && !too_long)
				return LINE_END;
			return too_long ? LINE_TOO_LONG : LINE_OK;
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
check_batch(const CheckOptions *o, const AuditSite *site)
{
	gboolean use_stdin = o->batch_file == NULL || strcmp(o->batch_file, "-") == 0;
	const char *input = use_stdin ? "standard input" : o->batch_file;
	g_autoptr(FindingList) findings = finding_list_new();
	g_autoptr(GString) out = g_string_sized_new(1 << 17);
	/* Only the pages a line touches become resident. */
	g_autofree char *buf = g_malloc(BATCH_MAX_LINE + BATCH_BLOCK);
	LineReader reader = { .buf = buf };
	const char *line;
	gsize len;
	BatchItem item;
	LineStatus st;
	FILE *fp;
	guint lineno = 0;
	gboolean problem = FALSE, bad_line = FALSE, write_ok = TRUE, read_ok;
	int read_errno;

	fp = use_stdin ? stdin : fopen(o->batch_file, "rb");
	if (fp == NULL) {
		fprintf(stderr, "dnssd-audit: cannot open %s: %s\n",
		        o->batch_file, g_strerror(errno));
		return CLI_EXIT_USAGE;
	}
	reader.fp = fp;
	batch_item_init(&item);
	while (write_ok && (st = line_reader_next(&reader, &line, &len)) != LINE_END) {
		g_autoptr(GError) line_error = NULL;

		lineno++;
		if (st == LINE_TOO_LONG) {
			g_autofree char *msg = g_strdup_printf(
				"line longer than %d bytes; skipped", BATCH_MAX_LINE);

			write_json_error(out, lineno, msg);
			bad_line = TRUE;
		} else if (is_blank(line, len)) {
			continue;
		} else if (!batch_parse(line, len, &item, &line_error) ||
		           !txt_lengths_ok(&item.ad, &line_error)) {
			write_json_error(out, lineno, line_error->message);
			bad_line = TRUE;
		} else {
			finding_list_clear(findings);
			cli_judge(site, &item.ad, findings);
			problem = problem || finding_list_has_problem(findings);
			write_json_result(out, &item.ad, findings, lineno);
		}
		if (out->len >= (1 << 16))
			write_ok = check_write_all(stdout, out);
	}
	read_ok = !ferror(fp);
	read_errno = errno;
	write_ok = write_ok && check_write_all(stdout, out) && fflush(stdout) == 0;
	batch_item_clear(&item);
	if (!use_stdin)
		fclose(fp);
	if (!read_ok) {
		fprintf(stderr, "dnssd-audit: %s: read error: %s\n", input, g_strerror(read_errno));
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
		{ "config", 0, 0, G_OPTION_ARG_FILENAME, &o.config,
		  "site configuration (default: " SYSCONFDIR "/dnssd-audit/dnssd-audit.conf if present)", "FILE" },
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
	AuditSite site = { 0 };
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
		status = CLI_EXIT_USAGE;
	} else if (!o.batch && argc < 1) {
		usage_error("missing TYPE (e.g. _http._tcp)");
		status = CLI_EXIT_USAGE;
	} else if (o.port < -1 || o.port > 65535) {
		usage_error("--port %d is not a port number (0..65535)", o.port);
		status = CLI_EXIT_USAGE;
	}
	if (status < 0) {
		if (!cli_site_load(o.config, o.registry, o.local_registry, &site))
			status = CLI_EXIT_USAGE;
		else if (o.batch)
			status = check_batch(&o, &site);
		else
			status = check_one(&o, argv, argc, &site);
	}
	audit_site_clear(&site);
	check_options_clear(&o);
	return status;
}
