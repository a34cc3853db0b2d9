/* test-reporter-line.c - findings become FINDINGS.md log lines, at most
 * rate-limit per 10 s with one summary line for the rest (made-up clock). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include "daemon/log.h"
#include "daemon/reporter-line.h"
#include "audit/service-table.h"
#include "tests/unit/stderr-capture.h"

static gint64 fake_now;

static gint64
fake_clock(void)
{
	return fake_now;
}

typedef struct {
	LineReporter *lr;
	ServiceTable *table;
	guint n_findings;        /* the judge adds this many */
	StderrCapture err;
} Fixture;

static void
judge(const ServiceEntry *e, FindingList *out, gpointer data)
{
	Fixture *fx = data;

	for (guint i = 0; i < fx->n_findings; i++)
		finding_list_add(out, FINDING_UNREGISTERED, SEVERITY_WARNING,
		                 g_strdup_printf("finding %u: \"%s\"", i, e->name));
}

static void
report(const ServiceEntry *e, const Finding *f, gpointer data)
{
	Fixture *fx = data;

	line_reporter_finding(fx->lr, e, f);
}

static const ServiceTableCallbacks callbacks = { judge, report, NULL };

static int
setup(void **state)
{
	Fixture *fx = g_new0(Fixture, 1);

	stderr_capture_begin(&fx->err);
	log_open(LOG_TARGET_STDERR);
	fake_now = 1000 * G_USEC_PER_SEC;
	fx->lr = line_reporter_new(2, fake_clock);
	fx->table = service_table_new(100, &callbacks, fx);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *fx = *state;

	service_table_free(fx->table);
	line_reporter_free(fx->lr);
	stderr_capture_end(&fx->err);
	log_close();
	g_free(fx);
	return 0;
}

static void
add_service(Fixture *fx, const char *name, guint n_findings)
{
	GPtrArray *txt = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	ObservedService s = {
		.ifindex = 2, .ifname = "eth0", .protocol = OBSERVED_PROTO_IPV6,
		.name = name, .type = "_foo._tcp", .domain = "local",
		.resolved = TRUE, .host = "h.local", .address = "fe80::1", .port = 631,
		.txt = txt,
	};

	fx->n_findings = n_findings;
	service_table_update(fx->table, &s, NULL);
	g_ptr_array_unref(txt);
}

static void
test_line_format(void **state)
{
	Fixture *fx = *state;
	g_autofree char *out = NULL;

	add_service(fx, "Printer \"A\"\n", 1);
	out = stderr_capture_take(&fx->err);
	assert_string_equal(out,
		"unregistered severity=warning type=_foo._tcp instance=\"Printer \\\"A\\\"\\x0a\" "
		"interface=eth0 protocol=ipv6 host=h.local port=631 "
		"message=\"finding 0: \\\"Printer \\\"A\\\"\\x0a\\\"\"\n");
}

static void
test_rate_limit_summary(void **state)
{
	Fixture *fx = *state;
	g_autofree char *out1 = NULL, *out2 = NULL, *out3 = NULL, *out4 = NULL;
	g_auto(GStrv) lines = NULL;

	/* 5 findings, limit 2: 2 lines, 3 suppressed. */
	add_service(fx, "A", 5);
	out1 = stderr_capture_take(&fx->err);
	lines = g_strsplit(out1, "\n", -1);
	assert_int_equal(g_strv_length(lines), 3);   /* 2 lines + "" */
	assert_true(g_str_has_prefix(lines[0], "unregistered "));
	assert_non_null(strstr(lines[1], "finding 1"));
	assert_int_equal(line_reporter_n_suppressed(fx->lr), 3);
	/* Still inside the window: no summary yet. */
	fake_now += 9 * G_USEC_PER_SEC;
	assert_int_equal(line_reporter_flush(fx->lr), 0);
	out2 = stderr_capture_take(&fx->err);
	assert_string_equal(out2, "");
	/* The window ended: one summary line, once. */
	fake_now += 1 * G_USEC_PER_SEC;
	assert_int_equal(line_reporter_flush(fx->lr), 3);
	assert_int_equal(line_reporter_flush(fx->lr), 0);
	out3 = stderr_capture_take(&fx->err);
	assert_string_equal(out3, "suppressed 3 finding lines in the last 10 s (rate-limit=2): 3 warning\n");

	/* Suppressed again, and the next finding comes after the window
	 * ended but before the timer ran: the summary comes first. */
	add_service(fx, "B", 3);
	fake_now += 11 * G_USEC_PER_SEC;
	add_service(fx, "C", 1);
	out4 = stderr_capture_take(&fx->err);
	g_strfreev(lines);
	lines = g_strsplit(out4, "\n", -1);
	assert_int_equal(g_strv_length(lines), 5);
	assert_non_null(strstr(lines[0], "instance=\"B\""));
	assert_non_null(strstr(lines[1], "instance=\"B\""));
	assert_string_equal(lines[2], "suppressed 1 finding lines in the last 10 s (rate-limit=2): 1 warning");
	assert_non_null(strstr(lines[3], "instance=\"C\""));
}

static void
test_free_flushes(void **state)
{
	Fixture *fx = *state;
	g_autofree char *out = NULL;

	add_service(fx, "A", 4);
	g_free(stderr_capture_take(&fx->err));
	line_reporter_free(fx->lr);
	fx->lr = line_reporter_new(2, fake_clock);
	out = stderr_capture_take(&fx->err);
	assert_string_equal(out, "suppressed 2 finding lines in the last 10 s (rate-limit=2): 2 warning\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_line_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_flushes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
