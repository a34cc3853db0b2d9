/* test-validator-finding.c - the code and severity tables of FINDINGS.md. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <syslog.h>
#include <cmocka.h>
#include <glib.h>
#include "validator/finding.h"

static void
test_names_round_trip(void **state)
{
	for (guint i = 0; i < FINDING_N_CODES; i++) {
		FindingCode c;

		assert_true(finding_code_from_name(finding_code_name(i), &c));
		assert_int_equal(c, i);
	}
	assert_false(finding_code_from_name("no-such-code", &(FindingCode){0}));
	assert_false(finding_code_from_name(NULL, &(FindingCode){0}));
}

static void
test_contract_spellings(void **state)
{
	assert_string_equal(finding_code_name(FINDING_TYPE_MALFORMED), "type-malformed");
	assert_string_equal(finding_code_name(FINDING_TXTVERS_NOT_NUMERIC), "txtvers-not-numeric");
	assert_string_equal(finding_code_name(FINDING_RESOLVE_FAILED), "resolve-failed");
	assert_int_equal(finding_code_default_severity(FINDING_PORT_DIFFERS), SEVERITY_INFO);
	assert_int_equal(finding_code_default_severity(FINDING_INSTANCE_NOT_NFC), SEVERITY_WARNING);
	assert_int_equal(finding_code_default_severity(FINDING_SERVICE_NAME_CASE), SEVERITY_NOTICE);
	/* since 0.2, at the end of the enum */
	assert_string_equal(finding_code_name(FINDING_INSTANCE_BIDI_CONTROL), "instance-bidi-control");
	assert_int_equal(finding_code_default_severity(FINDING_INSTANCE_BIDI_CONTROL), SEVERITY_WARNING);
	assert_string_equal(finding_code_name(FINDING_UNREGISTERED_KNOWN), "unregistered-known");
	assert_int_equal(finding_code_default_severity(FINDING_UNREGISTERED_KNOWN), SEVERITY_NOTICE);
	assert_true(FINDING_RESOLVE_FAILED < FINDING_INSTANCE_BIDI_CONTROL);
	assert_int_equal(FINDING_RESOLVE_FAILED, 25);   /* released codes keep their values */
	assert_string_equal(finding_code_name(FINDING_N_CODES), "unknown");
}

static void
test_severities(void **state)
{
	Severity s;

	assert_true(severity_from_name("warning", &s));
	assert_int_equal(s, SEVERITY_WARNING);
	assert_false(severity_from_name("fatal", &s));
	assert_string_equal(severity_name(SEVERITY_NOTICE), "notice");
}

static void
test_list(void **state)
{
	g_autoptr(FindingList) l = finding_list_new();

	finding_list_add(l, FINDING_UNREGISTERED, SEVERITY_WARNING, g_strdup("a"));
	finding_list_add(l, FINDING_RESOLVE_FAILED, SEVERITY_NOTICE, g_strdup("b"));
	assert_int_equal(l->len, 2);
	assert_string_equal(finding_list_get(l, 1)->message, "b");
	finding_list_clear(l);
	assert_int_equal(l->len, 0);
	finding_list_add(l, FINDING_UNREGISTERED, SEVERITY_WARNING, g_strdup("c"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_contract_spellings),
		cmocka_unit_test(test_severities),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
