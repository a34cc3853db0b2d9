/* browser-pool.h - avahi service browsers created without waiting.
 *
 * avahi_service_browser_new() is one blocking round trip to avahi-daemon
 * (through dbus-daemon) per call.  The service-type browser reports the
 * types of a LAN in one burst, and each service browser's ALL_FOR_NOW
 * comes a fixed second after it was made, so those round trips, one after
 * the other, are on the critical path of a scan: ~0.2 ms each, measured on
 * the 300-service bench LAN.  (A service-type browser can be made here too:
 * on a connection of its own it need not wait for avahi-client's set-up.)  A BrowserPool speaks avahi's public D-Bus API
 * (org.freedesktop.Avahi.Server.ServiceBrowserNew and the
 * org.freedesktop.Avahi.ServiceBrowser signals) on a private bus
 * connection of its own, attached to the GLib main loop: the calls of a
 * burst leave at once and each reply is taken as it comes.
 *
 * Contract:
 * - browser_pool_browse() never blocks and never calls back from inside;
 *   a browser avahi refuses reports AVAHI_BROWSER_FAILURE later, from the
 *   main loop, with avahi's error text.
 * - Events are those of AvahiServiceBrowserCallback; `error` is set (one
 *   line, not escaped: it comes from avahi-daemon) for FAILURE only.
 * - A callback must not free its own browser or the pool.
 * - If the bus connection closes, every browser reports FAILURE once.
 * - The pool belongs to one avahi-daemon instance: signals from any other
 *   sender are ignored.  When avahi-daemon goes away, free the pool (its
 *   connection closes with it) and make a new one for the next daemon.
 */
#pragma once

#include <glib.h>
#include <avahi-common/address.h>
#include <avahi-common/defs.h>

#define BROWSER_POOL_ERROR (browser_pool_error_quark())
GQuark browser_pool_error_quark(void);

typedef struct _BrowserPool BrowserPool;
typedef struct _PoolBrowser PoolBrowser;

typedef void (*PoolBrowserCallback)(PoolBrowser *b, AvahiIfIndex interface,
                                    AvahiProtocol protocol, AvahiBrowserEvent event,
                                    const char *name, const char *type,
                                    const char *domain, AvahiLookupResultFlags flags,
                                    const char *error, void *user_data);

/* A private connection to the system bus ($DBUS_SYSTEM_BUS_ADDRESS),
 * attached to the default GLib main context.  Blocks for the connection
 * set-up (a few bus round trips).  NULL with *error set (one line). */
BrowserPool *browser_pool_new(GError **error);
/* Closes the connection; avahi-daemon drops the pool's browsers then.
 * Pending browsers report nothing. */
void browser_pool_free(BrowserPool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BrowserPool, browser_pool_free)

/* TRUE once the bus connection has closed (every browser has failed). */
gboolean browser_pool_closed(const BrowserPool *pool);

/* Ask avahi-daemon for a service browser.  Returns the browser at once
 * (NULL only if the call could not even be queued: out of memory or a
 * closed connection). */
PoolBrowser *browser_pool_browse(BrowserPool *pool, AvahiIfIndex interface,
                                 AvahiProtocol protocol, const char *type,
                                 const char *domain, PoolBrowserCallback cb,
                                 void *user_data);
/* The same for a service-type browser: its NEW and REMOVE events carry
 * the type in `type` and no name. */
PoolBrowser *browser_pool_browse_types(BrowserPool *pool, AvahiIfIndex interface,
                                       AvahiProtocol protocol, const char *domain,
                                       PoolBrowserCallback cb, void *user_data);
/* Stop it: avahi-daemon is told to free it (without waiting), also when
 * its creation is still pending. */
void pool_browser_free(PoolBrowser *b);
