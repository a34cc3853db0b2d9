/* logline.c - one finding, one logfmt line (FINDINGS.md "One finding, one
 * log line"). */
#include "config.h"

#include <string.h>
#include "format/escape.h"
#include "format/logline.h"

/* Append " key=value" with value escaped.  Values that normally hold no
 * space (type, host, interface) stay unquoted, but anything from the
 * network may contain a space, '"' or '=' (or be empty), which would break
 * the key=value split: then the value is quoted. */
static void
logline_append_field(GString *out, const char *key, const void *value, gsize len,
             gboolean always_quote)
{
	gboolean quote = always_quote || len == 0 ||
		memchr(value, ' ', len) != NULL ||
		memchr(value, '"', len) != NULL ||
		memchr(value, '=', len) != NULL;

	g_string_append_c(out, ' ');
	g_string_append(out, key);
	g_string_append_c(out, '=');
	if (quote)
		g_string_append_c(out, '"');
	escape_append(out, value, len);
	if (quote)
		g_string_append_c(out, '"');
}

static void
append_str_field(GString *out, const char *key, const char *value)
{
	if (value != NULL)
		logline_append_field(out, key, value, strlen(value), FALSE);
}

/* Returns a newly allocated line (no trailing newline).  ctx may be NULL
 * (only code, severity and message are written). */
char *
logline_format(const Finding *f, const LogLineContext *ctx)
{
	GString *out = g_string_sized_new(160);
	const char *msg = f->message != NULL ? f->message : "";

	g_string_append(out, finding_code_name(f->code));
	g_string_append(out, " severity=");
	g_string_append(out, severity_name(f->severity));
	if (ctx != NULL) {
		append_str_field(out, "type", ctx->type);
		if (ctx->instance.data != NULL)
			logline_append_field(out, "instance", ctx->instance.data,
			             ctx->instance.len, TRUE);
		append_str_field(out, "interface", ctx->interface);
		append_str_field(out, "protocol", ctx->protocol);
		append_str_field(out, "host", ctx->host);
		if (ctx->port >= 0)
			g_string_append_printf(out, " port=%d", ctx->port);
	}
	logline_append_field(out, "message", msg, strlen(msg), TRUE);
	return g_string_free(out, FALSE);
}
