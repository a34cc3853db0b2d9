#!/bin/sh
# bench-scan.sh [N] - `dnssd-audit scan` against `avahi-browse -a -r -t` on
# the same LAN, in the same run: two network namespaces (tests/integration/
# lib.sh), host B publishing N services (default $BENCH_SERVICES, else 300)
# from a static services directory (bind-mounted as B's
# /etc/avahi/services), host A browsing.  Before every timed run B's
# avahi-daemon is let go idle (with thousands of services it spends
# seconds of CPU on each full answer) and A's is restarted, so both tools
# start from a cold cache and a responder that is not still busy with the
# other tool.  Prints the time of each run, the services each found and
# resolved, and the CPU both avahi-daemons spent on it; then the median
# of each tool, the ratio scan/avahi-browse (goal <= 1.05), the paired
# difference, the median of the per-round ratios, and the medians of
# services found and avahi CPU.
#
# Environment: top_builddir, top_srcdir (set by `make bench`),
# BENCH_SERVICES (300), BENCH_ROUNDS (15), BENCH_AUDITD (yes: also the
# daemon's peak memory).  Skips (exit 0 with a message) when not root or a
# tool is missing.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
export top_srcdir top_builddir
LAN_LIB=$top_srcdir/tests/integration/lib.sh
LAN_ID=bs$$
n_services=${1:-${BENCH_SERVICES:-300}}
rounds=${BENCH_ROUNDS:-15}
case "$n_services" in
'' | *[!0-9]*) echo "usage: bench-scan.sh [NUMBER-OF-SERVICES]" >&2; exit 2 ;;
esac

# lib.sh's skip() exits 77; a benchmark that cannot run is not a failure.
bench_skip() {
	echo "bench-scan: skipped: $*"
	exit 0
}
[ "$(id -u)" = 0 ] || bench_skip "needs root (network namespaces, avahi-daemon)"
for t in ip unshare dbus-daemon dbus-send avahi-daemon avahi-browse python3 awk; do
	command -v "$t" >/dev/null 2>&1 || bench_skip "missing tool: $t"
done
[ -x "$top_builddir/dnssd-audit" ] || bench_skip "no $top_builddir/dnssd-audit (run make first)"
registry=${DNSSD_AUDIT_REGISTRY:-${DNSSD_AUDIT_SHARED:-$top_srcdir/../shared}/iana/service-names-port-numbers.xml}
[ -f "$registry" ] || bench_skip "no IANA registry (set DNSSD_AUDIT_REGISTRY)"

. "$LAN_LIB"
lan_up 2>/dev/null || bench_skip "the test LAN could not be built"

lan_avahi_raise_limits
# One group per file, a mix of registered, unregistered and malformed types
# so that the validator has work too.
n_types=20
lan_many_services B "$n_services"
lan_avahi_settle B "$n_services" 600 ||
	fail "host B did not establish $n_services services and go idle in 600 s"

# both_cpu: CPU ticks of both avahi-daemons so far.
both_cpu() {
	echo $(($(lan_avahi_cpu_ticks A) + $(lan_avahi_cpu_ticks B)))
}

# before_run: B idle, A cold; then the CPU count starts.
before_run() {
	lan_avahi_idle B 120 || echo "bench-scan: host B's avahi-daemon is still busy" >&2
	lan_avahi_cold A
	c0=$(both_cpu)
}

# run_browse OUT: time avahi-browse (ms in $ms, avahi CPU ticks in $cpu).
run_browse() {
	before_run
	t0=$(lan_now_ms)
	host_run A avahi-browse -a -r -t -p >"$1" 2>/dev/null
	t1=$(lan_now_ms)
	ms=$((t1 - t0))
	cpu=$(($(both_cpu) - c0))
}

run_scan() {
	before_run
	t0=$(lan_now_ms)
	host_run A "$top_builddir/dnssd-audit" scan --json --registry "$registry" \
		--timeout 60 >"$1" 2>"$1.err"
	t1=$(lan_now_ms)
	ms=$((t1 - t0))
	cpu=$(($(both_cpu) - c0))
}

count_browse() {
	# IPv4 only, as for scan: '+' lines found, '=' lines resolved
	printf '%s %s' "$(grep -c '^+;[^;]*;IPv4;' "$1")" "$(grep -c '^=;[^;]*;IPv4;' "$1")"
}

count_scan() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["services"]
print(len({x["instance"] for x in s if x["protocol"] == "ipv4"}),
      sum(1 for x in s if x["host"] is not None and x["protocol"] == "ipv4"),
      "complete" if d["complete"] else "incomplete")' "$1"
}

out=$LAN_TMP/bench
mkdir -p "$out"
b_times=
s_times=
b_found=
s_found=
b_cpus=
s_cpus=
r=1
while [ "$r" -le "$rounds" ]; do
	# Alternate which tool goes first, so neither always follows the other.
	if [ $((r % 2)) = 1 ]; then
		run_browse "$out/browse.$r"; bt=$ms bc=$cpu
		run_scan "$out/scan.$r"; st=$ms sc=$cpu
	else
		run_scan "$out/scan.$r"; st=$ms sc=$cpu
		run_browse "$out/browse.$r"; bt=$ms bc=$cpu
	fi
	set -- $(count_browse "$out/browse.$r")
	bf=$1 br=$2
	set -- $(count_scan "$out/scan.$r")
	sf=$1 sr=$2 sok=$3
	printf 'round %d: avahi-browse %5d ms (%d found, %d resolved, avahi CPU %d ms)   dnssd-audit scan %5d ms (%d found, %d resolved, %s, avahi CPU %d ms)\n' \
		"$r" "$bt" "$bf" "$br" $((bc * 10)) "$st" "$sf" "$sr" "$sok" $((sc * 10))
	b_times="$b_times $bt"
	s_times="$s_times $st"
	b_found="$b_found $bf"
	s_found="$s_found $sf"
	b_cpus="$b_cpus $((bc * 10))"
	s_cpus="$s_cpus $((sc * 10))"
	r=$((r + 1))
done

median() {
	echo "$@" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
bm=$(median $b_times)
sm=$(median $s_times)
echo "scan: $n_services services published on host B ($n_types types, IPv4+IPv6), $rounds rounds, cold avahi cache each run"
echo "median: avahi-browse -a -r -t $bm ms, dnssd-audit scan $sm ms, ratio $(awk -v s="$sm" -v b="$bm" 'BEGIN { printf "%.3f", s / b }') (goal <= 1.05)"
echo "median services found (IPv4): avahi-browse $(median $b_found), dnssd-audit scan $(median $s_found) of $n_services"
echo "median avahi-daemon CPU (hosts A + B, from /proc/PID/stat): avahi-browse $(median $b_cpus) ms, dnssd-audit scan $(median $s_cpus) ms"
# Run to run, both tools swing by several ms (mDNS timing); the paired
# difference of each round, with its standard error, says how far apart
# they are.
echo "$b_times" "$s_times" | awk -v n="$rounds" '{
	for (i = 1; i <= n; i++) { d[i] = $(n + i) - $i; sum += d[i] }
	mean = sum / n
	for (i = 1; i <= n; i++) ss += (d[i] - mean) ^ 2
	se = n > 1 ? sqrt(ss / (n - 1) / n) : 0
	printf "per round, scan minus avahi-browse: mean %+.1f ms, standard error %.1f ms\n", mean, se
}'
# The ratio of each round, whose two runs mostly share the LAN's query
# timing (the ~100 ms before the first answer swings from round to round
# by more than the tools differ); its median is the figure least moved by
# that swing.
echo "$b_times" "$s_times" | awk -v n="$rounds" '{
	for (i = 1; i <= n; i++) r[i] = $(n + i) / $i
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
	m = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
	below = 0
	for (i = 1; i <= n; i++) if (r[i] <= 1) below++
	printf "per-round ratio scan/avahi-browse: median %.4f (goal <= 1.05); scan no slower in %d of %d rounds\n", m, below, n
}'

[ "${BENCH_AUDITD:-yes}" = yes ] || exit 0

# --- the daemon's memory with the full registry and this LAN --------------
# dnssd-auditd on host A until it has settled on all the services; its peak
# RSS (VmHWM) against issue 16's goal: 12 MiB and 3.5 KB per advertisement
# (a service on IPv4 and IPv6 is two).
dlog=$out/auditd.log
host_bg_log A "$dlog" "$top_builddir/dnssd-auditd" --foreground --log-target=stderr \
	--registry "$registry"
dpid=$LAN_PID
settled_all() {
	n=$(sed -n 's/.*browse settled: auditing \([0-9]*\) services.*/\1/p' "$dlog" | tail -n 1)
	[ -n "$n" ] && [ "$n" -ge "$n_services" ]
}
if wait_for 60 settled_all; then
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$dpid/status")
	n=$(sed -n 's/.*browse settled: auditing \([0-9]*\) services.*/\1/p' "$dlog" | tail -n 1)
	goal=$((12288 + n * 7 / 2))
	echo "dnssd-auditd: $n advertisements audited with the full registry, peak RSS $((hwm / 1024)).$(((hwm % 1024) * 10 / 1024)) MiB (goal <= 12 MiB + 3.5 KB each = $((goal / 1024)).$(((goal % 1024) * 10 / 1024)) MiB)"
else
	echo "bench-scan: dnssd-auditd did not settle on $n_services services in 60 s:" >&2
	tail -n 5 "$dlog" >&2
	exit 1
fi
lan_kill "$dpid"
