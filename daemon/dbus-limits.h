/* dbus-limits.h - a bounded answer for D-Bus callers that do not read
 * their replies.
 *
 * dbus-daemon keeps each message we send until its recipient reads it, and
 * counts it against OUR connection (max_incoming_bytes, 127 MiB by
 * default); past that it stops reading from us, and every later reply and
 * signal of the daemon waits behind the unread ones, in GDBus's queue.  A
 * few clients that call ListServices and never read thus stall every other
 * caller and grow the daemon.  What needs a bound is the bytes of our
 * replies that their recipients have not read.
 *
 * A reply counts as unread until its caller proves otherwise: after a
 * reply the caller is sent org.freedesktop.DBus.Peer.Ping, which every
 * D-Bus library answers by itself once it has read what came before.  Its
 * answer (or any error from the caller, or the bus saying it left)
 * releases the bytes sent before the Ping.  A call is
 *   accepted  while its caller and all callers are within the limits;
 *   refused   with org.freedesktop.DBus.Error.LimitsExceeded (a small
 *             reply, itself counted) past a limit;
 *   dropped   unanswered once the refusals are unread too; the bus then
 *             bounds the caller (max_replies_per_connection, 128).
 * A caller with nothing unread but its latest reply (which it may not
 * have had the time to prove read) always gets its call answered,
 * whatever the reply's size, as long as all callers together are under
 * the total.  So a caller holds at most about caller_bytes or two
 * replies, whichever is more.
 *
 * Installed as a filter of the connection, so it sees every call and
 * reply, those GDBus answers itself (Introspect, Properties, Peer)
 * included.  The filter runs in GDBus's worker thread; the Pings and the
 * log lines come from the main context of the thread that called
 * dbus_limits_new().
 */
#pragma once

#include <gio/gio.h>

typedef struct {
	gsize caller_bytes;    /* unread bytes a caller may have before refusals */
	guint caller_calls;    /* calls a caller may have in progress */
	gsize total_bytes;     /* unread bytes of all callers together */
	guint max_callers;     /* callers tracked at once (each may have a Ping
	                        * pending: the bus allows us 128 pending calls) */
	guint recheck_ms;      /* a Ping the bus refused: count the caller's bytes
	                        * as read after this long (a misconfigured policy
	                        * must not lock everyone out for good) */
} DbusLimitsConfig;

/* The daemon's limits: a caller ~256 KiB (or two replies) and 4 calls, all
 * 48 MiB, well under the bus's 127 MiB for our connection. */
extern const DbusLimitsConfig dbus_limits_default;

typedef struct {
	guint64 accepted, refused, dropped;   /* calls, since dbus_limits_new() */
	guint64 unread_bytes;                 /* now, reservations included */
	guint callers;                        /* tracked now */
} DbusLimitsStats;

typedef struct _DbusLimits DbusLimits;

/* Start watching conn (borrowed: free the limits before the connection). */
DbusLimits *dbus_limits_new(GDBusConnection *conn, const DbusLimitsConfig *cfg);
/* Remove the filter and forget every caller (answers to Pings still on
 * the way are then left to GDBus, which ignores them). */
void dbus_limits_free(DbusLimits *l);

/* The reply to member (of any interface) is about bytes long: what an
 * accepted call reserves until its reply is sent.  Unknown members
 * reserve the largest reply seen so far (at least 4 KiB). */
void dbus_limits_expect(DbusLimits *l, const char *member, gsize bytes);

void dbus_limits_get_stats(DbusLimits *l, DbusLimitsStats *out);
