/* service-table.c - known advertisements and when to report their findings
 * (the rules are in service-table.h). */
#include "config.h"

#include <string.h>
#include "format/dnsname.h"
#include "format/escape.h"
#include "audit/service-table.h"

/* One finding of a service (code, severity, accepted, message: what makes
 * two findings one), with its own copy of the message: how many of the
 * service's entries carry it, and since when the service has had it.  f
 * comes first, so that a GroupFinding is its own key in
 * ServiceGroup.counts (finding_hash). */
typedef struct {
	Finding f;
	guint count;
	gint64 first_seen_us;        /* g_get_real_time() */
} GroupFinding;

/* What one service (instance, type, domain) has across every interface
 * and protocol it is seen on: how many of its entries carry each finding.
 * A finding is reported when the first entry gets it and gone when the
 * last one loses it, so one service is one line per finding.  Names
 * compare case-insensitively in ASCII (DNS); the group keeps the spelling
 * of its first entry. */
struct _ServiceGroup {
	char *name;
	char *type;
	char *domain;
	guint n_entries;
	GHashTable *counts;          /* GroupFinding (key and value, owned) */
};

struct _ServiceTable {
	GHashTable *by_key;          /* ServiceEntry (key and value, owned) */
	GHashTable *groups;          /* ServiceGroup (key and value, owned) */
	GQueue order;                /* ServiceEntry*, oldest first */
	guint max_services;
	guint64 next_seq;
	guint64 n_evicted;
	guint64 generation;          /* service_table_generation() */
	/* service_table_n_findings(), service_table_count_findings(): kept
	 * as findings come and go, so that a status costs no walk. */
	guint n_findings;
	guint by_severity[4];
	guint n_accepted;
	gboolean capacity_warned;
	ServiceTableCallbacks cb;
	gpointer user_data;
};

/* The hashes and comparisons of the three tables work on the strings
 * themselves, so that a lookup builds no key.  An entry: (interface
 * index, protocol, instance, type, domain). */
static guint
entry_hash(gconstpointer p)
{
	const ServiceEntry *e = p;

	return g_str_hash(e->name) ^ (g_str_hash(e->type) * 31) ^
	       ((e->domain != NULL ? g_str_hash(e->domain) : 0) * 17) ^
	       ((guint)e->ifindex << 4) ^ (guint)e->protocol;
}

static gboolean
entry_equal(gconstpointer pa, gconstpointer pb)
{
	const ServiceEntry *a = pa, *b = pb;

	return a->ifindex == b->ifindex && a->protocol == b->protocol &&
	       strcmp(a->name, b->name) == 0 && strcmp(a->type, b->type) == 0 &&
	       g_strcmp0(a->domain, b->domain) == 0;
}

static guint
group_hash(gconstpointer p)
{
	const ServiceGroup *g = p;

	return dns_name_hash(g->name) ^ (dns_name_hash(g->type) * 31) ^
	       (dns_name_hash(g->domain) * 17);
}

static gboolean
group_equal(gconstpointer pa, gconstpointer pb)
{
	const ServiceGroup *a = pa, *b = pb;

	return dns_name_equal(a->name, b->name) && dns_name_equal(a->type, b->type) &&
	       dns_name_equal(a->domain, b->domain);
}

static guint
finding_hash(gconstpointer p)
{
	const Finding *f = p;
	return (f->message != NULL ? g_str_hash(f->message) : 0) ^
	       ((guint)f->code * 16777619u) ^ ((guint)f->severity << 8) ^ (guint)!!f->accepted;
}

static gboolean
finding_equal(gconstpointer pa, gconstpointer pb)
{
	const Finding *a = pa, *b = pb;

	return a->code == b->code && a->severity == b->severity &&
	       !a->accepted == !b->accepted && g_strcmp0(a->message, b->message) == 0;
}

static void
group_finding_free(GroupFinding *gf)
{
	g_free(gf->f.message);
	g_free(gf);
}

static void
group_free(ServiceGroup *g)
{
	g_free(g->name);
	g_free(g->type);
	g_free(g->domain);
	g_hash_table_destroy(g->counts);
	g_free(g);
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

/* svc brings what e has of what the validator judges (type and instance
 * are e's key): nothing to judge again.  The address is not judged: a new
 * address changes no finding. */
static gboolean
same_content(const ServiceEntry *e, const ObservedService *svc)
{
	guint n_txt = svc_complete(svc) && svc->txt != NULL ? svc->txt->len : 0;

	if (!e->resolved != !svc->resolved || !e->resolve_failed != !svc->resolve_failed)
		return FALSE;
	if (!svc_complete(svc))
		return TRUE;   /* e holds no host, port or TXT either */
	if (e->port != svc->port || g_strcmp0(e->host, svc->host) != 0 || e->txt->len != n_txt)
		return FALSE;
	for (guint i = 0; i < n_txt; i++) {
		if (!g_bytes_equal(g_ptr_array_index(e->txt, i), g_ptr_array_index(svc->txt, i)))
			return FALSE;
	}
	return TRUE;
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

/* Fields outside same_content() that may change any time. */
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
set_content(ServiceEntry *e, const ObservedService *svc)
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
	g_free(e->txt_view);
	g_free(e);
}

static ServiceEntry *
entry_new(const ObservedService *svc)
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
	return e;
}

ServiceTable *
service_table_new(guint max_services, const ServiceTableCallbacks *cb, gpointer user_data)
{
	ServiceTable *t = g_new0(ServiceTable, 1);

	t->by_key = g_hash_table_new_full(entry_hash, entry_equal, NULL,
	                                  (GDestroyNotify)entry_free);
	t->groups = g_hash_table_new_full(group_hash, group_equal, NULL,
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

/* e's group, made on its first entry. */
static ServiceGroup *
group_join(ServiceTable *t, ServiceEntry *e)
{
	ServiceGroup probe = { e->name, e->type, e->domain, 0, NULL };
	ServiceGroup *g = g_hash_table_lookup(t->groups, &probe);

	if (g == NULL) {
		g = g_new0(ServiceGroup, 1);
		g->name = g_strdup(e->name);
		g->type = g_strdup(e->type);
		g->domain = g_strdup(e->domain);
		g->counts = g_hash_table_new_full(finding_hash, finding_equal, NULL,
		                                  (GDestroyNotify)group_finding_free);
		g_hash_table_add(t->groups, g);
	}
	g->n_entries++;
	e->group = g;
	return g;
}

/* A service gets (delta 1) or loses (-1) finding f. */
static void
count_distinct(ServiceTable *t, const Finding *f, int delta)
{
	if (f->accepted)
		t->n_accepted += delta;
	else if ((guint)f->severity < G_N_ELEMENTS(t->by_severity))
		t->by_severity[f->severity] += delta;
}

/* An entry carries finding f now: TRUE if no other entry of its service
 * did.  Each entry holds each distinct finding once (finding_set()). */
static gboolean
group_hold(ServiceTable *t, ServiceGroup *g, const Finding *f)
{
	GroupFinding *gf = g_hash_table_lookup(g->counts, f);

	if (gf != NULL) {
		gf->count++;
		return FALSE;
	}
	gf = g_new(GroupFinding, 1);
	gf->f = *f;
	gf->f.message = g_strdup(f->message);
	gf->count = 1;
	gf->first_seen_us = g_get_real_time();
	g_hash_table_add(g->counts, gf);
	count_distinct(t, f, 1);
	return TRUE;
}

/* An entry no longer carries finding f: TRUE if no other entry of its
 * service does. */
static gboolean
group_release(ServiceTable *t, ServiceGroup *g, const Finding *f)
{
	GroupFinding *gf = g_hash_table_lookup(g->counts, f);

	if (gf == NULL || gf->count <= 1) {
		if (gf != NULL)
			count_distinct(t, f, -1);
		g_hash_table_remove(g->counts, f);
		return TRUE;
	}
	gf->count--;
	return FALSE;
}

/* The distinct findings of list: each to its first Finding in list.  A
 * hash, not a scan of the list per finding: a hostile TXT record can give
 * thousands of findings, and the same finding twice in one advertisement
 * is one finding of its service. */
static GHashTable *
finding_set(const FindingList *list)
{
	GHashTable *set = g_hash_table_new(finding_hash, finding_equal);

	for (guint i = 0; i < list->len; i++) {
		Finding *f = finding_list_get(list, i);

		if (!g_hash_table_contains(set, f))
			g_hash_table_insert(set, f, f);
	}
	return set;
}

static void
entry_remove(ServiceTable *t, ServiceEntry *e)
{
	ServiceGroup *g = e->group;
	g_autoptr(GHashTable) held = finding_set(e->findings);

	for (guint i = 0; i < e->findings->len; i++) {
		Finding *f = finding_list_get(e->findings, i);

		if (g_hash_table_lookup(held, f) == f && group_release(t, g, f) &&
		    !f->accepted && t->cb.gone != NULL)
			t->cb.gone(e, f, SERVICE_GONE_REMOVED, t->user_data);
	}
	t->n_findings -= e->findings->len;
	t->generation++;
	g_queue_delete_link(&t->order, e->link);
	g_hash_table_remove(t->by_key, e);
	if (--g->n_entries == 0)
		g_hash_table_remove(t->groups, g);
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

/* a and b hold the same findings in the same order. */
static gboolean
same_findings(const FindingList *a, const FindingList *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		if (!finding_equal(finding_list_get(a, i), finding_list_get(b, i)))
			return FALSE;
	}
	return TRUE;
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
	ServiceGroup *g = e->group;
	g_autoptr(GHashTable) old_set = NULL;
	g_autoptr(GHashTable) new_set = NULL;
	guint n = 0, gone = 0;

	e->findings = finding_list_new();
	t->cb.judge(e, e->findings, t->user_data);
	if (same_findings(old, e->findings)) {
		/* Most events (a TXT value that changes, a re-audit that
		 * changes nothing): no finding comes or goes. */
		finding_list_free(old);
		if (n_gone != NULL)
			*n_gone = 0;
		return 0;
	}
	old_set = finding_set(old);
	new_set = finding_set(e->findings);
	/* In list order, so that reports come in the validator's order. */
	for (guint i = 0; i < e->findings->len; i++) {
		Finding *f = finding_list_get(e->findings, i);

		if (g_hash_table_lookup(new_set, f) != f ||
		    g_hash_table_contains(old_set, f) || !group_hold(t, g, f))
			continue;
		if (!f->accepted)
			t->cb.report(e, f, t->user_data);
		n++;
	}
	for (guint i = 0; i < old->len; i++) {
		Finding *f = finding_list_get(old, i);

		if (g_hash_table_lookup(old_set, f) != f ||
		    g_hash_table_contains(new_set, f) || !group_release(t, g, f))
			continue;
		gone++;
		if (!f->accepted && t->cb.gone != NULL)
			t->cb.gone(e, f, why, t->user_data);
	}
	t->n_findings += e->findings->len;
	t->n_findings -= old->len;
	if (n_gone != NULL)
		*n_gone = gone;
	if (n > 0 || gone > 0)
		t->generation++;
	/* old_set points into old: free it first. */
	g_clear_pointer(&old_set, g_hash_table_unref);
	finding_list_free(old);
	return n;
}

/* svc's entry, or NULL. */
static ServiceEntry *
entry_lookup(ServiceTable *t, const ObservedService *svc)
{
	ServiceEntry probe = { 0 };

	probe.ifindex = svc->ifindex;
	probe.protocol = svc->protocol;
	probe.name = (char *)(svc->name != NULL ? svc->name : "");
	probe.type = (char *)(svc->type != NULL ? svc->type : "");
	probe.domain = (char *)svc->domain;
	return g_hash_table_lookup(t->by_key, &probe);
}

ServiceUpdate
service_table_update(ServiceTable *t, const ObservedService *svc, guint *n_reported)
{
	ServiceEntry *e = entry_lookup(t, svc);
	gboolean was_complete;
	guint n;

	if (n_reported != NULL)
		*n_reported = 0;
	if (e == NULL) {
		e = entry_new(svc);
		e->seq = t->next_seq++;
		set_content(e, svc);
		g_hash_table_add(t->by_key, e);
		g_queue_push_tail(&t->order, e);
		e->link = g_queue_peek_tail_link(&t->order);
		group_join(t, e);
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
	if (same_content(e, svc)) {
		set_incidental(e, svc);
		return SERVICE_UPDATE_UNCHANGED;
	}
	was_complete = entry_complete(e);
	set_content(e, svc);
	n = judge_and_report(t, e, SERVICE_GONE_CHANGED, NULL);
	if (n_reported != NULL)
		*n_reported = n;
	return was_complete ? SERVICE_UPDATE_CHANGED : SERVICE_UPDATE_COMPLETED;
}

gboolean
service_table_remove(ServiceTable *t, const ObservedService *svc)
{
	ServiceEntry *e = entry_lookup(t, svc);

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
	return t->n_findings;
}

void
service_table_count_findings(const ServiceTable *t, guint by_severity[4], guint *n_accepted)
{
	memcpy(by_severity, t->by_severity, sizeof t->by_severity);
	*n_accepted = t->n_accepted;
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
service_entry_first_seen(const ServiceEntry *e, const Finding *f)
{
	GroupFinding *gf = g_hash_table_lookup(e->group->counts, f);

	return gf != NULL ? gf->first_seen_us : -1;
}
