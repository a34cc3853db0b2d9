/* site-config.h - the site's configuration, dnssd-audit.conf(5): read by
 * dnssd-auditd and by `dnssd-audit check` and `scan`, so that both give the
 * same verdicts.  (Not named config.h: "config.h" is autoconf's header and
 * a quoted include looks in the including file's directory first.)
 *
 * A GKeyFile, by default SYSCONFDIR/dnssd-audit/dnssd-audit.conf, with the
 * groups [audit] and [severity].  Every key is optional; a missing default
 * file means "all defaults".  Lists are separated by commas, semicolons or
 * white space.  The file is read with site_file_read() (regular file, at
 * most 1 MiB, never blocking on a FIFO); a value is at most 64 KiB.
 *
 *   [audit]
 *   # IANA registry XML.  Default: $DNSSD_AUDIT_REGISTRY, else
 *   # LOCALSTATEDIR/lib/dnssd-audit/service-names-port-numbers.xml if it
 *   # exists, else PKGDATADIR/service-names-port-numbers.xml.  The
 *   # --registry option overrides this key.
 *   registry=/var/lib/dnssd-audit/service-names-port-numbers.xml
 *   # The site-local registry (same XML format) whose names count as
 *   # registered.  Default: SYSCONFDIR/dnssd-audit/local-services.xml when
 *   # that file exists.  Empty value: no local registry.  A file named here
 *   # must exist.
 *   local-registry=/etc/dnssd-audit/local-services.xml
 *   # Finding codes (FINDINGS.md) never reported: not logged, not signalled
 *   # on D-Bus, not listed by ListFindings().  Default: none.
 *   ignore-codes=port-differs, txt-key-too-long
 *   # Service types ignored entirely (compared case-insensitively).
 *   ignore-types=_airplay._tcp _raop._tcp
 *   # Findings below this severity are not reported (info, notice, warning,
 *   # error).  Default: info (everything).
 *   min-severity=notice
 *   # Watch only these network interfaces.  Default: all.
 *   interfaces=eth0, wlan0
 *   # At most this many finding lines per 10 seconds; the rest are counted
 *   # and summarised in one line.  D-Bus signals are not limited.
 *   # Default: 100.
 *   rate-limit=100
 *   # At most this many advertisements are tracked; past it, the oldest are
 *   # forgotten (one warning).  Default: 10000.
 *   max-services=10000
 *   # Seconds to wait for a service to resolve before reporting
 *   # resolve-failed (decimals allowed, 0.1 to 600).  Default: 5.
 *   resolve-timeout=5
 *   # Accepted findings (accepted.h).  Default:
 *   # SYSCONFDIR/dnssd-audit/accepted-findings when it exists.  Empty: none.
 *   # A file named here must exist.  Re-read on reload.
 *   accepted-findings=/etc/dnssd-audit/accepted-findings
 *   # The catalogue of known service types.  Default: $DNSSD_AUDIT_CATALOGUE,
 *   # else PKGDATADIR/known-service-types.xml.  Empty: no catalogue.
 *   catalogue=/usr/share/dnssd-audit/known-service-types.xml
 *   # Warn when the registry's <updated> is older than this many days.
 *   # Default: 180.
 *   registry-max-age=180
 *   # dnssd-auditd writes its metrics to this file in the Prometheus text
 *   # format, for the node exporter's textfile collector (dnssd-auditd(8)
 *   # METRICS).  An absolute path of at most 4096 bytes, not a directory
 *   # name.  Default: none (no metrics).
 *   metrics-file=/var/lib/prometheus/node-exporter/dnssd-audit.prom
 *
 *   [severity]
 *   # The site's severity of a code, used everywhere (log priority, D-Bus,
 *   # JSON, exit status).
 *   unregistered-known=info
 *
 * Unknown groups and keys are warnings (the file still loads); a bad value
 * is an error naming the file, the key and the value.
 */
#pragma once

#include <glib.h>
#include "audit/accepted.h"
#include "validator/finding.h"

#define AUDITD_CONFIG_GROUP "audit"
#define AUDITD_SEVERITY_GROUP "severity"
#define AUDITD_DEFAULT_REGISTRY_MAX_AGE_DAYS 180
#define AUDITD_DEFAULT_RATE_LIMIT 100
#define AUDITD_DEFAULT_MAX_SERVICES 10000
#define AUDITD_DEFAULT_RESOLVE_TIMEOUT_MS 5000

#define CONFIG_ERROR (config_error_quark())
GQuark config_error_quark(void);

typedef enum {
	CONFIG_ERROR_OPEN,      /* explicit file missing or unreadable */
	CONFIG_ERROR_PARSE,     /* not a key file */
	CONFIG_ERROR_VALUE,     /* a key has a bad value */
} ConfigErrorCode;

typedef struct {
	char *path;                      /* the file read, NULL if none */
	char *registry;                  /* NULL: registry_default_path() */
	char *local_registry;            /* NULL: default if present; "": none */
	gboolean ignore_codes[FINDING_N_CODES];
	GHashTable *ignore_types;        /* lowercase type set, never NULL */
	gboolean severity_set[FINDING_N_CODES]; /* [severity] names the code */
	Severity severity[FINDING_N_CODES];     /* ... and its severity */
	Severity min_severity;
	char **interfaces;               /* NULL: all interfaces */
	guint rate_limit;                /* finding lines per 10 s */
	guint max_services;
	guint resolve_timeout_ms;
	char *accepted_findings;         /* NULL: default if present; "": none */
	AcceptedRules *accepted;         /* loaded with the file; NULL: none */
	char *catalogue;                 /* NULL: default; "": none */
	guint registry_max_age_days;
	char *metrics_file;              /* NULL: no metrics */
} AuditdConfig;

/* A configuration with every default. */
AuditdConfig *config_new_default(void);
void config_free(AuditdConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AuditdConfig, config_free)

/* Read the configuration.  path NULL means the default file
 * (config_default_path()), whose absence is not an error; an explicit path
 * must exist.  Unknown groups and keys append one line each to warnings
 * (may be NULL).  Returns NULL with error set (one line: "FILE: ...") on a
 * missing explicit file, a syntax error or a bad value. */
AuditdConfig *config_load(const char *path, GPtrArray *warnings, GError **error);
/* The same for a given file; must_exist FALSE treats a missing file as
 * "all defaults" (then cfg->path is NULL). */
AuditdConfig *config_load_file(const char *file, gboolean must_exist,
                               GPtrArray *warnings, GError **error);

/* Parse text (len bytes; file names it in messages) without reading
 * any file: the accepted-findings file is not loaded (cfg->accepted NULL).
 * What config_load_file() does after reading, and the fuzz target's
 * entry. */
AuditdConfig *config_parse_data(const char *file, const char *text, gsize len,
                                GPtrArray *warnings, GError **error);

/* SYSCONFDIR/dnssd-audit/dnssd-audit.conf, newly allocated. */
char *config_default_path(void);

/* Is the type in ignore-types (case-insensitive)? */
gboolean config_type_ignored(const AuditdConfig *cfg, const char *type);

/* The site's severity of a finding of code: [severity]'s, else the one
 * the validator gave it (judged: FINDINGS.md's, which for txt-too-large
 * depends on the size). */
Severity config_severity(const AuditdConfig *cfg, FindingCode code, Severity judged);

/* Would a finding with this code and severity be reported? */
gboolean config_finding_wanted(const AuditdConfig *cfg, FindingCode code,
                               Severity severity);

/* Do the two configurations need different watchers (interfaces or
 * resolve-timeout differ)? */
gboolean config_watcher_differs(const AuditdConfig *a, const AuditdConfig *b);
