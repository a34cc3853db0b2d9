/* watcher.h - the Avahi event chain: service-type browser -> service
 * browser per type -> resolver per service, on a GLib main loop.
 *
 * The watcher turns Avahi events into WatchedService snapshots and never
 * judges them.  It survives avahi-daemon restarts (AVAHI_CLIENT_NO_FAIL:
 * on disconnect every browser is freed and browsing starts again when the
 * daemon is back).
 */
#pragma once

#include <glib.h>
#include <avahi-common/address.h>

typedef struct {
	/* identity of the advertisement */
	AvahiIfIndex ifindex;
	const char *ifname;          /* "eth0", or "if<N>" when unknown */
	AvahiProtocol protocol;      /* AVAHI_PROTO_INET / INET6 */
	const char *name;            /* instance name (network bytes) */
	const char *type;            /* "_http._tcp" (network bytes) */
	const char *domain;          /* "local" */
	/* what resolution found; unset fields are NULL / -1 / 0 */
	gboolean resolved;
	gboolean resolve_failed;
	const char *resolve_error;   /* avahi's error text when resolve_failed */
	const char *host;            /* "printer.local" */
	const char *address;         /* "192.0.2.7" / "fe80::1" */
	gint port;
	GPtrArray *txt;              /* GBytes*, in WIRE order; NULL unless resolved */
} WatchedService;

typedef struct {
	/* New service seen, or its resolution finished/changed/failed.  May be
	 * called again for the same service when the resolver reports new data. */
	void (*service_changed)(const WatchedService *svc, gpointer user_data);
	/* The service was removed (goodbye, expiry, interface gone). */
	void (*service_removed)(const WatchedService *svc, gpointer user_data);
	/* Every browser reported ALL_FOR_NOW (or failed) and no resolution is in
	 * flight. May be called more than once. */
	void (*settled)(gpointer user_data);
	/* Avahi came up (TRUE) or went away (FALSE). message says why. */
	void (*avahi_state)(gboolean running, const char *message, gpointer user_data);
} WatcherCallbacks;

typedef struct {
	const char *const *interfaces; /* only these interface names; NULL: all */
	guint resolve_timeout_ms;      /* 0: default (5000) */
	guint max_inflight;            /* resolutions at once; 0: default (64) */
	gboolean exit_on_no_daemon;    /* scan: fail instead of waiting for avahi */
} WatcherOptions;

typedef struct _Watcher Watcher;

Watcher *watcher_new(const WatcherOptions *opts, const WatcherCallbacks *cb,
                     gpointer user_data, GError **error);
void watcher_free(Watcher *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Watcher, watcher_free)
