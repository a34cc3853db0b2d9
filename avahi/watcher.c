/* watcher.c - the Avahi event chain on its own thread.
 *
 *   client -> service-type browser (all interfaces, all protocols, "local")
 *          -> one service browser per type
 *          -> one resolver per service, at most max_inflight at once
 *
 * Every Avahi event becomes a ObservedService snapshot for the callbacks;
 * nothing here judges an advertisement.  The restart semantics are
 * documented in watcher.h.
 *
 * avahi-client makes and frees every browser and resolver with a blocking
 * D-Bus round trip, and has no asynchronous form of these calls.  So the
 * client lives on a thread of its own, with its own GMainContext: only
 * that thread ever waits for avahi-daemon.  Everything below the
 * "avahi thread" line runs there and touches no state of the owner's;
 * what it reports goes through the mailbox (a queue under a mutex and one
 * GSource on the owner's context), in order, so the callbacks run on the
 * thread that called watcher_new(), never inside it.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-glib/glib-watch.h>
#include <avahi-common/address.h>
#include <avahi-common/strlst.h>
#include <avahi-common/domain.h>
#include <avahi-common/defs.h>

#include "format/dnsname.h"
#include "format/escape.h"
#include "avahi/ifname-cache.h"
#include "avahi/watcher.h"

#define DEFAULT_RESOLVE_TIMEOUT_MS 5000
#define DEFAULT_MAX_INFLIGHT 64
#define RECONNECT_MIN_S 1
#define RECONNECT_MAX_S 30
/* After an avahi restart, services not seen again are removed at the first
 * settle at least this long after browsing restarted.  A daemon that has
 * just started reports ALL_FOR_NOW for the type browser before its first
 * query has even left (it is still probing its host name), so "settled"
 * alone would remove services that are still there. */
#define STALE_GRACE_MS 5000
/* The quiet rule for settling (watcher.h).  ALL_FOR_NOW is a timer
 * (about 1 s after a browser is made), not the LAN's last answer: a big
 * LAN, or a busy responder, is still delivering when it fires.  So once
 * everything else is idle, the watcher settles only when
 * - every type seen has delivered an instance, or its browser is
 *   EMPTY_TYPE_MAX_MS old: a type is announced only by hosts that have an
 *   instance of it, so an empty one means its answers are still on the
 *   way (a busy responder sends the type list first); and
 * - the last NEW (service or type) is older than twice the longest gap
 *   between two NEWs since the last settle, at least QUIET_STOPPED_MS,
 *   and at least QUIET_MIN_MS if a NEW came within QUIET_STOPPED_MS of
 *   the moment the rest went idle (the LAN is still delivering); at most
 *   QUIET_MAX_MS.
 * On a small LAN the answers come well before ALL_FOR_NOW, so the rule
 * settles at the same moment as avahi-browse -t would. */
#define QUIET_STOPPED_MS 250
#define QUIET_MIN_MS 1000
#define QUIET_MAX_MS 5000
#define EMPTY_TYPE_MAX_MS 30000
/* After FOUND the resolver goes, as avahi-browse's does: a kept resolver
 * keeps avahi-daemon asking for the SRV and address records, whose 120 s
 * TTL makes both hosts refresh them every two minutes.  What changes in
 * practice is the TXT record (4500 s TTL), so a TXT record browser stays
 * open instead (TxtWatch: one per instance and interface, for both
 * protocols).  avahi-daemon allows a
 * client objects-per-client-max (1024 by default): when it refuses one,
 * WATCH_HEADROOM watches are closed so that resolutions and new types
 * still get objects, and later services are judged on their first
 * resolution only (watcher_n_first_resolution_only). */
#define WATCH_HEADROOM 128

typedef enum {
	SVC_IDLE,       /* nothing to do (resolution failed, or avahi is away) */
	SVC_QUEUED,     /* waiting for a free resolution slot */
	SVC_RESOLVING,  /* resolver open, no answer yet: counts as in flight */
	SVC_WATCH_QUEUED, /* answered; its TxtWatch waits (schedule_watches) */
	SVC_WATCHED,    /* answered; member of a TxtWatch to see changes */
} ServiceState;

/* Identity of a service browser (name NULL) or of a service. */
typedef struct {
	AvahiIfIndex ifindex;
	AvahiProtocol protocol;
	char *name;
	char *type;
	char *domain;
} Key;

typedef struct {
	Key key;
	struct _Watcher *w;
	AvahiServiceBrowser *browser;
	gboolean done;          /* ALL_FOR_NOW or FAILURE seen */
	gboolean failed;        /* not made, or FAILURE: no answers to wait for */
	gboolean has_service;   /* a NEW came for this browser */
	gint64 made_us;         /* monotonic time it was made */
	gboolean type_gone;     /* the type is on no interface any more */
	gboolean in_use;        /* scratch for collect_browsers() */
	GArray *seen_on;        /* guint: where the type is (where_of()) */
} Browse;

/* The TXT record of a service instance on one interface, watched for
 * both of its advertisements (IPv4 and IPv6): a responder sends the same
 * records over both, and one browser on one protocol costs avahi-daemon
 * one querier instead of two, and the client one object.  The browser is
 * on the protocol of one member; when that member goes, the other gets a
 * browser of its own. */
typedef struct _TxtWatch {
	Key key;                    /* protocol AVAHI_PROTO_UNSPEC */
	struct _Watcher *w;
	AvahiRecordBrowser *browser;
	AvahiProtocol protocol;     /* the browser's */
	GPtrArray *records;         /* the TXT records it reports in avahi's
	                             * cache (GPtrArray* of GBytes*), oldest first */
	GPtrArray *answered;        /* what the browser's member was resolved to */
	gboolean listed;            /* the browser has listed avahi's cache */
	struct _Service *members[2]; /* IPv4, IPv6 (txt_watch_slot()) */
} TxtWatch;

typedef struct _Service {
	Key key;
	struct _Watcher *w;
	char *ifname;
	guint seen_gen;         /* connection generation of the last NEW */
	ServiceState state;
	AvahiServiceResolver *resolver;
	struct _TxtWatch *watch; /* SVC_WATCHED */
	guint timeout_id;
	GList *queue_link;      /* in w->queue while SVC_QUEUED, in
	                         * w->watch_queue while SVC_WATCH_QUEUED */
	/* last resolution */
	gboolean resolved;
	gboolean resolve_failed;
	char *resolve_error;
	char *host;
	char *address;
	gint port;
	GPtrArray *txt;
} Service;

struct _Watcher {
	/* Owner side: set in watcher_new(), used on the owner's thread. */
	WatcherCallbacks cb;
	gpointer user_data;
	GSource *mailbox_source;    /* on the owner's context */
	GThread *thread;

	/* Shared, under lock: the mailbox and the start-up handshake. */
	GMutex lock;
	GCond started_cond;
	gboolean started;
	GError *start_error;
	GQueue mailbox;             /* WatcherEvent*, in the order posted */
	gint n_first_only;          /* atomic: watcher_n_first_resolution_only() */

	/* The avahi thread's: everything from here down. */
	GMainContext *context;
	GMainLoop *loop;
	char **interfaces;
	IfnameCache *ifnames;       /* avahi's interface names, asked once per index */
	GHashTable *held;           /* ifindex -> GQueue of HeldEvent: events
	                             * waiting for the name of their interface */
	guint resolve_timeout_ms;
	guint max_inflight;
	gboolean exit_on_no_daemon;

	AvahiGLibPoll *poll;
	AvahiClient *client;
	gboolean browsing;
	guint generation;           /* bumped each time browsing starts */
	guint swept_gen;            /* generation whose stale services were swept */
	gint64 browse_start_us;     /* monotonic time browsing (re)started */
	guint sweep_id;             /* timer: end of the stale grace period */
	gboolean settled;
	gint64 last_new_us;         /* monotonic time of the last new service or type */
	gint64 burst_max_gap_us;    /* longest gap between NEWs since the last settle */
	gboolean burst_open;        /* a NEW came since the last settle */
	int delivering;             /* quiet rule, judged once per idle period:
	                             * -1 not yet, 0 stopped, 1 still delivering */
	guint quiet_id;             /* timer: end of the quiet interval */
	guint count_id;             /* timer: recount n_first_only */
	int reported_state;         /* -1 never, 0 down, 1 up */
	guint reconnect_id;
	guint gc_id;                /* idle: collect_browsers() */
	guint pump_id;              /* idle: start queued resolutions */
	guint watch_id;             /* idle: open queued TXT watches */
	gboolean settle_again;      /* settled with watches queued: again
	                             * once they are open (watch_idle_cb) */
	guint reconnect_delay_s;

	AvahiServiceTypeBrowser *type_browser;
	gboolean type_browser_done;
	GHashTable *browsers;       /* Browse* set */
	guint n_browsers_pending;
	GHashTable *services;       /* Service* set */
	GQueue queue;               /* Service* waiting for a resolver */
	GQueue watch_queue;         /* Service* waiting for its TXT watch */
	guint n_inflight;
	GHashTable *watches;        /* TxtWatch* set */
	guint n_watched;            /* services in a watch */
	gboolean one_shot;
	gboolean keep_watching;     /* FALSE once avahi refused more objects */
};

/* A NEW or REMOVE of a browser, held back while the name of its
 * interface is being asked. */
typedef struct {
	gboolean from_type_browser;
	AvahiIfIndex ifindex;
	AvahiProtocol protocol;
	AvahiBrowserEvent event;
	char *name;                 /* NULL for the type browser */
	char *type;
	char *domain;
} HeldEvent;

G_DEFINE_QUARK(watcher-error-quark, watcher_error)

static void client_callback(AvahiClient *c, AvahiClientState state, void *userdata);
static void txt_watch_leave(Service *s, gboolean free_browser);
static void check_settled(Watcher *w);
static guint count_first_resolution_only(const Watcher *w);
static void note_new(Watcher *w);
static void pump_queue(Watcher *w);
static void schedule_collect(Watcher *w);
static void schedule_pump(Watcher *w);
static void watcher_dispatch(Watcher *w, gboolean from_type_browser,
                             AvahiIfIndex ifindex, AvahiProtocol protocol,
                             AvahiBrowserEvent event, const char *name,
                             const char *type, const char *domain);

/* --- keys ------------------------------------------------------------ */

static guint
watcher_key_hash(gconstpointer p)
{
	const Key *k = p;

	return dns_name_hash(k->name) ^ (dns_name_hash(k->type) * 31) ^
	       (dns_name_hash(k->domain) * 17) ^ ((guint) k->ifindex << 4) ^
	       (guint) k->protocol;
}

static gboolean
key_equal(gconstpointer pa, gconstpointer pb)
{
	const Key *a = pa, *b = pb;

	return a->ifindex == b->ifindex && a->protocol == b->protocol &&
	       dns_name_equal(a->name, b->name) && dns_name_equal(a->type, b->type) &&
	       dns_name_equal(a->domain, b->domain);
}

static void
key_set(Key *k, AvahiIfIndex ifindex, AvahiProtocol protocol, const char *name,
        const char *type, const char *domain)
{
	k->ifindex = ifindex;
	k->protocol = protocol;
	k->name = g_strdup(name);
	k->type = g_strdup(type);
	k->domain = g_strdup(domain);
}

static void
key_clear(Key *k)
{
	g_free(k->name);
	g_free(k->type);
	g_free(k->domain);
}

/* --- small helpers --------------------------------------------------- */

/* TRUE if services on the interface named ifname are wanted
 * (opts->interfaces). */
static gboolean
interface_wanted(const Watcher *w, const char *ifname)
{
	if (w->interfaces == NULL)
		return TRUE;
	return g_strv_contains((const char *const *) w->interfaces, ifname);
}

static const char *
client_error(const Watcher *w)
{
	return avahi_strerror(w->client != NULL ? avahi_client_errno(w->client) :
	                      AVAHI_ERR_DISCONNECTED);
}

GPtrArray *
watcher_txt_to_wire(const struct AvahiStringList *txt)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify) g_bytes_unref);
	const AvahiStringList *l;

	/* Already in wire order (see watcher.h): keep it. */
	for (l = txt; l != NULL; l = l->next)
		g_ptr_array_add(out, g_bytes_new(l->text, l->size));
	return out;
}

/* --- reporting ------------------------------------------------------- */

static ObservedProtocol
observed_protocol(AvahiProtocol p)
{
	switch (p) {
	case AVAHI_PROTO_INET:
		return OBSERVED_PROTO_IPV4;
	case AVAHI_PROTO_INET6:
		return OBSERVED_PROTO_IPV6;
	default:
		return OBSERVED_PROTO_UNSPEC;
	}
}

/* --- the mailbox: avahi thread -> owner ------------------------------ */

typedef enum {
	WATCHER_EVENT_CHANGED,
	WATCHER_EVENT_REMOVED,
	WATCHER_EVENT_SETTLED,
	WATCHER_EVENT_STATE,
	WATCHER_EVENT_LOG,
} WatcherEventKind;

/* One report on its way to the owner.  svc owns copies of its strings
 * and a reference to its TXT array (never changed once made: a new
 * resolution makes a new one). */
typedef struct {
	WatcherEventKind kind;
	ObservedService svc;        /* CHANGED, REMOVED */
	gboolean running;           /* STATE */
	GLogLevelFlags level;       /* LOG */
	char *message;              /* STATE, LOG */
} WatcherEvent;

static void
watcher_event_free(gpointer p)
{
	WatcherEvent *e = p;
	ObservedService *o = &e->svc;

	g_free((char *) o->ifname);
	g_free((char *) o->name);
	g_free((char *) o->type);
	g_free((char *) o->domain);
	g_free((char *) o->resolve_error);
	g_free((char *) o->host);
	g_free((char *) o->address);
	g_clear_pointer(&o->txt, g_ptr_array_unref);
	g_free(e->message);
	g_free(e);
}

/* Queue e for the owner and wake its context.  Thread-safe. */
static void
watcher_post(Watcher *w, WatcherEvent *e)
{
	g_mutex_lock(&w->lock);
	g_queue_push_tail(&w->mailbox, e);
	g_mutex_unlock(&w->lock);
	g_source_set_ready_time(w->mailbox_source, 0);
}

static WatcherEvent *
watcher_event_new(WatcherEventKind kind)
{
	WatcherEvent *e = g_new0(WatcherEvent, 1);

	e->kind = kind;
	e->svc.port = -1;
	return e;
}

/* Post a snapshot of s as service_changed or service_removed. */
static void
report_service(Watcher *w, const Service *s, WatcherEventKind kind)
{
	WatcherEvent *e = watcher_event_new(kind);
	ObservedService *o = &e->svc;

	o->ifindex = s->key.ifindex;
	o->ifname = g_strdup(s->ifname);
	o->protocol = observed_protocol(s->key.protocol);
	o->name = g_strdup(s->key.name);
	o->type = g_strdup(s->key.type);
	o->domain = g_strdup(s->key.domain);
	o->resolved = s->resolved;
	o->resolve_failed = s->resolve_failed;
	o->resolve_error = g_strdup(s->resolve_error);
	o->host = g_strdup(s->host);
	o->address = g_strdup(s->address);
	o->port = s->port;
	if (s->resolved && s->txt != NULL)
		o->txt = g_ptr_array_ref(s->txt);
	watcher_post(w, e);
}

#define report_changed(w, s) report_service((w), (s), WATCHER_EVENT_CHANGED)
#define report_removed(w, s) report_service((w), (s), WATCHER_EVENT_REMOVED)

/* A line for the owner's log handler (GLib's, or the daemon's), which
 * runs on the owner's thread like every other report. */
static void G_GNUC_PRINTF(3, 4)
watcher_log(Watcher *w, GLogLevelFlags level, const char *fmt, ...)
{
	WatcherEvent *e = watcher_event_new(WATCHER_EVENT_LOG);
	va_list ap;

	va_start(ap, fmt);
	e->message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	e->level = level;
	watcher_post(w, e);
}

/* Report that avahi is up or down, once per change. */
static void
watcher_report_state(Watcher *w, gboolean running, const char *msg)
{
	WatcherEvent *e;

	if (w->reported_state == (running ? 1 : 0))
		return;
	w->reported_state = running ? 1 : 0;
	e = watcher_event_new(WATCHER_EVENT_STATE);
	e->running = running;
	e->message = g_strdup(msg);
	watcher_post(w, e);
}

static void
watcher_deliver(Watcher *w, const WatcherEvent *e)
{
	switch (e->kind) {
	case WATCHER_EVENT_CHANGED:
		if (w->cb.service_changed != NULL)
			w->cb.service_changed(&e->svc, w->user_data);
		break;
	case WATCHER_EVENT_REMOVED:
		if (w->cb.service_removed != NULL)
			w->cb.service_removed(&e->svc, w->user_data);
		break;
	case WATCHER_EVENT_SETTLED:
		if (w->cb.settled != NULL)
			w->cb.settled(w->user_data);
		break;
	case WATCHER_EVENT_STATE:
		if (w->cb.avahi_state != NULL)
			w->cb.avahi_state(e->running, e->message, w->user_data);
		break;
	case WATCHER_EVENT_LOG:
		g_log(G_LOG_DOMAIN, e->level, "%s", e->message);
		break;
	}
}

#define MAILBOX_BATCH 64

typedef struct {
	GSource source;
	Watcher *w;
} WatcherMailbox;

/* Owner side: hand what the avahi thread posted to the callbacks, at
 * most MAILBOX_BATCH per dispatch, so that a burst does not starve the
 * owner's other sources (signals, D-Bus callers).  The source is ready
 * (ready time 0) while the mailbox may hold events: it is made ready
 * after each post and unready only under the lock, seeing it empty. */
static gboolean
watcher_mailbox_dispatch(GSource *source, GSourceFunc unused_cb, gpointer unused_data)
{
	Watcher *w = ((WatcherMailbox *) source)->w;

	for (guint i = 0; i < MAILBOX_BATCH; i++) {
		WatcherEvent *e;

		g_mutex_lock(&w->lock);
		e = g_queue_pop_head(&w->mailbox);
		if (e == NULL)
			g_source_set_ready_time(source, -1);
		g_mutex_unlock(&w->lock);
		if (e == NULL)
			break;
		watcher_deliver(w, e);
		watcher_event_free(e);
	}
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs watcher_mailbox_funcs = {
	.dispatch = watcher_mailbox_dispatch,
};

/* --- the avahi thread: timers and idles on its context ---------------- */

static guint
watcher_add_source(Watcher *w, GSource *src, gint priority, GSourceFunc fn,
                   gpointer data)
{
	guint id;

	g_source_set_priority(src, priority);
	g_source_set_callback(src, fn, data, NULL);
	id = g_source_attach(src, w->context);
	g_source_unref(src);
	return id;
}

#define watcher_idle_add(w, fn, data) \
	watcher_add_source((w), g_idle_source_new(), G_PRIORITY_DEFAULT_IDLE, (fn), (data))
#define watcher_timeout_add(w, ms, fn, data) \
	watcher_add_source((w), g_timeout_source_new(ms), G_PRIORITY_DEFAULT, (fn), (data))

/* g_source_remove() on the avahi thread's context; clears *id. */
static void
watcher_source_remove(Watcher *w, guint *id)
{
	GSource *src;

	if (*id == 0)
		return;
	src = g_main_context_find_source_by_id(w->context, *id);
	if (src != NULL)
		g_source_destroy(src);
	*id = 0;
}

/* --- services -------------------------------------------------------- */

static void
service_clear_result(Service *s)
{
	s->resolved = FALSE;
	s->resolve_failed = FALSE;
	g_clear_pointer(&s->resolve_error, g_free);
	g_clear_pointer(&s->host, g_free);
	g_clear_pointer(&s->address, g_free);
	s->port = -1;
	g_clear_pointer(&s->txt, g_ptr_array_unref);
}

/* Stop whatever avahi work the service has (queue slot, resolver, timer)
 * and leave it SVC_IDLE.  free_resolver FALSE when the client is already
 * gone (avahi_client_free freed the resolver). */
static void
service_stop(Service *s, gboolean free_resolver)
{
	Watcher *w = s->w;

	switch (s->state) {
	case SVC_QUEUED:
		g_queue_delete_link(&w->queue, s->queue_link);
		s->queue_link = NULL;
		break;
	case SVC_RESOLVING:
		w->n_inflight--;
		break;
	case SVC_WATCH_QUEUED:
		g_queue_delete_link(&w->watch_queue, s->queue_link);
		s->queue_link = NULL;
		break;
	case SVC_WATCHED:
		w->n_watched--;
		txt_watch_leave(s, free_resolver);
		break;
	case SVC_IDLE:
		break;
	}
	if (s->resolver != NULL && free_resolver)
		avahi_service_resolver_free(s->resolver);
	s->resolver = NULL;
	watcher_source_remove(w, &s->timeout_id);
	s->state = SVC_IDLE;
}

static void
service_free(gpointer p)
{
	Service *s = p;

	service_stop(s, TRUE);
	service_clear_result(s);
	key_clear(&s->key);
	g_free(s->ifname);
	g_free(s);
}

static void
service_enqueue(Service *s)
{
	Watcher *w = s->w;

	service_stop(s, TRUE);
	g_queue_push_tail(&w->queue, s);
	s->queue_link = g_queue_peek_tail_link(&w->queue);
	s->state = SVC_QUEUED;
	w->settled = FALSE;
}

/* Remove the service from the table, reporting service_removed first. */
static void
service_remove(Watcher *w, Service *s)
{
	service_stop(s, TRUE);
	report_removed(w, s);
	g_hash_table_remove(w->services, s);
}

static void
resolve_failed(Service *s, const char *why)
{
	service_clear_result(s);
	s->resolve_failed = TRUE;
	s->resolve_error = g_strdup(why);
	report_changed(s->w, s);
}

GPtrArray *
watcher_txt_rdata_to_wire(const guint8 *rdata, size_t size)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify) g_bytes_unref);
	size_t i = 0;

	while (i < size) {
		size_t len = rdata[i++];

		if (len > size - i) {
			g_ptr_array_unref(out);
			return NULL;
		}
		if (len > 0)
			g_ptr_array_add(out, g_bytes_new(rdata + i, len));
		i += len;
	}
	return out;
}

static gboolean
txt_equal(const GPtrArray *a, const GPtrArray *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		if (!g_bytes_equal(a->pdata[i], b->pdata[i]))
			return FALSE;
	}
	return TRUE;
}

static guint
txt_watch_slot(AvahiProtocol protocol)
{
	return protocol == AVAHI_PROTO_INET6 ? 1 : 0;
}

static void
txt_watch_free(gpointer p)
{
	TxtWatch *tw = p;

	if (tw->browser != NULL)
		avahi_record_browser_free(tw->browser);
	g_ptr_array_unref(tw->records);
	g_clear_pointer(&tw->answered, g_ptr_array_unref);
	key_clear(&tw->key);
	g_free(tw);
}

/* Stop every member of tw (which frees it): the one without the browser
 * first, so that the browser is not moved to it on the way. */
static void
txt_watch_close(TxtWatch *tw)
{
	guint carrier = txt_watch_slot(tw->protocol);
	Service *other = tw->members[1 - carrier], *holder = tw->members[carrier];

	if (other != NULL)
		service_stop(other, TRUE);
	if (holder != NULL)
		service_stop(holder, TRUE);
}

/* avahi-daemon refused an object: watch no more services (until a new
 * avahi-daemon), and close up to WATCH_HEADROOM watches so that
 * resolutions and browsers for new types can go on.  Their services stay
 * known and resolved.  FALSE if there was no watch to close. */
static gboolean
watcher_stop_watching(Watcher *w)
{
	GHashTableIter it;
	gpointer p;
	g_autoptr(GPtrArray) closing = g_ptr_array_new();

	w->keep_watching = FALSE;
	g_hash_table_iter_init(&it, w->watches);
	while (closing->len < WATCH_HEADROOM && g_hash_table_iter_next(&it, &p, NULL))
		g_ptr_array_add(closing, p);
	for (guint i = 0; i < closing->len; i++)
		txt_watch_close(closing->pdata[i]);
	return closing->len > 0;
}

/* Report the newest TXT record to each member to which it is news.
 * With none left, the last good data stays: the service browser's REMOVE
 * says when a service goes. */
static void
txt_watch_update(TxtWatch *tw)
{
	GPtrArray *newest;

	if (!tw->listed || tw->records->len == 0)
		return;
	newest = tw->records->pdata[tw->records->len - 1];
	for (guint i = 0; i < G_N_ELEMENTS(tw->members); i++) {
		Service *m = tw->members[i];

		if (m == NULL || txt_equal(newest, m->txt))
			continue;
		g_clear_pointer(&m->txt, g_ptr_array_unref);
		m->txt = g_ptr_array_ref(newest);
		report_changed(tw->w, m);
	}
}

/* A TXT record of a watched service came into avahi's cache (NEW) or
 * left it (REMOVE).  A change is the new record's NEW and, a second
 * later, the old one's REMOVE (cache flush); a responder that does not
 * flush leaves the old one until its TTL ends.  So the newest record is
 * the service's.  A new browser first lists what avahi has cached, in no
 * useful order, up to CACHE_EXHAUSTED: there the record the resolver just
 * answered counts as the newest, any other as older. */
static void
txt_browser_callback(AvahiRecordBrowser *b, AvahiIfIndex interface,
                     AvahiProtocol protocol, AvahiBrowserEvent event,
                     const char *name, uint16_t clazz, uint16_t type,
                     const void *rdata, size_t size,
                     AvahiLookupResultFlags flags, void *userdata)
{
	TxtWatch *tw = userdata;
	g_autoptr(GPtrArray) txt = NULL;

	if (b != tw->browser)
		return;
	switch (event) {
	case AVAHI_BROWSER_NEW:
	case AVAHI_BROWSER_REMOVE:
		txt = rdata != NULL ? watcher_txt_rdata_to_wire(rdata, size) : NULL;
		if (txt == NULL)
			break;
		for (guint i = 0; i < tw->records->len; i++) {
			if (txt_equal(tw->records->pdata[i], txt)) {
				g_ptr_array_remove_index(tw->records, i);
				break;
			}
		}
		if (event == AVAHI_BROWSER_REMOVE)
			;
		else if (tw->listed || txt_equal(txt, tw->answered))
			g_ptr_array_add(tw->records, g_steal_pointer(&txt));
		else
			g_ptr_array_insert(tw->records, 0, g_steal_pointer(&txt));
		txt_watch_update(tw);
		break;
	case AVAHI_BROWSER_CACHE_EXHAUSTED:
	case AVAHI_BROWSER_ALL_FOR_NOW:
		tw->listed = TRUE;
		txt_watch_update(tw);
		break;
	case AVAHI_BROWSER_FAILURE:
		txt_watch_close(tw);
		break;
	}
}

/* Open tw's browser on the protocol of member m.  FALSE if avahi refused
 * (avahi_client_errno() says why). */
static gboolean
txt_watch_open(TxtWatch *tw, Service *m)
{
	Watcher *w = tw->w;
	char name[AVAHI_DOMAIN_NAME_MAX];

	if (avahi_service_name_join(name, sizeof(name), tw->key.name, tw->key.type,
	                            tw->key.domain) < 0)
		return FALSE;
	tw->browser = avahi_record_browser_new(w->client, tw->key.ifindex, m->key.protocol,
	                                       name, AVAHI_DNS_CLASS_IN, AVAHI_DNS_TYPE_TXT,
	                                       0, txt_browser_callback, tw);
	if (tw->browser == NULL)
		return FALSE;
	tw->protocol = m->key.protocol;
	g_ptr_array_set_size(tw->records, 0);
	tw->listed = FALSE;
	g_clear_pointer(&tw->answered, g_ptr_array_unref);
	if (m->txt != NULL)
		tw->answered = g_ptr_array_ref(m->txt);
	return TRUE;
}

/* s leaves its watch (service_stop()).  The last member frees it; if s
 * held the browser, the other member gets one of its own, or, if avahi
 * refuses, is judged on its first resolution from now on.  free_browser
 * FALSE when the client is gone (and with it every browser). */
static void
txt_watch_leave(Service *s, gboolean free_browser)
{
	TxtWatch *tw = s->watch;
	Watcher *w = s->w;
	Service *other;

	s->watch = NULL;
	tw->members[txt_watch_slot(s->key.protocol)] = NULL;
	other = tw->members[0] != NULL ? tw->members[0] : tw->members[1];
	if (!free_browser)
		tw->browser = NULL;
	if (other != NULL && tw->protocol != s->key.protocol)
		return;   /* the browser is the other's */
	if (tw->browser != NULL)
		avahi_record_browser_free(tw->browser);
	tw->browser = NULL;
	if (other != NULL && free_browser && txt_watch_open(tw, other))
		return;
	if (other != NULL) {
		other->watch = NULL;
		other->state = SVC_IDLE;
		w->n_watched--;
	}
	g_hash_table_remove(w->watches, tw);
}

/* Watch the TXT record of a resolved service: join the watch of its
 * other advertisement on the interface, or open one (see WATCH_HEADROOM
 * for when avahi refuses). */
static void
service_watch_txt(Service *s)
{
	Watcher *w = s->w;
	Key k = { s->key.ifindex, AVAHI_PROTO_UNSPEC, s->key.name, s->key.type, s->key.domain };
	TxtWatch *tw;

	if (!w->keep_watching || s->state != SVC_IDLE)
		return;
	tw = g_hash_table_lookup(w->watches, &k);
	if (tw == NULL) {
		tw = g_new0(TxtWatch, 1);
		key_set(&tw->key, k.ifindex, k.protocol, k.name, k.type, k.domain);
		tw->w = w;
		tw->records = g_ptr_array_new_with_free_func((GDestroyNotify) g_ptr_array_unref);
		if (!txt_watch_open(tw, s)) {
			gboolean refused = avahi_client_errno(w->client) == AVAHI_ERR_TOO_MANY_OBJECTS;

			txt_watch_free(tw);
			if (refused)
				watcher_stop_watching(w);
			return;
		}
		g_hash_table_add(w->watches, tw);
	}
	g_return_if_fail(tw->members[txt_watch_slot(s->key.protocol)] == NULL);
	tw->members[txt_watch_slot(s->key.protocol)] = s;
	s->watch = tw;
	s->state = SVC_WATCHED;
	w->n_watched++;
}

static void
resolver_callback(AvahiServiceResolver *r, AvahiIfIndex interface,
                  AvahiProtocol protocol, AvahiResolverEvent event,
                  const char *name, const char *type, const char *domain,
                  const char *host_name, const AvahiAddress *a, uint16_t port,
                  AvahiStringList *txt, AvahiLookupResultFlags flags,
                  void *userdata)
{
	Service *s = userdata;
	Watcher *w = s->w;
	char addr[AVAHI_ADDRESS_STR_MAX];

	if (r != s->resolver)
		return; /* a late signal for a resolver we already dropped */

	switch (event) {
	case AVAHI_RESOLVER_FOUND:
		service_stop(s, TRUE);
		service_clear_result(s);
		s->resolved = TRUE;
		s->host = g_strdup(host_name);
		if (a != NULL && avahi_address_snprint(addr, sizeof(addr), a) != NULL)
			s->address = g_strdup(addr);
		s->port = port;
		s->txt = watcher_txt_to_wire(txt);
		report_changed(w, s);
		if (w->keep_watching) {
			g_queue_push_tail(&w->watch_queue, s);
			s->queue_link = g_queue_peek_tail_link(&w->watch_queue);
			s->state = SVC_WATCH_QUEUED;
		}
		break;
	case AVAHI_RESOLVER_FAILURE:
		{
			g_autofree char *why = g_strdup(client_error(w));

			service_stop(s, TRUE);
			resolve_failed(s, why);
		}
		break;
	}
	schedule_pump(w);
	check_settled(w);
}

static gboolean
resolve_timeout_cb(gpointer data)
{
	Service *s = data;
	Watcher *w = s->w;

	s->timeout_id = 0;
	service_stop(s, TRUE);
	resolve_failed(s, "timed out");
	schedule_pump(w);
	check_settled(w);
	return G_SOURCE_REMOVE;
}

/* Open a resolver for s.  FALSE if avahi refused for lack of objects and
 * the service went back to the head of the queue (retry later). */
static gboolean
service_resolve(Service *s)
{
	Watcher *w = s->w;
	int err;

	for (;;) {
		s->resolver = avahi_service_resolver_new(w->client, s->key.ifindex,
		                                         s->key.protocol, s->key.name,
		                                         s->key.type, s->key.domain,
		                                         AVAHI_PROTO_UNSPEC, 0,
		                                         resolver_callback, s);
		if (s->resolver != NULL)
			break;
		err = avahi_client_errno(w->client);
		if (err == AVAHI_ERR_TOO_MANY_OBJECTS && watcher_stop_watching(w))
			continue;
		if (err == AVAHI_ERR_TOO_MANY_OBJECTS && w->n_inflight > 0) {
			g_queue_push_head(&w->queue, s);
			s->queue_link = g_queue_peek_head_link(&w->queue);
			s->state = SVC_QUEUED;
			return FALSE;
		}
		resolve_failed(s, avahi_strerror(err));
		return TRUE;
	}
	s->state = SVC_RESOLVING;
	w->n_inflight++;
	s->timeout_id = watcher_timeout_add(w, w->resolve_timeout_ms, resolve_timeout_cb, s);
	return TRUE;
}

/* Start queued resolutions while there are free slots.  Each start is a
 * blocking D-Bus call, so it runs from a low-priority idle
 * (schedule_pump): browse events already queued on the bus are handled
 * first, and service browsers for newly seen types are created without
 * waiting behind a batch of resolver calls (each browser's ALL_FOR_NOW
 * comes a fixed time after its creation, so that is what a scan waits
 * for). */
static void
pump_queue(Watcher *w)
{
	while (w->browsing && w->n_inflight < w->max_inflight &&
	       !g_queue_is_empty(&w->queue)) {
		Service *s = g_queue_pop_head(&w->queue);

		s->queue_link = NULL;
		s->state = SVC_IDLE;
		if (!service_resolve(s))
			break;
	}
}

static gboolean
pump_idle_cb(gpointer data)
{
	Watcher *w = data;

	w->pump_id = 0;
	pump_queue(w);
	check_settled(w);
	return G_SOURCE_REMOVE;
}

static void
schedule_pump(Watcher *w)
{
	if (w->pump_id == 0 && !g_queue_is_empty(&w->queue))
		w->pump_id = watcher_idle_add(w, pump_idle_cb, w);
}

/* The watches wait while resolutions wait for a slot: each opening is a
 * blocking call (as each resolution's start), and what a settle waits
 * for is the resolutions.  Not for the resolutions in flight: one that
 * ends in a timeout (a host that left) takes seconds, and a LAN with one
 * always in flight would never get its watches.  A TXT change in between
 * is not lost: a new browser lists avahi's cache first
 * (txt_browser_callback).  WATCH_BATCH per idle, so that events still
 * get their turn. */
#define WATCH_BATCH 16

static gboolean
resolutions_idle(Watcher *w)
{
	return g_queue_is_empty(&w->queue);
}

static gboolean
watch_idle_cb(gpointer data)
{
	Watcher *w = data;

	for (guint i = 0; i < WATCH_BATCH && resolutions_idle(w); i++) {
		Service *s = g_queue_pop_head(&w->watch_queue);

		if (s == NULL)
			break;
		s->queue_link = NULL;
		s->state = SVC_IDLE;
		service_watch_txt(s);
	}
	if (resolutions_idle(w) && !g_queue_is_empty(&w->watch_queue))
		return G_SOURCE_CONTINUE;
	w->watch_id = 0;
	if (g_queue_is_empty(&w->watch_queue) && w->settle_again) {
		/* What avahi refused meanwhile is counted now: the owner's
		 * first-resolution-only count is final at this settle. */
		w->settle_again = FALSE;
		g_atomic_int_set(&w->n_first_only, (gint) count_first_resolution_only(w));
		watcher_post(w, watcher_event_new(WATCHER_EVENT_SETTLED));
	}
	return G_SOURCE_REMOVE;
}

static void
schedule_watches(Watcher *w)
{
	if (w->watch_id == 0 && resolutions_idle(w) && !g_queue_is_empty(&w->watch_queue))
		w->watch_id = watcher_idle_add(w, watch_idle_cb, w);
}

/* --- browsers -------------------------------------------------------- */

static void
browse_free(gpointer p)
{
	Browse *b = p;

	if (!b->done)
		b->w->n_browsers_pending--;
	if (b->browser != NULL)
		avahi_service_browser_free(b->browser);
	key_clear(&b->key);
	g_array_unref(b->seen_on);
	g_free(b);
}

static void
browse_done(Browse *b)
{
	if (b->done)
		return;
	b->done = TRUE;
	b->w->n_browsers_pending--;
}

static void
warn_browser_failure(Watcher *w, const char *what, const char *type, const char *why)
{
	g_autoptr(GString) line = g_string_new(NULL);

	g_string_append_printf(line, "avahi %s browser", what);
	if (type != NULL) {
		g_string_append(line, " for ");
		escape_append_str(line, type);
	}
	g_string_append(line, " failed: ");
	escape_append_str(line, why);
	watcher_log(w, G_LOG_LEVEL_WARNING, "%s", line->str);
}

/* The key of the browser for a type seen on (ifindex, protocol).  One
 * browser per type on all interfaces and protocols, as avahi-browse -a
 * makes them: each ServiceBrowserNew costs avahi-daemon time and a
 * blocking round trip, and one per interface and protocol would be two per
 * type on a dual-stack LAN.  When only some interfaces are
 * watched, one per interface and protocol, so that the others carry no
 * queries of ours. */
static Key
browse_key(const Watcher *w, AvahiIfIndex ifindex, AvahiProtocol protocol,
           const char *type, const char *domain)
{
	Key k = { ifindex, protocol, NULL, (char *) type, (char *) domain };

	if (w->interfaces == NULL) {
		k.ifindex = AVAHI_IF_UNSPEC;
		k.protocol = AVAHI_PROTO_UNSPEC;
	}
	return k;
}

/* (ifindex, protocol) as one number, for Browse.seen_on. */
static guint
where_of(AvahiIfIndex ifindex, AvahiProtocol protocol)
{
	return ((guint) ifindex << 2) | ((guint) protocol & 3);
}

static gboolean
seen_on_find(const Browse *b, guint where, guint *pos)
{
	for (guint i = 0; i < b->seen_on->len; i++) {
		if (g_array_index(b->seen_on, guint, i) == where) {
			*pos = i;
			return TRUE;
		}
	}
	return FALSE;
}

/* A service browser's NEW, the name of its interface known. */
static void
service_new(Watcher *w, AvahiIfIndex interface, AvahiProtocol protocol,
            const char *name, const char *type, const char *domain,
            const char *ifname)
{
	Key k = { interface, protocol, (char *) name, (char *) type, (char *) domain };
	Key bk = browse_key(w, interface, protocol, type, domain);
	Browse *b = g_hash_table_lookup(w->browsers, &bk);
	Service *s;

	if (!interface_wanted(w, ifname))
		return;
	if (b != NULL)
		b->has_service = TRUE;
	s = g_hash_table_lookup(w->services, &k);
	if (s != NULL) {
		if (s->seen_gen != w->generation) {
			/* Known from before an avahi restart: refresh it
			 * without an unresolved snapshot in between (the new
			 * daemon may name the index otherwise). */
			s->seen_gen = w->generation;
			note_new(w);
			if (strcmp(s->ifname, ifname) != 0) {
				g_free(s->ifname);
				s->ifname = g_strdup(ifname);
			}
			service_enqueue(s);
		}
		return;
	}
	s = g_new0(Service, 1);
	key_set(&s->key, interface, protocol, name, type, domain);
	s->w = w;
	s->ifname = g_strdup(ifname);
	s->seen_gen = w->generation;
	s->port = -1;
	g_hash_table_add(w->services, s);
	note_new(w);
	report_changed(w, s);
	service_enqueue(s);
}

static void
service_gone(Watcher *w, AvahiIfIndex interface, AvahiProtocol protocol,
             const char *name, const char *type, const char *domain)
{
	Key k = { interface, protocol, (char *) name, (char *) type, (char *) domain };
	Key bk = browse_key(w, interface, protocol, type, domain);
	Service *s = g_hash_table_lookup(w->services, &k);
	Browse *b = g_hash_table_lookup(w->browsers, &bk);

	if (s != NULL)
		service_remove(w, s);
	if (b != NULL && b->type_gone)
		schedule_collect(w);
}

static void
service_browser_callback(AvahiServiceBrowser *sb, AvahiIfIndex interface,
                         AvahiProtocol protocol, AvahiBrowserEvent event,
                         const char *name, const char *type,
                         const char *domain, AvahiLookupResultFlags flags,
                         void *userdata)
{
	Browse *b = userdata;
	Watcher *w = b->w;

	switch (event) {
	case AVAHI_BROWSER_NEW:
	case AVAHI_BROWSER_REMOVE:
		if (name != NULL && type != NULL && domain != NULL)
			watcher_dispatch(w, FALSE, interface, protocol, event, name,
			                 type, domain);
		break;
	case AVAHI_BROWSER_FAILURE:
		warn_browser_failure(w, "service", b->key.type, client_error(w));
		b->failed = TRUE;
		browse_done(b);
		break;
	case AVAHI_BROWSER_ALL_FOR_NOW:
		browse_done(b);
		break;
	case AVAHI_BROWSER_CACHE_EXHAUSTED:
		break;
	}
	schedule_pump(w);
	check_settled(w);
}

static void
browse_type(Watcher *w, AvahiIfIndex ifindex, AvahiProtocol protocol,
            const char *type, const char *domain)
{
	Key k = browse_key(w, ifindex, protocol, type, domain);
	Browse *b = g_hash_table_lookup(w->browsers, &k);
	guint where = where_of(ifindex, protocol), pos;

	if (b != NULL) {
		b->type_gone = FALSE;
		if (!seen_on_find(b, where, &pos))
			g_array_append_val(b->seen_on, where);
		return;
	}
	note_new(w);
	b = g_new0(Browse, 1);
	key_set(&b->key, k.ifindex, k.protocol, NULL, type, domain);
	b->w = w;
	b->made_us = g_get_monotonic_time();
	b->seen_on = g_array_new(FALSE, FALSE, sizeof(guint));
	g_array_append_val(b->seen_on, where);
	b->browser = avahi_service_browser_new(w->client, k.ifindex, k.protocol, type,
	                                       domain, 0, service_browser_callback, b);
	if (b->browser == NULL &&
	    avahi_client_errno(w->client) == AVAHI_ERR_TOO_MANY_OBJECTS &&
	    watcher_stop_watching(w)) {
		b->browser = avahi_service_browser_new(w->client, k.ifindex, k.protocol,
		                                       type, domain, 0,
		                                       service_browser_callback, b);
	}
	if (b->browser == NULL) {
		/* Remember it as done so the type is not retried on every
		 * announcement; its instances stay unseen. */
		warn_browser_failure(w, "service", type, client_error(w));
		b->done = TRUE;
		b->failed = TRUE;
	} else {
		w->n_browsers_pending++;
		w->settled = FALSE;
	}
	g_hash_table_add(w->browsers, b);
}

static void
mark_in_use(Watcher *w, AvahiIfIndex ifindex, AvahiProtocol protocol,
            const char *type, const char *domain)
{
	Key k = browse_key(w, ifindex, protocol, type, domain);
	Browse *b = g_hash_table_lookup(w->browsers, &k);

	if (b != NULL)
		b->in_use = TRUE;
}

/* Free the browsers of types that vanished and have no service left (nor
 * a service NEW waiting for its interface name).
 * The type's PTR (_services._dns-sd._udp) is shared by every host that
 * offers the type, so one host's goodbye for it says nothing about the
 * other hosts' instances: a browser stays while it has services, and the
 * instances leave through their own REMOVE.  Runs from an idle source, so
 * a browser is never freed inside its own callback. */
static gboolean
collect_browsers(gpointer data)
{
	Watcher *w = data;
	GHashTableIter it;
	gpointer p;

	w->gc_id = 0;
	g_hash_table_iter_init(&it, w->browsers);
	while (g_hash_table_iter_next(&it, &p, NULL))
		((Browse *) p)->in_use = FALSE;
	g_hash_table_iter_init(&it, w->services);
	while (g_hash_table_iter_next(&it, &p, NULL)) {
		Service *svc = p;

		mark_in_use(w, svc->key.ifindex, svc->key.protocol, svc->key.type,
		            svc->key.domain);
	}
	g_hash_table_iter_init(&it, w->held);
	while (g_hash_table_iter_next(&it, NULL, &p)) {
		for (GList *l = ((GQueue *) p)->head; l != NULL; l = l->next) {
			HeldEvent *e = l->data;

			if (!e->from_type_browser && e->event == AVAHI_BROWSER_NEW)
				mark_in_use(w, e->ifindex, e->protocol, e->type, e->domain);
		}
	}
	g_hash_table_iter_init(&it, w->browsers);
	while (g_hash_table_iter_next(&it, &p, NULL)) {
		Browse *b = p;

		if (b->type_gone && !b->in_use)
			g_hash_table_iter_remove(&it);
	}
	check_settled(w);
	return G_SOURCE_REMOVE;
}

static void
schedule_collect(Watcher *w)
{
	if (w->gc_id == 0)
		w->gc_id = watcher_idle_add(w, collect_browsers, w);
}

/* The type browser's NEW, the name of its interface known (or not
 * needed: with no interfaces= every type is browsed everywhere). */
static void
type_new(Watcher *w, AvahiIfIndex interface, AvahiProtocol protocol,
         const char *type, const char *domain, const char *ifname)
{
	if (ifname == NULL || interface_wanted(w, ifname))
		browse_type(w, interface, protocol, type, domain);
}

static void
type_gone(Watcher *w, AvahiIfIndex interface, AvahiProtocol protocol,
          const char *type, const char *domain)
{
	Key k = browse_key(w, interface, protocol, type, domain);
	Browse *b = g_hash_table_lookup(w->browsers, &k);
	guint pos;

	if (b != NULL && seen_on_find(b, where_of(interface, protocol), &pos)) {
		g_array_remove_index_fast(b->seen_on, pos);
		if (b->seen_on->len == 0) {
			b->type_gone = TRUE;
			schedule_collect(w);
		}
	}
}

static void
type_browser_callback(AvahiServiceTypeBrowser *tb, AvahiIfIndex interface,
                      AvahiProtocol protocol, AvahiBrowserEvent event,
                      const char *type, const char *domain,
                      AvahiLookupResultFlags flags, void *userdata)
{
	Watcher *w = userdata;

	switch (event) {
	case AVAHI_BROWSER_NEW:
	case AVAHI_BROWSER_REMOVE:
		if (type != NULL && domain != NULL)
			watcher_dispatch(w, TRUE, interface, protocol, event, NULL,
			                 type, domain);
		break;
	case AVAHI_BROWSER_FAILURE:
		warn_browser_failure(w, "service-type", NULL, client_error(w));
		w->type_browser_done = TRUE;
		break;
	case AVAHI_BROWSER_ALL_FOR_NOW:
		w->type_browser_done = TRUE;
		break;
	case AVAHI_BROWSER_CACHE_EXHAUSTED:
		break;
	}
	schedule_pump(w);
	check_settled(w);
}

/* --- events waiting for an interface name ---------------------------- */

static void
held_event_free(gpointer p)
{
	HeldEvent *e = p;

	g_free(e->name);
	g_free(e->type);
	g_free(e->domain);
	g_free(e);
}

static void
held_queue_free(gpointer p)
{
	g_queue_free_full(p, held_event_free);
}

static void
watcher_hold(Watcher *w, gboolean from_type_browser, AvahiIfIndex ifindex,
             AvahiProtocol protocol, AvahiBrowserEvent event, const char *name,
             const char *type, const char *domain)
{
	GQueue *q = g_hash_table_lookup(w->held, GINT_TO_POINTER(ifindex));
	HeldEvent *e = g_new0(HeldEvent, 1);

	if (q == NULL) {
		q = g_queue_new();
		g_hash_table_insert(w->held, GINT_TO_POINTER(ifindex), q);
	}
	e->from_type_browser = from_type_browser;
	e->ifindex = ifindex;
	e->protocol = protocol;
	e->event = event;
	e->name = g_strdup(name);
	e->type = g_strdup(type);
	e->domain = g_strdup(domain);
	g_queue_push_tail(q, e);
	w->settled = FALSE;
}

/* Handle a NEW or REMOVE of either browser, or hold it back while the
 * name of its interface is being asked.  A snapshot carries the name, and
 * interfaces= filters by it, so a service NEW waits for it (and so does a
 * type NEW under interfaces=); everything else on an index with a pending
 * name waits behind it, so that events on one index are handled in the
 * order avahi sent them (a REMOVE never overtakes its NEW). */
static void
watcher_dispatch(Watcher *w, gboolean from_type_browser, AvahiIfIndex ifindex,
                 AvahiProtocol protocol, AvahiBrowserEvent event, const char *name,
                 const char *type, const char *domain)
{
	const char *ifname = NULL;

	if (g_hash_table_contains(w->held, GINT_TO_POINTER(ifindex))) {
		watcher_hold(w, from_type_browser, ifindex, protocol, event, name, type, domain);
		return;
	}
	if (event == AVAHI_BROWSER_NEW && (!from_type_browser || w->interfaces != NULL)) {
		ifname = ifname_cache_lookup(w->ifnames, ifindex);
		if (ifname == NULL) {
			watcher_hold(w, from_type_browser, ifindex, protocol, event, name,
			             type, domain);
			return;
		}
	}
	if (from_type_browser && event == AVAHI_BROWSER_NEW)
		type_new(w, ifindex, protocol, type, domain, ifname);
	else if (from_type_browser)
		type_gone(w, ifindex, protocol, type, domain);
	else if (event == AVAHI_BROWSER_NEW)
		service_new(w, ifindex, protocol, name, type, domain, ifname);
	else
		service_gone(w, ifindex, protocol, name, type, domain);
}

/* The name of ifindex is known: handle what waited for it, in order. */
static void
watcher_on_ifname(int ifindex, const char *name, gpointer data)
{
	Watcher *w = data;
	GQueue *q = NULL;
	HeldEvent *e;

	if (!g_hash_table_steal_extended(w->held, GINT_TO_POINTER(ifindex), NULL,
	                                 (gpointer *) &q))
		return;
	while ((e = g_queue_pop_head(q)) != NULL) {
		watcher_dispatch(w, e->from_type_browser, e->ifindex, e->protocol,
		                 e->event, e->name, e->type, e->domain);
		held_event_free(e);
	}
	g_queue_free(q);
	schedule_pump(w);
	check_settled(w);
}

/* avahi-daemon went away: its names and the events of its browsers go. */
static void
watcher_forget_ifnames(Watcher *w)
{
	ifname_cache_forget(w->ifnames);
	g_hash_table_remove_all(w->held);
}

/* --- settling -------------------------------------------------------- */

static gboolean
sweep_timer_cb(gpointer data)
{
	Watcher *w = data;

	w->sweep_id = 0;
	if (w->settled) {
		/* Settled during the grace period: sweep now. */
		w->settled = FALSE;
		check_settled(w);
	}
	return G_SOURCE_REMOVE;
}

/* After an avahi restart, services that were not seen again by the first
 * settle after the grace period are gone.  Returns FALSE if the grace
 * period is still running (a timer retries). */
static gboolean
sweep_stale(Watcher *w)
{
	GHashTableIter it;
	gpointer p;
	GPtrArray *gone;
	guint i;
	gint64 left_ms;

	if (w->swept_gen == w->generation)
		return TRUE;
	left_ms = (w->browse_start_us - g_get_monotonic_time()) / 1000 + STALE_GRACE_MS;
	if (w->generation > 1 && left_ms > 0) {
		if (w->sweep_id == 0)
			w->sweep_id = watcher_timeout_add(w, (guint) left_ms + 1, sweep_timer_cb, w);
		return FALSE;
	}
	w->swept_gen = w->generation;
	gone = g_ptr_array_new();
	g_hash_table_iter_init(&it, w->services);
	while (g_hash_table_iter_next(&it, &p, NULL)) {
		Service *s = p;

		if (s->seen_gen != w->generation)
			g_ptr_array_add(gone, s);
	}
	for (i = 0; i < gone->len; i++)
		service_remove(w, gone->pdata[i]);
	g_ptr_array_free(gone, TRUE);
	return TRUE;
}

/* A new service or type: the LAN is still delivering. */
static void
note_new(Watcher *w)
{
	gint64 now = g_get_monotonic_time();

	if (w->burst_open)
		w->burst_max_gap_us = MAX(w->burst_max_gap_us, now - w->last_new_us);
	w->burst_open = TRUE;
	w->last_new_us = now;
}

/* How long the last NEW must be past before an otherwise idle watcher
 * settles (QUIET_* above).  Whether the LAN is still delivering is judged
 * once, when the watcher first goes idle, so that waiting does not turn
 * a delivering LAN into a stopped one. */
static gint64
quiet_needed_us(Watcher *w, gint64 now)
{
	gint64 q = MAX(2 * w->burst_max_gap_us, (gint64) QUIET_STOPPED_MS * 1000);

	if (w->delivering < 0)
		w->delivering = now - w->last_new_us < QUIET_STOPPED_MS * 1000;
	if (w->delivering)
		q = MAX(q, (gint64) QUIET_MIN_MS * 1000);
	return MIN(q, (gint64) QUIET_MAX_MS * 1000);
}

/* The time (monotonic) until which a type without instances holds the
 * settle back, or 0 if none does. */
static gint64
empty_types_until_us(const Watcher *w, gint64 now)
{
	GHashTableIter it;
	gpointer p;
	gint64 until = 0;

	g_hash_table_iter_init(&it, w->browsers);
	while (g_hash_table_iter_next(&it, &p, NULL)) {
		const Browse *b = p;
		gint64 end = b->made_us + (gint64) EMPTY_TYPE_MAX_MS * 1000;

		if (!b->failed && !b->has_service && !b->type_gone && end > now)
			until = MAX(until, end);
	}
	return until;
}

static gboolean
quiet_timer_cb(gpointer data)
{
	Watcher *w = data;

	w->quiet_id = 0;
	check_settled(w);
	return G_SOURCE_REMOVE;
}

static gboolean
count_timer_cb(gpointer data)
{
	Watcher *w = data;

	w->count_id = 0;
	g_atomic_int_set(&w->n_first_only, (gint) count_first_resolution_only(w));
	return G_SOURCE_REMOVE;
}

/* Report settled once each time the watcher goes from busy to idle: every
 * browser has answered ALL_FOR_NOW (or failed), no resolution is queued
 * or in flight, no interface name is being asked, and the quiet rule is
 * met.  Posted after avahi_state(TRUE), so the owner hears "up" first. */
static void
check_settled(Watcher *w)
{
	gint64 now, quiet_us, until_us;

	/* Between settles too, the count follows within a second (a walk of
	 * the table at most once a second). */
	if (w->count_id == 0)
		w->count_id = watcher_timeout_add(w, 1000, count_timer_cb, w);
	schedule_watches(w);
	if (!w->browsing)
		return;
	if (!w->type_browser_done || w->n_browsers_pending > 0 ||
	    w->n_inflight > 0 || !g_queue_is_empty(&w->queue) ||
	    ifname_cache_n_pending(w->ifnames) > 0) {
		w->settled = FALSE;
		w->settle_again = FALSE;
		w->delivering = -1;
		return;
	}
	if (w->settled)
		return;
	now = g_get_monotonic_time();
	quiet_us = quiet_needed_us(w, now);
	until_us = MAX(w->last_new_us + quiet_us, empty_types_until_us(w, now));
	if (now < until_us) {
		/* A NEW meanwhile only moves the end later: the timer then
		 * finds it early and is armed again. */
		if (w->quiet_id == 0)
			w->quiet_id = watcher_timeout_add(w, (guint) ((until_us - now) / 1000) + 1,
			                                  quiet_timer_cb, w);
		return;
	}
	watcher_log(w, G_LOG_LEVEL_DEBUG, "settled %" G_GINT64_FORMAT " ms after browsing started; last new service"
	        " or type at %" G_GINT64_FORMAT " ms (%s)", (now - w->browse_start_us) / 1000,
	        (w->last_new_us - w->browse_start_us) / 1000,
	        w->delivering ? "was still delivering" : "had stopped delivering");
	w->settled = TRUE;
	w->burst_open = FALSE;
	w->burst_max_gap_us = 0;
	/* While stale services may still come back, hold "settled" back:
	 * the picture is not complete yet. */
	if (!sweep_stale(w))
		return;
	g_atomic_int_set(&w->n_first_only, (gint) count_first_resolution_only(w));
	w->settle_again = !g_queue_is_empty(&w->watch_queue);
	watcher_post(w, watcher_event_new(WATCHER_EVENT_SETTLED));
}

/* --- the client and its life cycle ----------------------------------- */

static void
start_browsing(Watcher *w)
{
	if (w->browsing)
		return;
	w->generation++;
	/* A new avahi-daemon may grant more objects than the last. */
	w->keep_watching = !w->one_shot;
	w->browse_start_us = g_get_monotonic_time();
	w->last_new_us = w->browse_start_us;
	w->burst_open = FALSE;
	w->burst_max_gap_us = 0;
	w->delivering = -1;
	w->settled = FALSE;
	w->type_browser_done = FALSE;
	w->type_browser = avahi_service_type_browser_new(w->client, AVAHI_IF_UNSPEC,
	                                                 AVAHI_PROTO_UNSPEC, NULL, 0,
	                                                 type_browser_callback, w);
	if (w->type_browser == NULL) {
		warn_browser_failure(w, "service-type", NULL, client_error(w));
		w->type_browser_done = TRUE;
	}
	w->browsing = TRUE;
}

/* Drop every avahi object and the client; known services stay (idle). */
static void
drop_client(Watcher *w)
{
	GHashTableIter it;
	gpointer p;

	/* avahi_client_free closes the bus first and then frees every browser
	 * and resolver without server calls, so ours are only forgotten. */
	if (w->client != NULL)
		avahi_client_free(w->client);
	w->client = NULL;
	w->type_browser = NULL;
	w->browsing = FALSE;
	w->settled = FALSE;
	watcher_source_remove(w, &w->quiet_id);
	g_hash_table_iter_init(&it, w->browsers);
	while (g_hash_table_iter_next(&it, &p, NULL))
		((Browse *) p)->browser = NULL;
	g_hash_table_remove_all(w->browsers);
	g_hash_table_iter_init(&it, w->services);
	while (g_hash_table_iter_next(&it, &p, NULL))
		service_stop(p, FALSE);
	/* Every watch went with its last member; none may outlive the client. */
	g_hash_table_iter_init(&it, w->watches);
	while (g_hash_table_iter_next(&it, &p, NULL))
		((TxtWatch *) p)->browser = NULL;
	g_hash_table_remove_all(w->watches);
	g_queue_clear(&w->queue);
	g_queue_clear(&w->watch_queue);
	watcher_source_remove(w, &w->watch_id);
	w->settle_again = FALSE;
	watcher_forget_ifnames(w);
}

/* Create a client.  Returns FALSE with *err set when avahi-client fails
 * at once (no bus; or no daemon when exit_on_no_daemon). */
static gboolean
connect_client(Watcher *w, int *err)
{
	AvahiClientFlags flags = w->exit_on_no_daemon ? 0 : AVAHI_CLIENT_NO_FAIL;
	AvahiClient *c;

	/* The callback may run (and set w->client) before this returns. */
	c = avahi_client_new(avahi_glib_poll_get(w->poll), flags, client_callback,
	                     w, err);
	if (c == NULL) {
		w->client = NULL;
		w->browsing = FALSE;
		return FALSE;
	}
	w->client = c;
	return TRUE;
}

static gboolean reconnect_cb(gpointer data);

static void
schedule_reconnect(Watcher *w, guint delay_s)
{
	if (w->reconnect_id != 0)
		return;
	w->reconnect_id = watcher_timeout_add(w, delay_s * 1000, reconnect_cb, w);
}

static gboolean
reconnect_cb(gpointer data)
{
	Watcher *w = data;
	int err = 0;

	w->reconnect_id = 0;
	drop_client(w);
	if (connect_client(w, &err)) {
		w->reconnect_delay_s = RECONNECT_MIN_S;
		return G_SOURCE_REMOVE;
	}
	{
		g_autofree char *msg = g_strdup_printf("cannot connect to avahi-daemon: %s",
		                                       avahi_strerror(err));

		watcher_report_state(w, FALSE, msg);
	}
	schedule_reconnect(w, w->reconnect_delay_s);
	w->reconnect_delay_s = MIN(w->reconnect_delay_s * 2, RECONNECT_MAX_S);
	return G_SOURCE_REMOVE;
}

static void
client_callback(AvahiClient *c, AvahiClientState state, void *userdata)
{
	Watcher *w = userdata;

	/* May run before avahi_client_new() has returned. */
	w->client = c;

	switch (state) {
	case AVAHI_CLIENT_S_RUNNING:
	case AVAHI_CLIENT_S_REGISTERING:
	case AVAHI_CLIENT_S_COLLISION:
		if (!w->browsing) {
			const char *v;
			g_autofree char *msg = NULL;

			/* Browse first: every browser's ALL_FOR_NOW is timed from
			 * its creation, and the version is one more round trip. */
			start_browsing(w);
			v = avahi_client_get_version_string(c);
			msg = g_strdup_printf("connected to %s", v != NULL ? v : "avahi-daemon");
			watcher_report_state(w, TRUE, msg);
			schedule_pump(w);
		}
		break;
	case AVAHI_CLIENT_CONNECTING:
		watcher_report_state(w, FALSE, "waiting for avahi-daemon to start");
		break;
	case AVAHI_CLIENT_FAILURE: {
		int err = avahi_client_errno(c);
		g_autofree char *msg = g_strdup_printf("avahi-daemon connection lost: %s",
		                                       avahi_strerror(err));

		w->browsing = FALSE;
		watcher_forget_ifnames(w);
		watcher_report_state(w, FALSE, msg);
		/* Never free the client inside its own callback: the main loop
		 * drops it and, unless this is a one-shot scan, reconnects. */
		if (!w->exit_on_no_daemon)
			schedule_reconnect(w, err == AVAHI_ERR_DISCONNECTED ? 0 : RECONNECT_MIN_S);
		break;
	}
	}
}

/* The avahi thread's start: make the client (its callback may already
 * start browsing), tell watcher_new() how that went, then run. */
static gpointer
watcher_thread_main(gpointer data)
{
	Watcher *w = data;
	GError *error = NULL;
	int err = 0;

	g_main_context_push_thread_default(w->context);
	w->ifnames = ifname_cache_new(watcher_on_ifname, w);
	w->poll = avahi_glib_poll_new(w->context, G_PRIORITY_DEFAULT);
	if (!connect_client(w, &err)) {
		if (w->exit_on_no_daemon) {
			g_set_error(&error, WATCHER_ERROR,
			            err == AVAHI_ERR_NO_DAEMON ? WATCHER_ERROR_NO_DAEMON :
			            WATCHER_ERROR_FAILED,
			            "avahi-daemon is not running (%s)", avahi_strerror(err));
		} else {
			/* No bus yet: keep trying in the background. */
			g_autofree char *msg = g_strdup_printf("cannot connect to avahi-daemon: %s",
			                                       avahi_strerror(err));

			watcher_report_state(w, FALSE, msg);
			schedule_reconnect(w, w->reconnect_delay_s);
		}
	} else if (w->exit_on_no_daemon && !w->browsing) {
		g_set_error(&error, WATCHER_ERROR, WATCHER_ERROR_FAILED,
		            "avahi-daemon is not usable: %s", client_error(w));
	}
	g_mutex_lock(&w->lock);
	w->start_error = error;
	w->started = TRUE;
	g_cond_signal(&w->started_cond);
	g_mutex_unlock(&w->lock);
	if (error == NULL)
		g_main_loop_run(w->loop);

	/* Stopped (watcher_thread_stop) or never started: drop everything
	 * avahi while still on this thread and its context. */
	watcher_source_remove(w, &w->reconnect_id);
	watcher_source_remove(w, &w->sweep_id);
	watcher_source_remove(w, &w->gc_id);
	watcher_source_remove(w, &w->pump_id);
	watcher_source_remove(w, &w->watch_id);
	watcher_source_remove(w, &w->count_id);
	drop_client(w);
	g_hash_table_remove_all(w->services);
	g_hash_table_remove_all(w->browsers);
	g_clear_pointer(&w->poll, avahi_glib_poll_free);
	g_clear_pointer(&w->ifnames, ifname_cache_free);
	g_hash_table_remove_all(w->held);
	/* Let cancelled GDBus calls deliver their last callbacks here. */
	while (g_main_context_iteration(w->context, FALSE))
		;
	g_main_context_pop_thread_default(w->context);
	return NULL;
}

static gboolean
watcher_thread_stop(gpointer data)
{
	Watcher *w = data;

	g_main_loop_quit(w->loop);
	return G_SOURCE_REMOVE;
}

Watcher *
watcher_new(const WatcherOptions *opts, const WatcherCallbacks *cb,
            gpointer user_data, GError **error)
{
	Watcher *w = g_new0(Watcher, 1);
	sigset_t all, old;

	if (cb != NULL)
		w->cb = *cb;
	w->user_data = user_data;
	if (opts != NULL) {
		if (opts->interfaces != NULL)
			w->interfaces = g_strdupv((char **) opts->interfaces);
		w->resolve_timeout_ms = opts->resolve_timeout_ms;
		w->max_inflight = opts->max_inflight;
		w->exit_on_no_daemon = opts->exit_on_no_daemon;
	}
	if (w->resolve_timeout_ms == 0)
		w->resolve_timeout_ms = DEFAULT_RESOLVE_TIMEOUT_MS;
	if (w->max_inflight == 0)
		w->max_inflight = DEFAULT_MAX_INFLIGHT;
	w->reported_state = -1;
	/* A one-shot scan has no use for later changes, and every watch
	 * keeps avahi-daemon querying for its record. */
	w->one_shot = opts != NULL && opts->one_shot;
	w->reconnect_delay_s = RECONNECT_MIN_S;
	w->held = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, held_queue_free);
	w->browsers = g_hash_table_new_full(watcher_key_hash, key_equal, browse_free, NULL);
	w->services = g_hash_table_new_full(watcher_key_hash, key_equal, service_free, NULL);
	w->watches = g_hash_table_new_full(watcher_key_hash, key_equal, txt_watch_free, NULL);
	g_queue_init(&w->queue);
	g_queue_init(&w->watch_queue);
	g_mutex_init(&w->lock);
	g_cond_init(&w->started_cond);
	g_queue_init(&w->mailbox);
	w->mailbox_source = g_source_new(&watcher_mailbox_funcs, sizeof(WatcherMailbox));
	((WatcherMailbox *) w->mailbox_source)->w = w;
	g_source_set_ready_time(w->mailbox_source, -1);
	g_source_attach(w->mailbox_source, g_main_context_get_thread_default());
	w->context = g_main_context_new();
	w->loop = g_main_loop_new(w->context, FALSE);

	/* Signals are the owner's business (its handlers only set flags on
	 * its loop): the avahi thread starts with all of them blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	w->thread = g_thread_new("avahi", watcher_thread_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	g_mutex_lock(&w->lock);
	while (!w->started)
		g_cond_wait(&w->started_cond, &w->lock);
	g_mutex_unlock(&w->lock);
	if (w->start_error != NULL) {
		g_propagate_error(error, g_steal_pointer(&w->start_error));
		watcher_free(w);
		return NULL;
	}
	return w;
}

void
watcher_free(Watcher *w)
{
	if (w == NULL)
		return;
	/* The thread drops its avahi objects and returns; after the join
	 * nothing posts any more, and what is still queued is dropped. */
	g_main_context_invoke(w->context, watcher_thread_stop, w);
	g_thread_join(w->thread);
	g_source_destroy(w->mailbox_source);
	g_source_unref(w->mailbox_source);
	g_queue_clear_full(&w->mailbox, watcher_event_free);
	g_main_loop_unref(w->loop);
	g_main_context_unref(w->context);
	g_hash_table_destroy(w->services);
	g_hash_table_destroy(w->watches);
	g_hash_table_destroy(w->browsers);
	g_hash_table_unref(w->held);
	g_strfreev(w->interfaces);
	g_clear_error(&w->start_error);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->started_cond);
	g_free(w);
}

/* On the avahi thread: at each settle, and from count_timer_cb. */
static guint
count_first_resolution_only(const Watcher *w)
{
	GHashTableIter it;
	gpointer p;
	guint n = 0;

	g_hash_table_iter_init(&it, w->services);
	while (g_hash_table_iter_next(&it, &p, NULL)) {
		const Service *s = p;

		if (s->resolved && s->state != SVC_WATCHED && s->state != SVC_WATCH_QUEUED)
			n++;
	}
	return n;
}

guint
watcher_n_first_resolution_only(const Watcher *w)
{
	if (w == NULL)
		return 0;
	return (guint) g_atomic_int_get(&w->n_first_only);
}
