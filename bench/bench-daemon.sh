#!/bin/sh
# bench-daemon.sh [N...] - dnssd-auditd against a live `avahi-browse -a -r`
# (and its settle time against `dnssd-audit scan`) on the same LAN, in the
# same run, at N services (default $BENCH_SERVICES, else 300; several sizes
# may be given: each gets a LAN of its own and a row in the final table).
#
# The LAN is bench-scan.sh's: two network namespaces (tests/integration/
# lib.sh), host B publishing N services, N-100 of them static (a services
# directory) and 100 through bench/txt-churn (avahi entry groups whose TXT
# can change), host A running the tools; both avahi-daemons with the cache
# and per-client object limits raised (avahi runs with --no-rlimits).  Each
# round runs, from a cold avahi cache on A and an idle responder on B:
#
#   scan    `dnssd-audit scan`: its wall time (and its duration_ms).
#   daemon  dnssd-auditd with bench/sync-trace.so preloaded (every
#           synchronous D-Bus call timed, per thread), until its
#           "browse settled" line; its NFirstResolutionOnly property; then
#           a quiet window and a churn window (below).
#   browse  `avahi-browse -a -r -p`, live, until it has resolved every
#           service on IPv4 (or its output is quiet for 5 s); then the same
#           two windows.
#
# Quiet window ($BENCH_WINDOW s, default 150): CPU of A's and B's
# avahi-daemon (and of the tool), and the packets on the link (A's lan0,
# both directions) - the load of what the tool keeps open (resolvers,
# browsers).  It begins $BENCH_SETTLE_WAIT s (default 0) after the tool
# has settled: avahi re-queries what a browser watches at 1, 2, 4 ... s
# after it opens, up to once an hour (avahi-core/querier.c), so a later
# window shows that load once it has backed off.  Churn window
# ($BENCH_CHURN_WINDOW s, default $BENCH_WINDOW): the 100 churn services
# change their TXT (seq=) every second; the tool's
# CPU, A's avahi CPU, and the events avahi delivered to the tool (its
# ServiceResolver.Found and browser ItemNew/ItemRemove signals, counted by
# dbus-monitor on A's bus).  Only seq= changes, so the findings do not.
# CPU is the sum over a process's threads of /proc/PID/task/*/schedstat
# (ns on a CPU).
#
# avahi-browse frees each resolver at its first answer: it sees no TXT
# change, so its churn events are 0 and only its CPU is a reference.
# Item by item (issue 16): the settle time of dnssd-auditd (process start
# to its first "browse settled" line, stamped as the line comes) against
# scan's wall time (goal <= 1.1x); the synchronous D-Bus calls while
# settling, main thread and others: count, total, longest, most in one
# second, share of the settle time (goal < 5 %); NFirstResolutionOnly;
# quiet-window avahi CPU on A and B and packets, dnssd-auditd over
# avahi-browse (goal <= 1.5x); churn: dnssd-auditd's CPU per event (goal
# <= 50 us) and over A's avahi-daemon CPU (goal <= 0.3x).  What should
# hold: dnssd-auditd's CPU from its start to its settle line per
# advertisement (goal <= 350 us), its peak RSS (goal 12 MiB + 3.5 KB per
# advertisement), and its event latency (flips(), goal p95 <= 5 ms;
# avahi-browse sees no TXT change, so it has no figure here).
#
# Environment: top_builddir, top_srcdir (set by `make bench`),
# BENCH_SERVICES (300), BENCH_ROUNDS (3), BENCH_WINDOW (150),
# BENCH_CHURN_WINDOW ($BENCH_WINDOW), BENCH_CHURN (100 services),
# BENCH_FLIPS (40), BENCH_SETTLE_WAIT (0).
# Skips (exit 0 with a message) when not root or a tool is missing.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
export top_srcdir top_builddir
rounds=${BENCH_ROUNDS:-3}
window=${BENCH_WINDOW:-150}
churn_window=${BENCH_CHURN_WINDOW:-$window}
n_churn=${BENCH_CHURN:-100}
settle_wait=${BENCH_SETTLE_WAIT:-0}
export BENCH_ROUNDS=$rounds BENCH_WINDOW=$window BENCH_CHURN_WINDOW=$churn_window BENCH_CHURN=$n_churn BENCH_SETTLE_WAIT=$settle_wait

bench_skip() {
	echo "bench-daemon: skipped: $*"
	exit 0
}

median() {
	echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'
}

# ratio A B [FORMAT]
ratio() {
	awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN {
		if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf f "\n", a / b }'
}

# =========================================================================
# The parent: checks, tools, one child per size, the table.
if [ "${1:-}" != --one ]; then
	[ $# -gt 0 ] || set -- "${BENCH_SERVICES:-300}"
	for n in "$@"; do
		case "$n" in
		'' | *[!0-9]*) echo "usage: bench-daemon.sh [NUMBER-OF-SERVICES...]" >&2; exit 2 ;;
		esac
		[ "$n" -gt "$n_churn" ] || { echo "bench-daemon: N must exceed BENCH_CHURN ($n_churn)" >&2; exit 2; }
	done
	[ "$(id -u)" = 0 ] || bench_skip "needs root (network namespaces, avahi-daemon)"
	for t in ip unshare dbus-daemon dbus-send dbus-monitor avahi-daemon avahi-browse \
		python3 awk cc pkg-config; do
		command -v "$t" >/dev/null 2>&1 || bench_skip "missing tool: $t"
	done
	[ -x "$top_builddir/dnssd-audit" ] && [ -x "$top_builddir/dnssd-auditd" ] ||
		bench_skip "no $top_builddir/dnssd-audit or dnssd-auditd (run make first)"
	registry=${DNSSD_AUDIT_REGISTRY:-${DNSSD_AUDIT_SHARED:-$top_srcdir/../shared}/iana/service-names-port-numbers.xml}
	[ -f "$registry" ] || bench_skip "no IANA registry (set DNSSD_AUDIT_REGISTRY)"
	pkg-config --exists avahi-client || bench_skip "no avahi-client development files (pkg-config)"
	BENCH_TOOLS=$(mktemp -d "${TMPDIR:-/tmp}/bench-daemon.XXXXXX") || exit 1
	trap 'rm -rf "$BENCH_TOOLS"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	cc -O2 -shared -fPIC -o "$BENCH_TOOLS/sync-trace.so" "$top_srcdir/bench/sync-trace.c" \
		-ldl -lpthread || bench_skip "cannot build bench/sync-trace.c"
	# shellcheck disable=SC2046
	cc -O2 -o "$BENCH_TOOLS/txt-churn" "$top_srcdir/bench/txt-churn.c" \
		$(pkg-config --cflags --libs avahi-client) || bench_skip "cannot build bench/txt-churn.c"
	export BENCH_TOOLS DNSSD_AUDIT_REGISTRY="$registry"
	: >"$BENCH_TOOLS/results"
	for n in "$@"; do
		echo "--- $n services"
		${SHELL:-/bin/sh} "$0" --one "$n" "$BENCH_TOOLS/results" || exit 1
	done
	echo
	echo "bench-daemon: medians of $rounds round(s); windows ${window} s quiet (from ${settle_wait} s after settling), ${churn_window} s churn ($n_churn services, TXT every second); D = dnssd-auditd, B = avahi-browse -a -r, S = dnssd-audit scan"
	awk 'BEGIN {
		printf "%-6s %-21s %-28s %-6s %-23s %-23s %-17s %-31s\n",
			"N", "settle D/S ms (goal<=1.1)", "main blocked: share(browse) max n",
			"nFRO", "avahiA cpu D/B (<=1.5)", "avahiB cpu D/B (<=1.5)", "pkts D/B (<=1.5)",
			"churn: ev D/B  us/ev D  D/avahiA"
	}
	END {
		printf "\n%-6s %-24s %-30s %-22s\n", "N", "settle CPU/advert (<=350)", "peak RSS kB (goal)", "latency p95 (<=5 ms)"
		for (i = 1; i <= nr; i++) printf "%-6s %-24s %-30s %-22s\n", m_n[i], m_c[i] " us", m_h[i] " (" m_g[i] ")", m_l[i] " ms"
	}
	{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	  printf "%-6s %-21s %-28s %-6s %-23s %-23s %-17s %-31s\n", v["n"],
		v["d_settle"] "/" v["s_ms"] " =" v["r_settle"] (v["d_complete"] != "-" ? " EARLY(all at " v["d_complete"] ")" : ""),
		v["main_share"] "%(" v["main_bshare"] "%) " v["main_max"] "ms " v["main_n"],
		v["nfro"],
		v["d_cpua"] "/" v["b_cpua"] "ms =" v["r_cpua"] (v["b_found"] < v["n"] ? " B-UNSETTLED(" v["b_found"] ")" : ""),
		v["d_cpub"] "/" v["b_cpub"] "ms =" v["r_cpub"],
		v["d_pkts"] "/" v["b_pkts"] " =" v["r_pkts"],
		v["d_ev"] "/" v["b_ev"] " " v["d_usev"] " " v["r_dav"] " (<=0.3)"
	  nr++; m_n[nr] = v["n"]; m_c[nr] = v["d_scpu_ad"]; m_h[nr] = v["d_hwm"]; m_g[nr] = v["hwm_goal"]; m_l[nr] = v["lat_p95"]
	}' "$BENCH_TOOLS/results"
	exit 0
fi

# =========================================================================
# The child: one size.
n_services=$2
results=$3
registry=$DNSSD_AUDIT_REGISTRY
LAN_LIB=$top_srcdir/tests/integration/lib.sh
LAN_ID=bd$$
. "$LAN_LIB"
lan_up 2>/dev/null || bench_skip "the test LAN could not be built"

lan_avahi_raise_limits
# The churn services first: avahi-daemon answers no client while it
# loads thousands of service files.
host_bg B "$BENCH_TOOLS/txt-churn" "$n_churn"
churn_pid=$LAN_PID
churn_log=$LAN_LOG
wait_for 120 grep -q "^established" "$churn_log" ||
	fail "txt-churn did not establish $n_churn services on host B"
lan_many_services B $((n_services - n_churn))
lan_avahi_settle B $((n_services - n_churn)) 900 ||
	fail "host B did not establish $n_services services and go idle in 900 s"

out=$LAN_TMP/bench
mkdir -p "$out"
conf=$out/dnssd-audit.conf
# Every service is seen on IPv4 and, unless LAN_IPV6=no, on IPv6.
n_adverts=$n_services
[ "${LAN_IPV6:-yes}" = no ] || n_adverts=$((2 * n_services))
printf '[audit]\nlocal-registry=\n' >"$conf"

# cpu_ns PID: ns on a CPU so far, all threads (schedstat).
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# link_pkts: packets A sent and received on the link so far ("TX RX").
link_pkts() {
	ip netns exec "$LAN_NS_A" sh -c "cat /sys/class/net/$LAN_IF/statistics/tx_packets \
		/sys/class/net/$LAN_IF/statistics/rx_packets" | tr '\n' ' '
}

before_run() {
	lan_avahi_idle B 180 || echo "bench-daemon: host B's avahi-daemon is still busy" >&2
	lan_avahi_cold A
}

churn_updates() {
	sed -n 's/^updates //p' "$churn_log" | tail -n 1 | grep . || echo 0
}

# windows TOOLPID PREFIX: the quiet window, then the churn window, with
# TOOLPID (the tool) on host A.  Sets ${PREFIX}_cpua, _cpub, _cpu, _pkts,
# _tx, _rx (quiet, ms and packets) and _ccpua, _ccpu, _ev, _upd (churn).
windows() {
	local p=$1 pre=$2 a0 b0 t0 a1 b1 t1 mon
	sleep "$settle_wait"
	a0=$(cpu_ns "$(avahi_pid A)") b0=$(cpu_ns "$(avahi_pid B)") t0=$(cpu_ns "$p")
	set -- $(link_pkts)
	local tx0=$1 rx0=$2
	sleep "$window"
	a1=$(cpu_ns "$(avahi_pid A)") b1=$(cpu_ns "$(avahi_pid B)") t1=$(cpu_ns "$p")
	set -- $(link_pkts)
	eval "${pre}_cpua=$(((a1 - a0) / 1000000)) ${pre}_cpub=$(((b1 - b0) / 1000000))"
	eval "${pre}_cpu=$(((t1 - t0) / 1000000)) ${pre}_tx=$(($1 - tx0)) ${pre}_rx=$(($2 - rx0))"
	eval "${pre}_pkts=$(($1 - tx0 + $2 - rx0))"
	# Churn: avahi's signals to the tool, counted on A's bus.
	host_bg_log A "$out/monitor.log" dbus-monitor --system --profile \
		"type='signal',sender='org.freedesktop.Avahi'"
	mon=$LAN_PID
	sleep 1
	local u0
	u0=$(churn_updates)
	kill -USR1 "$churn_pid"
	a0=$(cpu_ns "$(avahi_pid A)") t0=$(cpu_ns "$p")
	sleep "$churn_window"
	a1=$(cpu_ns "$(avahi_pid A)") t1=$(cpu_ns "$p")
	kill -USR2 "$churn_pid"
	sleep 1
	lan_kill "$mon"
	eval "${pre}_ccpua=$(((a1 - a0) / 1000)) ${pre}_ccpu=$(((t1 - t0) / 1000))"
	eval "${pre}_ev=$(awk -F'\t' '$1 == "sig" && ($8 == "Found" || $8 == "ItemNew" || $8 == "ItemRemove") { n++ } END { print n + 0 }' "$out/monitor.log")"
	eval "${pre}_upd=$(($(churn_updates) - u0))"
}

# flips TOOLPID: the event latency of dnssd-auditd.  txt-churn flips one
# service between a TXT with a duplicate key and one without, every
# 500 ms ($BENCH_FLIPS times, default 40), the churn stopped; on A's bus,
# from avahi's RecordBrowser.ItemNew to the daemon's FindingAdded or
# FindingRemoved that follows it.  Sets lat_n (pairs), lat_p50, lat_p95
# (ms).
flips() {
	local mon f0
	host_bg_log A "$out/flips.log" dbus-monitor --system --profile \
		"type='signal',interface='org.freedesktop.Avahi.RecordBrowser'" \
		"type='signal',interface='org.dnssdaudit.Auditor1'"
	mon=$LAN_PID
	sleep 1
	f0=$(sed -n 's/^flips //p' "$churn_log" | tail -n 1 | grep . || echo 0)
	kill -HUP "$churn_pid"
	wait_for 120 sh -c "[ \"\$(sed -n 's/^flips //p' '$churn_log' | tail -n 1)\" -ge $((f0 + ${BENCH_FLIPS:-40})) ]"
	kill -HUP "$churn_pid"
	sleep 2
	lan_kill "$mon"
	set -- $(awk -F'\t' '
		$1 == "sig" && $7 == "org.freedesktop.Avahi.RecordBrowser" && $8 == "ItemNew" { t0 = $2 }
		$1 == "sig" && $7 == "org.dnssdaudit.Auditor1" && ($8 == "FindingAdded" || $8 == "FindingRemoved") && t0 != "" {
			print ($2 - t0) * 1000; t0 = ""
		}' "$out/flips.log" | sort -g | awk '{ v[NR] = $1 } END {
			if (NR == 0) { print 0, "-", "-"; exit }
			i50 = int(NR * 0.50 + 0.999); i95 = int(NR * 0.95 + 0.999)
			printf "%d %.2f %.2f\n", NR, v[i50 < 1 ? 1 : i50], v[i95 < 1 ? 1 : i95] }')
	lat_n=$1 lat_p50=$2 lat_p95=$3
}

run_scan() {
	local t0 t1
	before_run
	t0=$(lan_now_ms)
	host_run A "$top_builddir/dnssd-audit" scan --json --registry "$registry" \
		--timeout 120 >"$out/scan.$r" 2>"$out/scan.$r.err"
	t1=$(lan_now_ms)
	s_ms=$((t1 - t0))
	set -- $(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["services"]
print(d.get("duration_ms", "-"), len({x["instance"] for x in s if x["protocol"] == "ipv4"}))' "$out/scan.$r")
	s_dur=$1 s_found=$2
}

# sync_sums TRACE FROM_NS TO_NS: "main_n main_ms main_max_ms other_n
# other_ms other_max_ms other_threads worst_1s_ms first_ns" for the calls
# that started in [FROM, TO): on the main thread (tid = pid) and on the
# others; the most the main thread was blocked in one second (counted
# from FROM); when the first call started (0: none).
sync_sums() {
	awk -v from="$2" -v to="$3" '
	NR == 1 { pid = $4; next }
	$2 >= from && $2 < to {
		t = ($1 == pid) ? "m" : "o"
		n[t]++; s[t] += $3; if ($3 > mx[t]) mx[t] = $3
		if (t == "o") th[$1] = 1
		if (t == "m") sec[int(($2 - from) / 1e9)] += $3
		if (first == "" || $2 < first) first = $2
	}
	END {
		for (k in th) nth++
		for (k in sec) if (sec[k] > w) w = sec[k]
		printf "%d %.1f %.2f %d %.1f %.2f %d %.1f %s\n", n["m"], s["m"] / 1e6, mx["m"] / 1e6,
			n["o"], s["o"] / 1e6, mx["o"] / 1e6, nth, w / 1e6, first == "" ? 0 : first
	}' "$1"
}

# auditd_uprop NAME: a uint32 property of dnssd-auditd on host A.
auditd_uprop() {
	dbus-send --bus="$(lan_bus A)" --print-reply --dest=org.dnssdaudit.Auditor1 \
		/org/dnssdaudit/Auditor1 org.freedesktop.DBus.Properties.Get \
		string:org.dnssdaudit.Auditor1 "string:$1" 2>/dev/null |
		awk '/uint32/ { print $NF }'
}

auditd_complete() {
	[ "$(auditd_uprop NServices)" -ge "$n_adverts" ]
}

run_daemon() {
	local fifo=$out/auditd.fifo log=$out/auditd.$r.log trace=$out/trace.$r line start kill_ns
	before_run
	rm -f "$fifo" "$trace"
	mkfifo "$fifo"
	# Each line of the daemon's stderr stamped (ms, realtime) as it comes.
	python3 -u -c '
import sys, time
for l in sys.stdin:
    sys.stdout.write("%d %s" % (time.time_ns() // 1000000, l))
    sys.stdout.flush()' <"$fifo" >"$log" &
	lan_track $!
	host_bg_log A "$fifo" env LD_PRELOAD="$BENCH_TOOLS/sync-trace.so" SYNC_TRACE_OUT="$trace" \
		"$top_builddir/dnssd-auditd" --foreground --log-target=stderr --config "$conf" \
		--registry "$registry"
	dpid=$LAN_PID
	if ! wait_for 600 grep -q "browse settled" "$log"; then
		tail -n 5 "$log" >&2
		fail "dnssd-auditd did not settle in 600 s"
	fi
	# Within 0.1 s of the line (wait_for's step): start-up and registry
	# load included.
	d_scpu=$(($(cpu_ns "$dpid") / 1000))
	line=$(grep -m 1 "browse settled" "$log")
	d_settled_at=${line%% *}
	d_found=$(echo "$line" | sed -n 's/.*auditing \([0-9]*\) .*/\1/p')
	# "browse settled" is logged once; a quiet rule that fires before the
	# LAN has delivered everything (seen at 3,000 services: half of them)
	# leaves the rest to be resolved after it.  The windows then wait
	# until NServices counts every advertisement (IPv4 and IPv6), and the
	# time that took is reported next to the settle time.
	d_complete=-
	if [ "${d_found:-0}" -lt "$n_adverts" ]; then
		if wait_for 600 auditd_complete; then
			d_complete=$(lan_now_ms)
		else
			d_complete=never
		fi
	fi
	d_nfro=$(auditd_uprop NFirstResolutionOnly)
	windows "$dpid" d
	flips "$dpid"
	d_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$dpid/status")
	kill_ns=$(date +%s%N)
	lan_kill "$dpid"
	[ -s "$trace" ] || fail "no sync trace from dnssd-auditd (did it exit cleanly?)"
	start=$(awk 'NR == 1 { print $2 }' "$trace")
	d_settle=$((d_settled_at - start / 1000000))
	case "$d_complete" in
	'' | *[!0-9]*) ;;
	*) d_complete=$((d_complete - start / 1000000)) ;;
	esac
	set -- $(sync_sums "$trace" "$start" "$((d_settled_at * 1000000))")
	main_n=$1 main_ms=$2 main_max=$3 oth_n=$4 oth_ms=$5 oth_max=$6 oth_threads=$7 main_worst=$8
	# Start-up (options, registry, bus name) makes no call to avahi: the
	# browse time runs from the first synchronous call to the settle line.
	d_startup=$(awk -v f="$9" -v s="$start" 'BEGIN { printf "%d", (f > 0 ? (f - s) / 1e6 : 0) }')
	main_share=$(awk -v b="$main_ms" -v s="$d_settle" 'BEGIN { printf "%.1f", (s > 0 ? 100 * b / s : 0) }')
	main_bshare=$(awk -v b="$main_ms" -v s="$((d_settle - d_startup))" 'BEGIN { printf "%.1f", (s > 0 ? 100 * b / s : 0) }')
	set -- $(sync_sums "$trace" "$((d_settled_at * 1000000))" "$kill_ns")
	after_n=$(($1 + $4)) after_ms=$(awk -v a="$2" -v b="$5" 'BEGIN { print a + b }')
}

# browse_counts LOG: "LINES FOUND RESOLVED FAILED RESOLVED_IPV4" of an
# avahi-browse -r -p log (its stderr too: "Failed to resolve ...").
linebuf=
command -v stdbuf >/dev/null 2>&1 && linebuf="stdbuf -oL"

browse_counts() {
	awk -F';' '{ n++ } $1 == "+" { f++ } $1 == "=" { r++; if ($3 == "IPv4") r4++ }
		/Failed to resolve/ { x++ } END { print n + 0, f + 0, r + 0, x + 0, r4 + 0 }' "$1"
}

run_browse() {
	local log=$out/browse.$r t0 last=-1 quiet=0
	before_run
	: >"$log"
	t0=$(lan_now_ms)
	# Line-buffered for sure: the settle rule reads the log as it grows.
	host_bg_log A "$log" $linebuf avahi-browse -a -r -p
	bpid=$LAN_PID
	# Settled: every service resolved on IPv4; else each service browsed
	# resolved or failed and 5 s without a line; at the latest 120 s
	# without a line.  At 3,000 services avahi-browse spends minutes
	# making its 6,000 resolvers (a blocking call each, to a saturated
	# avahi-daemon) and can go 60 s without printing a line.
	while :; do
		set -- $(browse_counts "$log")
		[ "$5" -ge "$n_services" ] && break
		if [ "$1" = "$last" ]; then
			quiet=$((quiet + 1))
		else
			quiet=0 last=$1
		fi
		[ "$2" -gt 0 ] && [ $(($3 + $4)) -ge "$2" ] && [ "$quiet" -ge 25 ] && break
		[ "$quiet" -ge 600 ] && break
		[ $(($(lan_now_ms) - t0)) -gt 600000 ] && fail "avahi-browse did not settle in 600 s"
		sleep 0.2
	done
	b_settle=$(($(lan_now_ms) - t0 - quiet * 200))
	b_found=$(browse_counts "$log" | awk '{ print $5 }')
	windows "$bpid" b
	lan_kill "$bpid"
}

rfile=$out/rounds
: >"$rfile"
r=1
while [ "$r" -le "$rounds" ]; do
	# Alternate the order, so that no tool always follows the same one.
	if [ $((r % 2)) = 1 ]; then
		run_scan; run_daemon; run_browse
	else
		run_browse; run_daemon; run_scan
	fi
	usev=$(awk -v c="$d_ccpu" -v e="$d_ev" 'BEGIN { if (e > 0) printf "%.1f", c / e; else print "-" }')
	b_usev=$(awk -v c="$b_ccpu" -v e="$b_ev" 'BEGIN { if (e > 0) printf "%.1f", c / e; else print "-" }')
	scpu_ad=$(awk -v c="$d_scpu" -v n="$d_found" 'BEGIN { if (n > 0) printf "%.0f", c / n; else print "-" }')
	hwm_goal=$((12288 + n_adverts * 7 / 2))
	echo "round $r ($n_services services):"
	echo "  settle: dnssd-auditd $d_settle ms ($d_found of $n_adverts advertisements audited$([ "$d_complete" = - ] || echo "; EARLY: all $n_adverts only at $d_complete ms")), dnssd-audit scan $s_ms ms wall (duration_ms $s_dur, $s_found found), avahi-browse $b_settle ms ($b_found resolved on IPv4)"
	echo "  sync D-Bus calls while settling: main thread $main_n calls, $main_ms ms ($main_share % of the settle time, $main_bshare % of the $((d_settle - d_startup)) ms after the $d_startup ms of start-up), longest $main_max ms, most in one second (calls by their start) $main_worst ms; other threads ($oth_threads): $oth_n calls, $oth_ms ms, longest $oth_max ms; after settling (windows): $after_n calls, $after_ms ms"
	echo "  NFirstResolutionOnly after settling: $d_nfro"
	echo "  quiet ${window} s (from ${settle_wait} s after settling): avahi CPU A $d_cpua / $b_cpua ms, B $d_cpub / $b_cpub ms, packets $d_pkts (A tx $d_tx, rx $d_rx) / $b_pkts (A tx $b_tx, rx $b_rx), tool CPU $d_cpu / $b_cpu ms  (dnssd-auditd / avahi-browse)"
	echo "  churn ${churn_window} s ($d_upd / $b_upd TXT updates published): events $d_ev / $b_ev, tool CPU $((d_ccpu / 1000)) / $((b_ccpu / 1000)) ms = $usev / $b_usev us per event, avahi A CPU $((d_ccpua / 1000)) / $((b_ccpua / 1000)) ms, tool/avahiA $(ratio "$d_ccpu" "$d_ccpua") / $(ratio "$b_ccpu" "$b_ccpua")"
	echo "  dnssd-auditd: CPU to settle $((d_scpu / 1000)) ms = $scpu_ad us per advertisement (goal <= 350 us per service); peak RSS $d_hwm kB (goal 12 MiB + 3.5 KB per advertisement = $hwm_goal kB)"
	echo "  event latency, TXT record to finding signal ($lat_n flips): p50 $lat_p50 ms, p95 $lat_p95 ms (goal p95 <= 5 ms)"
	echo "r=$r d_scpu_ad=$scpu_ad d_hwm=$d_hwm hwm_goal=$hwm_goal lat_n=$lat_n lat_p50=$lat_p50 lat_p95=$lat_p95 b_found=$b_found d_settle=$d_settle d_found=$d_found d_complete=$d_complete s_ms=$s_ms s_dur=$s_dur b_settle=$b_settle main_n=$main_n main_ms=$main_ms main_share=$main_share main_bshare=$main_bshare d_startup=$d_startup main_max=$main_max main_worst=$main_worst oth_n=$oth_n oth_ms=$oth_ms nfro=$d_nfro d_cpua=$d_cpua b_cpua=$b_cpua d_cpub=$d_cpub b_cpub=$b_cpub d_pkts=$d_pkts b_pkts=$b_pkts d_cpu=$d_cpu b_cpu=$b_cpu d_ev=$d_ev b_ev=$b_ev d_usev=$usev b_usev=$b_usev d_ccpu=$d_ccpu d_ccpua=$d_ccpua b_ccpu=$b_ccpu b_ccpua=$b_ccpua" >>"$rfile"
	r=$((r + 1))
done

# med KEY: the median of KEY over the rounds.
med() {
	median $(awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$rfile")
}
m_d_ccpu=$(med d_ccpu) m_d_ccpua=$(med d_ccpua)
summary="n=$n_services b_found=$(med b_found) d_settle=$(med d_settle) d_found=$(med d_found) d_complete=$(med d_complete) s_ms=$(med s_ms) r_settle=$(ratio "$(med d_settle)" "$(med s_ms)")"
summary="$summary main_share=$(med main_share) main_bshare=$(med main_bshare) main_max=$(med main_max) main_n=$(med main_n) nfro=$(med nfro)"
for k in cpua cpub pkts; do
	summary="$summary d_$k=$(med d_$k) b_$k=$(med b_$k) r_$k=$(ratio "$(med d_$k)" "$(med b_$k)")"
done
summary="$summary d_ev=$(med d_ev) b_ev=$(med b_ev) d_usev=$(med d_usev) r_dav=$(ratio "$m_d_ccpu" "$m_d_ccpua")"
summary="$summary d_scpu_ad=$(med d_scpu_ad) d_hwm=$(med d_hwm) hwm_goal=$(med hwm_goal) lat_p95=$(med lat_p95)"
echo "$summary" >>"$results"
echo "median of $rounds: $summary"
