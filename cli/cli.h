/* cli.h - the subcommands of dnssd-audit(1).  Each returns the process exit
 * status of FINDINGS.md: 0 no warning/error finding, 1 at least one, 2 usage
 * error or registry not loadable. */
#pragma once

#include <glib.h>
#include "audit/judge.h"
#include "audit/service-table.h"
#include "format/json-writer.h"
#include "validator/finding.h"

/* Exit status of every subcommand (FINDINGS.md). */
enum {
	CLI_EXIT_OK = 0,        /* no problem finding */
	CLI_EXIT_PROBLEM = 1,   /* a finding at warning or error, not accepted */
	CLI_EXIT_USAGE = 2,     /* usage error, registry or avahi-daemon missing */
	CLI_EXIT_NOT_FOUND = 1, /* registry lookup: a name is not in the registry */
};

int cli_check_main(int argc, char **argv);     /* dnssd-audit check ... */
int cli_scan_main(int argc, char **argv);      /* dnssd-audit scan ... */
int cli_registry_main(int argc, char **argv);  /* dnssd-audit registry lookup|stats ... */
int cli_status_main(int argc, char **argv);    /* dnssd-audit status (asks dnssd-auditd) */
int cli_findings_main(int argc, char **argv);  /* dnssd-audit findings (asks dnssd-auditd) */
int cli_services_main(int argc, char **argv);  /* dnssd-audit services (asks dnssd-auditd) */
int cli_accept_main(int argc, char **argv);    /* dnssd-audit accept (dnssd-auditd, else a scan) */

/* Shared helpers for the subcommands. */
gboolean cli_use_color(int fd);                /* isatty && $NO_COLOR unset && TERM != dumb */
const char *cli_severity_color(int severity);  /* ANSI SGR sequence, "" for none */

/* Append "<severity> <code>: <message>\n" for a terminal or a pipe, the
 * message escaped for a terminal (escape.h ESCAPE_TEXT: '"' stays as
 * it is).  color: wrap the severity in its SGR colour. */
void cli_append_finding(GString *out, const Finding *f, gboolean color);
/* Append "2 errors, 1 warning, 3 info" for count[SEVERITY_*] (nothing for
 * all zero). */
void cli_append_severity_counts(GString *out, const guint count[SEVERITY_ERROR + 1]);

/* audit_site_load() for a subcommand: warnings and the error go to stderr
 * as "dnssd-audit: ..." lines.  FALSE on error. */
gboolean cli_site_load(const char *config_path, const char *registry_path,
                       const char *local_path, AuditSite *site);
/* audit_judge() with the escaped fields it needs computed from ad. */
guint cli_judge(const AuditSite *site, const Advertisement *ad, FindingList *out);

/* The "findings" array of check's and scan's JSON: {"code", "severity",
 * "message", and "accepted": true for an accepted finding}. */
void cli_json_findings(JsonWriter *w, const FindingList *findings);

/* accept: one accepted-findings rule per finding per service of table that
 * is not accepted yet, appended to out.  Returns how many. */
guint cli_accept_rules(const ServiceTable *table, GString *out);
/* accept from the running dnssd-auditd: FALSE if none runs (nothing
 * printed); else TRUE with its rules in out and *status the exit status. */
gboolean cli_accept_from_daemon(GString *out, int *status);

/* Write out to stdout: status, or (after one line on stderr naming prg)
 * exit status 2 when it cannot be written. */
int cli_write_out(const GString *out, const char *prg, int status);
