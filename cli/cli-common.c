/* cli-common.c - helpers shared by the dnssd-audit subcommands. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include "cli/cli.h"
#include "format/escape.h"
#include "validator/finding.h"

/* Colour only for a terminal whose user did not opt out: fd is a tty,
 * $NO_COLOR is unset (https://no-color.org: any value, even empty, opts
 * out) and $TERM is set and not "dumb". */
gboolean
cli_use_color(int fd)
{
	const char *term = g_getenv("TERM");

	if (!isatty(fd))
		return FALSE;
	if (g_getenv("NO_COLOR") != NULL)
		return FALSE;
	return term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
}

/* SGR sequence that starts the colour of a severity (a Severity value);
 * "" for info and out-of-range values.  Reset with "\033[0m". */
const char *
cli_severity_color(int severity)
{
	switch (severity) {
	case SEVERITY_ERROR:   return "\033[1;31m"; /* bold red */
	case SEVERITY_WARNING: return "\033[33m";   /* yellow */
	case SEVERITY_NOTICE:  return "\033[36m";   /* cyan */
	default:               return "";
	}
}

void
cli_append_finding(GString *out, const Finding *f, gboolean color)
{
	const char *c = color ? cli_severity_color(f->severity) : "";

	g_string_append_printf(out, "%s%s%s %s: ", c, severity_name(f->severity),
	                       *c != '\0' ? "\033[0m" : "",
	                       finding_code_name(f->code));
	if (f->message != NULL)
		escape_append_mode(out, f->message, strlen(f->message), ESCAPE_TEXT);
	if (f->accepted)
		g_string_append(out, " (accepted)");
	g_string_append_c(out, '\n');
}

void
cli_append_severity_counts(GString *out, const guint count[SEVERITY_ERROR + 1])
{
	gboolean first = TRUE;

	for (int s = SEVERITY_ERROR; s >= SEVERITY_INFO; s--) {
		if (count[s] == 0)
			continue;
		g_string_append_printf(out, "%s%u %s%s", first ? "" : ", ", count[s],
		                       severity_name(s),
		                       count[s] > 1 && s != SEVERITY_INFO ? "s" : "");
		first = FALSE;
	}
}

gboolean
cli_site_load(const char *config_path, const char *registry_path, const char *local_path,
              AuditSite *site)
{
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	gboolean ok = audit_site_load(config_path, registry_path, local_path, warnings, site,
	                              &error);

	for (guint i = 0; i < warnings->len; i++)
		fprintf(stderr, "dnssd-audit: warning: %s\n", (const char *) warnings->pdata[i]);
	if (!ok)
		fprintf(stderr, "dnssd-audit: %s\n", error->message);
	return ok;
}

guint
cli_judge(const AuditSite *site, const Advertisement *ad, FindingList *out)
{
	g_autofree char *type_esc = NULL, *instance_esc = NULL, *host_esc = NULL;

	/* Accepted rules match the escaped fields: escape only when there
	 * are rules (check --batch judges a million advertisements a second). */
	if (site->config != NULL && accepted_rules_size(site->config->accepted) > 0) {
		type_esc = escape_bytes(ad->type, strlen(ad->type));
		if (ad->instance.data != NULL)
			instance_esc = escape_bytes(ad->instance.data, ad->instance.len);
		if (ad->host != NULL)
			host_esc = escape_bytes(ad->host, strlen(ad->host));
	}
	return audit_judge(site, ad, type_esc, instance_esc, host_esc, out);
}

void
cli_json_findings(JsonWriter *w, const FindingList *findings)
{
	json_begin_array(w);
	for (guint i = 0; i < findings->len; i++) {
		const Finding *f = finding_list_get(findings, i);

		json_begin_object(w);
		json_key(w, "code");
		json_name(w, finding_code_name(f->code));
		json_key(w, "severity");
		json_name(w, severity_name(f->severity));
		json_key(w, "message");
		json_string(w, f->message);
		if (f->accepted) {
			json_key(w, "accepted");
			json_bool(w, TRUE);
		}
		json_end_object(w);
	}
	json_end_array(w);
}

int
cli_write_out(const GString *out, const char *prg, int status)
{
	if (fwrite(out->str, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write the output: %s\n", prg, g_strerror(errno));
		return CLI_EXIT_USAGE;
	}
	return status;
}
