#!/bin/sh
# bench-scan.sh - `dnssd-audit scan` against `avahi-browse -a -r -t` on the
# same LAN, in the same run: two network namespaces (tests/integration/
# lib.sh), host B publishing BENCH_SERVICES services (default 300) from a
# static services directory (bind-mounted as B's /etc/avahi/services),
# host A browsing.  Before every timed run A's avahi-daemon is restarted so
# both tools start from a cold cache.  Prints the time of each run, the
# median of each tool, the ratio scan/avahi-browse (goal <= 1.0), the
# paired difference, the median of the per-round ratios and how
# many services each one found and resolved.
#
# Environment: top_builddir, top_srcdir (set by `make bench`),
# BENCH_SERVICES (300), BENCH_ROUNDS (31: the two tools differ by less
# than one round swings).  Skips (exit 0 with a message) when not root or
# a tool is missing.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
export top_srcdir top_builddir
LAN_LIB=$top_srcdir/tests/integration/lib.sh
LAN_ID=bs$$
n_services=${BENCH_SERVICES:-300}
rounds=${BENCH_ROUNDS:-31}

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

# The services: one group per file, a mix of registered, unregistered and
# malformed types so that the validator has work too.
types="_http._tcp _ipp._tcp _ssh._tcp _sftp-ssh._tcp _workstation._tcp
_printer._tcp _smb._tcp _afpovertcp._tcp _raop._tcp _airplay._tcp
_apt_proxy._tcp _bench-x._tcp _nfs._tcp _daap._tcp _rfb._tcp _ftp._tcp
_webdav._tcp _pdl-datastream._tcp _scanner._tcp _device-info._tcp"
n_types=$(echo $types | wc -w)
svcdir=$(lan_dir B)/services
i=0
while [ "$i" -lt "$n_services" ]; do
	t=$(echo $types | awk -v k=$((i % n_types + 1)) '{ print $k }')
	cat >"$svcdir/bench-$i.service" <<EOF
<?xml version="1.0" standalone='no'?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<service-group>
  <name>bench service $i</name>
  <service>
    <type>$t</type>
    <port>$((1024 + i))</port>
    <txt-record>txtvers=1</txt-record>
    <txt-record>n=$i</txt-record>
  </service>
</service-group>
EOF
	i=$((i + 1))
done
kill -HUP "$(avahi_pid B)" || fail "avahi-daemon of host B is gone"

# Wait until B has established all of them (counted on B itself, IPv4).
published() {
	[ "$(host_run B avahi-browse -a -t -p 2>/dev/null | grep -c '^+;[^;]*;IPv4;bench')" -ge "$n_services" ]
}
wait_for 60 published || fail "host B did not publish $n_services services in 60 s"

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# cold_avahi: restart A's avahi-daemon and make sure it is a new one (a
# cold cache).  In this shell, not in a $(...) subshell: lib.sh keeps the
# daemon's pid in a variable, and a restart in a subshell would leave the
# next one killing a stale pid and timing against the old, warm daemon.
cold_avahi() {
	old=$(avahi_pid A)
	avahi_restart A >/dev/null 2>&1 || fail "avahi-daemon of host A did not restart"
	[ "$(avahi_pid A)" != "$old" ] && lan_dead "$old" ||
		fail "avahi-daemon of host A (pid $old) was not replaced"
}

# run_browse OUT: cold avahi on A, then time avahi-browse (ms in $ms).
run_browse() {
	cold_avahi
	t0=$(now_ms)
	host_run A avahi-browse -a -r -t -p >"$1" 2>/dev/null
	t1=$(now_ms)
	ms=$((t1 - t0))
}

run_scan() {
	cold_avahi
	t0=$(now_ms)
	host_run A "$top_builddir/dnssd-audit" scan --json --registry "$registry" \
		--timeout 60 >"$1" 2>"$1.err"
	t1=$(now_ms)
	ms=$((t1 - t0))
}

count_browse() {
	# found: '+' lines; resolved: '=' lines (one per interface+protocol)
	printf '%s %s' "$(grep -c '^+;' "$1")" "$(grep -c '^=;' "$1")"
}

count_scan() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["services"]
print(len(s), sum(1 for x in s if x["host"] is not None))' "$1"
}

out=$LAN_TMP/bench
mkdir -p "$out"
b_times=
s_times=
r=1
while [ "$r" -le "$rounds" ]; do
	# Alternate which tool goes first, so neither always follows the other.
	if [ $((r % 2)) = 1 ]; then
		run_browse "$out/browse.$r"; bt=$ms
		run_scan "$out/scan.$r"; st=$ms
	else
		run_scan "$out/scan.$r"; st=$ms
		run_browse "$out/browse.$r"; bt=$ms
	fi
	set -- $(count_browse "$out/browse.$r")
	bf=$1 br=$2
	set -- $(count_scan "$out/scan.$r")
	sf=$1 sr=$2
	printf 'round %d: avahi-browse %5d ms (%d found, %d resolved)   dnssd-audit scan %5d ms (%d found, %d resolved)\n' \
		"$r" "$bt" "$bf" "$br" "$st" "$sf" "$sr"
	b_times="$b_times $bt"
	s_times="$s_times $st"
	r=$((r + 1))
done

median() {
	echo "$@" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
bm=$(median $b_times)
sm=$(median $s_times)
echo "scan: $n_services services published on host B ($n_types types, IPv4+IPv6), $rounds rounds, cold avahi cache each run"
echo "median: avahi-browse -a -r -t $bm ms, dnssd-audit scan $sm ms, ratio $(awk -v s="$sm" -v b="$bm" 'BEGIN { printf "%.3f", s / b }') (goal <= 1.00)"
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
	printf "per-round ratio scan/avahi-browse: median %.4f (goal <= 1.00); scan no slower in %d of %d rounds\n", m, below, n
}'

# --- the daemon's memory with the full registry and this LAN --------------
# dnssd-auditd on host A until it has settled on all the services; its peak
# RSS (VmHWM) against the goal of 16 MiB.
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
	echo "dnssd-auditd: $n services audited with the full registry, peak RSS $((hwm / 1024)).$(((hwm % 1024) * 10 / 1024)) MiB (goal <= 16 MiB)"
else
	echo "bench-scan: dnssd-auditd did not settle on $n_services services in 60 s:" >&2
	tail -n 5 "$dlog" >&2
	exit 1
fi
lan_kill "$dpid"
