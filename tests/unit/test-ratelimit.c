/* test-ratelimit.c - the fixed-window line limiter, on a made-up clock. */
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

	ratelimit_init(&rl, 3, RATELIMIT_WINDOW_US);
	assert_true(ratelimit_allow(&rl, 100));
	assert_true(ratelimit_allow(&rl, 200));
	assert_true(ratelimit_allow(&rl, 300));
	assert_int_equal(ratelimit_take_suppressed(&rl, 20 * S), 0);
}

static void
test_over_limit_summary_once(void **state)
{
	RateLimit rl;

	ratelimit_init(&rl, 2, RATELIMIT_WINDOW_US);
	assert_true(ratelimit_allow(&rl, 0));
	assert_true(ratelimit_allow(&rl, 1 * S));
	assert_false(ratelimit_allow(&rl, 2 * S));
	assert_false(ratelimit_allow(&rl, 3 * S));
	assert_false(ratelimit_allow(&rl, 9 * S));
	assert_int_equal(ratelimit_window_end(&rl), 10 * S);
	/* The window is still open: nothing to summarise yet. */
	assert_int_equal(ratelimit_take_suppressed(&rl, 9 * S + S / 2), 0);
	/* It ended: the count once, then never again. */
	assert_int_equal(ratelimit_take_suppressed(&rl, 10 * S), 3);
	assert_int_equal(ratelimit_take_suppressed(&rl, 11 * S), 0);
	assert_int_equal(ratelimit_window_end(&rl), -1);
	assert_int_equal(rl.total_suppressed, 3);
}

static void
test_new_window_resets(void **state)
{
	RateLimit rl;

	ratelimit_init(&rl, 1, RATELIMIT_WINDOW_US);
	assert_true(ratelimit_allow(&rl, 5 * S));
	assert_false(ratelimit_allow(&rl, 6 * S));
	/* The next window opens at the first line after 15 s, not at 10 s. */
	assert_false(ratelimit_allow(&rl, 14 * S));
	assert_true(ratelimit_allow(&rl, 15 * S));
	assert_int_equal(ratelimit_window_end(&rl), 25 * S);
	/* The ended window's count was kept for the summary even though no
	 * one asked before the new window opened. */
	assert_int_equal(ratelimit_take_suppressed(&rl, 15 * S), 2);
	assert_false(ratelimit_allow(&rl, 16 * S));
	assert_int_equal(ratelimit_take_suppressed(&rl, 16 * S), 0);
	assert_int_equal(ratelimit_take_suppressed(&rl, 25 * S), 1);
}

static void
test_set_limit(void **state)
{
	RateLimit rl;

	ratelimit_init(&rl, 1, S);
	assert_true(ratelimit_allow(&rl, 0));
	assert_false(ratelimit_allow(&rl, 1));
	ratelimit_set_limit(&rl, 3);
	assert_true(ratelimit_allow(&rl, 2));
	assert_true(ratelimit_allow(&rl, 3));
	assert_false(ratelimit_allow(&rl, 4));
	assert_int_equal(ratelimit_take_suppressed(&rl, S), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_under_limit),
		cmocka_unit_test(test_over_limit_summary_once),
		cmocka_unit_test(test_new_window_resets),
		cmocka_unit_test(test_set_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
