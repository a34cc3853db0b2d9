/* notify.c - readiness and status for systemd (see notify.h). */
#include "config.h"

#include <time.h>
#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif
#include "daemon/notify.h"

static void
notify_send(const char *state)
{
#ifdef HAVE_LIBSYSTEMD
	(void)sd_notify(0, state);
#else
	(void)state;
#endif
}

void
notify_ready(void)
{
	notify_send("READY=1");
}

void
notify_reloading(void)
{
	struct timespec ts;
	g_autofree char *msg = NULL;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	msg = g_strdup_printf("RELOADING=1\nMONOTONIC_USEC=%" G_GUINT64_FORMAT,
	                      (guint64)ts.tv_sec * G_USEC_PER_SEC + (guint64)ts.tv_nsec / 1000);
	notify_send(msg);
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1");
}

void
notify_status(const char *status)
{
	g_autofree char *msg = g_strconcat("STATUS=", status, NULL);

	notify_send(msg);
}
