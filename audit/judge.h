/* judge.h - the one verdict on an advertisement: the validator's findings
 * with the site's policy applied, against the site's registries.  check,
 * scan and the daemon load their AuditSite with audit_site_load() and
 * judge through audit_judge(), so they cannot disagree.
 */
#pragma once

#include "audit/site-config.h"
#include "registry/registry.h"
#include "validator/advertisement.h"
#include "validator/finding.h"

#define AUDIT_CATALOGUE_ENV "DNSSD_AUDIT_CATALOGUE"

/* Everything a verdict depends on. */
typedef struct {
	AuditdConfig *config;     /* site policy */
	Registry *registry;       /* IANA + local */
	Registry *catalogue;      /* known service types; NULL: none */
} AuditSite;

/* Load the configuration (config_load(): config_path NULL is the default
 * file, which may be missing), then the registry (registry_path, else the
 * configuration's registry=, else registry_default_path(); plus the local
 * registry local_path, else as local-registry= says) and the catalogue (catalogue=, else
 * $DNSSD_AUDIT_CATALOGUE, else PKGDATADIR/known-service-types.xml if it
 * exists; "" none).  Warnings (unknown keys) go to warnings (may be NULL).
 * FALSE with one line in error (naming the file) if anything named cannot
 * be loaded; site is then untouched. */
gboolean audit_site_load(const char *config_path, const char *registry_path,
                         const char *local_path, GPtrArray *warnings,
                         AuditSite *site, GError **error);
void audit_site_clear(AuditSite *site);

/* The catalogue file audit_site_load() reads for cfg, newly allocated;
 * NULL when there is none. */
char *audit_catalogue_path(const AuditdConfig *cfg);

/* Whole days from a registry's <updated> date (YYYY-MM-DD, UTC midnight)
 * to now_unix (seconds); -1 when there is no usable date. */
gint64 audit_date_age_days(const char *updated, gint64 now_unix);
/* The same for reg's date (reg may be NULL). */
gint64 audit_registry_age_days(const Registry *reg, gint64 now_unix);

/* The warning an admin should see when the registry is older than the
 * site's registry-max-age, newly allocated; NULL when it is not (or has
 * no date). */
char *audit_registry_age_warning(const AuditSite *site, gint64 now_unix);

/* Append ad's findings to out: none if its type is ignored; each with the
 * site's severity ([severity]); those of ignored codes or below
 * min-severity dropped; Finding.accepted set where an accepted-findings
 * rule matches.  type_esc, instance_esc and host_esc (NULL: unknown) are
 * ad's fields escaped (format/escape.h), which accepted rules match.
 * Returns the number appended. */
guint audit_judge(const AuditSite *site, const Advertisement *ad,
                  const char *type_esc, const char *instance_esc,
                  const char *host_esc, FindingList *out);
