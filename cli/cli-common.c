/* cli-common.c - helpers shared by the dnssd-audit subcommands. */
#include "config.h"

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

/* See cli.h: escape.h's escaping for a terminal, '"' kept, C1 escaped. */
static void
append_terminal_text(GString *out, const char *msg)
{
	const char *p = msg;

	for (; *p != '\0'; p++) {
		const guchar c = (guchar) p[0];

		if (c == '"') {
			escape_append(out, msg, (gsize)(p - msg));
			g_string_append_c(out, '"');
			msg = p + 1;
		} else if (c == 0xC2 && (guchar) p[1] >= 0x80 && (guchar) p[1] <= 0x9F) {
			escape_append(out, msg, (gsize)(p - msg));
			g_string_append_printf(out, "\\x%02x\\x%02x", c, (guchar) p[1]);
			msg = p + 2;
			p++;
		}
	}
	escape_append_str(out, msg);
}

void
cli_append_finding(GString *out, const Finding *f, gboolean color)
{
	const char *c = color ? cli_severity_color(f->severity) : "";

	g_string_append_printf(out, "%s%s%s %s: ", c, severity_name(f->severity),
	                       *c != '\0' ? "\033[0m" : "",
	                       finding_code_name(f->code));
	append_terminal_text(out, f->message != NULL ? f->message : "");
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
