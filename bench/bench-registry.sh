#!/bin/sh
# bench-registry.sh - how long loading IANA's registry takes, next to
# libxml2's own streaming parse of the same file in the same run:
#   dnssd-audit registry stats --registry F    (load, index, TXT notes)
#   xmllint --stream --noout F                  (the floor: parse only)
# Goals: time ratio <= 1.2, peak RSS <= 12 MiB.  Also prints the loader
# against a bare xmlTextReader pass measured inside one process
# (registry/registry-bench), which is immune to process start-up.
#
# Environment: top_builddir, top_srcdir (set by "make bench");
# DNSSD_AUDIT_REGISTRY (the file, else $top_srcdir/../shared/iana/...);
# BENCH_RUNS (default 30).  Uses hyperfine when installed (unless
# BENCH_NO_HYPERFINE is set), else runs both commands alternately
# BENCH_RUNS times and takes the medians.  On a busy machine wall times
# swing by 20% or more; the CPU ratio and the minimum are steadier
# (callgrind counts 207 M instructions against xmllint's 369 M, 2024-03-18
# registry, libxml2 2.9.14: the loader uses SAX2 callbacks, xmllint
# --stream the xmlTextReader, which builds and frees a node per event).

set -u
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
runs=${BENCH_RUNS:-30}
audit="$top_builddir/dnssd-audit"
reg=${DNSSD_AUDIT_REGISTRY:-$top_srcdir/../shared/iana/service-names-port-numbers.xml}

if [ ! -f "$reg" ]; then
	echo "bench-registry: no registry file ($reg); set DNSSD_AUDIT_REGISTRY" >&2
	exit 0
fi
if ! command -v xmllint >/dev/null 2>&1; then
	echo "bench-registry: xmllint not installed (apt-get install libxml2-utils); skipped" >&2
	exit 0
fi
[ -x "$audit" ] || { echo "bench-registry: $audit not built" >&2; exit 1; }

ours="$audit registry stats --no-local-registry --registry $reg"
ref="xmllint --stream --noout $reg"
$ours >/dev/null || { echo "bench-registry: $ours failed" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-registry.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "registry: $reg ($(wc -c <"$reg") bytes)"

# Peak RSS in KiB of one run of the command in $1.
peak_rss() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$tmp/rss" $1 >/dev/null 2>&1
		cat "$tmp/rss"
		return
	fi
	# No GNU time: poll VmHWM (the high-water mark) while it runs.
	$1 >/dev/null 2>&1 &
	pid=$!
	hwm=0
	while kill -0 $pid 2>/dev/null; do
		v=$(sed -n 's/^VmHWM: *\([0-9]*\).*/\1/p' /proc/$pid/status 2>/dev/null)
		[ -n "$v" ] && hwm=$v
	done
	wait $pid
	echo "$hwm"
}

# Median of the numbers on stdin.
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if [ -z "${BENCH_NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null 2>&1; then
	hyperfine --style basic -N -w 3 -r "$runs" --export-csv "$tmp/h.csv" \
		-n dnssd-audit "$ours" -n xmllint "$ref" >/dev/null 2>&1 ||
		hyperfine --style basic -w 3 -r "$runs" --export-csv "$tmp/h.csv" \
			-n dnssd-audit "$ours" -n xmllint "$ref" >/dev/null 2>&1 ||
		{ echo "bench-registry: hyperfine failed" >&2; exit 1; }
	# command,mean,stddev,median,user,system,min,max
	ours_t=$(awk -F, '$1 == "dnssd-audit" { print $4 * 1000 }' "$tmp/h.csv")
	ref_t=$(awk -F, '$1 == "xmllint" { print $4 * 1000 }' "$tmp/h.csv")
	ours_min=$(awk -F, '$1 == "dnssd-audit" { print $7 * 1000 }' "$tmp/h.csv")
	ref_min=$(awk -F, '$1 == "xmllint" { print $7 * 1000 }' "$tmp/h.csv")
	ours_cpu=$(awk -F, '$1 == "dnssd-audit" { print ($5 + $6) * 1000 }' "$tmp/h.csv")
	ref_cpu=$(awk -F, '$1 == "xmllint" { print ($5 + $6) * 1000 }' "$tmp/h.csv")
	how="hyperfine, $runs runs each, medians; CPU = mean user+system"
else
	# Alternate the two so that load from elsewhere hits both alike.
	: >"$tmp/a"
	: >"$tmp/b"
	i=0
	while [ $i -lt "$runs" ]; do
		s=$(date +%s%N); $ours >/dev/null 2>&1; e=$(date +%s%N)
		echo $(((e - s) / 1000)) >>"$tmp/a"
		s=$(date +%s%N); $ref >/dev/null 2>&1; e=$(date +%s%N)
		echo $(((e - s) / 1000)) >>"$tmp/b"
		i=$((i + 1))
	done
	ours_t=$(median <"$tmp/a" | awk '{ print $1 / 1000 }')
	ref_t=$(median <"$tmp/b" | awk '{ print $1 / 1000 }')
	ours_min=$(sort -n "$tmp/a" | head -n 1 | awk '{ print $1 / 1000 }')
	ref_min=$(sort -n "$tmp/b" | head -n 1 | awk '{ print $1 / 1000 }')
	ours_cpu=
	ref_cpu=
	how="$runs alternating runs each, medians"
fi

# The loader alone against a bare xmlTextReader pass, alternately in one
# process (registry/registry-bench): CPU time, no start-up, steadier.
inproc=
if [ -x "$top_builddir/registry/registry-bench" ]; then
	inproc=$("$top_builddir/registry/registry-bench" "$reg" 20) || inproc=
fi

ours_rss=$(peak_rss "$ours")
ref_rss=$(peak_rss "$ref")

awk -v a="$ours_t" -v b="$ref_t" -v am="$ours_min" -v bm="$ref_min" \
    -v ac="$ours_cpu" -v bc="$ref_cpu" -v ar="$ours_rss" -v br="$ref_rss" -v how="$how" 'BEGIN {
	printf "  %-28s %10s %8s %8s %10s\n", "", "median ms", "min ms", "CPU ms", "peak RSS";
	printf "  %-28s %10.1f %8.1f %8s %6.1f MiB\n", "dnssd-audit registry stats", a, am,
	       ac == "" ? "-" : sprintf("%.1f", ac), ar / 1024;
	printf "  %-28s %10.1f %8.1f %8s %6.1f MiB\n", "xmllint --stream --noout", b, bm,
	       bc == "" ? "-" : sprintf("%.1f", bc), br / 1024;
	printf "  ratio: median %.2f, min %.2f", a / b, am / bm;
	if (ac != "" && bc > 0)
		printf ", CPU %.2f", ac / bc;
	printf " (goal <= 1.2); peak RSS %.1f MiB (goal <= 12)\n  (%s)\n", ar / 1024, how;
}'
if [ -n "$inproc" ]; then
	echo "$inproc" | awk '{ printf "  in one process (CPU, medians of 20): registry_load() %.1f ms, bare xmlTextReader pass %.1f ms, ratio %.2f\n", $1, $2, $3 }'
fi

# Instructions, not seconds: callgrind counts the same for the same binary
# and input whatever else the machine does, so this ratio is the steady one
# on a busy or frequency-scaled machine.
if command -v valgrind >/dev/null 2>&1; then
	count_instructions() {
		# shellcheck disable=SC2086  # $1 is a command line
		valgrind --tool=callgrind --callgrind-out-file=/dev/null $1 2>&1 >/dev/null |
			awk '/Collected :/ { print $NF }'
	}
	ours_ir=$(count_instructions "$ours")
	ref_ir=$(count_instructions "$ref")
	awk -v a="$ours_ir" -v b="$ref_ir" 'BEGIN {
		if (a > 0 && b > 0)
			printf "  instructions (callgrind): %.0f M vs %.0f M, ratio %.2f\n", a / 1e6, b / 1e6, a / b
	}'
fi
