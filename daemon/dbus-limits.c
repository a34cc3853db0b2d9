/* dbus-limits.c - unread replies per caller, proved read by Peer.Ping (see
 * dbus-limits.h). */
#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "daemon/dbus-limits.h"
#include "daemon/log.h"

#define BUS_NAME "org.freedesktop.DBus"
#define LIMITS_EXCEEDED "org.freedesktop.DBus.Error.LimitsExceeded"
/* What a refusal costs the caller's budget, and how many refusals a caller
 * (all callers) may leave unread before its calls go unanswered. */
#define REFUSAL_BYTES 256
#define REFUSAL_ROOM (4 * 1024)
#define REFUSAL_ROOM_TOTAL (256 * 1024)
#define MIN_ESTIMATE 4096
/* Header fields of a reply, roughly: the body's size is what matters. */
#define HEADER_BYTES 128
#define REPORT_INTERVAL_S 10
/* Give memory back to the system once this much unread went to nothing. */
#define TRIM_AFTER_BYTES (4 * 1024 * 1024)

const DbusLimitsConfig dbus_limits_default = {
	.caller_bytes = 256 * 1024,
	.caller_calls = 4,
	.total_bytes = 48 * 1024 * 1024,
	.max_callers = 64,
	.recheck_ms = 5000,
};

/* One caller (unique name) with calls in progress or replies unread. */
typedef struct {
	char *name;
	guint64 sent;          /* bytes of replies sent to it, ever */
	guint64 read;          /* of these, proved read (or dropped by the bus) */
	guint64 reserved;      /* estimates of calls accepted, not yet answered */
	guint64 last_reply;    /* size of the latest reply sent to it */
	guint in_progress;
	GHashTable *calls;     /* serial -> estimate (GUINT_TO_POINTER) */
	gboolean ping_pending;      /* sent, or about to be */
	gboolean ping_refused;      /* by the bus: recheck later */
	guint32 ping_serial;        /* 0 until it passed the outgoing filter */
	guint64 ping_snapshot;      /* c->sent when it did */
} DbusLimitsCaller;

struct _DbusLimits {
	gint ref;
	GMutex lock;
	DbusLimitsConfig cfg;
	GDBusConnection *conn;      /* borrowed */
	GMainContext *context;
	guint filter_id;
	gboolean closed;
	GHashTable *callers;        /* name -> DbusLimitsCaller */
	GHashTable *pings;          /* Ping serial -> DbusLimitsCaller (borrowed:
	                             * a caller is kept while its Ping is pending) */
	GHashTable *expected;       /* member -> bytes (GSIZE_TO_POINTER) */
	gsize largest;              /* largest reply so far */
	guint64 unread;             /* sum over callers of sent - read + reserved */
	guint64 unread_peak;        /* since the last trim */
	gboolean recheck_scheduled;
	gboolean trim_scheduled;
	gboolean report_scheduled;
	gboolean ping_refused_said;
	DbusLimitsStats stats;
	guint64 reported_refused, reported_dropped;
};

typedef enum {
	DBUS_LIMITS_ACCEPT,
	DBUS_LIMITS_REFUSE,
	DBUS_LIMITS_DROP,
} DbusLimitsVerdict;

static DbusLimits *
dbus_limits_ref(DbusLimits *l)
{
	g_atomic_int_inc(&l->ref);
	return l;
}

static void
dbus_limits_unref(gpointer data)
{
	DbusLimits *l = data;

	if (!g_atomic_int_dec_and_test(&l->ref))
		return;
	g_hash_table_destroy(l->pings);
	g_hash_table_destroy(l->callers);
	g_hash_table_destroy(l->expected);
	g_main_context_unref(l->context);
	g_mutex_clear(&l->lock);
	g_free(l);
}

static void
dbus_limits_caller_free(DbusLimitsCaller *c)
{
	g_hash_table_destroy(c->calls);
	g_free(c->name);
	g_free(c);
}

static guint64
dbus_limits_caller_unread(const DbusLimitsCaller *c)
{
	return c->sent - c->read + c->reserved;
}

/* Forget c (lock held) once it owes us nothing and we owe it nothing. */
static void
dbus_limits_caller_maybe_forget(DbusLimits *l, DbusLimitsCaller *c)
{
	if (c->in_progress == 0 && c->sent == c->read && !c->ping_pending)
		g_hash_table_remove(l->callers, c->name);
}

/* Run func(l) once in l's main context, holding a reference. */
static void
dbus_limits_invoke(DbusLimits *l, guint delay_ms, GSourceFunc func)
{
	GSource *src = delay_ms > 0 ? g_timeout_source_new(delay_ms) : g_idle_source_new();

	g_source_set_callback(src, func, dbus_limits_ref(l), dbus_limits_unref);
	g_source_attach(src, l->context);
	g_source_unref(src);
}

/* --- the report: one line per REPORT_INTERVAL_S while callers are refused */

static gboolean
dbus_limits_report(gpointer data)
{
	DbusLimits *l = data;
	guint64 refused, dropped;
	guint callers;

	g_mutex_lock(&l->lock);
	l->report_scheduled = FALSE;
	refused = l->stats.refused - l->reported_refused;
	dropped = l->stats.dropped - l->reported_dropped;
	l->reported_refused = l->stats.refused;
	l->reported_dropped = l->stats.dropped;
	callers = g_hash_table_size(l->callers);
	g_mutex_unlock(&l->lock);
	if (!l->closed && (refused > 0 || dropped > 0))
		log_msg(LOG_WARNING,
		        "D-Bus: refused %" G_GUINT64_FORMAT " and left %" G_GUINT64_FORMAT
		        " calls unanswered in the last %d s: callers that do not read"
		        " their replies (%u callers with unread replies)",
		        refused, dropped, REPORT_INTERVAL_S, callers);
	return G_SOURCE_REMOVE;
}

/* --- Pings: proof of reading ------------------------------------------ */

/* Send name a Ping, right behind what was just sent to it.  Any thread,
 * lock not held.  Its answer is taken (and dropped) by the filter, so
 * that the release is counted before the caller's next call is judged. */
static void
dbus_limits_send_ping(DbusLimits *l, const char *name)
{
	g_autoptr(GDBusMessage) msg = g_dbus_message_new_method_call(
		name, "/", "org.freedesktop.DBus.Peer", "Ping");

	g_dbus_connection_send_message(l->conn, msg, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, NULL);
}

/* Lock held: c has replies that are not proved read and no Ping on the
 * way.  Returns the name to Ping once the lock is released, or NULL. */
static char *
dbus_limits_want_ping(DbusLimitsCaller *c)
{
	if (c->ping_pending || c->sent == c->read)
		return NULL;
	c->ping_pending = TRUE;
	c->ping_serial = 0;
	return g_strdup(c->name);
}

/* Lock held: c has read up to `upto` bytes. */
static void
dbus_limits_caller_read(DbusLimits *l, DbusLimitsCaller *c, guint64 upto)
{
	if (upto > c->read) {
		l->unread -= upto - c->read;
		c->read = upto;
	}
}

/* What the answer to a Ping says about the replies sent before it. */
typedef enum {
	PONG_READ,       /* the caller answered: it read them */
	PONG_GONE,       /* the caller left: the bus dropped them */
	PONG_UNKNOWN,    /* the bus refused the Ping (policy, limits) */
} DbusLimitsPong;

static DbusLimitsPong
dbus_limits_classify(GDBusMessage *reply, const char *name)
{
	const char *err;

	if (g_dbus_message_get_message_type(reply) != G_DBUS_MESSAGE_TYPE_ERROR)
		return PONG_READ;
	if (g_strcmp0(g_dbus_message_get_sender(reply), name) == 0)
		return PONG_READ;   /* e.g. UnknownMethod: it read the Ping */
	err = g_dbus_message_get_error_name(reply);
	/* NoReply: the caller disconnected with the Ping unanswered (or the
	 * bus has a reply_timeout, which the system bus does not). */
	if (g_strcmp0(err, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
	    g_strcmp0(err, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0 ||
	    g_strcmp0(err, "org.freedesktop.DBus.Error.NoReply") == 0 ||
	    g_strcmp0(err, "org.freedesktop.DBus.Error.Disconnected") == 0)
		return PONG_GONE;
	return PONG_UNKNOWN;
}

/* Main context, recheck_ms after the bus refused Pings: count what they
 * covered as read, and try again for what came after. */
static gboolean
dbus_limits_recheck(gpointer data)
{
	DbusLimits *l = data;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer value;

	g_mutex_lock(&l->lock);
	l->recheck_scheduled = FALSE;
	g_hash_table_iter_init(&it, l->callers);
	while (!l->closed && g_hash_table_iter_next(&it, NULL, &value)) {
		DbusLimitsCaller *c = value;
		char *name;

		if (!c->ping_refused)
			continue;
		c->ping_refused = FALSE;
		c->ping_pending = FALSE;
		dbus_limits_caller_read(l, c, c->ping_snapshot);
		if ((name = dbus_limits_want_ping(c)) != NULL)
			g_ptr_array_add(names, name);
	}
	/* Callers with nothing left are forgotten on their next reply's
	 * Ping, or here. */
	g_hash_table_iter_init(&it, l->callers);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		DbusLimitsCaller *c = value;

		if (c->in_progress == 0 && c->sent == c->read && !c->ping_pending)
			g_hash_table_iter_remove(&it);
	}
	g_mutex_unlock(&l->lock);
	for (guint i = 0; i < names->len; i++)
		dbus_limits_send_ping(l, g_ptr_array_index(names, i));
	return G_SOURCE_REMOVE;
}

/* Main context: glibc rarely gives back by itself what GDBus's worker
 * thread allocated (in its own arena) for the replies. */
static gboolean
dbus_limits_trim(gpointer data)
{
	DbusLimits *l = data;

	g_mutex_lock(&l->lock);
	l->trim_scheduled = FALSE;
	g_mutex_unlock(&l->lock);
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	return G_SOURCE_REMOVE;
}

/* Worker thread, lock held: msg answers one of our Pings (or the bus
 * answers for the caller).  TRUE if it was one; *ping gets the name to
 * Ping again (replies sent since), or NULL. */
static gboolean
dbus_limits_pong(DbusLimits *l, GDBusMessage *msg, char **ping)
{
	guint32 serial = g_dbus_message_get_reply_serial(msg);
	DbusLimitsCaller *c = serial != 0 ? g_hash_table_lookup(l->pings,
	                                                        GUINT_TO_POINTER(serial)) : NULL;
	DbusLimitsPong pong;

	*ping = NULL;
	if (c == NULL)
		return FALSE;
	g_hash_table_remove(l->pings, GUINT_TO_POINTER(serial));
	c->ping_serial = 0;
	pong = dbus_limits_classify(msg, c->name);
	if (pong == PONG_UNKNOWN) {
		if (!l->ping_refused_said)
			log_msg(LOG_WARNING, "D-Bus: cannot Ping callers (%s): their replies count"
			        " as read after %u ms; does the bus policy allow"
			        " org.freedesktop.DBus.Peer.Ping?",
			        g_dbus_message_get_error_name(msg), l->cfg.recheck_ms);
		l->ping_refused_said = TRUE;
		c->ping_refused = TRUE;
		if (!l->recheck_scheduled) {
			l->recheck_scheduled = TRUE;
			dbus_limits_invoke(l, l->cfg.recheck_ms, dbus_limits_recheck);
		}
		return TRUE;
	}
	c->ping_pending = FALSE;
	dbus_limits_caller_read(l, c, pong == PONG_GONE ? c->sent : c->ping_snapshot);
	*ping = dbus_limits_want_ping(c);
	if (*ping == NULL)
		dbus_limits_caller_maybe_forget(l, c);
	if (l->unread == 0 && l->unread_peak >= TRIM_AFTER_BYTES && !l->trim_scheduled) {
		l->unread_peak = 0;
		l->trim_scheduled = TRUE;
		dbus_limits_invoke(l, 0, dbus_limits_trim);
	}
	return TRUE;
}

/* --- the filter (GDBus's worker thread) ------------------------------- */

/* Lock held. */
static gsize
dbus_limits_estimate(DbusLimits *l, const char *member)
{
	gpointer v;

	if (member != NULL && g_hash_table_lookup_extended(l->expected, member, NULL, &v))
		return GPOINTER_TO_SIZE(v);
	return MAX(l->largest, MIN_ESTIMATE);
}

/* Lock held: what c has not proved read, leaving out its latest reply.
 * A caller that calls again as soon as it has a reply may well do so
 * before its library answered the Ping that followed the reply: that one
 * reply is in the pipe, not unread. */
static guint64
dbus_limits_caller_backlog(const DbusLimitsCaller *c)
{
	guint64 unsent = c->sent - c->read;

	return (unsent > c->last_reply ? unsent - c->last_reply : 0) + c->reserved;
}

/* Lock held.  A caller with no backlog always gets an answer (as long as
 * the total allows), whatever its size; one with a backlog while the
 * reply would stay within caller_bytes. */
static DbusLimitsVerdict
dbus_limits_judge(DbusLimits *l, DbusLimitsCaller *c, gsize estimate)
{
	guint64 unread = c != NULL ? dbus_limits_caller_unread(c) : 0;
	guint64 backlog = c != NULL ? dbus_limits_caller_backlog(c) : 0;

	if (c == NULL && g_hash_table_size(l->callers) >= l->cfg.max_callers)
		return DBUS_LIMITS_DROP;
	if (backlog > l->cfg.caller_bytes + REFUSAL_ROOM ||
	    l->unread > l->cfg.total_bytes + REFUSAL_ROOM_TOTAL)
		return DBUS_LIMITS_DROP;
	if ((c != NULL && c->in_progress >= l->cfg.caller_calls) ||
	    (backlog > 0 && unread + estimate > l->cfg.caller_bytes) ||
	    (l->unread > 0 && l->unread + estimate > l->cfg.total_bytes))
		return DBUS_LIMITS_REFUSE;
	return DBUS_LIMITS_ACCEPT;
}

/* Lock held: reserve estimate for the answer to serial from name. */
static void
dbus_limits_reserve(DbusLimits *l, const char *name, guint32 serial, gsize estimate)
{
	DbusLimitsCaller *c = g_hash_table_lookup(l->callers, name);

	if (c == NULL) {
		c = g_new0(DbusLimitsCaller, 1);
		c->name = g_strdup(name);
		c->calls = g_hash_table_new(NULL, NULL);
		g_hash_table_insert(l->callers, c->name, c);
	}
	if (g_hash_table_contains(c->calls, GUINT_TO_POINTER(serial)))
		return;   /* a caller reusing a serial gets one answer counted */
	g_hash_table_insert(c->calls, GUINT_TO_POINTER(serial), GSIZE_TO_POINTER(estimate));
	c->reserved += estimate;
	c->in_progress++;
	l->unread += estimate;
	l->unread_peak = MAX(l->unread_peak, l->unread);
}

static GDBusMessage *
dbus_limits_incoming(DbusLimits *l, GDBusMessage *msg)
{
	const char *sender = g_dbus_message_get_sender(msg);
	GDBusMessageType type = g_dbus_message_get_message_type(msg);
	DbusLimitsVerdict verdict;
	gsize estimate;

	if (type == G_DBUS_MESSAGE_TYPE_METHOD_RETURN || type == G_DBUS_MESSAGE_TYPE_ERROR) {
		g_autofree char *ping = NULL;
		gboolean ours;

		/* Here, in the order messages arrive: the release must come
		 * before the caller's next call is judged. */
		g_mutex_lock(&l->lock);
		ours = !l->closed && dbus_limits_pong(l, msg, &ping);
		g_mutex_unlock(&l->lock);
		if (ping != NULL)
			dbus_limits_send_ping(l, ping);
		if (!ours)
			return msg;
		g_object_unref(msg);   /* nobody else waits for it */
		return NULL;
	}
	if (type != G_DBUS_MESSAGE_TYPE_METHOD_CALL ||
	    (g_dbus_message_get_flags(msg) & G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED) ||
	    sender == NULL || strcmp(sender, BUS_NAME) == 0)
		return msg;
	g_mutex_lock(&l->lock);
	if (l->closed) {
		g_mutex_unlock(&l->lock);
		return msg;
	}
	estimate = dbus_limits_estimate(l, g_dbus_message_get_member(msg));
	verdict = dbus_limits_judge(l, g_hash_table_lookup(l->callers, sender), estimate);
	switch (verdict) {
	case DBUS_LIMITS_ACCEPT:
		l->stats.accepted++;
		dbus_limits_reserve(l, sender, g_dbus_message_get_serial(msg), estimate);
		break;
	case DBUS_LIMITS_REFUSE:
		l->stats.refused++;
		dbus_limits_reserve(l, sender, g_dbus_message_get_serial(msg), REFUSAL_BYTES);
		break;
	case DBUS_LIMITS_DROP:
		l->stats.dropped++;
		break;
	}
	if (verdict != DBUS_LIMITS_ACCEPT && !l->report_scheduled) {
		l->report_scheduled = TRUE;
		dbus_limits_invoke(l, REPORT_INTERVAL_S * 1000, dbus_limits_report);
	}
	g_mutex_unlock(&l->lock);
	if (verdict == DBUS_LIMITS_ACCEPT)
		return msg;
	if (verdict == DBUS_LIMITS_REFUSE) {
		g_autoptr(GDBusMessage) err = g_dbus_message_new_method_error_literal(
			msg, LIMITS_EXCEEDED,
			"too many replies not read yet: read them, then call again");

		/* Sent from here, not the main loop: a refusal must not wait
		 * behind the calls it refuses. */
		g_dbus_connection_send_message(l->conn, err, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL,
		                               NULL);
	}
	g_object_unref(msg);
	return NULL;
}

static void
dbus_limits_outgoing(DbusLimits *l, GDBusMessage *msg)
{
	GDBusMessageType type = g_dbus_message_get_message_type(msg);
	const char *dest = g_dbus_message_get_destination(msg);
	GVariant *body = g_dbus_message_get_body(msg);
	gsize size = HEADER_BYTES + (body != NULL ? g_variant_get_size(body) : 0);
	DbusLimitsCaller *c;
	gpointer estimate;
	guint32 serial = g_dbus_message_get_reply_serial(msg);
	g_autofree char *ping = NULL;

	if (dest == NULL)
		return;
	if (type == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
	    g_strcmp0(g_dbus_message_get_interface(msg), "org.freedesktop.DBus.Peer") == 0 &&
	    g_strcmp0(g_dbus_message_get_member(msg), "Ping") == 0) {
		/* One of our Pings leaves: it covers exactly what left before. */
		g_mutex_lock(&l->lock);
		c = l->closed ? NULL : g_hash_table_lookup(l->callers, dest);
		if (c != NULL && c->ping_pending && c->ping_serial == 0) {
			c->ping_serial = g_dbus_message_get_serial(msg);
			c->ping_snapshot = c->sent;
			g_hash_table_insert(l->pings, GUINT_TO_POINTER(c->ping_serial), c);
		}
		g_mutex_unlock(&l->lock);
		return;
	}
	if (type != G_DBUS_MESSAGE_TYPE_METHOD_RETURN && type != G_DBUS_MESSAGE_TYPE_ERROR)
		return;
	g_mutex_lock(&l->lock);
	c = l->closed ? NULL : g_hash_table_lookup(l->callers, dest);
	if (c != NULL) {
		if (g_hash_table_steal_extended(c->calls, GUINT_TO_POINTER(serial), NULL,
		                                &estimate)) {
			c->reserved -= GPOINTER_TO_SIZE(estimate);
			l->unread -= GPOINTER_TO_SIZE(estimate);
			c->in_progress--;
		}
		c->sent += size;
		c->last_reply = size;
		l->unread += size;
		l->unread_peak = MAX(l->unread_peak, l->unread);
		l->largest = MAX(l->largest, size);
		ping = dbus_limits_want_ping(c);
	}
	g_mutex_unlock(&l->lock);
	/* Right behind the reply, from this thread: the caller gets both
	 * together and its library answers before it can call again. */
	if (ping != NULL)
		dbus_limits_send_ping(l, ping);
}

static GDBusMessage *
dbus_limits_filter(GDBusConnection *conn, GDBusMessage *msg, gboolean incoming,
                   gpointer data)
{
	DbusLimits *l = data;

	if (incoming)
		return dbus_limits_incoming(l, msg);
	dbus_limits_outgoing(l, msg);
	return msg;
}

/* --- life cycle -------------------------------------------------------- */

DbusLimits *
dbus_limits_new(GDBusConnection *conn, const DbusLimitsConfig *cfg)
{
	DbusLimits *l = g_new0(DbusLimits, 1);

	l->ref = 1;
	g_mutex_init(&l->lock);
	l->cfg = *cfg;
	l->conn = conn;
	l->context = g_main_context_ref_thread_default();
	l->callers = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                   (GDestroyNotify)dbus_limits_caller_free);
	l->pings = g_hash_table_new(NULL, NULL);
	l->expected = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	l->filter_id = g_dbus_connection_add_filter(conn, dbus_limits_filter,
	                                            dbus_limits_ref(l), dbus_limits_unref);
	return l;
}

void
dbus_limits_free(DbusLimits *l)
{
	if (l == NULL)
		return;
	g_mutex_lock(&l->lock);
	l->closed = TRUE;
	g_hash_table_remove_all(l->pings);
	g_hash_table_remove_all(l->callers);
	l->unread = 0;
	g_mutex_unlock(&l->lock);
	/* The filter may still run once in the worker: it holds a reference
	 * and sees `closed`. */
	g_dbus_connection_remove_filter(l->conn, l->filter_id);
	dbus_limits_unref(l);
}

void
dbus_limits_expect(DbusLimits *l, const char *member, gsize bytes)
{
	if (l == NULL)
		return;
	g_mutex_lock(&l->lock);
	g_hash_table_insert(l->expected, g_strdup(member),
	                    GSIZE_TO_POINTER(MAX(bytes + HEADER_BYTES, MIN_ESTIMATE)));
	g_mutex_unlock(&l->lock);
}

void
dbus_limits_get_stats(DbusLimits *l, DbusLimitsStats *out)
{
	g_mutex_lock(&l->lock);
	*out = l->stats;
	out->unread_bytes = l->unread;
	out->callers = g_hash_table_size(l->callers);
	g_mutex_unlock(&l->lock);
}
