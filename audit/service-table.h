/* service-table.h - the audit model: the advertisements seen, their
 * current findings, and which findings are new and which are gone.
 * dnssd-auditd reports from it; `dnssd-audit scan` renders it once.
 *
 * An entry is one advertisement as seen on one interface and protocol:
 * keyed by (interface index, protocol, instance name, type, domain).  Its
 * judged content (type, instance, port, host, TXT bytes in wire order,
 * resolved, resolve_failed) is what is judged.  A *service* is (instance
 * name, type, domain), compared case-insensitively: all its entries
 * together.  The rules of FINDINGS.md ("one line per finding per
 * service"):
 *
 *   - a finding (code, severity, message) is reported when an entry gets
 *     it and no other entry of the same service has it: one report per
 *     service, whichever interfaces and protocols it is seen on (the
 *     report names the entry that brought it);
 *   - the same judged content as before: nothing is judged or reported;
 *   - the content changed (resolution arrived, TXT changed ...): only the
 *     findings the service did not have are reported; those it no longer
 *     has on any entry are gone (cb->gone);
 *   - an unresolved snapshot of an advertisement already resolved (a
 *     re-browse, e.g. after avahi-daemon restarted) changes nothing;
 *   - removed from every interface and protocol: its findings are gone
 *     and it is forgotten, so a return reports again;
 *   - accepted findings (Finding.accepted, set by cb->judge) are kept and
 *     counted like the others but never reported, nor gone; a finding
 *     that becomes accepted (or no longer) is another finding: the old
 *     one is gone, the new one reported (unless accepted).
 *
 * Judging (validator + site policy) and reporting (log line, D-Bus signal)
 * are the caller's, through callbacks: the table only decides.  Past
 * max_services entries the oldest (first seen) are dropped.
 */
#pragma once

#include <glib.h>
#include "format/logline.h"
#include "audit/observed.h"
#include "validator/advertisement.h"
#include "validator/finding.h"

typedef struct _ServiceEntry ServiceEntry;
typedef struct _ServiceTable ServiceTable;
typedef struct _ServiceGroup ServiceGroup;

/* One advertisement.  Read-only outside service-table.c.  Raw fields are
 * network bytes; the *_esc copies are escaped (escape.h), valid UTF-8 and
 * safe for D-Bus and log lines. */
struct _ServiceEntry {
	/* identity */
	gint ifindex;
	ObservedProtocol protocol;
	char *name;                 /* instance name */
	char *type;
	char *domain;
	/* content */
	char *ifname;
	gboolean resolved;
	gboolean resolve_failed;
	char *resolve_error;        /* avahi's text, NULL unless resolve_failed */
	char *host;                 /* NULL unless resolved */
	char *address;              /* NULL unless resolved */
	gint port;                  /* -1 unless resolved */
	GPtrArray *txt;             /* GBytes*, wire order; empty unless resolved */
	/* escaped copies */
	char *name_esc, *type_esc, *domain_esc, *ifname_esc, *host_esc, *address_esc;
	/* state */
	FindingList *findings;      /* current (judged, filtered) findings */
	gboolean stale;             /* not seen since service_table_mark_stale() */
	guint64 seq;                /* insertion order */
	/* private */
	ServiceGroup *group;        /* its service: (name, type, domain), any interface */
	AdBytes *txt_view;
	GList *link;
};

typedef enum {
	SERVICE_GONE_CHANGED,      /* the service's content changed */
	SERVICE_GONE_REAUDIT,      /* service_table_reaudit(): new registry or policy */
	SERVICE_GONE_REMOVED,      /* the service left every interface and protocol */
} ServiceGone;

typedef struct {
	/* Append e's findings (already filtered) to out. */
	void (*judge)(const ServiceEntry *e, FindingList *out, gpointer user_data);
	/* Report one finding of e that its service did not have (on any
	 * interface or protocol); never called for an accepted finding. */
	void (*report)(const ServiceEntry *e, const Finding *f, gpointer user_data);
	/* The table is full and starts dropping the oldest entries: called
	 * once (again after service_table_set_max()).  May be NULL. */
	void (*over_capacity)(guint max_services, gpointer user_data);
	/* A finding of e's service no longer applies on any interface or
	 * protocol; why says what ended it.  May be NULL. */
	void (*gone)(const ServiceEntry *e, const Finding *f, ServiceGone why,
	             gpointer user_data);
} ServiceTableCallbacks;

typedef enum {
	SERVICE_UPDATE_NEW,        /* first seen: all findings reported */
	SERVICE_UPDATE_UNCHANGED,  /* nothing reported */
	SERVICE_UPDATE_COMPLETED,  /* partial content completed: new findings reported */
	SERVICE_UPDATE_CHANGED,    /* content changed: new findings reported */
} ServiceUpdate;

ServiceTable *service_table_new(guint max_services, const ServiceTableCallbacks *cb,
                                gpointer user_data);
void service_table_free(ServiceTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ServiceTable, service_table_free)

/* Change the cap; drops the oldest entries if there are now too many.
 * Returns how many were dropped. */
guint service_table_set_max(ServiceTable *t, guint max_services);

/* A snapshot from the watcher (see the rules above).  *n_reported (may be
 * NULL) gets the number of findings reported.  Returns what happened. */
ServiceUpdate service_table_update(ServiceTable *t, const ObservedService *svc,
                                   guint *n_reported);

/* The advertisement is gone: forget it.  FALSE if it was not known. */
gboolean service_table_remove(ServiceTable *t, const ObservedService *svc);

/* Judge every entry again (new registry or filters) and report findings
 * that were not current before, and (cb->gone) those no longer current.  *n_added / *n_removed (may be NULL) get
 * the number of findings that appeared / went away.  Returns the number of
 * entries whose findings changed. */
guint service_table_reaudit(ServiceTable *t, guint *n_added, guint *n_removed);

/* Avahi went away or the watcher is being replaced: mark every entry
 * stale.  A snapshot of the same advertisement clears the mark. */
void service_table_mark_stale(ServiceTable *t);
/* Forget the entries still stale (nothing reported).  Returns how many. */
guint service_table_sweep_stale(ServiceTable *t);

guint service_table_size(const ServiceTable *t);
/* The findings of every entry, counted per entry. */
guint service_table_n_findings(const ServiceTable *t);
/* The findings of every service, each once however many of its entries
 * carry it (code, severity, message and whether it is accepted make one
 * finding): the accepted ones in *n_accepted, the others by severity. */
void service_table_count_findings(const ServiceTable *t, guint by_severity[4],
                                  guint *n_accepted);

/* A number that changes whenever what the table counts may have changed:
 * an entry came or went, or a finding became current or stopped being
 * current for a service (accepted ones too).  An update that only
 * changed content (a TXT record with the same findings) leaves it, so a
 * caller can skip recounting. */
guint64 service_table_generation(const ServiceTable *t);
guint64 service_table_n_evicted(const ServiceTable *t);

/* Calls func for every entry, oldest first.  func must not change t. */
void service_table_foreach(const ServiceTable *t,
                           void (*func)(const ServiceEntry *e, gpointer data),
                           gpointer data);

/* When e's service first had f (on any of its entries), in Unix
 * microseconds; -1 if it does not have it. */
gint64 service_entry_first_seen(const ServiceEntry *e, const Finding *f);

/* The entry as the validator sees it; ad borrows from e. */
void service_entry_advertisement(const ServiceEntry *e, Advertisement *ad);
/* The entry as a log line sees it; ctx borrows from e. */
void service_entry_logline_context(const ServiceEntry *e, LogLineContext *ctx);
/* "ipv4", "ipv6" or NULL. */
const char *service_entry_protocol_name(const ServiceEntry *e);
