/* ifname-cache.h - the names of avahi-daemon's interface indexes, asked
 * of avahi-daemon over the system bus without blocking the main loop.
 *
 * The hardened unit runs dnssd-auditd in a private network namespace
 * (PrivateNetwork=yes), where if_indextoname() knows only "lo": an index
 * avahi reports belongs to avahi's namespace, so avahi is the one to ask
 * (org.freedesktop.Avahi.Server.GetNetworkInterfaceNameByIndex).
 *
 * Contract:
 * - ifname_cache_lookup() returns the cached name, or NULL after starting
 *   the lookup; ready() is then called exactly once for that index, from
 *   the main loop (never from inside a call into the cache), unless
 *   ifname_cache_forget() or ifname_cache_free() comes first.
 * - The name is avahi's answer; when avahi cannot answer (no such index,
 *   not running, no bus, no answer in 5 s) the name of the index in this
 *   process's namespace, else "if<N>".  Every answer, fallback included,
 *   is cached until ifname_cache_forget(): an index without a name costs
 *   one call, not one per event.  Negative indexes are "if<N>" at once.
 * - The cache has its own bus connection, made asynchronously at
 *   ifname_cache_new() and again when it is needed after the bus went away
 *   (a dbus-daemon restart): exit-on-close is off, and lookups that were
 *   waiting for a connection are asked once it is there.
 * - Strings returned belong to the cache: copy them to keep them.
 */
#pragma once

#include <glib.h>

typedef struct _IfnameCache IfnameCache;

/* The name of ifindex is known (name belongs to the cache). */
typedef void (*IfnameReadyFunc)(int ifindex, const char *name, gpointer user_data);

IfnameCache *ifname_cache_new(IfnameReadyFunc ready, gpointer user_data);
void ifname_cache_free(IfnameCache *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IfnameCache, ifname_cache_free)

/* The name of ifindex, or NULL while it is being asked (ready() follows). */
const char *ifname_cache_lookup(IfnameCache *c, int ifindex);

/* TRUE while the name of ifindex is being asked. */
gboolean ifname_cache_is_pending(const IfnameCache *c, int ifindex);

/* How many lookups are pending. */
guint ifname_cache_n_pending(const IfnameCache *c);

/* avahi-daemon went away (the next one may see other interfaces): forget
 * every name and drop pending lookups without calling ready() for them. */
void ifname_cache_forget(IfnameCache *c);
