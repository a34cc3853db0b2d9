/* test-scan-report.c - scan's renderings (cli/scan-report.c) of the audit
 * model fed with ObservedService snapshots as the watcher hands them
 * over: latest snapshot wins, removals drop, output sorted by type,
 * network bytes escaped in the table and in JSON, and the exit-status
 * verdict.  Pure: no Avahi; the validator runs without a registry. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include "cli/scan-report.h"
#include "validator/validator.h"

static void
judge(const ServiceEntry *e, FindingList *out, gpointer data)
{
	Advertisement ad;

	service_entry_advertisement(e, &ad);
	validator_check(&ad, NULL, NULL, out);
}

static void
report(const ServiceEntry *e, const Finding *f, gpointer data)
{
}

static const ServiceTableCallbacks callbacks = { .judge = judge, .report = report };

static ServiceTable *
table_new(void)
{
	return service_table_new(G_MAXUINT, &callbacks, NULL);
}

static ObservedService
snapshot(const char *name, const char *type, ObservedProtocol proto)
{
	ObservedService s = { 0 };

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
resolved(ObservedService *s, const char *host, const char *address, gint port, GPtrArray *txt)
{
	s->resolved = TRUE;
	s->host = host;
	s->address = address;
	s->port = port;
	s->txt = txt;
}

/* The unresolved snapshot of NEW is replaced by the resolved one. */
static void
test_latest_snapshot_wins(void **state)
{
	g_autoptr(ServiceTable) r = table_new();
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GPtrArray) txt = txt_of("txtvers=1", "path=/");
	ObservedService s = snapshot("Web", "_http._tcp", OBSERVED_PROTO_IPV4);

	service_table_update(r, &s, NULL);
	resolved(&s, "web.local", "192.0.2.7", 80, txt);
	service_table_update(r, &s, NULL);
	assert_int_equal(service_table_size(r), 1);

	assert_false(scan_report_write_json(r, TRUE, NULL, out));
	assert_string_equal(out->str,
		"{\"complete\":true,\"services\":[{\"instance\":\"Web\",\"type\":\"_http._tcp\","
		"\"interface\":\"lan0\",\"protocol\":\"ipv4\",\"host\":\"web.local\","
		"\"address\":\"192.0.2.7\",\"port\":80,\"txt\":[\"txtvers=1\",\"path=/\"],\"txt_base64\":[\"dHh0dmVycz0x\",\"cGF0aD0v\"],"
		"\"findings\":[]}]}\n");
}

static void
test_remove_drops(void **state)
{
	g_autoptr(ServiceTable) r = table_new();
	ObservedService v4 = snapshot("Web", "_http._tcp", OBSERVED_PROTO_IPV4);
	ObservedService v6 = snapshot("Web", "_http._tcp", OBSERVED_PROTO_IPV6);

	service_table_update(r, &v4, NULL);
	service_table_update(r, &v6, NULL);
	assert_int_equal(service_table_size(r), 2);
	service_table_remove(r, &v4);
	assert_int_equal(service_table_size(r), 1);
	service_table_remove(r, &v4);
	assert_int_equal(service_table_size(r), 1);
}

/* An unresolvable type: judged on its type, resolve-failed, exit 1. */
static void
test_unresolved_and_verdict(void **state)
{
	g_autoptr(ServiceTable) r = table_new();
	g_autoptr(GString) out = g_string_new(NULL);
	ObservedService s = snapshot("Odd", "_http._sctp", OBSERVED_PROTO_IPV4);

	s.resolve_failed = TRUE;
	s.resolve_error = "Invalid service type";
	service_table_update(r, &s, NULL);
	assert_true(scan_report_write_json(r, FALSE, NULL, out));
	assert_non_null(strstr(out->str, "\"complete\":false"));
	assert_non_null(strstr(out->str, "\"host\":null,\"address\":null,\"port\":null,\"txt\":null"));
	assert_non_null(strstr(out->str, "\"code\":\"type-malformed\",\"severity\":\"error\""));
	assert_non_null(strstr(out->str, "\"code\":\"resolve-failed\",\"severity\":\"notice\""));
}

/* Hostile bytes never reach the terminal raw; types group and sort. */
static void
test_human_escapes_and_groups(void **state)
{
	g_autoptr(ServiceTable) r = table_new();
	g_autoptr(GString) out = g_string_new(NULL);
	ObservedService evil = snapshot("Evil\033[31m\nname", "_ssh._tcp", OBSERVED_PROTO_IPV4);
	ObservedService a = snapshot("A", "_ftp._tcp", OBSERVED_PROTO_IPV6);
	ObservedService b = snapshot("B", "_ftp._tcp", OBSERVED_PROTO_IPV4);
	const char *ftp, *ssh;

	service_table_update(r, &evil, NULL);
	service_table_update(r, &b, NULL);
	service_table_update(r, &a, NULL);
	assert_true(scan_report_write_human(r, TRUE, NULL, FALSE, out));
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
	g_autoptr(ServiceTable) r = table_new();
	g_autoptr(GString) human = g_string_new(NULL);
	g_autoptr(GString) json = g_string_new(NULL);

	assert_false(scan_report_write_human(r, TRUE, NULL, FALSE, human));
	assert_string_equal(human->str, "0 services (0 types), no findings\n");
	assert_false(scan_report_write_json(r, TRUE, NULL, json));
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
