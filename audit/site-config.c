/* site-config.c - read dnssd-audit.conf (keys: see site-config.h). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "audit/site-config.h"
#include "audit/site-file.h"
#include "format/escape.h"

G_DEFINE_QUARK(dnssd-audit-config-error-quark, config_error)

#define MAX_RATE_LIMIT 1000000
#define MAX_MAX_SERVICES 10000000
#define MAX_REGISTRY_AGE_DAYS 36500
/* PATH_MAX: a longer name could not be opened anyway. */
#define MAX_METRICS_FILE 4096
/* Bounds on what one file can make the daemon hold: the file and one
 * value (a list of types is a hash set, not scanned per advertisement). */
#define CONFIG_MAX_FILE_SIZE (1u << 20)
#define CONFIG_MAX_VALUE (64u << 10)

typedef gboolean (*KeyParser)(AuditdConfig *cfg, const char *file,
                              const char *key, const char *value,
                              GError **error);

static void
set_value_error(GError **error, const char *file, const char *key,
                const char *expected, const char *value)
{
	g_autofree char *shown = escape_str(value);

	g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
	            "%s: key '%s': expected %s, got '%s'",
	            file, key, expected, shown);
}

/* Split a list value on commas, semicolons and white space, dropping empty
 * items.  Returns a NULL-terminated vector (possibly empty). */
static char **
split_list(const char *value)
{
	g_auto(GStrv) parts = g_strsplit_set(value, ",; \t", -1);
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; parts[i] != NULL; i++) {
		if (parts[i][0] != '\0')
			g_ptr_array_add(out, g_strdup(parts[i]));
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* A positive decimal integer no larger than max. */
static gboolean
parse_positive(const char *file, const char *key, const char *value,
               guint max, guint *out, GError **error)
{
	guint64 v;

	if (!g_ascii_string_to_unsigned(value, 10, 1, G_MAXUINT64, &v, NULL)) {
		set_value_error(error, file, key, "a positive integer", value);
		return FALSE;
	}
	if (v > max) {
		g_autofree char *expected = g_strdup_printf("a positive integer up to %u", max);

		set_value_error(error, file, key, expected, value);
		return FALSE;
	}
	*out = (guint)v;
	return TRUE;
}

static gboolean
parse_registry(AuditdConfig *cfg, const char *file, const char *key,
               const char *value, GError **error)
{
	if (value[0] == '\0') {
		set_value_error(error, file, key, "a file name", value);
		return FALSE;
	}
	g_free(cfg->registry);
	cfg->registry = g_strdup(value);
	return TRUE;
}

static gboolean
parse_local_registry(AuditdConfig *cfg, const char *file, const char *key,
                     const char *value, GError **error)
{
	g_free(cfg->local_registry);
	cfg->local_registry = g_strdup(value);
	return TRUE;
}

static gboolean
parse_ignore_codes(AuditdConfig *cfg, const char *file, const char *key,
                   const char *value, GError **error)
{
	g_auto(GStrv) items = split_list(value);

	memset(cfg->ignore_codes, 0, sizeof cfg->ignore_codes);
	for (guint i = 0; items[i] != NULL; i++) {
		FindingCode code;

		if (!finding_code_from_name(items[i], &code)) {
			set_value_error(error, file, key,
			                "finding codes such as 'port-differs'", items[i]);
			return FALSE;
		}
		cfg->ignore_codes[code] = TRUE;
	}
	return TRUE;
}

static gboolean
parse_ignore_types(AuditdConfig *cfg, const char *file, const char *key,
                   const char *value, GError **error)
{
	g_auto(GStrv) items = split_list(value);

	g_hash_table_remove_all(cfg->ignore_types);
	for (guint i = 0; items[i] != NULL; i++)
		g_hash_table_add(cfg->ignore_types, g_ascii_strdown(items[i], -1));
	return TRUE;
}

/* A file name, or "" for none. */
static gboolean
parse_optional_file(char **slot, const char *value)
{
	g_free(*slot);
	*slot = g_strdup(value);
	return TRUE;
}

static gboolean
parse_accepted_findings(AuditdConfig *cfg, const char *file, const char *key,
                        const char *value, GError **error)
{
	return parse_optional_file(&cfg->accepted_findings, value);
}

static gboolean
parse_catalogue(AuditdConfig *cfg, const char *file, const char *key,
                const char *value, GError **error)
{
	return parse_optional_file(&cfg->catalogue, value);
}

static gboolean
parse_registry_max_age(AuditdConfig *cfg, const char *file, const char *key,
                       const char *value, GError **error)
{
	return parse_positive(file, key, value, MAX_REGISTRY_AGE_DAYS,
	                      &cfg->registry_max_age_days, error);
}

/* An absolute file name (the daemon's working directory is no place to
 * guess), not ending in '/'; "" means none, like the default. */
static gboolean
parse_metrics_file(AuditdConfig *cfg, const char *file, const char *key,
                   const char *value, GError **error)
{
	g_clear_pointer(&cfg->metrics_file, g_free);
	if (value[0] == '\0')
		return TRUE;
	if (!g_path_is_absolute(value) || g_str_has_suffix(value, "/") ||
	    strlen(value) > MAX_METRICS_FILE) {
		set_value_error(error, file, key, "an absolute file name", value);
		return FALSE;
	}
	cfg->metrics_file = g_strdup(value);
	return TRUE;
}

static gboolean
parse_min_severity(AuditdConfig *cfg, const char *file, const char *key,
                   const char *value, GError **error)
{
	if (!severity_from_name(value, &cfg->min_severity)) {
		set_value_error(error, file, key,
		                "one of info, notice, warning, error", value);
		return FALSE;
	}
	return TRUE;
}

static gboolean
parse_interfaces(AuditdConfig *cfg, const char *file, const char *key,
                 const char *value, GError **error)
{
	char **items = split_list(value);

	g_strfreev(cfg->interfaces);
	cfg->interfaces = NULL;
	if (items[0] == NULL) {
		/* "interfaces=" means the default: all of them. */
		g_strfreev(items);
		return TRUE;
	}
	cfg->interfaces = items;
	return TRUE;
}

static gboolean
parse_rate_limit(AuditdConfig *cfg, const char *file, const char *key,
                 const char *value, GError **error)
{
	return parse_positive(file, key, value, MAX_RATE_LIMIT,
	                      &cfg->rate_limit, error);
}

static gboolean
parse_max_services(AuditdConfig *cfg, const char *file, const char *key,
                   const char *value, GError **error)
{
	return parse_positive(file, key, value, MAX_MAX_SERVICES,
	                      &cfg->max_services, error);
}

/* Seconds as a decimal number (0.1 .. 600), stored in milliseconds. */
static gboolean
parse_resolve_timeout(AuditdConfig *cfg, const char *file, const char *key,
                      const char *value, GError **error)
{
	char *end = NULL;
	double secs;

	errno = 0;
	secs = g_ascii_strtod(value, &end);
	if (value[0] == '\0' || end == NULL || *end != '\0' || errno != 0 ||
	    !isfinite(secs) || secs < 0.1 || secs > 600) {
		set_value_error(error, file, key,
		                "a number of seconds from 0.1 to 600", value);
		return FALSE;
	}
	cfg->resolve_timeout_ms = (guint)lround(secs * 1000);
	return TRUE;
}

static const struct {
	const char *key;
	KeyParser parse;
} keys[] = {
	{ "registry", parse_registry },
	{ "local-registry", parse_local_registry },
	{ "ignore-codes", parse_ignore_codes },
	{ "ignore-types", parse_ignore_types },
	{ "min-severity", parse_min_severity },
	{ "interfaces", parse_interfaces },
	{ "rate-limit", parse_rate_limit },
	{ "max-services", parse_max_services },
	{ "resolve-timeout", parse_resolve_timeout },
	{ "accepted-findings", parse_accepted_findings },
	{ "catalogue", parse_catalogue },
	{ "registry-max-age", parse_registry_max_age },
	{ "metrics-file", parse_metrics_file },
};

AuditdConfig *
config_new_default(void)
{
	AuditdConfig *cfg = g_new0(AuditdConfig, 1);

	cfg->ignore_types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	cfg->registry_max_age_days = AUDITD_DEFAULT_REGISTRY_MAX_AGE_DAYS;
	cfg->min_severity = SEVERITY_INFO;
	cfg->rate_limit = AUDITD_DEFAULT_RATE_LIMIT;
	cfg->max_services = AUDITD_DEFAULT_MAX_SERVICES;
	cfg->resolve_timeout_ms = AUDITD_DEFAULT_RESOLVE_TIMEOUT_MS;
	return cfg;
}

void
config_free(AuditdConfig *cfg)
{
	if (cfg == NULL)
		return;
	g_free(cfg->path);
	g_free(cfg->registry);
	g_free(cfg->local_registry);
	g_hash_table_unref(cfg->ignore_types);
	g_strfreev(cfg->interfaces);
	g_free(cfg->accepted_findings);
	g_free(cfg->catalogue);
	g_free(cfg->metrics_file);
	accepted_rules_free(cfg->accepted);
	g_free(cfg);
}

char *
config_default_path(void)
{
	return g_build_filename(SYSCONFDIR, "dnssd-audit", "dnssd-audit.conf", NULL);
}

/* Apply every key of [audit]; warn about the keys nobody knows. */
static gboolean
apply_group(AuditdConfig *cfg, GKeyFile *kf, const char *file,
            GPtrArray *warnings, GError **error)
{
	g_auto(GStrv) names = g_key_file_get_keys(kf, AUDITD_CONFIG_GROUP, NULL, NULL);

	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		g_autofree char *value = NULL;
		gboolean known = FALSE;

		/* The raw value, so that errors can quote what the admin wrote;
		 * g_strstrip because trailing blanks are invisible. */
		value = g_key_file_get_value(kf, AUDITD_CONFIG_GROUP, names[i], NULL);
		if (value == NULL)
			continue;
		if (strlen(value) > CONFIG_MAX_VALUE) {
			g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
			            "%s: key '%s': value longer than %u bytes", file,
			            names[i], CONFIG_MAX_VALUE);
			return FALSE;
		}
		g_strstrip(value);
		for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
			if (strcmp(keys[k].key, names[i]) != 0)
				continue;
			known = TRUE;
			if (!keys[k].parse(cfg, file, names[i], value, error))
				return FALSE;
			break;
		}
		if (!known && warnings != NULL) {
			g_autofree char *shown_key = escape_bytes(names[i], strlen(names[i]));

			g_ptr_array_add(warnings,
			                g_strdup_printf("%s: unknown key '%s' in group [%s] (ignored)",
			                                file, shown_key, AUDITD_CONFIG_GROUP));
		}
	}
	return TRUE;
}

/* [severity]: CODE=error|warning|notice|info, the site's severity of a
 * code (FINDINGS.md "Site policy"). */
static gboolean
apply_severity_group(AuditdConfig *cfg, GKeyFile *kf, const char *file, GError **error)
{
	g_auto(GStrv) names = g_key_file_get_keys(kf, AUDITD_SEVERITY_GROUP, NULL, NULL);

	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		g_autofree char *value = g_key_file_get_value(kf, AUDITD_SEVERITY_GROUP,
		                                              names[i], NULL);
		FindingCode code;
		Severity sev;

		if (!finding_code_from_name(names[i], &code)) {
			set_value_error(error, file, "[severity]", "finding codes such as 'unregistered'",
			                names[i]);
			return FALSE;
		}
		if (value == NULL || !severity_from_name(g_strstrip(value), &sev)) {
			set_value_error(error, file, names[i], "one of info, notice, warning, error",
			                value != NULL ? value : "");
			return FALSE;
		}
		cfg->severity[code] = sev;
		cfg->severity_set[code] = TRUE;
	}
	return TRUE;
}

/* The accepted-findings file the configuration names (or the default,
 * whose absence is no error). */
static gboolean
load_accepted(AuditdConfig *cfg, GError **error)
{
	g_autofree char *def = NULL;
	const char *path = cfg->accepted_findings;

	if (path != NULL && path[0] == '\0')
		return TRUE;
	if (path == NULL)
		path = def = g_build_filename(SYSCONFDIR, "dnssd-audit", "accepted-findings", NULL);
	cfg->accepted = accepted_rules_load(path, cfg->accepted_findings != NULL, error);
	return cfg->accepted != NULL;
}

AuditdConfig *
config_parse_data(const char *file, const char *text, gsize len, GPtrArray *warnings,
                  GError **error)
{
	g_autoptr(AuditdConfig) cfg = config_new_default();
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local_error = NULL;
	g_auto(GStrv) groups = NULL;

	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &local_error)) {
		g_autofree char *why = escape_str(local_error->message);

		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_PARSE,
		            "%s: not a valid configuration file: %s", file, why);
		return NULL;
	}
	cfg->path = g_strdup(file);
	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		if (strcmp(groups[i], AUDITD_CONFIG_GROUP) == 0) {
			if (!apply_group(cfg, kf, file, warnings, error))
				return NULL;
		} else if (strcmp(groups[i], AUDITD_SEVERITY_GROUP) == 0) {
			if (!apply_severity_group(cfg, kf, file, error))
				return NULL;
		} else if (warnings != NULL) {
			g_autofree char *shown = escape_str(groups[i]);

			g_ptr_array_add(warnings,
			                g_strdup_printf("%s: unknown group [%s] (ignored)",
			                                file, shown));
		}
	}
	return g_steal_pointer(&cfg);
}

AuditdConfig *
config_load_file(const char *file, gboolean must_exist, GPtrArray *warnings,
                 GError **error)
{
	g_autoptr(AuditdConfig) cfg = NULL;
	g_autoptr(GError) local_error = NULL;
	g_autofree char *text = NULL;
	gsize len = 0;

	if (!site_file_read(file, CONFIG_MAX_FILE_SIZE, &text, &len, &local_error)) {
		const char *why = local_error->message;

		if (!must_exist && g_error_matches(local_error, SITE_FILE_ERROR,
		                                   SITE_FILE_ERROR_MISSING)) {
			cfg = config_new_default();
			return load_accepted(cfg, error) ? g_steal_pointer(&cfg) : NULL;
		}
		/* site_file_read() names the file first: name it once. */
		if (g_str_has_prefix(why, file) && g_str_has_prefix(why + strlen(file), ": "))
			why += strlen(file) + 2;
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_OPEN,
		            "%s: cannot read configuration: %s", file, why);
		return NULL;
	}
	cfg = config_parse_data(file, text, len, warnings, error);
	if (cfg == NULL || !load_accepted(cfg, error))
		return NULL;
	return g_steal_pointer(&cfg);
}

AuditdConfig *
config_load(const char *path, GPtrArray *warnings, GError **error)
{
	g_autofree char *def = NULL;

	if (path != NULL)
		return config_load_file(path, TRUE, warnings, error);
	def = config_default_path();
	return config_load_file(def, FALSE, warnings, error);
}

gboolean
config_type_ignored(const AuditdConfig *cfg, const char *type)
{
	g_autofree char *lower = NULL;

	if (type == NULL || g_hash_table_size(cfg->ignore_types) == 0)
		return FALSE;
	lower = g_ascii_strdown(type, -1);
	return g_hash_table_contains(cfg->ignore_types, lower);
}

Severity
config_severity(const AuditdConfig *cfg, FindingCode code, Severity judged)
{
	if ((guint) code < FINDING_N_CODES && cfg->severity_set[code])
		return cfg->severity[code];
	return judged;
}

gboolean
config_finding_wanted(const AuditdConfig *cfg, FindingCode code, Severity severity)
{
	if ((guint)code < FINDING_N_CODES && cfg->ignore_codes[code])
		return FALSE;
	return severity >= cfg->min_severity;
}

static gboolean
strv_equal0(char **a, char **b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return g_strv_equal((const char *const *)a, (const char *const *)b);
}

gboolean
config_watcher_differs(const AuditdConfig *a, const AuditdConfig *b)
{
	return a->resolve_timeout_ms != b->resolve_timeout_ms ||
	       !strv_equal0(a->interfaces, b->interfaces);
}
