#!/bin/sh
# run-fuzzers.sh SRCDIR TARGET... - fuzz each libFuzzer target for
# $FUZZ_SECONDS (default 30) seconds, starting from its seed corpus and its
# saved regressions.  New corpus entries stay in tests/fuzz/work/<name>/ of
# the build tree; a crash leaves tests/fuzz/artifacts/<name>-crash-* and
# makes the script fail after all targets ran.  Prints one summary line
# per target: executions and seconds (from -print_final_stats).
set -u
src=$1
shift
seconds=${FUZZ_SECONDS:-30}
status=0
mkdir -p tests/fuzz/artifacts
for bin in "$@"; do
	name=${bin##*/fuzz-}
	# Inputs larger than any real one only slow the search down.
	case $name in
	registry) max_len=16384 ;;
	batch) max_len=8192 ;;
	validator) max_len=4096 ;;
	*) max_len=2048 ;;
	esac
	work=tests/fuzz/work/$name
	mkdir -p "$work"
	set -- -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
		-rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="tests/fuzz/artifacts/$name-"
	[ -f "$src/$name.dict" ] && set -- "$@" -dict="$src/$name.dict"
	log=tests/fuzz/work/$name.log
	seeds=
	for d in "$src/corpus-$name" "$src/regressions/$name"; do
		[ -d "$d" ] && seeds="$seeds $d"
	done
	# shellcheck disable=SC2086
	if "$bin" "$@" "$work" $seeds >"$log" 2>&1; then
		result=ok
	else
		result=FAILED
		status=1
		tail -n 40 "$log"
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	secs=$(sed -n 's/^stat::\(average_exec_per_sec\): *//p' "$log" | tail -n 1)
	printf 'fuzz-%s: %s, %s executions (%s/s) in %ss, corpus %s files (log %s)\n' \
		"$name" "$result" "${execs:-?}" "${secs:-?}" "$seconds" \
		"$(ls "$work" | wc -l)" "$log"
done
exit $status
