/* log.h - where dnssd-auditd's lines go: stderr, syslog(3) (facility
 * daemon, ident dnssd-auditd, with the pid) or the systemd journal (with
 * structured fields).
 *
 * One process-wide log, opened once in main().  Two kinds of lines:
 * findings (already formatted by logline_format(); the journal also gets
 * their fields) and daemon status lines (log_msg).  GLib's own messages
 * (g_warning() etc., also from libraries) are routed to the same place.
 * syslog(3) writes to /dev/log (reconnecting by itself when syslog
 * restarts, and dropping the line when there is none); an unreachable
 * journal falls back to stderr with one warning.
 */
#pragma once

#include <glib.h>
#include <syslog.h>
#include "validator/finding.h"

#define AUDITD_IDENT "dnssd-auditd"

typedef enum {
	LOG_TARGET_AUTO = 0,   /* journal if built with libsystemd and
	                        * /run/systemd/journal/socket exists, else syslog */
	LOG_TARGET_STDERR,
	LOG_TARGET_SYSLOG,
	LOG_TARGET_JOURNAL,
} LogTarget;

gboolean log_target_from_name(const char *name, LogTarget *out);
const char *log_target_name(LogTarget t);
/* AUTO -> the concrete target; JOURNAL without libsystemd -> SYSLOG. */
LogTarget log_target_resolve(LogTarget t);

/* Open the log (target resolved with log_target_resolve(); openlog(3) for
 * syslog) and install the GLib log writer.  Opening again closes the
 * previous target first. */
void log_open(LogTarget target);
/* Back to stderr (closelog(3) for syslog). */
void log_close(void);
LogTarget log_get_target(void);

/* FINDINGS.md: the syslog priority of a severity (LOG_ERR, LOG_WARNING,
 * LOG_NOTICE, LOG_INFO); the journal's PRIORITY= too. */
int log_severity_priority(Severity s);

/* The journal fields of a finding; strings are already escaped (NULL or -1
 * when unknown). */
typedef struct {
	FindingCode code;
	Severity severity;
	const char *type;
	const char *instance;
	const char *interface;
	const char *host;
	gint port;
} LogFindingFields;

/* Log one finding line (from logline_format()) at its severity. */
void log_finding_line(const char *line, const LogFindingFields *fields);

/* Log a daemon status line at priority (LOG_ERR, ...).  The caller has
 * escaped any network bytes; control characters, bytes that are not UTF-8,
 * C1 and bidi characters are escaped here too (escape.h ESCAPE_CONTROLS),
 * so a line stays one readable line. */
void log_msg(int priority, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* The journal MESSAGE_ID of a finding code (32 hex digits), exposed for
 * the tests and the documentation. */
const char *log_message_id(FindingCode code);
