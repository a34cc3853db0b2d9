/* accepted.c - parse and match accepted-findings rules (accepted.h). */
#include "config.h"

#include <string.h>

#include "audit/accepted.h"
#include "audit/site-file.h"

#define MAX_FIELDS 4

typedef struct {
	gboolean any_code;
	FindingCode code;
	GPatternSpec *type;      /* lowercased */
	GPatternSpec *instance;
	GPatternSpec *host;      /* NULL: any host */
} Rule;

struct _AcceptedRules {
	char *path;
	GArray *rules;           /* Rule */
};

static void
rule_clear(gpointer p)
{
	Rule *r = p;

	g_pattern_spec_free(r->type);
	g_pattern_spec_free(r->instance);
	if (r->host != NULL)
		g_pattern_spec_free(r->host);
}

void
accepted_rules_free(AcceptedRules *rules)
{
	if (rules == NULL)
		return;
	g_free(rules->path);
	g_array_unref(rules->rules);
	g_free(rules);
}

/* Split one line into at most MAX_FIELDS fields (quotes removed, escapes
 * kept).  Returns the number of fields, or -1 with *why set. */
static int
split_fields(const char *line, gsize len, GString **fields, const char **why)
{
	gsize i = 0;
	int n = 0;

	for (;;) {
		GString *f;

		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == len || line[i] == '#')
			return n;
		if (n == MAX_FIELDS) {
			*why = "too many fields (want CODE TYPE INSTANCE [HOST])";
			return -1;
		}
		f = fields[n++] = g_string_new(NULL);
		if (line[i] == '"') {
			for (i++; i < len && line[i] != '"'; i++) {
				if (line[i] == '\\' && i + 1 < len)
					g_string_append_c(f, line[i++]);
				g_string_append_c(f, line[i]);
			}
			if (i == len) {
				*why = "unterminated quoted field";
				return -1;
			}
			i++;
			if (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
				*why = "text right after a closing quote";
				return -1;
			}
		} else {
			while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
				g_string_append_c(f, line[i++]);
		}
	}
}

static gboolean
parse_line(AcceptedRules *rules, const char *line, gsize len, const char **why)
{
	GString *fields[MAX_FIELDS] = { NULL };
	int n = split_fields(line, len, fields, why);
	gboolean ok = FALSE;
	Rule r = { 0 };

	if (n == 0) {
		ok = TRUE;
		goto out;
	}
	if (n < 0)
		goto out;
	if (n < 3) {
		*why = "too few fields (want CODE TYPE INSTANCE [HOST])";
		goto out;
	}
	if (!g_utf8_validate(line, (gssize) len, NULL)) {
		*why = "not UTF-8 (paste the escaped form of the log line)";
		goto out;
	}
	if (strcmp(fields[0]->str, "*") == 0) {
		r.any_code = TRUE;
	} else if (!finding_code_from_name(fields[0]->str, &r.code)) {
		*why = "unknown finding code";
		goto out;
	}
	{
		g_autofree char *type = g_ascii_strdown(fields[1]->str, -1);

		r.type = g_pattern_spec_new(type);
	}
	r.instance = g_pattern_spec_new(fields[2]->str);
	if (n == 4)
		r.host = g_pattern_spec_new(fields[3]->str);
	g_array_append_val(rules->rules, r);
	ok = TRUE;
out:
	for (int i = 0; i < MAX_FIELDS; i++) {
		if (fields[i] != NULL)
			g_string_free(fields[i], TRUE);
	}
	return ok;
}

AcceptedRules *
accepted_rules_parse(const char *file, const char *text, gsize len, GError **error)
{
	g_autoptr(AcceptedRules) rules = g_new0(AcceptedRules, 1);
	gsize start = 0;
	guint lineno = 1;

	rules->path = g_strdup(file);
	rules->rules = g_array_new(FALSE, FALSE, sizeof(Rule));
	g_array_set_clear_func(rules->rules, rule_clear);
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		gsize end = nl != NULL ? (gsize) (nl - text) : len;
		const char *why = NULL;

		if (memchr(text + start, '\0', end - start) != NULL)
			why = "NUL byte";
		if (why != NULL || !parse_line(rules, text + start, end - start, &why)) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
			            "%s:%u: %s", file, lineno, why);
			return NULL;
		}
		start = end + 1;
		lineno++;
	}
	return g_steal_pointer(&rules);
}

AcceptedRules *
accepted_rules_load(const char *path, gboolean must_exist, GError **error)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) local = NULL;
	gsize len = 0;

	if (!site_file_read(path, ACCEPTED_MAX_FILE_SIZE, &text, &len, &local)) {
		if (!must_exist && g_error_matches(local, SITE_FILE_ERROR, SITE_FILE_ERROR_MISSING)) {
			AcceptedRules *none = g_new0(AcceptedRules, 1);

			none->rules = g_array_new(FALSE, FALSE, sizeof(Rule));
			return none;
		}
		g_propagate_error(error, g_steal_pointer(&local));
		return NULL;
	}
	return accepted_rules_parse(path, text, len, error);
}

guint
accepted_rules_size(const AcceptedRules *rules)
{
	return rules != NULL ? rules->rules->len : 0;
}

const char *
accepted_rules_path(const AcceptedRules *rules)
{
	return rules != NULL ? rules->path : NULL;
}

gboolean
accepted_rules_match(const AcceptedRules *rules, FindingCode code, const char *type_esc,
                     const char *instance_esc, const char *host_esc)
{
	g_autofree char *type = NULL;

	if (rules == NULL || rules->rules->len == 0)
		return FALSE;
	type = g_ascii_strdown(type_esc != NULL ? type_esc : "", -1);
	for (guint i = 0; i < rules->rules->len; i++) {
		const Rule *r = &g_array_index(rules->rules, Rule, i);

		if (!r->any_code && r->code != code)
			continue;
		if (!g_pattern_spec_match_string(r->type, type) ||
		    !g_pattern_spec_match_string(r->instance, instance_esc != NULL ? instance_esc : ""))
			continue;
		/* Before resolution the host is unknown: a HOST rule accepts
		 * for now, and once the host is known and does not match, the
		 * finding is no longer accepted and is reported then. */
		if (r->host != NULL && host_esc != NULL &&
		    !g_pattern_spec_match_string(r->host, host_esc))
			continue;
		return TRUE;
	}
	return FALSE;
}

/* A field as accepted_rules_parse() reads it back.  A '*' or '?' in the
 * value stays a wildcard: it still matches the value itself. */
static void
accepted_append_field(GString *out, const char *esc, gboolean quote)
{
	if (esc == NULL || *esc == '\0')
		quote = TRUE;
	else if (strpbrk(esc, " \t\"#") != NULL)
		quote = TRUE;
	if (quote)
		g_string_append_c(out, '"');
	g_string_append(out, esc != NULL ? esc : "");
	if (quote)
		g_string_append_c(out, '"');
}

void
accepted_rule_append(GString *out, FindingCode code, const char *type_esc,
                     const char *instance_esc, const char *host_esc)
{
	g_string_append(out, finding_code_name(code));
	g_string_append_c(out, ' ');
	accepted_append_field(out, type_esc, FALSE);
	g_string_append_c(out, ' ');
	accepted_append_field(out, instance_esc, TRUE);
	if (host_esc != NULL) {
		g_string_append_c(out, ' ');
		accepted_append_field(out, host_esc, FALSE);
	}
	g_string_append_c(out, '\n');
}
