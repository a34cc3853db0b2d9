#!/bin/sh
# cmocka-tap.sh PROGRAM [ARGS...] - run one cmocka unit test for the TAP
# driver (LOG_COMPILER of the unit tests in Makefile.am).
#
# cmocka 1.1.5 prints a skipped test as "not ok N # SKIP name", which TAP
# (and automake's tap-driver.sh) counts as a failure.  test_skip() of
# tests/unit/test-common.h prints the reason as a TAP comment
# "# skip: REASON" just before calling cmocka's skip(); this turns the pair
# into "ok N - name # SKIP REASON", which the driver counts as SKIP.  Every
# other line, and the program's exit status, pass through unchanged.
status=$(mktemp "${TMPDIR:-/tmp}/cmocka-tap.XXXXXX") || exit 99
trap 'rm -f "$status"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
{
	"$@"
	echo $? >"$status"
} | awk '
	/^# skip: / { reason = substr($0, 9); print; fflush(); next }
	/^not ok [0-9]+ # SKIP/ {
		n = $3
		name = $0
		sub(/^not ok [0-9]+ # SKIP ?/, "", name)
		if (reason == "")
			reason = "skipped by the test"
		printf "ok %s - %s # SKIP %s\n", n, name, reason
		reason = ""
		fflush()
		next
	}
	{ print; fflush() }
'
read rc <"$status" 2>/dev/null || rc=99
exit "$rc"
