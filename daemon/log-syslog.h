/* log-syslog.h - a small RFC 3164 syslog client on an AF_UNIX datagram
 * socket (/dev/log by default).
 *
 * Not syslog(3): the socket path must be configurable (tests bind their own
 * catcher), and the daemon must never block on a slow or absent syslog.
 * Each message is one datagram
 *
 *   <PRI>Mmm dd hh:mm:ss IDENT[PID]: MSG
 *
 * with PRI = facility | priority, the timestamp in local time with English
 * month names and the day padded with a space ("Nov  2").  Sends are
 * non-blocking: a full socket drops the message and counts it.  When the
 * socket goes away (syslog restarted) the client reconnects, at most once
 * per second.
 */
#pragma once

#include <glib.h>

typedef struct _SyslogClient SyslogClient;

/* facility is LOG_DAEMON etc. (already shifted, as in syslog.h).  Does not
 * connect yet. */
SyslogClient *syslog_client_new(const char *path, const char *ident, int facility);
void syslog_client_free(SyslogClient *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SyslogClient, syslog_client_free)

const char *syslog_client_path(const SyslogClient *c);

/* Try to connect now.  FALSE with error set if the socket cannot be
 * reached. */
gboolean syslog_client_connect(SyslogClient *c, GError **error);

/* Format and send one message (priority LOG_ERR etc.).  msg must not hold
 * newlines (callers escape network bytes).  Returns TRUE if sent or
 * dropped because the socket was full (counted, see n_dropped), FALSE with
 * error set if syslog is unreachable: then the caller should write the
 * message elsewhere. */
gboolean syslog_client_send(SyslogClient *c, int priority, const char *msg,
                            GError **error);

/* Messages dropped because the socket would have blocked. */
guint64 syslog_client_n_dropped(const SyslogClient *c);

/* The datagram for msg at time t (seconds since the epoch), newly
 * allocated; exposed for the tests. */
char *syslog_format(int pri, gint64 t, const char *ident, gint64 pid,
                    const char *msg);
