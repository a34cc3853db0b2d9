/* test-watcher-report.c - the scan report (daemon/scan-report.c) fed with
 * WatchedService snapshots as the watcher hands them over: latest
 * snapshot wins, removals drop, output sorted by type, network bytes
 * escaped in the table and in JSON, and the exit-status verdict.  Pure:
 * no Avahi; the validator runs without a registry (reg NULL), except for
 * the services judged (and rendered) as they come, against a small one. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include "daemon/scan-report.h"

static WatchedService
snapshot(const char *name, const char *type, AvahiProtocol proto)
{
	WatchedService s = { 0 };

	s.ifindex = 2;
	s.ifname = "lan0";
	s.protocol = proto;
	s.name = name;
	s.type = type;
	s.domain = "local";
	s.port = -1;
	return s;
}

static GPtrArray *
txt_of(const char *a, const char *b)
{
	GPtrArray *txt = g_ptr_array_new_with_free_func((GDestroyNotify) g_bytes_unref);

	g_ptr_array_add(txt, g_bytes_new(a, strlen(a)));
	g_ptr_array_add(txt, g_bytes_new(b, strlen(b)));
	return txt;
}

/* Fill in a resolution's result. */
static void
resolved(WatchedService *s, const char *host, const char *address, gint port, GPtrArray *txt)
{
	s->resolved = TRUE;
	s->host = host;
	s->address = address;
	s->port = port;
	s->txt = txt;
}

/* A report judged (and its JSON rendered) as snapshots come, once the
 * registry is set, writes exactly what one judged at the end writes; a
 * later update and a removal are honoured; writing with another registry
 * (here none) judges afresh. */
static void
test_judged_as_they_come(void **state)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Registry) reg = registry_load(REGISTRY_TEST_DATA "/minimal.xml", &error);
	g_autoptr(ScanReport) early = scan_report_new();
	g_autoptr(ScanReport) late = scan_report_new();
	g_autoptr(GString) a = g_string_new(NULL);
	g_autoptr(GString) b = g_string_new(NULL);
	g_autoptr(GString) c = g_string_new(NULL);
	g_autoptr(GString) d = g_string_new(NULL);
	g_autoptr(GPtrArray) txt = txt_of("txtvers=1", "path=/");
	g_autoptr(GPtrArray) bad = txt_of("path=/", "path=/x");
	WatchedService web = snapshot("Web", "_http._tcp", AVAHI_PROTO_INET);
	WatchedService odd = snapshot("Odd \"1\"", "_nosuchthing._tcp", AVAHI_PROTO_INET6);
	WatchedService gone = snapshot("Gone", "_http._tcp", AVAHI_PROTO_INET);

	assert_non_null(reg);
	scan_report_update(early, &web);            /* before the registry */
	scan_report_set_registry(early, reg, TRUE);
	resolved(&web, "web.local", "192.0.2.7", 80, txt);
	scan_report_update(early, &web);            /* after: replaces it */
	resolved(&odd, "odd.local", "fe80::1", 1, bad);
	scan_report_update(early, &odd);
	scan_report_update(early, &gone);
	scan_report_remove(early, &gone);

	scan_report_update(late, &web);
	scan_report_update(late, &odd);

	assert_true(scan_report_write_json(early, reg, TRUE, a));
	assert_true(scan_report_write_json(late, reg, TRUE, b));
	assert_string_equal(a->str, b->str);
	assert_non_null(strstr(a->str, "\"code\":\"txt-key-duplicate\""));
	assert_null(strstr(a->str, "Gone"));
	/* No registry: no unregistered-type finding any more, same as a
	 * report that never had one. */
	scan_report_write_json(early, NULL, TRUE, c);
	scan_report_write_json(late, NULL, TRUE, d);
	assert_string_equal(c->str, d->str);
	assert_string_not_equal(a->str, c->str);
}

/* The unresolved snapshot of NEW is replaced by the resolved one. */
static void
test_latest_snapshot_wins(void **state)
{
	g_autoptr(ScanReport) r = scan_report_new();
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GPtrArray) txt = txt_of("txtvers=1", "path=/");
	WatchedService s = snapshot("Web", "_http._tcp", AVAHI_PROTO_INET);

	scan_report_update(r, &s);
	resolved(&s, "web.local", "192.0.2.7", 80, txt);
	scan_report_update(r, &s);
	assert_int_equal(scan_report_n_services(r), 1);

	assert_false(scan_report_write_json(r, NULL, TRUE, out));
	assert_string_equal(out->str,
		"{\"complete\":true,\"services\":[{\"instance\":\"Web\",\"type\":\"_http._tcp\","
		"\"interface\":\"lan0\",\"protocol\":\"ipv4\",\"host\":\"web.local\","
		"\"address\":\"192.0.2.7\",\"port\":80,\"txt\":[\"txtvers=1\",\"path=/\"],"
		"\"findings\":[]}]}\n");
}

static void
test_remove_drops(void **state)
{
	g_autoptr(ScanReport) r = scan_report_new();
	WatchedService v4 = snapshot("Web", "_http._tcp", AVAHI_PROTO_INET);
	WatchedService v6 = snapshot("Web", "_http._tcp", AVAHI_PROTO_INET6);

	scan_report_update(r, &v4);
	scan_report_update(r, &v6);
	assert_int_equal(scan_report_n_services(r), 2);
	scan_report_remove(r, &v4);
	assert_int_equal(scan_report_n_services(r), 1);
	scan_report_remove(r, &v4);
	assert_int_equal(scan_report_n_services(r), 1);
}

/* An unresolvable type: judged on its type, resolve-failed, exit 1. */
static void
test_unresolved_and_verdict(void **state)
{
	g_autoptr(ScanReport) r = scan_report_new();
	g_autoptr(GString) out = g_string_new(NULL);
	WatchedService s = snapshot("Odd", "_http._sctp", AVAHI_PROTO_INET);

	s.resolve_failed = TRUE;
	s.resolve_error = "Invalid service type";
	scan_report_update(r, &s);
	assert_true(scan_report_write_json(r, NULL, FALSE, out));
	assert_non_null(strstr(out->str, "\"complete\":false"));
	assert_non_null(strstr(out->str, "\"host\":null,\"address\":null,\"port\":null,\"txt\":null"));
	assert_non_null(strstr(out->str, "\"code\":\"type-malformed\",\"severity\":\"error\""));
	assert_non_null(strstr(out->str, "\"code\":\"resolve-failed\",\"severity\":\"notice\""));
}

/* Hostile bytes never reach the terminal raw; types group and sort. */
static void
test_human_escapes_and_groups(void **state)
{
	g_autoptr(ScanReport) r = scan_report_new();
	g_autoptr(GString) out = g_string_new(NULL);
	WatchedService evil = snapshot("Evil\033[31m\nname", "_ssh._tcp", AVAHI_PROTO_INET);
	WatchedService a = snapshot("A", "_ftp._tcp", AVAHI_PROTO_INET6);
	WatchedService b = snapshot("B", "_ftp._tcp", AVAHI_PROTO_INET);
	const char *ftp, *ssh;

	scan_report_update(r, &evil);
	scan_report_update(r, &b);
	scan_report_update(r, &a);
	assert_true(scan_report_write_human(r, NULL, TRUE, FALSE, out));
	assert_null(strchr(out->str, '\033'));
	assert_non_null(strstr(out->str, "  Evil\\x1b[31m\\x0aname  lan0"));
	assert_non_null(strstr(out->str, "    error instance-control-char: "));
	ftp = strstr(out->str, "\n_ftp._tcp\n");
	ssh = strstr(out->str, "\n_ssh._tcp\n");
	assert_non_null(ftp);
	assert_non_null(ssh);
	assert_true(ftp < ssh);
	assert_true(strstr(out->str, "  A ") < strstr(out->str, "  B "));
	assert_non_null(strstr(out->str, "\n3 services (2 types), "));
}

static void
test_empty_report(void **state)
{
	g_autoptr(ScanReport) r = scan_report_new();
	g_autoptr(GString) human = g_string_new(NULL);
	g_autoptr(GString) json = g_string_new(NULL);

	assert_false(scan_report_write_human(r, NULL, TRUE, FALSE, human));
	assert_string_equal(human->str, "0 services (0 types), no findings\n");
	assert_false(scan_report_write_json(r, NULL, TRUE, json));
	assert_string_equal(json->str, "{\"complete\":true,\"services\":[]}\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latest_snapshot_wins),
		cmocka_unit_test(test_remove_drops),
		cmocka_unit_test(test_unresolved_and_verdict),
		cmocka_unit_test(test_human_escapes_and_groups),
		cmocka_unit_test(test_empty_report),
		cmocka_unit_test(test_judged_as_they_come),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
