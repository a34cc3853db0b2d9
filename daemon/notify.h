/* notify.h - sd_notify(3) for Type=notify, or nothing without libsystemd
 * (or when not started by systemd: NOTIFY_SOCKET unset). */
#pragma once

#include <glib.h>

void notify_ready(void);
/* RELOADING=1 with MONOTONIC_USEC (systemd >= 253 wants it). */
void notify_reloading(void);
void notify_stopping(void);
void notify_status(const char *status);
