/* service-table.c - known advertisements and when to report their findings
 * (the rules are in service-table.h). */
#include "config.h"

#include <string.h>
#include "format/escape.h"
#include "audit/service-table.h"

/* One finding of a service: how many of its entries carry it, and since
 * when the service has had it. */
typedef struct {
	guint count;
	gint64 first_seen_us;        /* g_get_real_time() */
} GroupFinding;

/* What one service (instance, type, domain) has across every interface
 * and protocol it is seen on: how many of its entries carry each finding.
 * A finding is reported when the first entry gets it and gone when the
 * last one loses it, so one service is one line per finding. */
typedef struct {
	GBytes *key;
	guint n_entries;
	GHashTable *counts;          /* finding key (GBytes) -> GroupFinding */
} ServiceGroup;

struct _ServiceTable {
	GHashTable *by_key;          /* GBytes key -> ServiceEntry (owned) */
	GHashTable *groups;          /* GBytes service key -> ServiceGroup (owned) */
	GQueue order;                /* ServiceEntry*, oldest first */
	guint max_services;
	guint64 next_seq;
	guint64 n_evicted;
	guint64 generation;          /* service_table_generation() */
	gboolean capacity_warned;
	ServiceTableCallbacks cb;
	gpointer user_data;
};

/* Length-prefixed fields, so that no byte inside a field can make two
 * different tuples serialise alike. */
static void
put_bytes(GByteArray *b, const void *data, gsize len)
{
	guint32 n = (guint32)len;

	g_byte_array_append(b, (const guint8 *)&n, sizeof n);
	if (len > 0)
		g_byte_array_append(b, data, (guint)len);
}

static void
put_str(GByteArray *b, const char *s)
{
	/* NULL and "" differ: NULL is length 0xffffffff. */
	if (s == NULL) {
		guint32 n = G_MAXUINT32;

		g_byte_array_append(b, (const guint8 *)&n, sizeof n);
		return;
	}
	put_bytes(b, s, strlen(s));
}

static void
put_int(GByteArray *b, gint32 v)
{
	g_byte_array_append(b, (const guint8 *)&v, sizeof v);
}

/* The service across interfaces and protocols: DNS names compare
 * case-insensitively in ASCII. */
static GBytes *
make_service_key(const char *name, const char *type, const char *domain)
{
	GByteArray *b = g_byte_array_new();
	g_autofree char *n = name != NULL ? g_ascii_strdown(name, -1) : NULL;
	g_autofree char *t = type != NULL ? g_ascii_strdown(type, -1) : NULL;
	g_autofree char *d = domain != NULL ? g_ascii_strdown(domain, -1) : NULL;

	put_str(b, n);
	put_str(b, t);
	put_str(b, d);
	return g_byte_array_free_to_bytes(b);
}

static GBytes *
make_finding_key(const Finding *f)
{
	GByteArray *b = g_byte_array_new();

	put_int(b, f->code);
	put_int(b, f->severity);
	put_int(b, f->accepted);
	put_str(b, f->message);
	return g_byte_array_free_to_bytes(b);
}

static void
group_free(ServiceGroup *g)
{
	g_bytes_unref(g->key);
	g_hash_table_destroy(g->counts);
	g_free(g);
}

static GBytes *
make_key(const ObservedService *svc)
{
	GByteArray *b = g_byte_array_new();

	put_int(b, svc->ifindex);
	put_int(b, svc->protocol);
	put_str(b, svc->name);
	put_str(b, svc->type);
	put_str(b, svc->domain);
	return g_byte_array_free_to_bytes(b);
}

/* Resolution succeeded: the snapshot carries host, port and TXT. */
static gboolean
svc_complete(const ObservedService *svc)
{
	return svc->resolved && !svc->resolve_failed;
}

static gboolean
entry_complete(const ServiceEntry *e)
{
	return e->resolved && !e->resolve_failed;
}

/* What the validator judges, and nothing else (not the address: a new
 * address changes no finding). */
static GBytes *
make_fingerprint(const ObservedService *svc)
{
	GByteArray *b = g_byte_array_new();
	gboolean complete = svc_complete(svc);

	put_str(b, svc->type);
	put_str(b, svc->name);
	put_int(b, svc->resolved);
	put_int(b, svc->resolve_failed);
	put_int(b, complete ? svc->port : -1);
	put_str(b, complete ? svc->host : NULL);
	if (complete && svc->txt != NULL) {
		put_int(b, (gint32)svc->txt->len);
		for (guint i = 0; i < svc->txt->len; i++) {
			gsize len;
			const void *data = g_bytes_get_data(g_ptr_array_index(svc->txt, i), &len);

			put_bytes(b, data, len);
		}
	} else {
		put_int(b, -1);
	}
	return g_byte_array_free_to_bytes(b);
}

static void
replace_str(char **slot, const char *value)
{
	g_free(*slot);
	*slot = g_strdup(value);
}

static void
replace_esc(char **slot, const char *value)
{
	g_free(*slot);
	*slot = escape_str(value);
}

/* Fields outside the fingerprint that may change any time. */
static void
set_incidental(ServiceEntry *e, const ObservedService *svc)
{
	if (svc->ifname != NULL && g_strcmp0(svc->ifname, e->ifname) != 0) {
		replace_str(&e->ifname, svc->ifname);
		replace_esc(&e->ifname_esc, svc->ifname);
	}
	if (svc_complete(svc) && g_strcmp0(svc->address, e->address) != 0) {
		replace_str(&e->address, svc->address);
		replace_esc(&e->address_esc, svc->address);
	}
}

/* Copy the judged content of svc into e. */
static void
set_content(ServiceEntry *e, const ObservedService *svc, GBytes *fingerprint)
{
	gboolean complete = svc_complete(svc);

	e->resolved = svc->resolved;
	e->resolve_failed = svc->resolve_failed;
	replace_str(&e->resolve_error, svc->resolve_failed ? svc->resolve_error : NULL);
	replace_str(&e->host, complete ? svc->host : NULL);
	replace_esc(&e->host_esc, complete ? svc->host : NULL);
	if (!complete) {
		replace_str(&e->address, NULL);
		replace_esc(&e->address_esc, NULL);
	}
	e->port = complete ? svc->port : -1;
	g_ptr_array_set_size(e->txt, 0);
	if (complete && svc->txt != NULL) {
		for (guint i = 0; i < svc->txt->len; i++)
			g_ptr_array_add(e->txt, g_bytes_ref(g_ptr_array_index(svc->txt, i)));
	}
	g_free(e->txt_view);
	e->txt_view = g_new0(AdBytes, MAX(e->txt->len, 1));
	for (guint i = 0; i < e->txt->len; i++)
		e->txt_view[i].data = g_bytes_get_data(g_ptr_array_index(e->txt, i),
		                                       &e->txt_view[i].len);
	if (e->fingerprint != NULL)
		g_bytes_unref(e->fingerprint);
	e->fingerprint = g_bytes_ref(fingerprint);
	set_incidental(e, svc);
}

static void
entry_free(ServiceEntry *e)
{
	g_free(e->name);
	g_free(e->type);
	g_free(e->domain);
	g_free(e->ifname);
	g_free(e->resolve_error);
	g_free(e->host);
	g_free(e->address);
	g_ptr_array_unref(e->txt);
	g_free(e->name_esc);
	g_free(e->type_esc);
	g_free(e->domain_esc);
	g_free(e->ifname_esc);
	g_free(e->host_esc);
	g_free(e->address_esc);
	finding_list_free(e->findings);
	g_bytes_unref(e->key);
	g_bytes_unref(e->service_key);
	if (e->fingerprint != NULL)
		g_bytes_unref(e->fingerprint);
	g_free(e->txt_view);
	g_free(e);
}

static ServiceEntry *
entry_new(const ObservedService *svc, GBytes *key)
{
	ServiceEntry *e = g_new0(ServiceEntry, 1);

	e->ifindex = svc->ifindex;
	e->protocol = svc->protocol;
	e->name = g_strdup(svc->name != NULL ? svc->name : "");
	e->type = g_strdup(svc->type != NULL ? svc->type : "");
	e->domain = g_strdup(svc->domain);
	e->name_esc = escape_str(e->name);
	e->type_esc = escape_str(e->type);
	e->domain_esc = escape_str(e->domain);
	e->port = -1;
	e->txt = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	e->findings = finding_list_new();
	e->key = g_bytes_ref(key);
	e->service_key = make_service_key(e->name, e->type, e->domain);
	return e;
}

ServiceTable *
service_table_new(guint max_services, const ServiceTableCallbacks *cb, gpointer user_data)
{
	ServiceTable *t = g_new0(ServiceTable, 1);

	t->by_key = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, NULL,
	                                  (GDestroyNotify)entry_free);
	t->groups = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, NULL,
	                                  (GDestroyNotify)group_free);
	g_queue_init(&t->order);
	t->max_services = max_services > 0 ? max_services : 1;
	t->cb = *cb;
	t->user_data = user_data;
	return t;
}

void
service_table_free(ServiceTable *t)
{
	if (t == NULL)
		return;
	g_queue_clear(&t->order);
	g_hash_table_destroy(t->by_key);
	g_hash_table_destroy(t->groups);
	g_free(t);
}

static ServiceGroup *
group_of(ServiceTable *t, ServiceEntry *e)
{
	ServiceGroup *g = g_hash_table_lookup(t->groups, e->service_key);

	if (g == NULL) {
		g = g_new0(ServiceGroup, 1);
		g->key = g_bytes_ref(e->service_key);
		g->counts = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
		                                  (GDestroyNotify)g_bytes_unref, g_free);
		g_hash_table_insert(t->groups, g->key, g);
	}
	return g;
}

/* An entry carries finding k now: TRUE if no other entry of its service
 * did.  Each entry holds each distinct finding once (finding_set()). */
static gboolean
group_hold(ServiceGroup *g, GBytes *k)
{
	GroupFinding *gf = g_hash_table_lookup(g->counts, k);

	if (gf != NULL) {
		gf->count++;
		return FALSE;
	}
	gf = g_new(GroupFinding, 1);
	gf->count = 1;
	gf->first_seen_us = g_get_real_time();
	g_hash_table_insert(g->counts, g_bytes_ref(k), gf);
	return TRUE;
}

/* An entry no longer carries finding k: TRUE if no other entry of its
 * service does. */
static gboolean
group_release(ServiceGroup *g, GBytes *k)
{
	GroupFinding *gf = g_hash_table_lookup(g->counts, k);

	if (gf == NULL || gf->count <= 1) {
		g_hash_table_remove(g->counts, k);
		return TRUE;
	}
	gf->count--;
	return FALSE;
}

/* The distinct findings of list: finding key -> its first Finding.  A
 * hash, not a scan of the list per finding: a hostile TXT record can give
 * thousands of findings, and the same finding twice in one advertisement
 * is one finding of its service. */
static GHashTable *
finding_set(const FindingList *list)
{
	GHashTable *set = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
	                                        (GDestroyNotify)g_bytes_unref, NULL);

	for (guint i = 0; i < list->len; i++) {
		Finding *f = finding_list_get(list, i);
		GBytes *k = make_finding_key(f);

		if (g_hash_table_contains(set, k))
			g_bytes_unref(k);
		else
			g_hash_table_insert(set, k, f);
	}
	return set;
}

static void
entry_remove(ServiceTable *t, ServiceEntry *e)
{
	ServiceGroup *g = group_of(t, e);
	g_autoptr(GHashTable) held = finding_set(e->findings);

	for (guint i = 0; i < e->findings->len; i++) {
		Finding *f = finding_list_get(e->findings, i);
		g_autoptr(GBytes) key = make_finding_key(f);

		if (g_hash_table_lookup(held, key) == f && group_release(g, key) &&
		    !f->accepted && t->cb.gone != NULL)
			t->cb.gone(e, f, SERVICE_GONE_REMOVED, t->user_data);
	}
	if (--g->n_entries == 0)
		g_hash_table_remove(t->groups, e->service_key);
	t->generation++;
	g_queue_delete_link(&t->order, e->link);
	g_hash_table_remove(t->by_key, e->key);
}

/* Drop the oldest entries until at most max remain. */
static guint
evict(ServiceTable *t)
{
	guint n = 0;

	while (g_queue_get_length(&t->order) > t->max_services) {
		if (!t->capacity_warned && t->cb.over_capacity != NULL)
			t->cb.over_capacity(t->max_services, t->user_data);
		t->capacity_warned = TRUE;
		entry_remove(t, g_queue_peek_head(&t->order));
		t->n_evicted++;
		n++;
	}
	return n;
}

guint
service_table_set_max(ServiceTable *t, guint max_services)
{
	max_services = max_services > 0 ? max_services : 1;
	if (max_services != t->max_services)
		t->capacity_warned = FALSE;
	t->max_services = max_services;
	return evict(t);
}

/* Judge e anew and make the new list current.  A finding that e did not
 * carry before and no other entry of its service carries is reported; one
 * that e carried and no entry of its service carries any more is gone
 * (cb->gone with why).  Returns the number reported; *n_gone (may be NULL)
 * gets the number gone. */
static guint
judge_and_report(ServiceTable *t, ServiceEntry *e, ServiceGone why, guint *n_gone)
{
	FindingList *old = e->findings;
	ServiceGroup *g = group_of(t, e);
	g_autoptr(GHashTable) old_set = finding_set(old);
	g_autoptr(GHashTable) new_set = NULL;
	guint n = 0, gone = 0;

	e->findings = finding_list_new();
	t->cb.judge(e, e->findings, t->user_data);
	new_set = finding_set(e->findings);
	/* In list order, so that reports come in the validator's order. */
	for (guint i = 0; i < e->findings->len; i++) {
		Finding *f = finding_list_get(e->findings, i);
		g_autoptr(GBytes) key = make_finding_key(f);

		if (g_hash_table_lookup(new_set, key) != f ||
		    g_hash_table_contains(old_set, key) || !group_hold(g, key))
			continue;
		if (!f->accepted)
			t->cb.report(e, f, t->user_data);
		n++;
	}
	for (guint i = 0; i < old->len; i++) {
		Finding *f = finding_list_get(old, i);
		g_autoptr(GBytes) key = make_finding_key(f);

		if (g_hash_table_lookup(old_set, key) != f ||
		    g_hash_table_contains(new_set, key) || !group_release(g, key))
			continue;
		gone++;
		if (!f->accepted && t->cb.gone != NULL)
			t->cb.gone(e, f, why, t->user_data);
	}
	if (n_gone != NULL)
		*n_gone = gone;
	if (n > 0 || gone > 0)
		t->generation++;
	/* old_set points into old: free it first. */
	g_clear_pointer(&old_set, g_hash_table_unref);
	finding_list_free(old);
	return n;
}

ServiceUpdate
service_table_update(ServiceTable *t, const ObservedService *svc, guint *n_reported)
{
	g_autoptr(GBytes) key = make_key(svc);
	g_autoptr(GBytes) fp = NULL;
	ServiceEntry *e = g_hash_table_lookup(t->by_key, key);
	gboolean was_complete;
	guint n;

	if (n_reported != NULL)
		*n_reported = 0;
	fp = make_fingerprint(svc);
	if (e == NULL) {
		e = entry_new(svc, key);
		e->seq = t->next_seq++;
		set_content(e, svc, fp);
		g_hash_table_insert(t->by_key, e->key, e);
		g_queue_push_tail(&t->order, e);
		e->link = g_queue_peek_tail_link(&t->order);
		group_of(t, e)->n_entries++;
		t->generation++;
		n = judge_and_report(t, e, SERVICE_GONE_CHANGED, NULL);
		if (n_reported != NULL)
			*n_reported = n;
		/* Evict after reporting: the newest is never the one dropped
		 * (unless the cap is 1, when it replaces the other). */
		evict(t);
		return SERVICE_UPDATE_NEW;
	}
	e->stale = FALSE;
	if (!svc->resolved && !svc->resolve_failed && entry_complete(e)) {
		/* A bare browse result for what we already resolved: it adds
		 * nothing (the resolver will report a real change). */
		if (svc->ifname != NULL && g_strcmp0(svc->ifname, e->ifname) != 0) {
			replace_str(&e->ifname, svc->ifname);
			replace_esc(&e->ifname_esc, svc->ifname);
		}
		return SERVICE_UPDATE_UNCHANGED;
	}
	if (g_bytes_equal(fp, e->fingerprint)) {
		set_incidental(e, svc);
		return SERVICE_UPDATE_UNCHANGED;
	}
	was_complete = entry_complete(e);
	set_content(e, svc, fp);
	n = judge_and_report(t, e, SERVICE_GONE_CHANGED, NULL);
	if (n_reported != NULL)
		*n_reported = n;
	return was_complete ? SERVICE_UPDATE_CHANGED : SERVICE_UPDATE_COMPLETED;
}

gboolean
service_table_remove(ServiceTable *t, const ObservedService *svc)
{
	g_autoptr(GBytes) key = make_key(svc);
	ServiceEntry *e = g_hash_table_lookup(t->by_key, key);

	if (e == NULL)
		return FALSE;
	entry_remove(t, e);
	return TRUE;
}

guint
service_table_reaudit(ServiceTable *t, guint *n_added, guint *n_removed)
{
	guint changed = 0, added = 0, removed = 0;

	for (GList *l = t->order.head; l != NULL; l = l->next) {
		guint gone = 0;
		guint n = judge_and_report(t, l->data, SERVICE_GONE_REAUDIT, &gone);

		if (n > 0 || gone > 0)
			changed++;
		added += n;
		removed += gone;
	}
	if (n_added != NULL)
		*n_added = added;
	if (n_removed != NULL)
		*n_removed = removed;
	return changed;
}

void
service_table_mark_stale(ServiceTable *t)
{
	for (GList *l = t->order.head; l != NULL; l = l->next)
		((ServiceEntry *)l->data)->stale = TRUE;
}

guint
service_table_sweep_stale(ServiceTable *t)
{
	guint n = 0;
	GList *l = t->order.head;

	while (l != NULL) {
		ServiceEntry *e = l->data;

		l = l->next;
		if (e->stale) {
			entry_remove(t, e);
			n++;
		}
	}
	return n;
}

guint
service_table_size(const ServiceTable *t)
{
	return g_queue_get_length((GQueue *)&t->order);
}

guint
service_table_n_findings(const ServiceTable *t)
{
	guint n = 0;

	for (GList *l = t->order.head; l != NULL; l = l->next)
		n += ((ServiceEntry *)l->data)->findings->len;
	return n;
}

guint64
service_table_generation(const ServiceTable *t)
{
	return t->generation;
}

guint64
service_table_n_evicted(const ServiceTable *t)
{
	return t->n_evicted;
}

void
service_table_foreach(const ServiceTable *t,
                      void (*func)(const ServiceEntry *e, gpointer data),
                      gpointer data)
{
	for (GList *l = t->order.head; l != NULL; l = l->next)
		func(l->data, data);
}

void
service_entry_advertisement(const ServiceEntry *e, Advertisement *ad)
{
	gboolean complete = entry_complete(e);

	*ad = (Advertisement){ 0 };
	ad->type = e->type;
	ad->instance.data = (const guint8 *)e->name;
	ad->instance.len = strlen(e->name);
	ad->port = complete ? e->port : -1;
	ad->host = complete ? e->host : NULL;
	ad->txt = complete ? e->txt_view : NULL;
	ad->n_txt = complete ? e->txt->len : 0;
	ad->txt_known = complete;
	ad->resolve_failed = e->resolve_failed;
}

const char *
service_entry_protocol_name(const ServiceEntry *e)
{
	return observed_protocol_name(e->protocol);
}

void
service_entry_logline_context(const ServiceEntry *e, LogLineContext *ctx)
{
	*ctx = (LogLineContext){ 0 };
	ctx->type = e->type;
	ctx->instance.data = (const guint8 *)e->name;
	ctx->instance.len = strlen(e->name);
	ctx->interface = e->ifname;
	ctx->protocol = service_entry_protocol_name(e);
	ctx->host = e->host;
	ctx->port = e->port;
}

gint64
service_table_first_seen(const ServiceTable *t, const ServiceEntry *e, const Finding *f)
{
	ServiceGroup *g = g_hash_table_lookup(t->groups, e->service_key);
	g_autoptr(GBytes) k = NULL;
	GroupFinding *gf;

	if (g == NULL)
		return -1;
	k = make_finding_key(f);
	gf = g_hash_table_lookup(g->counts, k);
	return gf != NULL ? gf->first_seen_us : -1;
}
