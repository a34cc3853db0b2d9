# lib.sh - a real two-host mDNS LAN on one machine, for integration tests.
#
# Sourced (POSIX sh: dash or bash) by tests/integration/*.test and by
# scripts/demo-lan.  It builds, with real components and no mocks:
#
#   host A: netns dsa<id>a, lan0 192.0.2.1/24 + IPv6 link-local, its own
#           dbus-daemon (the "system bus" of that host) and avahi-daemon
#   host B: netns dsa<id>b, lan0 192.0.2.2/24 + IPv6 link-local, likewise
#
# joined by a veth pair.  192.0.2.0/24 is TEST-NET-1 and lives only inside
# the namespaces.  Every name (namespaces, host names, temp dir) carries a
# per-run id, so tests can run in parallel (make -j2 check).
#
# Hosts are named A and B (either case) in every function below.
#
#   lan_up                 build the LAN, wait until both avahi-daemons are
#                          RUNNING; installs an EXIT/INT/TERM trap that calls
#                          lan_down.  Calls skip() when not root or a tool is
#                          missing.
#   lan_down               kill every process started here (and anything left
#                          in the namespaces), delete the namespaces and the
#                          temp dir (kept when LAN_KEEP=1).  Idempotent.
#   host_run H CMD...      run CMD in host H's netns with
#                          DBUS_SYSTEM_BUS_ADDRESS set to H's bus.
#   host_bg H CMD...       the same in the background; output goes to an
#                          automatic log file.  Sets LAN_PID and LAN_LOG.
#   host_bg_log H LOG CMD... the same with output to LOG.
#   lan_publish H ARGS...  avahi-publish-service ARGS... in the background on
#                          H; waits until avahi confirms ("Established").
#                          Sets LAN_PID (kill it to withdraw the service).
#   lan_publish_bg H ARGS... the same without waiting (sets LAN_PID);
#   lan_publish_settle     then waits for every lan_publish_bg so far
#                          (publishing several services in parallel).
#   lan_static_services H FILE...  copy avahi .service files into H's
#                          /etc/avahi/services (a private bind mount) and make
#                          avahi reload them (SIGHUP).
#   avahi_restart H        kill H's avahi-daemon and start it again (waits
#                          until it is RUNNING).  avahi_stop / avahi_start H
#                          do the halves.
#   mdns_send H ARGS...    run tests/integration/mdns-send.py on H, bound to
#                          H's address (see mdns-send.py --help); add
#                          --ipv6 "$LAN_IF" to send over IPv6 instead.
#   mdns_send_bg H ARGS... the same in the background (sets LAN_PID).
#   lan_registry           print the IANA registry path: the full one
#                          (lan_full_registry), else the excerpt
#                          tests/registry-data/fixture-registry.xml (IANA's
#                          records of every name the tests use), saying so
#                          on stderr.
#   lan_full_registry      print the full registry ($DNSSD_AUDIT_REGISTRY,
#                          else $DNSSD_AUDIT_SHARED/iana/...); status 1 when
#                          there is none.  For tests that need the whole
#                          file: `r=$(lan_full_registry) || skip REASON`.
#   syslog_catcher_start H PATH OUT  an AF_UNIX datagram socket at PATH; each
#                          datagram becomes one line of OUT.  Waits until the
#                          socket exists.
#   host_bg_devlog H LOG SOCK CMD...  host_bg_log with SOCK (a catcher's
#                          socket) as CMD's /dev/log, for syslog(3).
#   wait_for TIMEOUT CMD...  run CMD every 0.1 s until it succeeds; returns 1
#                          after TIMEOUT seconds (may be fractional).
#   wait_for_line TIMEOUT FILE REGEX  wait until grep -E REGEX FILE matches.
#   lan_kill PID...        TERM, then KILL after 3 s, and reap.
#   lan_track PID          have lan_down kill PID too.
#   lan_dead PID / lan_alive PID  is the process gone (or a zombie)?
#   lan_name_owned H NAME / lan_name_gone H NAME  is the D-Bus name owned
#                          on H's bus?
#   avahi_running H        H's avahi-daemon is RUNNING (server state 2).
#   avahi_pid H            the pid of H's avahi-daemon.
#   lan_need_tools [TOOL...]  skip unless root and every tool is there
#                          (lan_up checks the basic set itself).
#   skip REASON            print REASON on stderr, exit 77.
#   fail REASON            print REASON on stderr, exit 1.
#
# Variables after lan_up: LAN_TMP (temp dir), LAN_ID, LAN_IF (lan0),
# LAN_NS_A/B, LAN_IP_A/B, LAN_HOST_A/B (avahi host names), LAN_BUS_A/B (bus
# addresses), LAN_DIR_A/B (per-host dirs), LAN_SRCDIR (this directory),
# LAN_BUILDDIR (absolute top build dir).
#
# Debug: LAN_KEEP=1 keeps the temp dir; LAN_VERBOSE=1 runs avahi with
# --debug; LAN_IPV6=no turns IPv6 off in both avahi-daemons; LAN_ID=X
# replaces the pid in the names.  On failure the tails of the daemon logs
# are printed on stderr.
#
# Rules for tests: never a bare `wait` (the daemons are children of the
# test shell too: wait for the pids you mean); every wait is bounded
# (wait_for); every temp file lives under $LAN_TMP.  avahi-browse and the
# avahi client library list TXT strings in REVERSE wire order.

LAN_SRCDIR=$(cd "$(dirname "${LAN_LIB:-$0}")" 2>/dev/null && pwd)
case "$LAN_SRCDIR" in
*/tests/integration) ;;
*) LAN_SRCDIR=$(cd "${top_srcdir:-.}/tests/integration" 2>/dev/null && pwd) ;;
esac
LAN_BUILDDIR=$(cd "${top_builddir:-.}" && pwd)
LAN_IF=lan0
LAN_IP_A=192.0.2.1
LAN_IP_B=192.0.2.2
LAN_PIDS=
LAN_UP=
LAN_PUBLISHING=

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

lan_log() {
	echo "lan: $*" >&2
}

# lan_h H -> prints "a" or "b"; anything else is a test bug.
lan_h() {
	case "$1" in
	a | A) echo a ;;
	b | B) echo b ;;
	*) fail "unknown host '$1' (want A or B)" ;;
	esac
}

lan_ns() { eval "echo \$LAN_NS_$(lan_h "$1" | tr ab AB)"; }
lan_ip() { eval "echo \$LAN_IP_$(lan_h "$1" | tr ab AB)"; }
lan_bus() { eval "echo \$LAN_BUS_$(lan_h "$1" | tr ab AB)"; }
lan_dir() { eval "echo \$LAN_DIR_$(lan_h "$1" | tr ab AB)"; }
lan_hostname() { eval "echo \$LAN_HOST_$(lan_h "$1" | tr ab AB)"; }

lan_now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

wait_for() {
	local timeout=$1 deadline
	shift
	deadline=$(($(lan_now_ms) + $(echo "$timeout" | awk '{ printf "%d", $1 * 1000 }')))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(lan_now_ms)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

wait_for_line() {
	wait_for "$1" grep -qE -e "$3" "$2"
}

lan_track() {
	LAN_PIDS="$LAN_PIDS $1"
}

lan_alive() {
	kill -0 "$1" 2>/dev/null
}

lan_kill() {
	local p
	for p in "$@"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "$@"; do
		if ! wait_for 3 lan_dead "$p"; then
			kill -KILL "$p" 2>/dev/null
		fi
		wait "$p" 2>/dev/null
	done
	return 0
}

# A pid that is gone or a zombie counts as dead (children of this shell stay
# zombies until waited for).
lan_dead() {
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
	[ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}

host_run() {
	local h=$1
	shift
	ip netns exec "$(lan_ns "$h")" env DBUS_SYSTEM_BUS_ADDRESS="$(lan_bus "$h")" "$@"
}

host_bg_log() {
	local h=$1 log=$2
	shift 2
	ip netns exec "$(lan_ns "$h")" env DBUS_SYSTEM_BUS_ADDRESS="$(lan_bus "$h")" "$@" >"$log" 2>&1 </dev/null &
	LAN_PID=$!
	LAN_LOG=$log
	lan_track "$LAN_PID"
}

LAN_BG_N=0
host_bg() {
	local h=$1
	shift
	LAN_BG_N=$((LAN_BG_N + 1))
	host_bg_log "$h" "$(lan_dir "$h")/bg.$LAN_BG_N.$(basename "$1").log" "$@"
}

lan_need_tools() {
	local t
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, avahi-daemon)"
	for t in ip unshare mount dbus-daemon dbus-send avahi-daemon avahi-browse \
		avahi-publish-service python3 awk "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "missing tool: $t"
	done
	ip netns list >/dev/null 2>&1 || skip "ip netns does not work here"
}

lan_write_dbus_conf() {
	cat >"$1/dbus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <!-- Test-only system bus of one simulated host: anyone may own any name
       (org.freedesktop.Avahi, org.dnssdaudit.Auditor1) and send anything. -->
  <type>system</type>
  <listen>unix:path=$1/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
EOF
}

lan_write_avahi_conf() {
	local dir=$1 host=$2 ipv6=${LAN_IPV6:-yes}
	cat >"$dir/avahi-daemon.conf" <<EOF
[server]
host-name=$host
domain-name=local
browse-domains=
use-ipv4=yes
use-ipv6=$ipv6
allow-interfaces=$LAN_IF
enable-dbus=yes
disallow-other-stacks=no
allow-point-to-point=no
ratelimit-interval-usec=1000000
ratelimit-burst=10000

[wide-area]
enable-wide-area=no

[publish]
disable-publishing=no
disable-user-service-publishing=no
publish-addresses=yes
publish-hinfo=no
publish-workstation=no
publish-domain=no
publish-aaaa-on-ipv4=no
publish-a-on-ipv6=no

[reflector]
enable-reflector=no

[rlimits]
EOF
}

lan_bus_up() {
	local h=$1 dir
	dir=$(lan_dir "$h")
	dbus-daemon --nofork --nopidfile --config-file="$dir/dbus.conf" \
		>"$dir/dbus.log" 2>&1 </dev/null &
	eval "LAN_DBUS_PID_$(lan_h "$h" | tr ab AB)=$!"
	lan_track $!
	wait_for 10 dbus-send --bus="$(lan_bus "$h")" --print-reply \
		--dest=org.freedesktop.DBus / org.freedesktop.DBus.GetId ||
		fail "dbus-daemon of host $h did not come up (see $dir/dbus.log)"
}

# The avahi server state (org.freedesktop.Avahi.Server.GetState): 2 is
# AVAHI_SERVER_RUNNING (host name probed and announced).
avahi_running() {
	dbus-send --bus="$(lan_bus "$1")" --print-reply --dest=org.freedesktop.Avahi \
		/ org.freedesktop.Avahi.Server.GetState 2>/dev/null | grep -q 'int32 2$'
}

# avahi_spawn H: start H's avahi-daemon in the background (no waiting).
avahi_spawn() {
	local h=$1 dir debug=
	dir=$(lan_dir "$h")
	[ -n "$LAN_VERBOSE" ] && debug=--debug
	# avahi-daemon's pid file and socket paths are fixed (/run/avahi-daemon),
	# so each instance gets a private mount namespace with a tmpfs there;
	# its /etc/avahi/services is this host's services dir.
	mkdir -p /run/avahi-daemon
	ip netns exec "$(lan_ns "$h")" env DBUS_SYSTEM_BUS_ADDRESS="$(lan_bus "$h")" \
		unshare -m --propagation private sh -c '
			mount -t tmpfs tmpfs /run/avahi-daemon &&
			mount --bind "$1/services" /etc/avahi/services &&
			exec avahi-daemon --no-drop-root --no-chroot --no-rlimits \
				--no-proc-title $2 -f "$1/avahi-daemon.conf"' \
		sh "$dir" "$debug" >>"$dir/avahi.log" 2>&1 </dev/null &
	eval "LAN_AVAHI_PID_$(lan_h "$h" | tr ab AB)=$!"
	lan_track $!
}

# avahi_wait H: wait (20 s at most) until H's avahi-daemon is RUNNING.
avahi_wait() {
	local dir
	dir=$(lan_dir "$1")
	if ! wait_for 20 avahi_running "$1"; then
		tail -n 20 "$dir/avahi.log" >&2
		fail "avahi-daemon of host $1 is not RUNNING after 20 s"
	fi
}

avahi_start() {
	avahi_spawn "$1"
	avahi_wait "$1"
}

avahi_pid() {
	eval "echo \$LAN_AVAHI_PID_$(lan_h "$1" | tr ab AB)"
}

avahi_stop() {
	local pid
	pid=$(avahi_pid "$1")
	[ -n "$pid" ] && lan_kill "$pid"
	eval "LAN_AVAHI_PID_$(lan_h "$1" | tr ab AB)="
	# Its D-Bus name must be gone before anyone counts on it being gone.
	wait_for 5 lan_name_gone "$1" org.freedesktop.Avahi
}

lan_name_gone() {
	! dbus-send --bus="$(lan_bus "$1")" --print-reply --dest=org.freedesktop.DBus \
		/ org.freedesktop.DBus.NameHasOwner "string:$2" 2>/dev/null |
		grep -q 'boolean true'
}

lan_name_owned() {
	! lan_name_gone "$@"
}

avahi_restart() {
	avahi_stop "$1"
	avahi_start "$1"
}

lan_netns_up() {
	local a b ns p h
	a=$LAN_NS_A
	b=$LAN_NS_B
	# Names carry our pid: namespaces of that name can only be left over
	# from a run that was killed outright (SIGKILL) and had the same pid.
	if [ -n "$LAN_ID_IS_PID" ]; then
		for ns in "$a" "$b"; do
			if ip netns list | grep -q "^$ns\b"; then
				lan_log "removing stale namespace $ns"
				for p in $(ip netns pids "$ns" 2>/dev/null); do
					kill -KILL "$p" 2>/dev/null
				done
				ip netns del "$ns"
			fi
		done
	fi
	ip netns add "$a" || fail "ip netns add $a"
	ip netns add "$b" || fail "ip netns add $b"
	ip link add name "$LAN_IF" netns "$a" type veth peer name "$LAN_IF" netns "$b" ||
		fail "cannot create the veth pair"
	for h in a b; do
		ns=$(lan_ns $h)
		# No duplicate address detection: the link-local address is usable
		# at once, and avahi sees it immediately.  A syslog socket queue of
		# 512 datagrams as on systemd hosts (the namespace default is 10,
		# too few for a burst of lines when the catcher lags).
		ip netns exec "$ns" sh -c "
			sysctl -qw net.unix.max_dgram_qlen=512 >/dev/null 2>&1
			sysctl -qw net.ipv6.conf.all.accept_dad=0 \
				net.ipv6.conf.default.accept_dad=0 \
				net.ipv6.conf.$LAN_IF.accept_dad=0 >/dev/null 2>&1
			ip link set lo up &&
			ip link set $LAN_IF multicast on &&
			ip addr add $(lan_ip $h)/24 dev $LAN_IF &&
			ip link set $LAN_IF up" || fail "cannot configure $ns"
	done
	# Wait for the carrier and the IPv6 link-local addresses on both ends.
	for h in a b; do
		wait_for 10 sh -c "ip -n $(lan_ns $h) -6 addr show dev $LAN_IF scope link | grep -q 'inet6 fe80' &&
			! ip -n $(lan_ns $h) -6 addr show dev $LAN_IF | grep -q tentative" ||
			fail "no IPv6 link-local address on $(lan_ns $h)"
	done
}

lan_up() {
	local h dir
	lan_need_tools
	LAN_ID_IS_PID=
	[ -n "${LAN_ID:-}" ] || LAN_ID_IS_PID=1
	LAN_ID=${LAN_ID:-$$}
	LAN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dnssd-lan.$LAN_ID.XXXXXX") ||
		fail "mktemp"
	chmod 755 "$LAN_TMP"
	LAN_NS_A=dsa${LAN_ID}a
	LAN_NS_B=dsa${LAN_ID}b
	LAN_HOST_A=dsa${LAN_ID}-a
	LAN_HOST_B=dsa${LAN_ID}-b
	LAN_DIR_A=$LAN_TMP/a
	LAN_DIR_B=$LAN_TMP/b
	LAN_BUS_A=unix:path=$LAN_DIR_A/bus
	LAN_BUS_B=unix:path=$LAN_DIR_B/bus
	LAN_UP=1
	trap 'lan_on_exit $?' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	for h in a b; do
		dir=$(lan_dir $h)
		mkdir -p "$dir/services"
		lan_write_dbus_conf "$dir"
		lan_write_avahi_conf "$dir" "$(lan_hostname $h)"
	done
	lan_netns_up
	for h in a b; do
		lan_bus_up $h
	done
	# Both avahi-daemons probe their host names at the same time.
	avahi_spawn a
	avahi_spawn b
	avahi_wait a
	avahi_wait b
	lan_log "up: $LAN_NS_A ($LAN_IP_A, $LAN_HOST_A) <-> $LAN_NS_B ($LAN_IP_B, $LAN_HOST_B) in $LAN_TMP"
}

lan_on_exit() {
	local rc=$1 f
	trap - EXIT INT TERM HUP
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -n "$LAN_TMP" ] && [ -d "$LAN_TMP" ]; then
		for f in "$LAN_TMP"/*/*.log; do
			[ -s "$f" ] || continue
			echo "--- tail of ${f#$LAN_TMP/}" >&2
			tail -n 15 "$f" >&2
		done
	fi
	lan_down
	exit "$rc"
}

# lan_signal_all SIG: send SIG to every process we started (by pid) and to
# anything still inside our own namespaces (their children).
lan_signal_all() {
	local p ns
	for p in $LAN_PIDS; do
		kill -"$1" "$p" 2>/dev/null
	done
	for ns in $LAN_NS_A $LAN_NS_B; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -"$1" "$p" 2>/dev/null
		done
	done
}

lan_down() {
	local p ns
	[ -n "$LAN_UP" ] || return 0
	LAN_UP=
	lan_signal_all TERM
	for p in $LAN_PIDS; do
		wait_for 3 lan_dead "$p" || break
	done
	lan_signal_all KILL
	for p in $LAN_PIDS; do
		wait "$p" 2>/dev/null
	done
	for ns in $LAN_NS_A $LAN_NS_B; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$LAN_KEEP" ]; then
		lan_log "kept $LAN_TMP"
	else
		rm -rf "$LAN_TMP"
	fi
	return 0
}

lan_publish_bg() {
	local h=$1
	shift
	host_bg "$h" avahi-publish-service "$@"
	LAN_PUBLISHING="$LAN_PUBLISHING $LAN_LOG"
}

lan_publish_settle() {
	local log
	for log in $LAN_PUBLISHING; do
		if ! wait_for 10 grep -q "Established under name" "$log"; then
			cat "$log" >&2
			fail "avahi-publish-service was not established (see $log)"
		fi
	done
	LAN_PUBLISHING=
}

lan_publish() {
	lan_publish_bg "$@"
	lan_publish_settle
}

lan_static_services() {
	local h=$1 f
	shift
	for f in "$@"; do
		cp "$f" "$(lan_dir "$h")/services/" || fail "cannot copy $f"
	done
	kill -HUP "$(avahi_pid "$h")" || fail "avahi-daemon of host $h is gone"
}

mdns_send() {
	local h=$1
	shift
	host_run "$h" python3 "$LAN_SRCDIR/mdns-send.py" --bind "$(lan_ip "$h")" "$@"
}

mdns_send_bg() {
	local h=$1
	shift
	host_bg "$h" python3 "$LAN_SRCDIR/mdns-send.py" --bind "$(lan_ip "$h")" "$@"
}

syslog_catcher_start() {
	local h=$1 path=$2 out=$3
	host_bg_log "$h" "$out.catcher.log" python3 "$LAN_SRCDIR/syslog-catcher.py" "$path" "$out"
	wait_for 10 test -S "$path" || fail "syslog catcher did not create $path"
}

# The full registry: $DNSSD_AUDIT_REGISTRY, else
# $DNSSD_AUDIT_SHARED/iana/service-names-port-numbers.xml.  Status 1 when
# absent (a plain clone).
lan_full_registry() {
	local r=${DNSSD_AUDIT_REGISTRY:-${DNSSD_AUDIT_SHARED:-$LAN_SRCDIR/../../../shared}/iana/service-names-port-numbers.xml}
	[ -f "$r" ] || return 1
	echo "$r"
}

# The registry for the daemon and the CLI: the full one, else the fixture
# excerpt (what every test but reload.test needs).  Fails only when the
# source tree lacks the fixture.
lan_registry() {
	local r
	if r=$(lan_full_registry); then
		echo "$r"
		return 0
	fi
	r=$LAN_SRCDIR/../registry-data/fixture-registry.xml
	[ -f "$r" ] || fail "no registry: neither the full one nor the fixture $r"
	lan_log "no full IANA registry (DNSSD_AUDIT_REGISTRY, DNSSD_AUDIT_SHARED): using the fixture $r"
	echo "$r"
}

# host_bg_devlog H LOG SOCK CMD...: syslog(3) always writes to /dev/log, so
# CMD gets a mount namespace of its own with SOCK bind-mounted there.  Its
# /dev is a private tmpfs with the usual device nodes: the bind mount needs
# a file to cover, and this machine's /dev (where /dev/log may be missing,
# or the journal's) is never touched.  No fork: LAN_PID is CMD's pid.
host_bg_devlog() {
	local h=$1 log=$2 sock=$3
	shift 3
	host_bg_log "$h" "$log" unshare -m --propagation private sh -c '
		sock=$1
		shift
		mount -t tmpfs -o mode=755,nosuid tmpfs /dev &&
		mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 &&
		mknod -m 666 /dev/full c 1 7 && mknod -m 666 /dev/random c 1 8 &&
		mknod -m 666 /dev/urandom c 1 9 && mknod -m 666 /dev/tty c 5 0 &&
		ln -s /proc/self/fd /dev/fd && ln -s fd/0 /dev/stdin &&
		ln -s fd/1 /dev/stdout && ln -s fd/2 /dev/stderr &&
		: >/dev/log && mount --bind "$sock" /dev/log &&
		exec "$@"' sh "$sock" "$@"
}

# --- More links between A and B (real-lan.test, three-links.test) ---------
#
#   lan_add_link IF IP_A IP_B  one more veth pair IF between host A and host
#                          B (IPv4 IP_A/24 on A, IP_B/24 on B, plus IPv6
#                          link-local on both), then both avahi-daemons are
#                          allowed on every link (allow-interfaces is read at
#                          start only, so both are restarted: call it before
#                          publishing anything with avahi).  LAN_LINKS lists
#                          the links, lan0 first.
#   lan_link_ip H IF       H's IPv4 address on link IF.
#   lan_avahi_links_set    rewrite allow-interfaces of both avahi-daemons
#                          to $LAN_LINKS and restart both (in parallel).
#   avahi_sees_links H N TYPE  avahi-browse on H lists TYPE on N distinct
#                          (interface, protocol) pairs.

lan_link_ip() {
	local h ifname=$2
	h=$(lan_h "$1" | tr ab AB)
	if [ "$ifname" = "$LAN_IF" ]; then
		lan_ip "$1"
	else
		eval "echo \$LAN_IP_${h}_$ifname"
	fi
}

lan_avahi_links_set() {
	local h list
	list=$(echo $LAN_LINKS | tr ' ' ,)
	for h in a b; do
		sed -i "s/^allow-interfaces=.*/allow-interfaces=$list/" \
			"$(lan_dir $h)/avahi-daemon.conf" || fail "cannot rewrite avahi-daemon.conf of $h"
	done
	avahi_stop a
	avahi_stop b
	avahi_spawn a
	avahi_spawn b
	avahi_wait a
	avahi_wait b
}

lan_add_link() {
	local ifname=$1 ip_a=$2 ip_b=$3 h ns ip
	[ -n "$LAN_UP" ] || fail "lan_add_link before lan_up"
	[ -n "${LAN_LINKS:-}" ] || LAN_LINKS=$LAN_IF
	ip link add name "$ifname" netns "$LAN_NS_A" type veth peer name "$ifname" \
		netns "$LAN_NS_B" || fail "cannot create the veth pair $ifname"
	for h in a b; do
		ns=$(lan_ns $h)
		if [ $h = a ]; then ip=$ip_a; else ip=$ip_b; fi
		ip netns exec "$ns" sh -c "
			sysctl -qw net.ipv6.conf.$ifname.accept_dad=0 >/dev/null 2>&1
			ip link set $ifname multicast on &&
			ip addr add $ip/24 dev $ifname &&
			ip link set $ifname up" || fail "cannot configure $ifname in $ns"
	done
	for h in a b; do
		wait_for 10 sh -c "ip -n $(lan_ns $h) -6 addr show dev $ifname scope link | grep -q 'inet6 fe80' &&
			! ip -n $(lan_ns $h) -6 addr show dev $ifname | grep -q tentative" ||
			fail "no IPv6 link-local address on $ifname in $(lan_ns $h)"
	done
	eval "LAN_IP_A_$ifname=$ip_a LAN_IP_B_$ifname=$ip_b"
	LAN_LINKS="$LAN_LINKS $ifname"
	lan_avahi_links_set
	lan_log "link $ifname: $ip_a <-> $ip_b (avahi on: $LAN_LINKS)"
}

avahi_sees_links() {
	[ "$(host_run "$1" avahi-browse -t -p -k "$3" 2>/dev/null |
		awk -F';' '$1 == "+" { print $2 ";" $3 }' | sort -u | wc -l)" -ge "$2" ]
}

# lan_avahi_conf_set H SECTION KEY=VALUE...: set KEY=VALUE in [SECTION] of
# H's avahi-daemon.conf (replacing an earlier value of KEY); takes effect
# at the next avahi_start/avahi_restart H.  E.g. a LAN of thousands of
# services needs "server cache-entries-max=..." (default 4096 records)
# and, for avahi-browse -r, "server objects-per-client-max=..." (1024).
lan_avahi_conf_set() {
	local h=$1 section=$2 kv key conf
	shift 2
	conf=$(lan_dir "$h")/avahi-daemon.conf
	for kv in "$@"; do
		key=${kv%%=*}
		sed -i -e "/^\[$section\]\$/,/^\[/{/^$key=/d}" "$conf" &&
			sed -i -e "/^\[$section\]\$/a $kv" "$conf" ||
			fail "cannot set $kv in $conf"
	done
}

# Both avahi-daemons with room for thousands of services, restarted: every
# service is a PTR, SRV and TXT record per interface and protocol in the
# cache (default 4096 records), and avahi-browse -r or a daemon watching
# each one needs more than 1024 objects per client.
lan_avahi_raise_limits() {
	local h
	for h in A B; do
		lan_avahi_conf_set $h server cache-entries-max=65536 objects-per-client-max=16384
	done
	avahi_restart B >/dev/null 2>&1 || fail "avahi-daemon of host B did not restart"
	avahi_restart A >/dev/null 2>&1 || fail "avahi-daemon of host A did not restart"
}

# Restart H's avahi-daemon and make sure it is a new one (a cold cache).
# In the calling shell, not in a $(...) subshell: lib.sh keeps the
# daemon's pid in a variable, and a restart in a subshell would leave the
# next one killing a stale pid and timing against the old, warm daemon.
lan_avahi_cold() {
	local old
	old=$(avahi_pid "$1")
	avahi_restart "$1" >/dev/null 2>&1 || fail "avahi-daemon of host $1 did not restart"
	[ "$(avahi_pid "$1")" != "$old" ] && lan_dead "$old" ||
		fail "avahi-daemon of host $1 (pid $old) was not replaced"
}

# lan_many_services H N: N static services in H's services dir, "bench
# service 0".."bench service N-1", spread over 20 service types (most
# registered, one unregistered, one with an underscore), ports 1024+i, TXT
# txtvers=1 n=i; then avahi reloads them (SIGHUP).  With thousands, raise
# cache-entries-max on the browsing host first (lan_avahi_conf_set).
lan_many_services() {
	local h=$1 n=$2
	awk -v n="$n" -v dir="$(lan_dir "$h")/services" 'BEGIN {
		nt = split("_http._tcp _ipp._tcp _ssh._tcp _sftp-ssh._tcp _workstation._tcp " \
			"_printer._tcp _smb._tcp _afpovertcp._tcp _raop._tcp _airplay._tcp " \
			"_apt_proxy._tcp _bench-x._tcp _nfs._tcp _daap._tcp _rfb._tcp _ftp._tcp " \
			"_webdav._tcp _pdl-datastream._tcp _scanner._tcp _device-info._tcp", t, " ")
		for (i = 0; i < n; i++) {
			f = dir "/bench-" i ".service"
			printf "<?xml version=\"1.0\" standalone=\"no\"?>\n" \
				"<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n" \
				"<service-group>\n  <name>bench service %d</name>\n  <service>\n" \
				"    <type>%s</type>\n    <port>%d</port>\n" \
				"    <txt-record>txtvers=1</txt-record>\n    <txt-record>n=%d</txt-record>\n" \
				"  </service>\n</service-group>\n", i, t[i % nt + 1], 1024 + i, i > f
			close(f)
		}
	}' || fail "cannot write $n service files"
	kill -HUP "$(avahi_pid "$h")" || fail "avahi-daemon of host $h is gone"
}

# lan_avahi_cpu_ticks H: CPU time (user + system, clock ticks) used so far
# by H's avahi-daemon.
lan_avahi_cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$(avahi_pid "$1")/stat"
}

# lan_avahi_idle H TIMEOUT: wait until H's avahi-daemon is idle (less than
# 5 % of a CPU over one second).  With thousands of services, avahi 0.8
# spends seconds of CPU on each full answer (and a minute probing and
# announcing them): a responder still busy with the last run answers the
# next one late, and is no LAN to measure a browser against.  Returns 1
# after TIMEOUT seconds.
lan_avahi_idle() {
	local h=$1 deadline c0 c1
	deadline=$(($(lan_now_ms) + $2 * 1000))
	while :; do
		c0=$(lan_avahi_cpu_ticks "$h")
		sleep 1
		c1=$(lan_avahi_cpu_ticks "$h")
		[ $((c1 - c0)) -lt 5 ] && return 0
		[ "$(lan_now_ms)" -ge "$deadline" ] && return 1
	done
}

# lan_avahi_settle H N TIMEOUT: wait until H's avahi-daemon has
# established N static services (its log), then until it is idle
# (lan_avahi_idle).  Returns 1 after TIMEOUT seconds.
lan_avahi_settle() {
	local h=$1 n=$2 t0=$(lan_now_ms) left
	while [ "$(grep -c 'successfully established' "$(lan_dir "$h")/avahi.log")" -lt "$n" ]; do
		[ "$(lan_now_ms)" -ge $((t0 + $3 * 1000)) ] && return 1
		sleep 1
	done
	left=$(($3 - ($(lan_now_ms) - t0) / 1000))
	[ "$left" -gt 0 ] && lan_avahi_idle "$h" "$left"
}
