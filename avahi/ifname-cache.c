/* ifname-cache.c - avahi-daemon's interface names, asked asynchronously
 * over a private system-bus connection (contract in ifname-cache.h).
 */
#include "config.h"

#include <net/if.h>
#include <gio/gio.h>

#include "avahi/ifname-cache.h"

/* avahi answers from its main loop in well under a millisecond; a missing
 * answer means a wedged daemon, and every event on that interface waits
 * for this one. */
#define IFNAME_CACHE_CALL_TIMEOUT_MS 5000

typedef struct {
	char *name;               /* NULL while pending */
	gboolean asked;           /* a call is out on the current connection */
} IfnameEntry;

struct _IfnameCache {
	IfnameReadyFunc ready;
	gpointer user_data;
	GHashTable *entries;      /* GINT_TO_POINTER(ifindex) -> IfnameEntry* */
	guint n_pending;
	GDBusConnection *bus;
	gulong closed_id;
	GCancellable *connecting; /* set while a connection is being made */
	GCancellable *calls;      /* cancelled by forget(): answers for old names */
	GSource *fallback;        /* idle: settle with no bus to ask */
	GMainContext *context;    /* the thread-default context at creation:
	                           * everything of the cache runs there */
};

/* One call out: the cache may be gone when a cancelled call returns, so
 * the callback looks at c only when the call was not cancelled. */
typedef struct {
	IfnameCache *c;
	int ifindex;
} IfnameCall;

static void
ifname_cache_entry_free(gpointer p)
{
	IfnameEntry *e = p;

	g_free(e->name);
	g_free(e);
}

/* The name of ifindex in this process's network namespace, else "if<N>". */
static char *
ifname_cache_fallback(int ifindex)
{
	char buf[IF_NAMESIZE];

	if (ifindex >= 0 && if_indextoname((unsigned) ifindex, buf) != NULL)
		return g_strdup(buf);
	return g_strdup_printf("if%d", ifindex);
}

/* Store the answer for a pending entry and tell the owner. */
static void
ifname_cache_settle(IfnameCache *c, int ifindex, char *name)
{
	IfnameEntry *e = g_hash_table_lookup(c->entries, GINT_TO_POINTER(ifindex));

	if (e == NULL || e->name != NULL) {
		g_free(name);
		return;
	}
	e->name = name;
	e->asked = FALSE;
	c->n_pending--;
	c->ready(ifindex, e->name, c->user_data);
}

static void
ifname_cache_on_reply(GObject *source, GAsyncResult *res, gpointer data)
{
	IfnameCall *call = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	char *name = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	if (reply == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_free(call);
		return;
	}
	if (reply != NULL) {
		const char *s;

		g_variant_get(reply, "(&s)", &s);
		if (s[0] != '\0')
			name = g_strdup(s);
	}
	/* No answer (not running, no such index, the bus went away):
	 * whatever this namespace knows, cached like an answer. */
	if (name == NULL)
		name = ifname_cache_fallback(call->ifindex);
	ifname_cache_settle(call->c, call->ifindex, name);
	g_free(call);
}

static void
ifname_cache_ask(IfnameCache *c, int ifindex, IfnameEntry *e)
{
	IfnameCall *call = g_new0(IfnameCall, 1);

	call->c = c;
	call->ifindex = ifindex;
	e->asked = TRUE;
	g_dbus_connection_call(c->bus, "org.freedesktop.Avahi", "/",
	                       "org.freedesktop.Avahi.Server",
	                       "GetNetworkInterfaceNameByIndex",
	                       g_variant_new("(i)", (gint32) ifindex),
	                       G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	                       IFNAME_CACHE_CALL_TIMEOUT_MS, c->calls,
	                       ifname_cache_on_reply, call);
}

/* Ask (or, with no bus, settle with the fallback) every pending entry
 * that has no call out. */
static void
ifname_cache_ask_waiting(IfnameCache *c)
{
	GHashTableIter it;
	gpointer k, v;
	g_autoptr(GArray) unasked = g_array_new(FALSE, FALSE, sizeof(int));

	g_hash_table_iter_init(&it, c->entries);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		IfnameEntry *e = v;
		int ifindex = GPOINTER_TO_INT(k);

		if (e->name != NULL || e->asked)
			continue;
		if (c->bus != NULL)
			ifname_cache_ask(c, ifindex, e);
		else
			g_array_append_val(unasked, ifindex);
	}
	/* ready() may look names up: settle outside the iteration. */
	for (guint i = 0; i < unasked->len; i++) {
		int ifindex = g_array_index(unasked, int, i);

		ifname_cache_settle(c, ifindex, ifname_cache_fallback(ifindex));
	}
}

static void
ifname_cache_drop_bus(IfnameCache *c)
{
	if (c->bus == NULL)
		return;
	g_signal_handler_disconnect(c->bus, c->closed_id);
	c->closed_id = 0;
	if (!g_dbus_connection_is_closed(c->bus))
		g_dbus_connection_close(c->bus, NULL, NULL, NULL);
	g_clear_object(&c->bus);
}

/* The bus went away (dbus-daemon restart): calls out on it fail and fall
 * back; the next lookup makes a new connection. */
static void
ifname_cache_on_closed(GDBusConnection *conn, gboolean remote_peer_vanished,
                       GError *error, gpointer data)
{
	ifname_cache_drop_bus(data);
}

static void
ifname_cache_on_connected(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *conn = g_dbus_connection_new_for_address_finish(res, &error);
	IfnameCache *c;

	if (conn == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;   /* c is gone */
	c = data;
	g_clear_object(&c->connecting);
	if (conn != NULL) {
		/* GLib's default for a bus connection that closes is SIGTERM. */
		g_dbus_connection_set_exit_on_close(conn, FALSE);
		c->bus = conn;
		c->closed_id = g_signal_connect(conn, "closed",
		                                G_CALLBACK(ifname_cache_on_closed), c);
	}
	ifname_cache_ask_waiting(c);
}

static gboolean
ifname_cache_fallback_cb(gpointer data)
{
	IfnameCache *c = data;

	g_clear_pointer(&c->fallback, g_source_unref);
	ifname_cache_ask_waiting(c);
	return G_SOURCE_REMOVE;
}

/* Start making the connection unless there is one or one is on its way. */
static void
ifname_cache_connect(IfnameCache *c)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *address = NULL;

	if (c->bus != NULL || c->connecting != NULL)
		return;
	/* For the system bus this reads the environment, no I/O. */
	address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	if (address == NULL) {
		/* ready() never runs inside a lookup: settle from an idle. */
		if (c->fallback == NULL) {
			c->fallback = g_idle_source_new();
			g_source_set_callback(c->fallback, ifname_cache_fallback_cb, c, NULL);
			g_source_attach(c->fallback, c->context);
		}
		return;
	}
	c->connecting = g_cancellable_new();
	g_dbus_connection_new_for_address(address,
	                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
	                                  G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	                                  NULL, c->connecting,
	                                  ifname_cache_on_connected, c);
}

IfnameCache *
ifname_cache_new(IfnameReadyFunc ready, gpointer user_data)
{
	IfnameCache *c = g_new0(IfnameCache, 1);

	c->ready = ready;
	c->user_data = user_data;
	c->entries = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	                                   ifname_cache_entry_free);
	c->calls = g_cancellable_new();
	c->context = g_main_context_ref_thread_default();
	/* Connect now, so that the first event does not wait for the
	 * handshake. */
	ifname_cache_connect(c);
	return c;
}

void
ifname_cache_free(IfnameCache *c)
{
	if (c == NULL)
		return;
	if (c->fallback != NULL) {
		g_source_destroy(c->fallback);
		g_source_unref(c->fallback);
	}
	if (c->connecting != NULL)
		g_cancellable_cancel(c->connecting);
	g_clear_object(&c->connecting);
	g_cancellable_cancel(c->calls);
	g_clear_object(&c->calls);
	ifname_cache_drop_bus(c);
	g_hash_table_destroy(c->entries);
	g_main_context_unref(c->context);
	g_free(c);
}

const char *
ifname_cache_lookup(IfnameCache *c, int ifindex)
{
	IfnameEntry *e = g_hash_table_lookup(c->entries, GINT_TO_POINTER(ifindex));

	if (e != NULL)
		return e->name;
	e = g_new0(IfnameEntry, 1);
	g_hash_table_insert(c->entries, GINT_TO_POINTER(ifindex), e);
	if (ifindex < 0) {
		e->name = g_strdup_printf("if%d", ifindex);
		return e->name;
	}
	c->n_pending++;
	if (c->bus != NULL)
		ifname_cache_ask(c, ifindex, e);
	else
		ifname_cache_connect(c);
	return NULL;
}

gboolean
ifname_cache_is_pending(const IfnameCache *c, int ifindex)
{
	IfnameEntry *e = g_hash_table_lookup(c->entries, GINT_TO_POINTER(ifindex));

	return e != NULL && e->name == NULL;
}

guint
ifname_cache_n_pending(const IfnameCache *c)
{
	return c->n_pending;
}

void
ifname_cache_forget(IfnameCache *c)
{
	g_cancellable_cancel(c->calls);
	g_object_unref(c->calls);
	c->calls = g_cancellable_new();
	g_hash_table_remove_all(c->entries);
	c->n_pending = 0;
}
