/* test-log-syslog.c - the RFC 3164 client and the log targets, against a
 * datagram socket the test binds itself (this machine has no /dev/log). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include "daemon/log-syslog.h"
#include "daemon/log.h"
#include "tests/unit/stderr-capture.h"

typedef struct {
	char *dir;
	char *path;
	int fd;
} Catcher;

static int
catcher_bind(Catcher *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	c->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(c->fd >= 0);
	g_strlcpy(sa.sun_path, c->path, sizeof sa.sun_path);
	assert_int_equal(bind(c->fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return 0;
}

static void
catcher_close(Catcher *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	g_unlink(c->path);
}

static int
setup(void **state)
{
	Catcher *c = g_new0(Catcher, 1);

	c->dir = g_dir_make_tmp("test-syslog-XXXXXX", NULL);
	c->path = g_build_filename(c->dir, "log", NULL);
	catcher_bind(c);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	Catcher *c = *state;

	log_close();
	catcher_close(c);
	g_rmdir(c->dir);
	g_free(c->path);
	g_free(c->dir);
	g_free(c);
	return 0;
}

/* The next datagram (waits at most 2 s), newly allocated, or NULL. */
static char *
catcher_recv(Catcher *c)
{
	char buf[8192];
	struct timeval tv = { .tv_sec = 2 };
	ssize_t n;

	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	n = recv(c->fd, buf, sizeof buf - 1, 0);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return g_strdup(buf);
}

/* dgram is "<PRI>Mmm dd hh:mm:ss dnssd-auditd[PID]: MSG" with this PRI,
 * this process's PID and this MSG. */
static void
assert_dgram(const char *dgram, int pri, const char *msg)
{
	g_autofree char *pattern = g_strdup_printf(
		"^<%d>(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123][0-9] "
		"[0-2][0-9]:[0-5][0-9]:[0-6][0-9] dnssd-auditd\\[%d\\]: ", pri, (int)getpid());
	g_autofree char *tail = NULL;

	assert_non_null(dgram);
	if (!g_regex_match_simple(pattern, dgram, 0, 0))
		fail_msg("datagram does not match: %s", dgram);
	tail = g_strdup(strstr(dgram, "]: ") + 3);
	assert_string_equal(tail, msg);
}

static void
test_format(void **state)
{
	g_autofree char *a = syslog_format(27, 1700000000, "dnssd-auditd", 42, "hello world");
	g_autofree char *b = syslog_format(30, 1699000000, "dnssd-auditd", 7, "x");

	/* TZ=UTC is set in main(). */
	assert_string_equal(a, "<27>Nov 14 22:13:20 dnssd-auditd[42]: hello world");
	assert_string_equal(b, "<30>Nov  3 08:26:40 dnssd-auditd[7]: x");
}

static void
test_send_pri(void **state)
{
	Catcher *c = *state;
	g_autoptr(SyslogClient) cl = syslog_client_new(c->path, "dnssd-auditd", LOG_DAEMON);
	g_autoptr(GError) error = NULL;
	g_autofree char *d1 = NULL, *d2 = NULL;

	assert_true(syslog_client_send(cl, LOG_WARNING, "unregistered severity=warning", &error));
	assert_null(error);
	d1 = catcher_recv(c);
	assert_dgram(d1, (3 << 3) | 4, "unregistered severity=warning");
	assert_true(syslog_client_send(cl, LOG_INFO, "info line", &error));
	d2 = catcher_recv(c);
	assert_dgram(d2, (3 << 3) | 6, "info line");
}

static void
test_reconnect(void **state)
{
	Catcher *c = *state;
	g_autoptr(SyslogClient) cl = syslog_client_new(c->path, "dnssd-auditd", LOG_DAEMON);
	g_autoptr(GError) error = NULL;
	g_autofree char *d1 = NULL, *d2 = NULL;

	assert_true(syslog_client_send(cl, LOG_ERR, "one", NULL));
	d1 = catcher_recv(c);
	assert_dgram(d1, 27, "one");

	/* syslog restarts: same path, new socket.  The client notices the
	 * old one is gone and reconnects at once. */
	catcher_close(c);
	catcher_bind(c);
	assert_true(syslog_client_send(cl, LOG_ERR, "two", &error));
	assert_null(error);
	d2 = catcher_recv(c);
	assert_dgram(d2, 27, "two");

	/* syslog gone: a clear error, no hang, and no connect storm. */
	catcher_close(c);
	assert_false(syslog_client_send(cl, LOG_ERR, "three", &error));
	assert_non_null(error);
	assert_non_null(strstr(error->message, c->path));
	g_clear_error(&error);
	assert_false(syslog_client_send(cl, LOG_ERR, "four", &error));
	g_clear_error(&error);

	/* Back: within a second the client retries. */
	catcher_bind(c);
	g_usleep(1100 * 1000);
	assert_true(syslog_client_send(cl, LOG_ERR, "five", &error));
	assert_null(error);
	g_free(d1);
	d1 = catcher_recv(c);
	assert_dgram(d1, 27, "five");
}

static void
test_full_socket_drops(void **state)
{
	Catcher *c = *state;
	g_autoptr(SyslogClient) cl = syslog_client_new(c->path, "dnssd-auditd", LOG_DAEMON);
	g_autofree char *big = g_strnfill(1000, 'x');
	gint64 start = g_get_monotonic_time();

	/* Nobody reads: the socket fills and sends must not block. */
	for (int i = 0; i < 5000; i++)
		assert_true(syslog_client_send(cl, LOG_NOTICE, big, NULL));
	assert_true(syslog_client_n_dropped(cl) > 0);
	assert_true(g_get_monotonic_time() - start < 5 * G_USEC_PER_SEC);
}

static void
test_log_target_syslog(void **state)
{
	Catcher *c = *state;
	LogFindingFields f = { .code = FINDING_TYPE_MALFORMED, .severity = SEVERITY_ERROR,
	                       .port = -1 };
	g_autofree char *d1 = NULL, *d2 = NULL;

	log_open(LOG_TARGET_SYSLOG, c->path);
	assert_int_equal(log_get_target(), LOG_TARGET_SYSLOG);
	log_finding_line("type-malformed severity=error message=\"x\"", &f);
	d1 = catcher_recv(c);
	assert_dgram(d1, 27, "type-malformed severity=error message=\"x\"");
	/* Status lines: control characters never reach the log raw. */
	log_msg(LOG_NOTICE, "avahi %s", "gone\nsecond line");
	d2 = catcher_recv(c);
	assert_dgram(d2, 29, "avahi gone\\x0asecond line");
}

/* Run func with stderr captured; returns what it wrote. */
static char *
capture_stderr(void (*func)(gpointer), gpointer data)
{
	StderrCapture c;
	char *out;

	stderr_capture_begin(&c);
	func(data);
	out = stderr_capture_take(&c);
	stderr_capture_end(&c);
	return out;
}

static void
log_two_lines(gpointer data)
{
	log_open(LOG_TARGET_SYSLOG, data);
	log_msg(LOG_NOTICE, "first");
	log_msg(LOG_NOTICE, "second");
	g_warning("from glib %d", 3);
}

static void
test_fallback_to_stderr(void **state)
{
	Catcher *c = *state;
	g_autofree char *missing = g_build_filename(c->dir, "missing", NULL);
	g_autofree char *out = capture_stderr(log_two_lines, missing);
	g_autofree char *want = g_strdup_printf(
		"dnssd-auditd: cannot reach syslog at %s: No such file or directory; logging to stderr\n"
		"first\nsecond\nfrom glib 3\n", missing);

	assert_string_equal(out, want);
}

static void
log_stderr(gpointer data)
{
	log_open(LOG_TARGET_STDERR, NULL);
	log_msg(LOG_INFO, "plain %s", "line");
}

static void
test_target_stderr(void **state)
{
	g_autofree char *out = capture_stderr(log_stderr, NULL);
	LogTarget t;

	assert_string_equal(out, "plain line\n");
	assert_true(log_target_from_name("journal", &t));
	assert_int_equal(t, LOG_TARGET_JOURNAL);
	assert_false(log_target_from_name("file", &t));
	assert_string_equal(log_target_name(LOG_TARGET_AUTO), "auto");
	assert_int_not_equal(log_target_resolve(LOG_TARGET_AUTO), LOG_TARGET_AUTO);
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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test_setup_teardown(test_send_pri, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_socket_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_target_syslog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_to_stderr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target_stderr, setup, teardown),
		cmocka_unit_test(test_message_ids),
	};

	g_setenv("TZ", "UTC", TRUE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
