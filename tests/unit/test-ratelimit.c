/* test-ratelimit.c - the fixed-window line limiter by severity, on a
 * made-up clock. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "daemon/ratelimit.h"

#define S G_USEC_PER_SEC

static void
test_under_limit(void **state)
{
	RateLimit rl;
	guint by[RATELIMIT_N_SEVERITIES];

	ratelimit_init(&rl, 3, RATELIMIT_WINDOW_US);
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 100));
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 200));
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 300));
	assert_int_equal(ratelimit_take_suppressed(&rl, 20 * S, by), 0);
}

static void
test_over_limit_summary_once(void **state)
{
	RateLimit rl;
	guint by[RATELIMIT_N_SEVERITIES];

	ratelimit_init(&rl, 2, RATELIMIT_WINDOW_US);
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 0));
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 1 * S));
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 2 * S));
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 3 * S));
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 9 * S));
	assert_int_equal(ratelimit_window_end(&rl), 10 * S);
	/* The window is still open: nothing to summarise yet. */
	assert_int_equal(ratelimit_take_suppressed(&rl, 9 * S + S / 2, by), 0);
	/* It ended: the count once, then never again. */
	assert_int_equal(ratelimit_take_suppressed(&rl, 10 * S, by), 3);
	assert_int_equal(ratelimit_take_suppressed(&rl, 11 * S, by), 0);
	assert_int_equal(ratelimit_window_end(&rl), -1);
	assert_int_equal(rl.total_suppressed, 3);
}

static void
test_new_window_resets(void **state)
{
	RateLimit rl;
	guint by[RATELIMIT_N_SEVERITIES];

	ratelimit_init(&rl, 1, RATELIMIT_WINDOW_US);
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 5 * S));
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 6 * S));
	/* The next window opens at the first line after 15 s, not at 10 s. */
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 14 * S));
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 15 * S));
	assert_int_equal(ratelimit_window_end(&rl), 25 * S);
	/* The ended window's count was kept for the summary even though no
	 * one asked before the new window opened. */
	assert_int_equal(ratelimit_take_suppressed(&rl, 15 * S, by), 2);
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 16 * S));
	assert_int_equal(ratelimit_take_suppressed(&rl, 16 * S, by), 0);
	assert_int_equal(ratelimit_take_suppressed(&rl, 25 * S, by), 1);
}

static void
test_set_limit(void **state)
{
	RateLimit rl;
	guint by[RATELIMIT_N_SEVERITIES];

	ratelimit_init(&rl, 1, S);
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 0));
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 1));
	ratelimit_set_limit(&rl, 3);
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 2));
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 3));
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 4));
	assert_int_equal(ratelimit_take_suppressed(&rl, S, by), 2);
}

/* A burst of notices never takes a warning's place; once a warning was
 * dropped, notices wait for the next window; the counts are per severity. */
static void
test_by_severity(void **state)
{
	RateLimit rl;
	guint by[RATELIMIT_N_SEVERITIES];

	ratelimit_init(&rl, 2, RATELIMIT_WINDOW_US);
	for (int i = 0; i < 10; i++)
		(void) ratelimit_allow(&rl, i % 2 ? SEVERITY_NOTICE : SEVERITY_INFO, i);
	assert_true(ratelimit_allow(&rl, SEVERITY_WARNING, 20));
	assert_true(ratelimit_allow(&rl, SEVERITY_ERROR, 21));
	assert_false(ratelimit_allow(&rl, SEVERITY_ERROR, 22));
	assert_false(ratelimit_allow(&rl, SEVERITY_WARNING, 23));
	/* near miss: a notice after an urgent line was dropped waits too,
	 * even though its own budget would allow it in a fresh window */
	assert_false(ratelimit_allow(&rl, SEVERITY_NOTICE, 24));
	assert_int_equal(ratelimit_take_suppressed(&rl, 10 * S, by), 8 + 3);
	assert_int_equal(by[SEVERITY_ERROR], 1);
	assert_int_equal(by[SEVERITY_WARNING], 1);
	assert_int_equal(by[SEVERITY_NOTICE], 5 - 1 + 1);
	assert_int_equal(by[SEVERITY_INFO], 5 - 1);
	/* a new window: notices again */
	assert_true(ratelimit_allow(&rl, SEVERITY_NOTICE, 10 * S));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_under_limit),
		cmocka_unit_test(test_over_limit_summary_once),
		cmocka_unit_test(test_new_window_resets),
		cmocka_unit_test(test_set_limit),
		cmocka_unit_test(test_by_severity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
