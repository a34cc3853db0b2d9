/* test-service-table.c - when findings are reported: once per service
 * across interfaces and protocols, only the new ones on a change, again
 * after the service left and came back, no repeats when the resolution of
 * an unresolved snapshot arrives; accepted findings; the cap; re-audit. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "audit/service-table.h"

/* A stand-in judge, so the test controls exactly which findings exist:
 *   type "_bad_x._tcp"          -> service-name-charset (a type finding)
 *   resolved, TXT "dup"         -> txt-key-duplicate
 *   resolve_failed              -> resolve-failed
 *   port != registered_port     -> port-differs (registered_port can be
 *                                  changed, like a registry reload) */
typedef struct {
	GPtrArray *reported;       /* "code instance" strings */
	gint registered_port;
	guint over_capacity_calls;
	int accept_code;           /* findings of this code are accepted; -1 none */
} Ctx;

static void
judge(const ServiceEntry *e, FindingList *out, gpointer data)
{
	Ctx *ctx = data;
	Advertisement ad;

	service_entry_advertisement(e, &ad);
	if (strchr(ad.type + 1, '_') != strrchr(ad.type, '_'))
		finding_list_add(out, FINDING_SERVICE_NAME_CHARSET, SEVERITY_ERROR,
		                 g_strdup("underscore"));
	if (ad.txt_known) {
		for (guint i = 0; i < ad.n_txt; i++) {
			if (ad.txt[i].len == 3 && memcmp(ad.txt[i].data, "dup", 3) == 0)
				finding_list_add(out, FINDING_TXT_KEY_DUPLICATE, SEVERITY_WARNING,
				                 g_strdup("dup twice"));
		}
	}
	if (ad.port >= 0 && ad.port != ctx->registered_port)
		finding_list_add(out, FINDING_PORT_DIFFERS, SEVERITY_INFO,
		                 g_strdup_printf("port %d, registered %d", ad.port,
		                                 ctx->registered_port));
	if (ad.resolve_failed)
		finding_list_add(out, FINDING_RESOLVE_FAILED, SEVERITY_NOTICE,
		                 g_strdup("timeout"));
	for (guint i = 0; i < out->len; i++) {
		Finding *f = finding_list_get(out, i);

		f->accepted = (int) f->code == ctx->accept_code;
	}
}

static void
report(const ServiceEntry *e, const Finding *f, gpointer data)
{
	Ctx *ctx = data;

	g_ptr_array_add(ctx->reported, g_strdup_printf("%s %s", finding_code_name(f->code),
	                                               e->name_esc));
}

static void
over_capacity(guint max, gpointer data)
{
	((Ctx *)data)->over_capacity_calls++;
}

static void
gone(const ServiceEntry *e, const Finding *f, ServiceGone why, gpointer data)
{
	Ctx *ctx = data;

	g_ptr_array_add(ctx->reported, g_strdup_printf("%s:%s %s",
	                                               why == SERVICE_GONE_REMOVED ? "left" : "gone",
	                                               finding_code_name(f->code), e->name_esc));
}

static const ServiceTableCallbacks callbacks = { judge, report, over_capacity, gone };

typedef struct {
	Ctx ctx;
	ServiceTable *table;
	GPtrArray *txt;
} Fixture;

static int
setup(void **state)
{
	Fixture *fx = g_new0(Fixture, 1);

	fx->ctx.reported = g_ptr_array_new_with_free_func(g_free);
	fx->ctx.registered_port = 80;
	fx->ctx.accept_code = -1;
	fx->table = service_table_new(100, &callbacks, &fx->ctx);
	fx->txt = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	service_table_free(fx->table);
	g_ptr_array_unref(fx->ctx.reported);
	g_ptr_array_unref(fx->txt);
	g_free(fx);
	return 0;
}

/* An unresolved snapshot as the browser reports it. */
static ObservedService
browsed(const char *name, const char *type)
{
	ObservedService s = {
		.ifindex = 2, .ifname = "eth0", .protocol = OBSERVED_PROTO_IPV4,
		.name = name, .type = type, .domain = "local", .port = -1,
	};
	return s;
}

static ObservedService
resolved(Fixture *fx, const char *name, const char *type, gint port,
         const char *const *txt)
{
	ObservedService s = browsed(name, type);

	g_ptr_array_set_size(fx->txt, 0);
	for (guint i = 0; txt != NULL && txt[i] != NULL; i++)
		g_ptr_array_add(fx->txt, g_bytes_new(txt[i], strlen(txt[i])));
	s.resolved = TRUE;
	s.host = "box.local";
	s.address = "192.0.2.7";
	s.port = port;
	s.txt = fx->txt;
	return s;
}

/* reported, as one string "a,b,c", then cleared */
static char *
take_reported(Fixture *fx)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < fx->ctx.reported->len; i++) {
		if (i > 0)
			g_string_append_c(out, ',');
		g_string_append(out, g_ptr_array_index(fx->ctx.reported, i));
	}
	g_ptr_array_set_size(fx->ctx.reported, 0);
	return g_string_free(out, FALSE);
}

#define assert_reported(fx, want) do { \
		g_autofree char *got_ = take_reported(fx); \
		assert_string_equal(got_, want); \
	} while (0)

static void
test_same_snapshot_once(void **state)
{
	Fixture *fx = *state;
	const char *txt[] = { "dup", "dup", NULL };
	ObservedService s = resolved(fx, "A", "_bad_x._tcp", 81, txt);
	guint n;

	assert_int_equal(service_table_update(fx->table, &s, &n), SERVICE_UPDATE_NEW);
	/* The same finding twice in one advertisement is one report. */
	assert_int_equal(n, 3);
	assert_reported(fx, "service-name-charset A,txt-key-duplicate A,port-differs A");
	assert_int_equal(service_table_n_findings(fx->table), 4);
	/* Re-announcements with the same content report nothing... */
	for (int i = 0; i < 3; i++) {
		s = resolved(fx, "A", "_bad_x._tcp", 81, txt);
		assert_int_equal(service_table_update(fx->table, &s, &n), SERVICE_UPDATE_UNCHANGED);
		assert_int_equal(n, 0);
	}
	/* ...even if only the address changed (not judged). */
	s.address = "192.0.2.99";
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_UNCHANGED);
	assert_reported(fx, "");
	assert_int_equal(service_table_size(fx->table), 1);
}

static void
test_change_relogs_all(void **state)
{
	Fixture *fx = *state;
	const char *txt1[] = { "dup", NULL };
	const char *txt2[] = { "dup", "x=1", NULL };
	ObservedService s = resolved(fx, "A", "_bad_x._tcp", 80, txt1);

	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "service-name-charset A,txt-key-duplicate A");
	/* The TXT record changed: only findings that were not current
	 * before are logged (FINDINGS.md, since 0.2): none here. */
	guint64 gen = service_table_generation(fx->table);

	s = resolved(fx, "A", "_bad_x._tcp", 80, txt2);
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_CHANGED);
	assert_reported(fx, "");
	/* ...and nothing the table counts changed. */
	assert_true(service_table_generation(fx->table) == gen);
	/* A port change brings a new finding: that one alone. */
	s = resolved(fx, "A", "_bad_x._tcp", 8080, txt2);
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_CHANGED);
	assert_reported(fx, "port-differs A");
	assert_true(service_table_generation(fx->table) != gen);
	gen = service_table_generation(fx->table);
	/* The duplicate goes away: it is gone, the rest stays. */
	{
		const char *txt3[] = { "x=1", NULL };

		s = resolved(fx, "A", "_bad_x._tcp", 8080, txt3);
		assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_CHANGED);
		assert_reported(fx, "gone:txt-key-duplicate A");
	}
	assert_true(service_table_generation(fx->table) != gen);
}

static void
test_remove_and_return(void **state)
{
	Fixture *fx = *state;
	ObservedService s = resolved(fx, "A", "_bad_x._tcp", 80, NULL);

	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "service-name-charset A");
	assert_true(service_table_remove(fx->table, &s));
	assert_reported(fx, "left:service-name-charset A");
	assert_false(service_table_remove(fx->table, &s));
	assert_int_equal(service_table_size(fx->table), 0);
	/* It came back: logged again. */
	s = browsed("A", "_bad_x._tcp");
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	assert_reported(fx, "service-name-charset A");
}

static void
test_unresolved_then_resolved(void **state)
{
	Fixture *fx = *state;
	const char *txt[] = { "dup", NULL };
	ObservedService s = browsed("A", "_bad_x._tcp");
	guint n;

	/* Judged on what it has: the type. */
	assert_int_equal(service_table_update(fx->table, &s, &n), SERVICE_UPDATE_NEW);
	assert_reported(fx, "service-name-charset A");
	/* The resolution arrives: only what is new, not the type again. */
	s = resolved(fx, "A", "_bad_x._tcp", 81, txt);
	assert_int_equal(service_table_update(fx->table, &s, &n), SERVICE_UPDATE_COMPLETED);
	assert_int_equal(n, 2);
	assert_reported(fx, "txt-key-duplicate A,port-differs A");
	/* The browser sees it again (e.g. avahi-daemon restarted): an
	 * unresolved snapshot of a resolved service changes nothing. */
	s = browsed("A", "_bad_x._tcp");
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_UNCHANGED);
	s = resolved(fx, "A", "_bad_x._tcp", 81, txt);
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_UNCHANGED);
	assert_reported(fx, "");
	assert_int_equal(service_table_n_findings(fx->table), 3);
}

static void
test_resolve_failed_then_resolved(void **state)
{
	Fixture *fx = *state;
	ObservedService s = browsed("A", "_bad_x._tcp");

	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "service-name-charset A");
	s.resolve_failed = TRUE;
	s.resolve_error = "Timeout reached";
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_COMPLETED);
	assert_reported(fx, "resolve-failed A");
	/* The same failure again: nothing. */
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_UNCHANGED);
	/* A later successful resolution: only the new findings. */
	s = resolved(fx, "A", "_bad_x._tcp", 81, NULL);
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_COMPLETED);
	assert_reported(fx, "port-differs A,gone:resolve-failed A");
	assert_int_equal(service_table_n_findings(fx->table), 2);
}

static void
test_identity(void **state)
{
	Fixture *fx = *state;
	ObservedService s = browsed("A", "_bad_x._tcp");

	service_table_update(fx->table, &s, NULL);
	/* Another interface, protocol, name, type or domain is another
	 * advertisement. */
	s.ifindex = 3;
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	s.protocol = OBSERVED_PROTO_IPV6;
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	s.name = "a";
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	s.domain = "example.org";
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	s.type = "_bad_y._tcp";
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	assert_int_equal(service_table_size(fx->table), 6);
	/* Removing one leaves the others. */
	assert_true(service_table_remove(fx->table, &s));
	assert_int_equal(service_table_size(fx->table), 5);
}

static void
test_cap_evicts_oldest(void **state)
{
	Fixture *fx = *state;
	char name[16];

	service_table_set_max(fx->table, 3);
	for (int i = 0; i < 5; i++) {
		ObservedService s = browsed(name, "_bad_x._tcp");

		g_snprintf(name, sizeof name, "S%d", i);
		assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	}
	assert_int_equal(service_table_size(fx->table), 3);
	assert_int_equal(service_table_n_evicted(fx->table), 2);
	assert_int_equal(fx->ctx.over_capacity_calls, 1);
	assert_reported(fx, "service-name-charset S0,service-name-charset S1,"
	                    "service-name-charset S2,service-name-charset S3,"
	                    "left:service-name-charset S0,service-name-charset S4,"
	                    "left:service-name-charset S1");
	/* S0 and S1 were dropped (forgotten: they would be logged again);
	 * S2 is still known. */
	{
		ObservedService s = browsed("S2", "_bad_x._tcp");

		assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_UNCHANGED);
		s.name = "S0";
		assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	}
	/* Lowering the cap drops more (and warns again once). */
	assert_int_equal(service_table_set_max(fx->table, 1), 2);
	assert_int_equal(service_table_size(fx->table), 1);
	assert_int_equal(fx->ctx.over_capacity_calls, 2);
}

static void
test_reaudit(void **state)
{
	Fixture *fx = *state;
	ObservedService s = resolved(fx, "A", "_ok._tcp", 81, NULL);
	guint added, removed;

	service_table_update(fx->table, &s, NULL);
	s = resolved(fx, "B", "_ok._tcp", 80, NULL);
	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "port-differs A");
	/* The "registry" changes: now 81 is right and 80 is not. */
	fx->ctx.registered_port = 81;
	assert_int_equal(service_table_reaudit(fx->table, &added, &removed), 2);
	assert_int_equal(added, 1);
	assert_int_equal(removed, 1);
	assert_reported(fx, "gone:port-differs A,port-differs B");
	/* Nothing changed: nothing reported. */
	assert_int_equal(service_table_reaudit(fx->table, &added, &removed), 0);
	assert_int_equal(added, 0);
	assert_reported(fx, "");
}

static void
test_stale_sweep(void **state)
{
	Fixture *fx = *state;
	ObservedService a = resolved(fx, "A", "_ok._tcp", 80, NULL);
	ObservedService b = browsed("B", "_ok._tcp");

	service_table_update(fx->table, &a, NULL);
	service_table_update(fx->table, &b, NULL);
	/* avahi-daemon restarts: A is browsed again, B is not. */
	service_table_mark_stale(fx->table);
	a = browsed("A", "_ok._tcp");
	service_table_update(fx->table, &a, NULL);
	assert_int_equal(service_table_sweep_stale(fx->table), 1);
	assert_int_equal(service_table_size(fx->table), 1);
	assert_reported(fx, "");
}

/* One service on two interfaces and two protocols: each finding is
 * reported once, when its first advertisement brings it; it is gone only
 * when the last one loses it or leaves. */
static void
test_one_report_per_service(void **state)
{
	Fixture *fx = *state;
	ObservedService s = resolved(fx, "A", "_bad_x._tcp", 81, NULL);
	ObservedProtocol protos[] = { OBSERVED_PROTO_IPV4, OBSERVED_PROTO_IPV6 };

	for (int ifindex = 2; ifindex <= 3; ifindex++) {
		for (guint p = 0; p < G_N_ELEMENTS(protos); p++) {
			s.ifindex = ifindex;
			s.protocol = protos[p];
			assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
		}
	}
	assert_int_equal(service_table_size(fx->table), 4);
	assert_reported(fx, "service-name-charset A,port-differs A");
	/* The same service, spelled in another case, is the same service. */
	s.name = "a";
	assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_NEW);
	assert_reported(fx, "");
	assert_true(service_table_remove(fx->table, &s));
	s.name = "A";
	/* One advertisement gets a new finding: reported once. */
	{
		const char *txt[] = { "dup", "dup", NULL };

		s = resolved(fx, "A", "_bad_x._tcp", 81, txt);
		s.ifindex = 3;
		s.protocol = OBSERVED_PROTO_IPV6;
		assert_int_equal(service_table_update(fx->table, &s, NULL), SERVICE_UPDATE_CHANGED);
		assert_reported(fx, "txt-key-duplicate A");
		/* ...and loses it again: gone, as no other one has it. */
		s = resolved(fx, "A", "_bad_x._tcp", 81, NULL);
		s.ifindex = 3;
		s.protocol = OBSERVED_PROTO_IPV6;
		service_table_update(fx->table, &s, NULL);
		assert_reported(fx, "gone:txt-key-duplicate A");
	}
	/* Three of the four leave: nothing is gone yet; the last one: all. */
	for (int ifindex = 2; ifindex <= 3; ifindex++) {
		for (guint p = 0; p < G_N_ELEMENTS(protos); p++) {
			s.ifindex = ifindex;
			s.protocol = protos[p];
			if (ifindex == 3 && p == 1)
				break;
			assert_true(service_table_remove(fx->table, &s));
		}
	}
	assert_reported(fx, "");
	s.ifindex = 3;
	s.protocol = OBSERVED_PROTO_IPV6;
	assert_true(service_table_remove(fx->table, &s));
	assert_reported(fx, "left:service-name-charset A,left:port-differs A");
	/* It comes back on one link: reported again. */
	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "service-name-charset A,port-differs A");
}

/* The same finding twice in one advertisement is one finding of its
 * service: when the last advertisement that has it loses it, it is gone,
 * however many times an advertisement carried it. */
static void
test_duplicate_finding_held_once(void **state)
{
	Fixture *fx = *state;
	const char *twice[] = { "dup", "dup", NULL };
	const char *once[] = { "dup", NULL };
	ObservedService s = resolved(fx, "A", "_ok._tcp", 80, twice);

	service_table_update(fx->table, &s, NULL);
	s = resolved(fx, "A", "_ok._tcp", 80, once);
	s.ifindex = 3;
	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "txt-key-duplicate A");
	/* The second advertisement loses it: the first still has it. */
	s = resolved(fx, "A", "_ok._tcp", 80, NULL);
	s.ifindex = 3;
	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "");
	/* The first goes from twice to once, then to none: gone then. */
	s = resolved(fx, "A", "_ok._tcp", 80, once);
	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "");
	s = resolved(fx, "A", "_ok._tcp", 80, NULL);
	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "gone:txt-key-duplicate A");
}

/* An accepted finding is kept and counted, never reported. */
static void
test_accepted_not_reported(void **state)
{
	Fixture *fx = *state;
	ObservedService s = resolved(fx, "A", "_bad_x._tcp", 81, NULL);

	fx->ctx.accept_code = FINDING_PORT_DIFFERS;
	service_table_update(fx->table, &s, NULL);
	assert_reported(fx, "service-name-charset A");
	assert_int_equal(service_table_n_findings(fx->table), 2);
	/* A reload stops accepting it: reported now. */
	fx->ctx.accept_code = -1;
	service_table_reaudit(fx->table, NULL, NULL);
	assert_reported(fx, "port-differs A");
	/* A reload accepts it again: the unaccepted one is gone. */
	fx->ctx.accept_code = FINDING_PORT_DIFFERS;
	service_table_reaudit(fx->table, NULL, NULL);
	assert_reported(fx, "gone:port-differs A");
}

/* service_table_count_findings(): each finding once per service, kept as
 * findings come and go; n_findings per entry. */
static void
assert_counts(Fixture *fx, guint info, guint error, guint accepted, guint per_entry)
{
	guint by[4], n_accepted;

	service_table_count_findings(fx->table, by, &n_accepted);
	assert_int_equal(by[SEVERITY_INFO], info);
	assert_int_equal(by[SEVERITY_NOTICE], 0);
	assert_int_equal(by[SEVERITY_WARNING], 0);
	assert_int_equal(by[SEVERITY_ERROR], error);
	assert_int_equal(n_accepted, accepted);
	assert_int_equal(service_table_n_findings(fx->table), per_entry);
}

static void
test_counts(void **state)
{
	Fixture *fx = *state;
	ObservedService s = resolved(fx, "A", "_bad_x._tcp", 81, NULL);

	assert_counts(fx, 0, 0, 0, 0);
	service_table_update(fx->table, &s, NULL);
	s.ifindex = 3;
	service_table_update(fx->table, &s, NULL);
	assert_counts(fx, 1, 1, 0, 4);
	/* Another service, in another case: the same service. */
	s.name = "a";
	s.ifindex = 4;
	service_table_update(fx->table, &s, NULL);
	assert_counts(fx, 1, 1, 0, 6);
	/* Accepted now: counted apart. */
	fx->ctx.accept_code = FINDING_PORT_DIFFERS;
	service_table_reaudit(fx->table, NULL, NULL);
	assert_counts(fx, 0, 1, 1, 6);
	/* One entry's port is the registered one: the others still have it. */
	s = resolved(fx, "A", "_bad_x._tcp", fx->ctx.registered_port, NULL);
	service_table_update(fx->table, &s, NULL);
	assert_counts(fx, 0, 1, 1, 5);
	for (int ifindex = 2; ifindex <= 4; ifindex++) {
		s.ifindex = ifindex;
		s.name = ifindex == 4 ? "a" : "A";
		assert_true(service_table_remove(fx->table, &s));
	}
	assert_counts(fx, 0, 0, 0, 0);
}

static void
count_entry(const ServiceEntry *e, gpointer data)
{
	GString *s = data;

	g_string_append_printf(s, "%s/%s/%s/%d;", e->name_esc, service_entry_protocol_name(e),
	                        e->host_esc != NULL ? e->host_esc : "-", e->port);
}

static void
first_context(const ServiceEntry *e, gpointer data)
{
	LogLineContext *lc = data;

	if (lc->type == NULL)
		service_entry_logline_context(e, lc);
}

static void
test_escaped_copies(void **state)
{
	Fixture *fx = *state;
	ObservedService s = resolved(fx, "bad\nname\xff", "_ok._tcp", 80, NULL);
	g_autoptr(GString) seen = g_string_new(NULL);
	LogLineContext lc = { 0 };

	service_table_update(fx->table, &s, NULL);
	s = browsed("v6", "_ok._tcp");
	s.protocol = OBSERVED_PROTO_IPV6;
	service_table_update(fx->table, &s, NULL);
	service_table_foreach(fx->table, count_entry, seen);
	assert_string_equal(seen->str, "bad\\x0aname\\xff/ipv4/box.local/80;v6/ipv6/-/-1;");
	/* Log lines get the raw bytes (logline_format escapes them). */
	service_table_foreach(fx->table, first_context, &lc);
	assert_int_equal(lc.instance.len, 9);
	assert_memory_equal(lc.instance.data, "bad\nname\xff", 9);
	assert_string_equal(lc.type, "_ok._tcp");
	assert_string_equal(lc.interface, "eth0");
	assert_string_equal(lc.protocol, "ipv4");
	assert_string_equal(lc.host, "box.local");
	assert_int_equal(lc.port, 80);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_same_snapshot_once),
		T(test_counts),
		T(test_change_relogs_all),
		T(test_remove_and_return),
		T(test_unresolved_then_resolved),
		T(test_resolve_failed_then_resolved),
		T(test_identity),
		T(test_cap_evicts_oldest),
		T(test_reaudit),
		T(test_stale_sweep),
		T(test_escaped_copies),
		T(test_one_report_per_service),
		T(test_accepted_not_reported),
		T(test_duplicate_finding_held_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
