/* test-accepted.c - accepted-findings rules: fields, quotes with the log
 * line's escaping, wildcards on the escaped form, comments, bad lines
 * (one error naming file and line), and rules written back by
 * accepted_rule_append(). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "audit/accepted.h"
#include "format/escape.h"

static AcceptedRules *
parse(const char *text, GError **error)
{
	return accepted_rules_parse("accepted", text, strlen(text), error);
}

static void
test_fields_and_wildcards(void **state)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(AcceptedRules) r = parse(
		"# known on this LAN\n"
		"\n"
		"unregistered _sonos._tcp \"Kitchen*\"   # the speakers\n"
		"* _companion-link._tcp * \n"
		"txt-key-undefined _IPP._tcp \"Office \\\"A\\\" ?\" prn.local\n", &error);

	assert_null(error);
	assert_int_equal(accepted_rules_size(r), 3);
	assert_true(accepted_rules_match(r, FINDING_UNREGISTERED, "_sonos._tcp", "Kitchen", NULL));
	assert_true(accepted_rules_match(r, FINDING_UNREGISTERED, "_sonos._tcp", "Kitchen 2", "k.local"));
	/* near misses: other code, other instance, other type */
	assert_false(accepted_rules_match(r, FINDING_TXT_KEY_EMPTY, "_sonos._tcp", "Kitchen", NULL));
	assert_false(accepted_rules_match(r, FINDING_UNREGISTERED, "_sonos._tcp", "Hall", NULL));
	assert_false(accepted_rules_match(r, FINDING_UNREGISTERED, "_sonos._udp", "Kitchen", NULL));
	/* "*" as the code: every code */
	assert_true(accepted_rules_match(r, FINDING_SERVICE_NAME_TOO_LONG, "_companion-link._tcp",
	                                 "Living Room", NULL));
	/* Types compare case-insensitively; the instance is the escaped form
	 * exactly as the log line quotes it; HOST must match when given. */
	assert_true(accepted_rules_match(r, FINDING_TXT_KEY_UNDEFINED, "_ipp._tcp",
	                                 "Office \\\"A\\\" 1", "prn.local"));
	assert_false(accepted_rules_match(r, FINDING_TXT_KEY_UNDEFINED, "_ipp._tcp",
	                                  "Office \\\"A\\\" 1", "other.local"));
	/* host not known yet: accepted for now */
	assert_true(accepted_rules_match(r, FINDING_TXT_KEY_UNDEFINED, "_ipp._tcp",
	                                 "Office \\\"A\\\" 1", NULL));
	assert_false(accepted_rules_match(r, FINDING_TXT_KEY_UNDEFINED, "_ipp._tcp",
	                                  "Office \\\"A\\\" 12", "prn.local"));
	assert_false(accepted_rules_match(NULL, FINDING_UNREGISTERED, "_sonos._tcp", "Kitchen", NULL));
}

static void
expect_error(const char *text, const char *want)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(AcceptedRules) r = parse(text, &error);

	assert_null(r);
	assert_non_null(error);
	if (strstr(error->message, want) == NULL)
		fail_msg("got '%s', want '%s'", error->message, want);
	assert_null(strchr(error->message, '\n'));
}

static void
test_bad_lines(void **state)
{
	expect_error("unregistered _a._tcp x\nno-such-code _a._tcp x\n",
	             "accepted:2: unknown finding code");
	expect_error("unregistered _a._tcp\n", "accepted:1: too few fields");
	expect_error("unregistered _a._tcp x h extra\n", "accepted:1: too many fields");
	expect_error("\n\nunregistered _a._tcp \"x\n", "accepted:3: unterminated quoted field");
	expect_error("unregistered _a._tcp \"x\"y\n", "accepted:1: text right after a closing quote");
	expect_error("unregistered _a._tcp \"\xff\"\n", "accepted:1: not UTF-8");
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(AcceptedRules) r = accepted_rules_parse("accepted", "unregistered _a._tcp x\0y\n",
		                                                  25, &error);

		assert_null(r);
		assert_non_null(strstr(error->message, "accepted:1: NUL byte"));
	}
}

/* What `dnssd-audit accept` prints is read back and accepts exactly that
 * finding, even for hostile names. */
static void
test_round_trip(void **state)
{
	const char *names[] = { "Plain", "With space", "Quote \"q\" and \\ back",
	                        "tab\there #hash", "ctl\033[31m", "bidi \xe2\x80\xae" };

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *esc = escape_bytes(names[i], strlen(names[i]));
		g_autoptr(GString) line = g_string_new(NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(AcceptedRules) r = NULL;

		accepted_rule_append(line, FINDING_UNREGISTERED, "_x._tcp", esc, "h.local");
		r = parse(line->str, &error);
		assert_null(error);
		assert_true(accepted_rules_match(r, FINDING_UNREGISTERED, "_x._tcp", esc, "h.local"));
		assert_false(accepted_rules_match(r, FINDING_UNREGISTERED, "_x._tcp", "other", "h.local"));
	}
}

/* A FIFO, a directory or a huge file is refused at once, never waited on. */
static void
test_load_bounds(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("accepted-XXXXXX", NULL);
	g_autofree char *fifo = g_build_filename(dir, "fifo", NULL);
	g_autofree char *big = g_build_filename(dir, "big", NULL);
	g_autofree char *missing = g_build_filename(dir, "missing", NULL);
	g_autoptr(GError) error = NULL;
	AcceptedRules *r;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	r = accepted_rules_load(fifo, TRUE, &error);
	assert_null(r);
	assert_non_null(strstr(error->message, "not a regular file"));
	g_clear_error(&error);
	r = accepted_rules_load(dir, TRUE, &error);
	assert_null(r);
	g_clear_error(&error);
	{
		FILE *f = fopen(big, "w");

		assert_non_null(f);
		assert_int_equal(fseek(f, ACCEPTED_MAX_FILE_SIZE + 1, SEEK_SET), 0);
		fputc('\n', f);
		fclose(f);
	}
	r = accepted_rules_load(big, TRUE, &error);
	assert_null(r);
	assert_non_null(strstr(error->message, "larger than"));
	g_clear_error(&error);
	/* A missing default is no rules; a missing named file is an error. */
	r = accepted_rules_load(missing, FALSE, &error);
	assert_non_null(r);
	assert_int_equal(accepted_rules_size(r), 0);
	accepted_rules_free(r);
	r = accepted_rules_load(missing, TRUE, &error);
	assert_null(r);
	assert_non_null(error);
	unlink(fifo);
	unlink(big);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_and_wildcards),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_load_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
