/* log.h - where dnssd-auditd's lines go: stderr, syslog (our own RFC 3164
 * client, log-syslog.h) or the systemd journal (with structured fields).
 *
 * One process-wide log, opened once in main().  Two kinds of lines:
 * findings (already formatted by logline_format(); the journal also gets
 * their fields) and daemon status lines (log_msg).  GLib's own messages
 * (g_warning() etc., also from libraries) are routed to the same place.
 * Nothing here blocks the main loop: syslog sends are non-blocking, and an
 * unreachable syslog or journal falls back to stderr with one warning.
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

/* Open the log (target resolved with log_target_resolve) and install the
 * GLib log writer.  syslog_socket is used for LOG_TARGET_SYSLOG. */
void log_open(LogTarget target, const char *syslog_socket);
/* Use another syslog socket from now on (configuration reload). */
void log_set_syslog_socket(const char *path);
void log_close(void);
LogTarget log_get_target(void);
/* Lines dropped because syslog's socket was full. */
guint64 log_n_dropped(void);

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
