/* judge.c - the site's registries and policy, and the verdict (judge.h). */
#include "config.h"

#include "audit/judge.h"
#include "validator/validator.h"

char *
audit_catalogue_path(const AuditdConfig *cfg)
{
	const char *env = g_getenv(AUDIT_CATALOGUE_ENV);
	char *def;

	if (cfg != NULL && cfg->catalogue != NULL)
		return cfg->catalogue[0] != '\0' ? g_strdup(cfg->catalogue) : NULL;
	if (env != NULL)
		return env[0] != '\0' ? g_strdup(env) : NULL;
	def = g_build_filename(PKGDATADIR, "known-service-types.xml", NULL);
	if (!g_file_test(def, G_FILE_TEST_EXISTS))
		g_clear_pointer(&def, g_free);
	return def;
}

gboolean
audit_site_load(const char *config_path, const char *registry_path, const char *local_path,
                GPtrArray *warnings, AuditSite *site, GError **error)
{
	g_autoptr(AuditdConfig) cfg = config_load(config_path, warnings, error);
	g_autoptr(Registry) reg = NULL;
	g_autoptr(Registry) cat = NULL;
	g_autofree char *cat_path = NULL;
	const char *local;

	if (cfg == NULL)
		return FALSE;
	local = local_path;
	if (local == NULL && cfg->local_registry != NULL && cfg->local_registry[0] != '\0')
		local = cfg->local_registry;
	{
		g_autofree char *path = registry_default_path(registry_path != NULL ?
		                                              registry_path : cfg->registry);
		g_autoptr(GError) local_error = NULL;

		reg = registry_open(path, local, local == NULL && cfg->local_registry != NULL,
		                    warnings, &local_error);
		if (reg == NULL) {
			/* A newcomer's first error: say how to get a registry. */
			gboolean missing = !g_file_test(path, G_FILE_TEST_EXISTS);

			g_set_error(error, REGISTRY_ERROR, local_error->code,
			            "cannot load the registry: %s%s", local_error->message,
			            missing ? " (get IANA's with dnssd-audit-update-registry, or "
			            "name a copy with DNSSD_AUDIT_REGISTRY=FILE or --registry)" : "");
			return FALSE;
		}
	}
	cat_path = audit_catalogue_path(cfg);
	if (cat_path != NULL) {
		g_autoptr(GError) local_error = NULL;

		cat = registry_load_catalogue(cat_path, &local_error);
		if (cat == NULL) {
			g_set_error(error, REGISTRY_ERROR, local_error->code,
			            "cannot load the catalogue: %s", local_error->message);
			return FALSE;
		}
	}
	site->config = g_steal_pointer(&cfg);
	site->registry = g_steal_pointer(&reg);
	site->catalogue = g_steal_pointer(&cat);
	return TRUE;
}

void
audit_site_clear(AuditSite *site)
{
	g_clear_pointer(&site->config, config_free);
	g_clear_pointer(&site->registry, registry_unref);
	g_clear_pointer(&site->catalogue, registry_unref);
}

gint64
audit_registry_age_days(const Registry *reg, gint64 now_unix)
{
	return audit_date_age_days(reg != NULL ? registry_updated(reg) : NULL, now_unix);
}

gint64
audit_date_age_days(const char *updated, gint64 now_unix)
{
	g_autoptr(GDateTime) then = NULL;
	g_autofree char *iso = NULL;

	if (updated == NULL)
		return -1;
	iso = g_strconcat(updated, "T00:00:00Z", NULL);
	then = g_date_time_new_from_iso8601(iso, NULL);
	if (then == NULL)
		return -1;
	return (now_unix - g_date_time_to_unix(then)) / (24 * 3600);
}

char *
audit_registry_age_warning(const AuditSite *site, gint64 now_unix)
{
	gint64 age = audit_registry_age_days(site->registry, now_unix);
	guint max = site->config != NULL ? site->config->registry_max_age_days :
	            AUDITD_DEFAULT_REGISTRY_MAX_AGE_DAYS;

	if (age < 0 || age <= (gint64) max)
		return NULL;
	return g_strdup_printf("the registry %s is %" G_GINT64_FORMAT " days old (updated %s, "
	                       "registry-max-age=%u): names registered since are reported "
	                       "as unregistered; run dnssd-audit-update-registry",
	                       registry_path(site->registry), age,
	                       registry_updated(site->registry), max);
}

guint
audit_judge(const AuditSite *site, const Advertisement *ad, const char *type_esc,
            const char *instance_esc, const char *host_esc, FindingList *out)
{
	const AuditdConfig *cfg = site->config;
	guint start = out->len, kept = out->len;

	if (cfg != NULL && config_type_ignored(cfg, ad->type))
		return 0;
	validator_check(ad, site->registry, site->catalogue, out);
	if (cfg == NULL)
		return out->len - start;
	/* The policy in place: the site's severity, the filters, accepted. */
	for (guint i = start; i < out->len; i++) {
		Finding *f = finding_list_get(out, i);

		f->severity = config_severity(cfg, f->code, f->severity);
		if (!config_finding_wanted(cfg, f->code, f->severity)) {
			g_clear_pointer(&f->message, g_free);
			continue;
		}
		f->accepted = accepted_rules_match(cfg->accepted, f->code, type_esc,
		                                   instance_esc, host_esc);
		if (kept != i)
			*finding_list_get(out, kept) = *f;
		kept++;
	}
	/* The slots past kept hold moved or freed messages: empty them so
	 * that shrinking frees nothing twice. */
	for (guint i = kept; i < out->len; i++)
		finding_list_get(out, i)->message = NULL;
	g_array_set_size(out, kept);
	return kept - start;
}
