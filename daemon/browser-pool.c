/* browser-pool.c - avahi service browsers over a private libdbus
 * connection on the GLib main loop (contract in browser-pool.h).
 *
 *   browser_pool_browse()  ServiceBrowserNew (or, for browser_pool_browse_types(),
 *                          ServiceTypeBrowserNew), queued, reply awaited
 *                          by a pending call (no blocking)
 *   reply                  the browser's object path and avahi's unique
 *                          name; from then on its signals are routed to it
 *   signals                ItemNew, ItemRemove, Failure, AllForNow,
 *                          CacheExhausted -> the browser's callback
 *                          (a type browser's ItemNew has no instance name)
 *
 * avahi-daemon answers ServiceBrowserNew before the browser's first
 * signal (avahi-core runs a new browser's first lookup from its event
 * loop, after the handler has queued the reply), and the bus keeps the
 * order of one sender's messages, so a signal never arrives for a path
 * whose reply is still to come.  Signals are unicast to the connection
 * that made the browser: no match rules are needed.
 */
#include "config.h"

#include <dbus/dbus.h>
#include <glib-unix.h>

#include "daemon/browser-pool.h"

#define AVAHI_NAME "org.freedesktop.Avahi"
#define AVAHI_SERVER_IFACE "org.freedesktop.Avahi.Server"
#define AVAHI_BROWSER_IFACE "org.freedesktop.Avahi.ServiceBrowser"
#define AVAHI_TYPE_BROWSER_IFACE "org.freedesktop.Avahi.ServiceTypeBrowser"

G_DEFINE_QUARK(browser-pool-error-quark, browser_pool_error)

struct _BrowserPool {
	DBusConnection *conn;
	GHashTable *browsers;       /* PoolBrowser* set: every live browser */
	GHashTable *by_path;        /* object path -> PoolBrowser* (answered ones) */
	guint dispatch_id;          /* idle: messages are queued */
	gboolean closed;            /* the bus connection is gone */
};

struct _PoolBrowser {
	BrowserPool *pool;
	PoolBrowserCallback cb;
	void *user_data;
	gboolean types;             /* a service-type browser */
	DBusPendingCall *pending;   /* ...BrowserNew not answered yet */
	char *path;                 /* set once answered */
	char *owner;                /* avahi-daemon's unique bus name */
	gboolean failed;            /* FAILURE reported */
	gboolean dead;              /* freed by the user while pending */
};

/* --- the connection on the GLib main loop ------------------------------ */

typedef struct {
	BrowserPool *pool;
	DBusWatch *watch;
	GSource *source;
} Watch;

typedef struct {
	BrowserPool *pool;
	DBusTimeout *timeout;
	guint id;
} Timeout;

/* Deliver every queued message (replies, signals). */
static void
pool_dispatch(BrowserPool *pool)
{
	while (dbus_connection_get_dispatch_status(pool->conn) == DBUS_DISPATCH_DATA_REMAINS)
		dbus_connection_dispatch(pool->conn);
}

static gboolean
dispatch_idle_cb(gpointer data)
{
	BrowserPool *pool = data;

	pool->dispatch_id = 0;
	pool_dispatch(pool);
	return G_SOURCE_REMOVE;
}

/* libdbus may call this with its locks held: only schedule. */
static void
dispatch_status_cb(DBusConnection *conn, DBusDispatchStatus status, void *data)
{
	BrowserPool *pool = data;

	(void) conn;
	if (status == DBUS_DISPATCH_DATA_REMAINS && pool->dispatch_id == 0)
		pool->dispatch_id = g_idle_add(dispatch_idle_cb, pool);
}

static gboolean
watch_ready_cb(gint fd, GIOCondition cond, gpointer data)
{
	Watch *wt = data;
	BrowserPool *pool = wt->pool;
	unsigned int flags = 0;

	(void) fd;
	if (cond & G_IO_IN)
		flags |= DBUS_WATCH_READABLE;
	if (cond & G_IO_OUT)
		flags |= DBUS_WATCH_WRITABLE;
	if (cond & G_IO_ERR)
		flags |= DBUS_WATCH_ERROR;
	if (cond & G_IO_HUP)
		flags |= DBUS_WATCH_HANGUP;
	/* May remove this very watch (wt is gone then). */
	dbus_watch_handle(wt->watch, flags);
	pool_dispatch(pool);
	return G_SOURCE_CONTINUE;
}

static void
watch_detach(Watch *wt)
{
	if (wt->source == NULL)
		return;
	g_source_destroy(wt->source);
	g_source_unref(wt->source);
	wt->source = NULL;
}

/* (Re)attach a source for the watch as libdbus wants it now. */
static void
watch_sync(Watch *wt)
{
	unsigned int flags;
	GIOCondition cond = G_IO_HUP | G_IO_ERR;

	watch_detach(wt);
	if (!dbus_watch_get_enabled(wt->watch))
		return;
	flags = dbus_watch_get_flags(wt->watch);
	if (flags & DBUS_WATCH_READABLE)
		cond |= G_IO_IN;
	if (flags & DBUS_WATCH_WRITABLE)
		cond |= G_IO_OUT;
	wt->source = g_unix_fd_source_new(dbus_watch_get_unix_fd(wt->watch), cond);
	g_source_set_callback(wt->source, G_SOURCE_FUNC(watch_ready_cb), wt, NULL);
	g_source_attach(wt->source, NULL);
}

static void
watch_free(void *p)
{
	Watch *wt = p;

	watch_detach(wt);
	g_free(wt);
}

static dbus_bool_t
watch_add_cb(DBusWatch *watch, void *data)
{
	Watch *wt = g_new0(Watch, 1);

	wt->pool = data;
	wt->watch = watch;
	dbus_watch_set_data(watch, wt, watch_free);
	watch_sync(wt);
	return TRUE;
}

static void
watch_remove_cb(DBusWatch *watch, void *data)
{
	(void) data;
	dbus_watch_set_data(watch, NULL, NULL); /* frees the old Watch */
}

static void
watch_toggled_cb(DBusWatch *watch, void *data)
{
	Watch *wt = dbus_watch_get_data(watch);

	(void) data;
	if (wt != NULL)
		watch_sync(wt);
}

static gboolean
timeout_fire_cb(gpointer data)
{
	Timeout *to = data;
	BrowserPool *pool = to->pool;

	/* May remove this very timeout (to is gone then). */
	dbus_timeout_handle(to->timeout);
	pool_dispatch(pool);
	return G_SOURCE_CONTINUE;
}

static void
timeout_sync(Timeout *to)
{
	if (to->id != 0)
		g_source_remove(to->id);
	to->id = 0;
	if (dbus_timeout_get_enabled(to->timeout))
		to->id = g_timeout_add((guint) dbus_timeout_get_interval(to->timeout),
		                       timeout_fire_cb, to);
}

static void
timeout_free(void *p)
{
	Timeout *to = p;

	if (to->id != 0)
		g_source_remove(to->id);
	g_free(to);
}

static dbus_bool_t
timeout_add_cb(DBusTimeout *timeout, void *data)
{
	Timeout *to = g_new0(Timeout, 1);

	to->pool = data;
	to->timeout = timeout;
	dbus_timeout_set_data(timeout, to, timeout_free);
	timeout_sync(to);
	return TRUE;
}

static void
timeout_remove_cb(DBusTimeout *timeout, void *data)
{
	(void) data;
	dbus_timeout_set_data(timeout, NULL, NULL);
}

static void
timeout_toggled_cb(DBusTimeout *timeout, void *data)
{
	Timeout *to = dbus_timeout_get_data(timeout);

	(void) data;
	if (to != NULL)
		timeout_sync(to);
}

/* --- browsers ---------------------------------------------------------- */

/* Free b, leaving the pool's tables to the caller. */
static void
browser_release(PoolBrowser *b)
{
	if (b->pending != NULL) {
		dbus_pending_call_cancel(b->pending);
		dbus_pending_call_unref(b->pending);
	}
	g_free(b->path);
	g_free(b->owner);
	g_free(b);
}

static void
browser_destroy(PoolBrowser *b)
{
	BrowserPool *pool = b->pool;

	if (b->path != NULL)
		g_hash_table_remove(pool->by_path, b->path);
	g_hash_table_remove(pool->browsers, b);
	browser_release(b);
}

static void
browser_fail(PoolBrowser *b, const char *why)
{
	if (b->failed || b->dead)
		return;
	b->failed = TRUE;
	b->cb(b, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, AVAHI_BROWSER_FAILURE,
	      NULL, NULL, NULL, 0, why, b->user_data);
}

static const char *
browser_iface(const PoolBrowser *b)
{
	return b->types ? AVAHI_TYPE_BROWSER_IFACE : AVAHI_BROWSER_IFACE;
}

/* Tell avahi-daemon to free b's browser; no answer awaited. */
static void
send_free(const PoolBrowser *b)
{
	BrowserPool *pool = b->pool;
	DBusMessage *m;

	if (pool->closed || !dbus_connection_get_is_connected(pool->conn))
		return;
	m = dbus_message_new_method_call(AVAHI_NAME, b->path, browser_iface(b), "Free");
	if (m == NULL)
		return;
	dbus_message_set_no_reply(m, TRUE);
	dbus_message_set_auto_start(m, FALSE);
	dbus_connection_send(pool->conn, m, NULL);
	dbus_message_unref(m);
}

static void
reply_cb(DBusPendingCall *pc, void *data)
{
	PoolBrowser *b = data;
	BrowserPool *pool = b->pool;
	DBusMessage *reply = dbus_pending_call_steal_reply(pc);
	DBusError err;
	const char *path = NULL;

	dbus_pending_call_unref(b->pending);
	b->pending = NULL;
	dbus_error_init(&err);
	if (reply == NULL) {
		dbus_set_error_const(&err, DBUS_ERROR_NO_REPLY, "no reply from avahi-daemon");
	} else if (dbus_set_error_from_message(&err, reply)) {
		/* an error reply: err says what */
	} else if (dbus_message_get_args(reply, &err, DBUS_TYPE_OBJECT_PATH, &path,
	                                 DBUS_TYPE_INVALID)) {
		b->path = g_strdup(path);
		b->owner = g_strdup(dbus_message_get_sender(reply));
		g_hash_table_insert(pool->by_path, b->path, b);
	}
	if (reply != NULL)
		dbus_message_unref(reply);
	if (b->dead) {
		if (b->path != NULL)
			send_free(b);
		browser_destroy(b);
	} else if (b->path == NULL) {
		/* libdbus answers pending calls itself when the bus goes away,
		 * before the Disconnected signal. */
		if (!dbus_connection_get_is_connected(pool->conn))
			pool->closed = TRUE;
		browser_fail(b, err.message != NULL ? err.message : err.name);
	}
	dbus_error_free(&err);
}

/* A signal for one of our browsers. */
static void
browser_signal(PoolBrowser *b, DBusMessage *m)
{
	const char *member = dbus_message_get_member(m);
	dbus_int32_t ifindex, protocol;
	dbus_uint32_t flags;
	const char *name, *type, *domain, *why;
	AvahiBrowserEvent event;

	if (g_strcmp0(member, "ItemNew") == 0 || g_strcmp0(member, "ItemRemove") == 0) {
		event = member[4] == 'N' ? AVAHI_BROWSER_NEW : AVAHI_BROWSER_REMOVE;
		name = NULL;
		if (b->types ?
		    !dbus_message_get_args(m, NULL, DBUS_TYPE_INT32, &ifindex,
		                           DBUS_TYPE_INT32, &protocol, DBUS_TYPE_STRING, &type,
		                           DBUS_TYPE_STRING, &domain, DBUS_TYPE_UINT32, &flags,
		                           DBUS_TYPE_INVALID) :
		    !dbus_message_get_args(m, NULL, DBUS_TYPE_INT32, &ifindex,
		                           DBUS_TYPE_INT32, &protocol, DBUS_TYPE_STRING, &name,
		                           DBUS_TYPE_STRING, &type, DBUS_TYPE_STRING, &domain,
		                           DBUS_TYPE_UINT32, &flags, DBUS_TYPE_INVALID))
			return; /* not what avahi sends: ignore */
		b->cb(b, ifindex, protocol, event, name, type, domain,
		      (AvahiLookupResultFlags) flags, NULL, b->user_data);
	} else if (g_strcmp0(member, "Failure") == 0) {
		if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &why, DBUS_TYPE_INVALID))
			why = "failure";
		browser_fail(b, why);
	} else if (g_strcmp0(member, "AllForNow") == 0) {
		b->cb(b, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, AVAHI_BROWSER_ALL_FOR_NOW,
		      NULL, NULL, NULL, 0, NULL, b->user_data);
	} else if (g_strcmp0(member, "CacheExhausted") == 0) {
		b->cb(b, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, AVAHI_BROWSER_CACHE_EXHAUSTED,
		      NULL, NULL, NULL, 0, NULL, b->user_data);
	}
}

static DBusHandlerResult
filter_cb(DBusConnection *conn, DBusMessage *m, void *data)
{
	BrowserPool *pool = data;
	PoolBrowser *b;
	const char *path;

	(void) conn;
	if (dbus_message_is_signal(m, DBUS_INTERFACE_LOCAL, "Disconnected")) {
		GHashTableIter it;
		gpointer p;

		pool->closed = TRUE;
		g_hash_table_iter_init(&it, pool->browsers);
		while (g_hash_table_iter_next(&it, &p, NULL))
			browser_fail(p, "the system bus connection closed");
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	if (dbus_message_get_type(m) != DBUS_MESSAGE_TYPE_SIGNAL ||
	    (!dbus_message_has_interface(m, AVAHI_BROWSER_IFACE) &&
	     !dbus_message_has_interface(m, AVAHI_TYPE_BROWSER_IFACE)) ||
	    (path = dbus_message_get_path(m)) == NULL)
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	b = g_hash_table_lookup(pool->by_path, path);
	/* Only the avahi-daemon that made the browser speaks for it. */
	if (b != NULL && !b->dead && !b->failed &&
	    dbus_message_has_interface(m, browser_iface(b)) &&
	    g_strcmp0(dbus_message_get_sender(m), b->owner) == 0)
		browser_signal(b, m);
	return DBUS_HANDLER_RESULT_HANDLED;
}

/* --- public ------------------------------------------------------------ */

BrowserPool *
browser_pool_new(GError **error)
{
	BrowserPool *pool;
	DBusConnection *conn;
	DBusError err;

	dbus_error_init(&err);
	conn = dbus_bus_get_private(DBUS_BUS_SYSTEM, &err);
	if (conn == NULL) {
		g_set_error(error, BROWSER_POOL_ERROR, 0, "cannot connect to the system bus: %s",
		            err.message != NULL ? err.message : "unknown error");
		dbus_error_free(&err);
		return NULL;
	}
	/* libdbus's default on a lost bus is to exit the process. */
	dbus_connection_set_exit_on_disconnect(conn, FALSE);
	pool = g_new0(BrowserPool, 1);
	pool->conn = conn;
	pool->browsers = g_hash_table_new(g_direct_hash, g_direct_equal);
	pool->by_path = g_hash_table_new(g_str_hash, g_str_equal);
	if (!dbus_connection_add_filter(conn, filter_cb, pool, NULL) ||
	    !dbus_connection_set_watch_functions(conn, watch_add_cb, watch_remove_cb,
	                                         watch_toggled_cb, pool, NULL) ||
	    !dbus_connection_set_timeout_functions(conn, timeout_add_cb, timeout_remove_cb,
	                                           timeout_toggled_cb, pool, NULL)) {
		g_set_error(error, BROWSER_POOL_ERROR, 0, "out of memory");
		browser_pool_free(pool);
		return NULL;
	}
	dbus_connection_set_dispatch_status_function(conn, dispatch_status_cb, pool, NULL);
	if (dbus_connection_get_dispatch_status(conn) == DBUS_DISPATCH_DATA_REMAINS)
		dispatch_status_cb(conn, DBUS_DISPATCH_DATA_REMAINS, pool);
	return pool;
}

void
browser_pool_free(BrowserPool *pool)
{
	GHashTableIter it;
	gpointer p;

	if (pool == NULL)
		return;
	g_hash_table_remove_all(pool->by_path);
	g_hash_table_iter_init(&it, pool->browsers);
	while (g_hash_table_iter_next(&it, &p, NULL)) {
		g_hash_table_iter_steal(&it);
		browser_release(p);
	}
	if (pool->dispatch_id != 0)
		g_source_remove(pool->dispatch_id);
	dbus_connection_set_dispatch_status_function(pool->conn, NULL, NULL, NULL);
	dbus_connection_remove_filter(pool->conn, filter_cb, pool);
	/* Detaches every watch and timeout (their free functions run). */
	dbus_connection_set_watch_functions(pool->conn, NULL, NULL, NULL, NULL, NULL);
	dbus_connection_set_timeout_functions(pool->conn, NULL, NULL, NULL, NULL, NULL);
	dbus_connection_close(pool->conn);
	dbus_connection_unref(pool->conn);
	g_hash_table_unref(pool->by_path);
	g_hash_table_unref(pool->browsers);
	g_free(pool);
}

gboolean
browser_pool_closed(const BrowserPool *pool)
{
	return pool->closed;
}

/* Ask for a service browser (type set) or a service-type browser. */
static PoolBrowser *
browse_new(BrowserPool *pool, AvahiIfIndex interface, AvahiProtocol protocol,
           const char *type, const char *domain, PoolBrowserCallback cb,
           void *user_data)
{
	DBusMessage *m;
	DBusPendingCall *pc = NULL;
	dbus_int32_t ifindex = interface, proto = protocol;
	dbus_uint32_t flags = 0;
	const char *dom = domain != NULL ? domain : "";
	gboolean ok;
	PoolBrowser *b;

	g_return_val_if_fail(pool != NULL && cb != NULL, NULL);
	if (pool->closed)
		return NULL;
	m = dbus_message_new_method_call(AVAHI_NAME, "/", AVAHI_SERVER_IFACE,
	                                 type != NULL ? "ServiceBrowserNew" :
	                                 "ServiceTypeBrowserNew");
	if (m == NULL)
		return NULL;
	dbus_message_set_auto_start(m, FALSE);
	if (type != NULL)
		ok = dbus_message_append_args(m, DBUS_TYPE_INT32, &ifindex, DBUS_TYPE_INT32, &proto,
		                              DBUS_TYPE_STRING, &type, DBUS_TYPE_STRING, &dom,
		                              DBUS_TYPE_UINT32, &flags, DBUS_TYPE_INVALID);
	else
		ok = dbus_message_append_args(m, DBUS_TYPE_INT32, &ifindex, DBUS_TYPE_INT32, &proto,
		                              DBUS_TYPE_STRING, &dom, DBUS_TYPE_UINT32, &flags,
		                              DBUS_TYPE_INVALID);
	if (!ok ||
	    !dbus_connection_send_with_reply(pool->conn, m, &pc, DBUS_TIMEOUT_USE_DEFAULT) ||
	    pc == NULL) {
		/* pc is NULL when the connection is already closed */
		dbus_message_unref(m);
		return NULL;
	}
	dbus_message_unref(m);
	b = g_new0(PoolBrowser, 1);
	b->pool = pool;
	b->cb = cb;
	b->user_data = user_data;
	b->types = type == NULL;
	b->pending = pc;
	if (!dbus_pending_call_set_notify(pc, reply_cb, b, NULL)) {
		dbus_pending_call_cancel(pc);
		dbus_pending_call_unref(pc);
		g_free(b);
		return NULL;
	}
	g_hash_table_add(pool->browsers, b);
	return b;
}

PoolBrowser *
browser_pool_browse(BrowserPool *pool, AvahiIfIndex interface, AvahiProtocol protocol,
                    const char *type, const char *domain, PoolBrowserCallback cb,
                    void *user_data)
{
	g_return_val_if_fail(type != NULL, NULL);
	return browse_new(pool, interface, protocol, type, domain, cb, user_data);
}

PoolBrowser *
browser_pool_browse_types(BrowserPool *pool, AvahiIfIndex interface,
                          AvahiProtocol protocol, const char *domain,
                          PoolBrowserCallback cb, void *user_data)
{
	return browse_new(pool, interface, protocol, NULL, domain, cb, user_data);
}

void
pool_browser_free(PoolBrowser *b)
{
	if (b == NULL)
		return;
	if (b->pending != NULL) {
		/* The reply will come: free it on avahi's side then. */
		b->dead = TRUE;
		return;
	}
	if (b->path != NULL)
		send_free(b);
	browser_destroy(b);
}
