/* test-log-syslog.c - the log targets: what log.c hands to syslog(3), and
 * stderr.
 *
 * No /dev/log and no root: this program defines openlog(), syslog(),
 * closelog() (and glibc's fortified __syslog_chk()) itself.  The daemon's
 * code is linked in statically, so its calls land here instead of in libc,
 * and each call is recorded.  What glibc then puts on the wire ("<pri>Mmm dd
 * hh:mm:ss ident[pid]: msg") is the integration tests' part: they catch
 * it on a socket bind-mounted over /dev/log (tests/integration/lib.sh).
 */
#undef _FORTIFY_SOURCE
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <cmocka.h>
#include "daemon/log.h"
#include "tests/unit/stderr-capture.h"

/* --- the stand-in for libc's syslog(3) ------------------------------- */

typedef struct {
	int priority;
	char *format;
	char *message;
} SyslogCall;

static struct {
	GArray *calls;          /* SyslogCall */
	char *ident;
	int option, facility;
	guint n_open, n_close;
} fake;

static void
syslog_call_clear(gpointer p)
{
	SyslogCall *c = p;

	g_free(c->format);
	g_free(c->message);
}

void
openlog(const char *ident, int option, int facility)
{
	g_free(fake.ident);
	fake.ident = g_strdup(ident);
	fake.option = option;
	fake.facility = facility;
	fake.n_open++;
}

void
closelog(void)
{
	fake.n_close++;
}

static void
record(int priority, const char *format, va_list ap)
{
	SyslogCall c = { priority, g_strdup(format), g_strdup_vprintf(format, ap) };

	g_array_append_val(fake.calls, c);
}

void
syslog(int priority, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	record(priority, format, ap);
	va_end(ap);
}

/* What syslog() becomes with -D_FORTIFY_SOURCE. */
void __syslog_chk(int priority, int flag, const char *format, ...);
void
__syslog_chk(int priority, int flag, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	record(priority, format, ap);
	va_end(ap);
}

static const SyslogCall *
call(guint i)
{
	assert_true(i < fake.calls->len);
	return &g_array_index(fake.calls, SyslogCall, i);
}

static int
setup(void **state)
{
	fake.calls = g_array_new(FALSE, TRUE, sizeof(SyslogCall));
	g_array_set_clear_func(fake.calls, syslog_call_clear);
	fake.n_open = fake.n_close = 0;
	return 0;
}

static int
teardown(void **state)
{
	log_close();
	g_array_unref(fake.calls);
	fake.calls = NULL;
	g_clear_pointer(&fake.ident, g_free);
	return 0;
}

/* --- syslog ------------------------------------------------------------ */

static void
test_openlog(void **state)
{
	log_open(LOG_TARGET_SYSLOG);
	assert_int_equal(log_get_target(), LOG_TARGET_SYSLOG);
	assert_int_equal(fake.n_open, 1);
	assert_string_equal(fake.ident, "dnssd-auditd");
	assert_int_equal(fake.option, LOG_PID);
	assert_int_equal(fake.facility, LOG_DAEMON);
	log_close();
	assert_int_equal(fake.n_close, 1);
	assert_int_equal(log_get_target(), LOG_TARGET_STDERR);
	/* Closing stderr does not call closelog(). */
	log_close();
	assert_int_equal(fake.n_close, 1);
}

/* FINDINGS.md: error, warning, notice, info -> LOG_ERR, LOG_WARNING,
 * LOG_NOTICE, LOG_INFO; the line is the argument of "%s", as it is. */
static void
test_priority_mapping(void **state)
{
	static const struct { Severity s; int pri; } map[] = {
		{ SEVERITY_ERROR, LOG_ERR }, { SEVERITY_WARNING, LOG_WARNING },
		{ SEVERITY_NOTICE, LOG_NOTICE }, { SEVERITY_INFO, LOG_INFO },
	};

	log_open(LOG_TARGET_SYSLOG);
	for (guint i = 0; i < G_N_ELEMENTS(map); i++) {
		LogFindingFields f = { .code = FINDING_UNREGISTERED, .severity = map[i].s,
		                       .port = -1 };
		g_autofree char *line = g_strdup_printf("unregistered severity=%s message=\"100%%n\"",
		                                        severity_name(map[i].s));

		assert_int_equal(log_severity_priority(map[i].s), map[i].pri);
		log_finding_line(line, &f);
		assert_int_equal(call(i)->priority, map[i].pri);
		assert_string_equal(call(i)->format, "%s");
		assert_string_equal(call(i)->message, line);
	}
	assert_int_equal(fake.calls->len, G_N_ELEMENTS(map));
}

/* Status lines and GLib's messages: one line, no raw control byte, C1 or
 * bidi character, valid UTF-8; '%' never reaches a format. */
static void
test_status_lines_escaped(void **state)
{
	log_open(LOG_TARGET_SYSLOG);
	log_msg(LOG_NOTICE, "avahi %s", "gone\nsecond\033[2J %n \302\233 \342\200\256 \377 \"q\\\"");
	g_warning("from glib %d\n", 3);
	assert_int_equal(fake.calls->len, 2);

	assert_int_equal(call(0)->priority, LOG_NOTICE);
	assert_string_equal(call(0)->format, "%s");
	/* The caller escaped what came from the network: '\\' and '"' stay. */
	assert_string_equal(call(0)->message,
		"avahi gone\\x0asecond\\x1b[2J %n \\u009b \\u202e \\xff \"q\\\"");
	assert_int_equal(call(1)->priority, LOG_WARNING);
	assert_string_equal(call(1)->message, "from glib 3\\x0a");
	for (guint i = 0; i < fake.calls->len; i++) {
		const char *m = call(i)->message;

		assert_true(g_utf8_validate(m, -1, NULL));
		for (const char *p = m; *p != '\0'; p = g_utf8_next_char(p)) {
			gunichar u = g_utf8_get_char(p);

			assert_false(u < 0x20 || (u >= 0x7f && u <= 0x9f) ||
			             (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069));
		}
	}
}

/* --- stderr ------------------------------------------------------------ */

/* Run func with stderr captured; returns what it wrote. */
static char *
capture_stderr(void (*func)(void))
{
	StderrCapture c;
	char *out;

	stderr_capture_begin(&c);
	func();
	out = stderr_capture_take(&c);
	stderr_capture_end(&c);
	return out;
}

static void
log_stderr(void)
{
	LogFindingFields f = { .code = FINDING_UNREGISTERED, .severity = SEVERITY_WARNING,
	                       .port = -1 };

	log_open(LOG_TARGET_STDERR);
	log_msg(LOG_INFO, "plain %s", "line\tx");
	log_finding_line("unregistered severity=warning", &f);
	g_message("glib");
}

static void
test_target_stderr(void **state)
{
	g_autofree char *out = capture_stderr(log_stderr);
	LogTarget t;

	assert_string_equal(out, "plain line\\x09x\nunregistered severity=warning\nglib\n");
	assert_int_equal(fake.calls->len, 0);
	assert_int_equal(fake.n_open, 0);
	assert_true(log_target_from_name("journal", &t));
	assert_int_equal(t, LOG_TARGET_JOURNAL);
	assert_true(log_target_from_name("syslog", &t));
	assert_int_equal(t, LOG_TARGET_SYSLOG);
	assert_false(log_target_from_name("file", &t));
	assert_false(log_target_from_name(NULL, &t));
	assert_string_equal(log_target_name(LOG_TARGET_AUTO), "auto");
	assert_int_not_equal(log_target_resolve(LOG_TARGET_AUTO), LOG_TARGET_AUTO);
	assert_int_equal(log_target_resolve(LOG_TARGET_STDERR), LOG_TARGET_STDERR);
}

static void
test_message_ids(void **state)
{
	/* Every code has a distinct, well-formed 128-bit id. */
	for (guint i = 0; i < FINDING_N_CODES; i++) {
		const char *id = log_message_id((FindingCode)i);

		assert_non_null(id);
		assert_int_equal(strlen(id), 32);
		assert_true(g_regex_match_simple("^[0-9a-f]{32}$", id, 0, 0));
		for (guint j = 0; j < i; j++)
			assert_string_not_equal(id, log_message_id((FindingCode)j));
	}
	assert_null(log_message_id(FINDING_N_CODES));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_openlog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_mapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_lines_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target_stderr, setup, teardown),
		cmocka_unit_test(test_message_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
