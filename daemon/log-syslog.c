/* log-syslog.c - RFC 3164 client on an AF_UNIX datagram socket (see
 * log-syslog.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <gio/gio.h>
#include "daemon/log-syslog.h"

#define RECONNECT_INTERVAL_US G_USEC_PER_SEC

struct _SyslogClient {
	char *path;
	char *ident;
	int facility;
	int fd;                  /* -1: not connected */
	gint64 last_attempt;     /* monotonic time of the last connect, or 0 */
	guint64 n_dropped;
};

SyslogClient *
syslog_client_new(const char *path, const char *ident, int facility)
{
	SyslogClient *c = g_new0(SyslogClient, 1);

	c->path = g_strdup(path);
	c->ident = g_strdup(ident);
	c->facility = facility;
	c->fd = -1;
	return c;
}

static void
disconnect(SyslogClient *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void
syslog_client_free(SyslogClient *c)
{
	if (c == NULL)
		return;
	disconnect(c);
	g_free(c->path);
	g_free(c->ident);
	g_free(c);
}

const char *
syslog_client_path(const SyslogClient *c)
{
	return c->path;
}

guint64
syslog_client_n_dropped(const SyslogClient *c)
{
	return c->n_dropped;
}

gboolean
syslog_client_connect(SyslogClient *c, GError **error)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, saved;

	disconnect(c);
	c->last_attempt = g_get_monotonic_time();
	if (strlen(c->path) >= sizeof sa.sun_path) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "syslog socket path too long: %s", c->path);
		return FALSE;
	}
	strcpy(sa.sun_path, c->path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		saved = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved),
		            "cannot create a socket for syslog: %s", g_strerror(saved));
		return FALSE;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		saved = errno;
		close(fd);
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved),
		            "cannot reach syslog at %s: %s", c->path, g_strerror(saved));
		return FALSE;
	}
	c->fd = fd;
	return TRUE;
}

char *
syslog_format(int pri, gint64 t, const char *ident, gint64 pid, const char *msg)
{
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(t);

	if (dt == NULL)
		dt = g_date_time_new_from_unix_utc(0);
	return g_strdup_printf("<%d>%s %2d %02d:%02d:%02d %s[%" G_GINT64_FORMAT "]: %s",
	                       pri, months[g_date_time_get_month(dt) - 1],
	                       g_date_time_get_day_of_month(dt),
	                       g_date_time_get_hour(dt), g_date_time_get_minute(dt),
	                       g_date_time_get_second(dt), ident, pid, msg);
}

/* Is errno one that means "the reader went away", so that reconnecting
 * may help? */
static gboolean
errno_is_gone(int e)
{
	return e == ECONNREFUSED || e == ENOTCONN || e == ENOENT || e == EPIPE ||
	       e == EBADF || e == EDESTADDRREQ;
}

gboolean
syslog_client_send(SyslogClient *c, int priority, const char *msg, GError **error)
{
	g_autofree char *dgram = NULL;
	gsize len;

	dgram = syslog_format(c->facility | (priority & 7), g_get_real_time() / G_USEC_PER_SEC,
	                      c->ident, (gint64)getpid(), msg);
	len = strlen(dgram);
	for (int attempt = 0; attempt < 2; attempt++) {
		ssize_t n;
		int e;

		if (c->fd < 0) {
			/* Unreachable: retry at most once per interval so that a
			 * dead syslog costs one failed connect() per second, not
			 * one per message. */
			if (c->last_attempt != 0 && attempt == 0 &&
			    g_get_monotonic_time() - c->last_attempt < RECONNECT_INTERVAL_US) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
				            "cannot reach syslog at %s", c->path);
				return FALSE;
			}
			if (!syslog_client_connect(c, error))
				return FALSE;
		}
		n = send(c->fd, dgram, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n >= 0)
			return TRUE;
		e = errno;
		/* Full socket (or an absurdly long line): drop, count, go on;
		 * the main loop must never wait for syslog. */
		if (e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS || e == EMSGSIZE) {
			c->n_dropped++;
			return TRUE;
		}
		if (e == EINTR) {
			attempt--;
			continue;
		}
		disconnect(c);
		if (!errno_is_gone(e) || attempt == 1) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
			            "cannot send to syslog at %s: %s", c->path, g_strerror(e));
			return FALSE;
		}
		/* The socket went away (syslog restarted): reconnect once now. */
		c->last_attempt = 0;
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
	            "cannot send to syslog at %s", c->path);
	return FALSE;
}
