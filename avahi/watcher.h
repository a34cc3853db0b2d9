/* watcher.h - the Avahi event chain: service-type browser -> service
 * browser per type -> resolver per service, on a thread of its own.
 *
 * The watcher turns Avahi events into ObservedService snapshots
 * (audit/observed.h) and never judges them; no Avahi type leaves it.  It
 * survives avahi-daemon restarts (AVAHI_CLIENT_NO_FAIL:
 * on disconnect every browser is freed and browsing starts again when the
 * daemon is back) and dbus-daemon restarts (both connections are made
 * again; neither exits the process when the bus closes).
 */
#pragma once

#include <glib.h>
#include "audit/observed.h"


typedef struct {
	/* New service seen, or its resolution finished/changed/failed.  May be
	 * called again for the same service when the resolver reports new data. */
	void (*service_changed)(const ObservedService *svc, gpointer user_data);
	/* The service was removed (goodbye, expiry, interface gone). */
	void (*service_removed)(const ObservedService *svc, gpointer user_data);
	/* The watcher went from busy to idle under the settle rule below.  May
	 * be called more than once. */
	void (*settled)(gpointer user_data);
	/* Avahi came up (TRUE) or went away (FALSE). message says why. */
	void (*avahi_state)(gboolean running, const char *message, gpointer user_data);
} WatcherCallbacks;

typedef struct {
	const char *const *interfaces; /* only these interface names; NULL: all */
	guint resolve_timeout_ms;      /* 0: default (5000) */
	guint max_inflight;            /* resolutions at once; 0: default (64) */
	gboolean exit_on_no_daemon;    /* scan: fail instead of waiting for avahi */
	gboolean one_shot;             /* scan: free each resolver once it has
	                                * answered (no change tracking) */
} WatcherOptions;

typedef struct _Watcher Watcher;

/* Semantics fixed by the implementation (avahi/watcher.c):
 *
 * - Snapshots: a ObservedService and everything it points to is valid only
 *   during the callback; copy what you keep.  service_changed is called on
 *   browse NEW with an unresolved snapshot (resolved = FALSE, port -1,
 *   txt NULL), then again when the resolution ends (resolved, or
 *   resolve_failed with resolve_error, e.g. "timed out"), and again
 *   whenever the service's TXT record changes: after FOUND the resolver
 *   is freed (as avahi-browse frees its own) and a TXT record browser is
 *   kept open instead, one per instance and interface: a change seen
 *   on one protocol is reported for the advertisements of both (a
 *   responder sends the same records over both).  The TXT record
 *   browsers are opened once no resolution waits for a slot (each
 *   opening is a blocking call, like each resolution's start); a change
 *   in between is not lost, as a new browser first lists avahi's cache.
 *   That lasts as long as avahi-daemon grants objects
 *   (objects-per-client-max, 1024 by default).  Once it refuses one, 128
 *   watches are closed for headroom and later services are resolved once
 *   until avahi-daemon restarts (watcher_n_first_resolution_only()); with
 *   one_shot, every service is.  A changed port, host or address is seen
 *   when the service leaves and comes back: a kept resolver would see it,
 *   at the price of both hosts refreshing its 120 s records.
 * - Interface names (ObservedService.ifname): avahi-daemon's name for the
 *   index ("eth0"), asked over the system bus without blocking
 *   (avahi/ifname-cache.h: the unit's private network namespace does not
 *   know avahi's interfaces); if avahi cannot say, the name in this
 *   process's namespace, else "if<N>".  Asked once per index and cached
 *   until avahi-daemon goes away.  A service is reported only once the
 *   name of its interface is known: browse events on an index whose name
 *   is being asked wait, in order, and are then handled (or dropped by
 *   interfaces=, which filters by name).  settled waits for these
 *   lookups too.  A service seen again after an avahi restart takes the
 *   name the new daemon gives its index.
 * - settled: every browser has said ALL_FOR_NOW (or failed), no
 *   resolution is in flight or queued, no interface name is being asked,
 *   and the LAN is quiet.  ALL_FOR_NOW is avahi's timer (about 1 s after
 *   a browser is made), not the LAN's last answer, so quiet means: every
 *   type seen has delivered at least one instance (or its browser is 30 s
 *   old: a type is announced only by hosts with an instance of it), and
 *   no new service or type has come for twice the longest gap between
 *   two of them since the last settle, at least 250 ms, at least 1 s if
 *   one came within 250 ms of the rest going idle (still delivering), at
 *   most 5 s.  On a small LAN the answers come well before ALL_FOR_NOW
 *   and the rule adds nothing.  (man dnssd-audit(1), scan.)  settled
 *   does not wait for the TXT record browsers: if some are still to be
 *   opened, settled comes once more when they are, and
 *   watcher_n_first_resolution_only() is final then.
 * - service_removed comes from the service browser's REMOVE (goodbye,
 *   expiry).  A type browser REMOVE does not remove services: the type's
 *   PTR is shared by all hosts offering the type, so one host's goodbye
 *   says nothing about the others' instances.
 * - Threads: avahi-client runs on a thread of the watcher's own (its
 *   calls block on avahi-daemon); the callbacks run on the thread that
 *   called watcher_new(), from its thread-default main context, in the
 *   order the events happened.  They are never called from inside
 *   watcher_new() or watcher_free(), and must not call watcher_free()
 *   themselves.  Events still queued when watcher_free() is called are
 *   dropped.
 * - avahi-daemon restarts (exit_on_no_daemon FALSE): avahi_state(FALSE, why)
 *   is reported and every avahi object is dropped, but the known services
 *   are KEPT (no service_removed), so a restart does not look like every
 *   service leaving and coming back.  When avahi is back, avahi_state(TRUE)
 *   is reported, browsing starts again, services seen again are re-resolved
 *   (service_changed after resolution, no unresolved snapshot), and at the
 *   first settle at least 5 s after browsing restarted (a fresh daemon
 *   says ALL_FOR_NOW before its first query has left), service_removed is
 *   reported for every known service that was not seen again; settled is
 *   held back until then.  If the system bus itself is
 *   unreachable, the connection is retried with a growing delay (1 s to
 *   30 s).
 * - exit_on_no_daemon TRUE (scan): watcher_new() fails with
 *   WATCHER_ERROR_NO_DAEMON when avahi-daemon (or the bus) is not there;
 *   if it goes away later, avahi_state(FALSE, why) is reported and the
 *   watcher stays idle.
 * - Browser failures are reported with one g_warning() line (escaped).
 */

#define WATCHER_ERROR (watcher_error_quark())
GQuark watcher_error_quark(void);

typedef enum {
	WATCHER_ERROR_NO_DAEMON,  /* avahi-daemon or the system bus not reachable */
	WATCHER_ERROR_FAILED,     /* any other avahi-client failure */
} WatcherErrorCode;

Watcher *watcher_new(const WatcherOptions *opts, const WatcherCallbacks *cb,
                     gpointer user_data, GError **error);
void watcher_free(Watcher *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Watcher, watcher_free)

/* The TXT list of an avahi-client resolver callback as a new array of
 * GBytes in WIRE order; never NULL (an empty array for an empty list); the
 * list is not modified.  That list's head is the FIRST string on the wire:
 * avahi-core parses a TXT record into a reversed list, avahi-daemon sends
 * it over D-Bus as is, and avahi-client reverses it again while reading.
 * (avahi_string_list_to_string(), which avahi-browse prints, reverses once
 * more: avahi-browse shows reverse wire order.)  Verified against raw
 * packets with a known order (tests/integration/scan.test). */
/* How many resolved services had no TXT watch at the last settle, so
 * that later TXT changes of theirs are not seen (avahi-daemon allows a
 * client 1024 objects; see the semantics above): judged on their first
 * resolution only.  With one_shot, every resolved service.  Any thread;
 * counted at each settle, and within a second of a change otherwise. */
guint watcher_n_first_resolution_only(const Watcher *w);

struct AvahiStringList;
GPtrArray *watcher_txt_to_wire(const struct AvahiStringList *txt);

/* The rdata of a TXT record browser event (length-prefixed strings in
 * wire order: avahi-daemon serializes its reversed list back) as an array
 * like watcher_txt_to_wire()'s.  Empty strings are left out, as avahi's
 * own parser leaves them out of a resolver's list, so a record of one
 * empty string is an empty array.  NULL if a length runs past the end. */
GPtrArray *watcher_txt_rdata_to_wire(const guint8 *rdata, size_t size);
