/* test-logline.c - the one-line log format of FINDINGS.md. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include "format/logline.h"

static void
test_full_line(void **state)
{
	Finding f = { FINDING_UNREGISTERED, SEVERITY_WARNING,
	              (char *)"service name \"foo\" is not registered" };
	LogLineContext ctx = {
		.type = "_foo._tcp",
		.instance = { (const guint8 *)"Office Printer", 14 },
		.interface = "eth0",
		.protocol = "ipv4",
		.host = "printer.local",
		.port = 631,
	};
	g_autofree char *line = logline_format(&f, &ctx);

	assert_string_equal(line,
		"unregistered severity=warning type=_foo._tcp "
		"instance=\"Office Printer\" interface=eth0 protocol=ipv4 "
		"host=printer.local port=631 "
		"message=\"service name \\\"foo\\\" is not registered\"");
}

static void
test_unknown_fields_omitted(void **state)
{
	Finding f = { FINDING_RESOLVE_FAILED, SEVERITY_NOTICE, (char *)"timeout" };
	LogLineContext ctx = { .type = "_ipp._tcp", .port = -1 };
	g_autofree char *line = logline_format(&f, &ctx);

	assert_string_equal(line,
		"resolve-failed severity=notice type=_ipp._tcp message=\"timeout\"");
}

static void
test_hostile_instance(void **state)
{
	static const char inst[] = "evil\n<13>fake: x\033[2J%n%s\xff\"";
	Finding f = { FINDING_INSTANCE_CONTROL_CHAR, SEVERITY_ERROR,
	              (char *)"bad \n name %n" };
	LogLineContext ctx = {
		.type = "_h t=tp._tcp\n",
		.instance = { (const guint8 *)inst, sizeof inst - 1 },
		.host = "a\"b",
		.port = -1,
	};
	g_autofree char *line = logline_format(&f, &ctx);

	assert_null(strchr(line, '\n'));
	assert_null(strchr(line, '\033'));
	assert_true(g_utf8_validate(line, -1, NULL));
	assert_non_null(strstr(line,
		"instance=\"evil\\x0a<13>fake: x\\x1b[2J%n%s\\xff\\\"\""));
	/* a type with a space, '=' or a newline cannot split the line */
	assert_non_null(strstr(line, "type=\"_h t=tp._tcp\\x0a\" "));
	assert_non_null(strstr(line, "host=\"a\\\"b\""));
	assert_non_null(strstr(line, "message=\"bad \\x0a name %n\""));
}

static void
test_ipv6_interface(void **state)
{
	Finding f = { FINDING_PORT_DIFFERS, SEVERITY_INFO, (char *)"m" };
	LogLineContext ctx = { .type = "_http._tcp",
	                       .instance = { (const guint8 *)"", 0 },
	                       .interface = "wlan0", .protocol = "ipv6",
	                       .port = 8080 };
	g_autofree char *line = logline_format(&f, &ctx);

	assert_string_equal(line,
		"port-differs severity=info type=_http._tcp instance=\"\" "
		"interface=wlan0 protocol=ipv6 port=8080 message=\"m\"");
}

/* Since 0.2: a C1 control and a bidi override in the instance and the
 * message come out as "\\uXXXX", never raw (a name that displays as
 * something else, or an 8-bit CSI). */
static void
test_c1_bidi(void **state)
{
	static const char name[] = "abc\xe2\x80\xaetxt.exe\xc2\x9b" "2J";
	Finding f = { FINDING_INSTANCE_CONTROL_CHAR, SEVERITY_ERROR,
	              (char *)"name \xe2\x81\xa7x" };
	LogLineContext ctx = { .type = "_http._tcp",
	                       .instance = { (const guint8 *)name, sizeof name - 1 },
	                       .port = -1 };
	g_autofree char *line = logline_format(&f, &ctx);

	assert_non_null(strstr(line, "instance=\"abc\\u202etxt.exe\\u009b2J\""));
	assert_non_null(strstr(line, "message=\"name \\u2067x\""));
	assert_null(strstr(line, "\xe2\x80\xae"));
	assert_null(strstr(line, "\xc2\x9b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_line),
		cmocka_unit_test(test_unknown_fields_omitted),
		cmocka_unit_test(test_hostile_instance),
		cmocka_unit_test(test_ipv6_interface),
		cmocka_unit_test(test_c1_bidi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
