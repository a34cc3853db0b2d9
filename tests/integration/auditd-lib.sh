# auditd-lib.sh - run dnssd-auditd on host A of the test LAN (lib.sh).
#
# Sourced after lib.sh by flood.test, faults.test and hostile-txt.test.
#
#   auditd_setup [KEY=VALUE...]  write $AUDITD_CONF ([audit] group with the
#                   given keys) and start the syslog catcher at
#                   $AUDITD_SOCK; lines land in $AUDITD_SYSLOG.  Skips if
#                   dnssd-auditd is not built.
#   auditd_start [ARGS...]  start dnssd-auditd --foreground on host A with
#                   --config $AUDITD_CONF --registry $AUDITD_REGISTRY
#                   --log-target syslog ARGS, $AUDITD_SOCK as its /dev/log
#                   (host_bg_devlog); waits until it owns its bus name.
#                   Sets AUDITD_PID; stderr goes to $AUDITD_STDERR.
#   auditd_stop          SIGTERM; the daemon must exit 0 within 10 s (under
#                   ASan that includes: no leak at exit).
#   auditd_prop NAME     print a property of org.dnssdaudit.Auditor1.
#   auditd_alive         the daemon process still runs.
#   auditd_hwm_kib       its peak resident set (VmHWM) in KiB.
#   auditd_sanitized     true when the binary is built with ASan (its RSS
#                   is then no measure of ours).
#   syslog_count REGEX   lines of $AUDITD_SYSLOG matching REGEX (grep -E).

AUDITD_BIN=$LAN_BUILDDIR/dnssd-auditd

auditd_setup() {
	local kv
	[ -x "$AUDITD_BIN" ] || skip "dnssd-auditd is not built ($AUDITD_BIN)"
	AUDITD_REGISTRY=${AUDITD_REGISTRY:-$(lan_registry)} || exit $?
	AUDITD_CONF=$LAN_TMP/dnssd-audit.conf
	AUDITD_SOCK=$LAN_TMP/log.sock
	AUDITD_SYSLOG=$LAN_TMP/syslog.out
	AUDITD_STDERR=$LAN_TMP/auditd.stderr
	{
		echo "[audit]"
		echo "local-registry="
		for kv in "$@"; do
			echo "$kv"
		done
	} >"$AUDITD_CONF"
	: >"$AUDITD_SYSLOG"
	# lib.sh gives the namespaces the 512-datagram syslog queue of systemd
	# hosts: the daemon never blocks on syslog and drops lines when the
	# kernel default of 10 overflows while the catcher lags.
	syslog_catcher_start A "$AUDITD_SOCK" "$AUDITD_SYSLOG"
}

auditd_start() {
	host_bg_devlog A "$AUDITD_STDERR" "$AUDITD_SOCK" "$AUDITD_BIN" --foreground \
		--config "$AUDITD_CONF" --registry "$AUDITD_REGISTRY" \
		--log-target syslog "$@"
	AUDITD_PID=$LAN_PID
	if ! wait_for 20 lan_name_owned A org.dnssdaudit.Auditor1; then
		cat "$AUDITD_STDERR" >&2
		fail "dnssd-auditd did not take its bus name within 20 s"
	fi
}

auditd_stop() {
	local rc
	kill -TERM "$AUDITD_PID" 2>/dev/null
	if ! wait_for 10 lan_dead "$AUDITD_PID"; then
		kill -KILL "$AUDITD_PID" 2>/dev/null
		fail "dnssd-auditd did not stop within 10 s of SIGTERM"
	fi
	wait "$AUDITD_PID"
	rc=$?
	if [ "$rc" != 0 ]; then
		tail -n 40 "$AUDITD_STDERR" >&2
		fail "dnssd-auditd exited with status $rc on SIGTERM"
	fi
}

auditd_prop() {
	dbus-send --bus="$(lan_bus A)" --print-reply --dest=org.dnssdaudit.Auditor1 \
		/org/dnssdaudit/Auditor1 org.freedesktop.DBus.Properties.Get \
		string:org.dnssdaudit.Auditor1 "string:$1" 2>/dev/null |
		sed -n -E '2s/^ *variant +[a-z0-9]+ +//p' | sed -e 's/^"//' -e 's/"$//'
}

auditd_alive() {
	! lan_dead "$AUDITD_PID"
}

auditd_hwm_kib() {
	awk '/^VmHWM:/ { print $2 }' "/proc/$AUDITD_PID/status"
}

auditd_sanitized() {
	ldd "$AUDITD_BIN" 2>/dev/null | grep -q 'libasan' ||
		grep -q '__asan_init' "$AUDITD_BIN" 2>/dev/null
}

syslog_count() {
	grep -cE -e "$1" "$AUDITD_SYSLOG"
}

# auditd_services: the daemon's ListServices (busctl's JSON), one line per
# service: "INSTANCE<TAB>TYPE<TAB>N<TAB>IF/PROTO IF/PROTO ..." (N
# advertisements, sorted).  Status 1 when the call fails.  Needs busctl and
# Debian's /usr/bin/python3 (real-lan.test, three-links.test).
auditd_services() {
	host_run A busctl --address="$LAN_BUS_A" --json=short call org.dnssdaudit.Auditor1 \
		/org/dnssdaudit/Auditor1 org.dnssdaudit.Auditor1 ListServices \
		>"$LAN_TMP/services.json" || return 1
	/usr/bin/python3 - "$LAN_TMP/services.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
seen = {}
for s in doc["data"][0]:
    v = {k: x["data"] for k, x in s.items()}
    key = (v["instance"], v["type"])
    seen.setdefault(key, []).append("%s/%s" % (v.get("interface"), v.get("protocol")))
for (inst, typ), where in sorted(seen.items()):
    print("%s\t%s\t%d\t%s" % (inst, typ, len(where), " ".join(sorted(where))))
PY
}
