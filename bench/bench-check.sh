#!/bin/sh
# bench-check.sh - throughput of `dnssd-audit check --batch`: 200,000 mixed
# advertisements (registered, unregistered, malformed types; clean and
# faulty TXT records; ASCII and non-ASCII instance names) as JSON lines, in
# one process.  The registry load is measured separately (a 1-line run) and
# subtracted.  Side by side with a reference that merely parses the same
# JSON lines (jq -c ., or wc -l when jq is not installed), with the ratio,
# and, with BENCH_BASE=path/to/another/dnssd-audit (an older build), that
# build too.  ROUNDS rounds (default 7), the tools interleaved in each, so
# that a busy moment of a shared machine hits all of them; medians.
# Goal: >= 1,000,000 advertisements/second.
#
# Environment: top_builddir, top_srcdir (set by `make bench`),
# DNSSD_AUDIT_REGISTRY (default: $top_srcdir/../shared/iana/...), N,
# ROUNDS, BENCH_BASE.
set -e

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
bin="$top_builddir/dnssd-audit"
N=${N:-200000}
DNSSD_AUDIT_REGISTRY=${DNSSD_AUDIT_REGISTRY:-$top_srcdir/../shared/iana/service-names-port-numbers.xml}
export DNSSD_AUDIT_REGISTRY
if ! test -f "$DNSSD_AUDIT_REGISTRY"; then
	echo "bench-check: registry not found: $DNSSD_AUDIT_REGISTRY" >&2
	exit 1
fi
if ! test -x "$bin"; then
	echo "bench-check: $bin not built" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
input="$tmp/ads.jsonl"

# Deterministic mix (fixed seed) modelled on a busy office LAN: 85% of
# the advertisements use registered types with the TXT keys and ports their
# software really sends (most clean; some have a key the registry does not
# list, or a non-standard port), 15% carry a TXT fault (empty key,
# duplicate, txtvers not first or not numeric, long key, control byte),
# 10% use unregistered, historic, wrongly cased or malformed types; a
# tenth of the instance names are non-ASCII (some not NFC, a few with
# control characters).
awk -v n="$N" 'BEGIN {
	srand(6763);
	# type|port|TXT strings separated by ";"
	nreg = split("_http._tcp|80|path=/" \
	  "#_http._tcp|8080|path=/admin;u=admin" \
	  "#_ipp._tcp|631|txtvers=1;qtotal=1;rp=printers/office;ty=HP LaserJet;pdl=application/pdf,image/urf;note=2nd floor;UUID=1b3c8d0e-4b11-4f7a-9c3a-6d1e5f2a7b90;URF=W8,SRGB24,CP1,RS600;TLS=1.2" \
	  "#_ipps._tcp|631|txtvers=1;qtotal=1;rp=ipp/print;ty=Brother HL-L2350DW;pdl=application/pdf" \
	  "#_printer._tcp|515|txtvers=1;qtotal=1;rp=queue1;ty=Office Printer" \
	  "#_pdl-datastream._tcp|9100|txtvers=1;qtotal=1;ty=Office Printer" \
	  "#_airplay._tcp|7000|deviceid=AA:BB:CC:DD:EE:FF;features=0x5A7FFFF7,0x1E;model=AppleTV6,2;srcvers=366.0;flags=0x4" \
	  "#_raop._tcp|7000|txtvers=1;ch=2;cn=0,1,2,3;et=0,3,5;sr=44100;ss=16;am=AppleTV6,2" \
	  "#_smb._tcp|445|" \
	  "#_afpovertcp._tcp|548|" \
	  "#_ssh._tcp|22|" \
	  "#_sftp-ssh._tcp|22|" \
	  "#_workstation._tcp|9|" \
	  "#_daap._tcp|3689|txtvers=1;Machine Name=Music;Database ID=77AB;Password=false" \
	  "#_odisk._tcp|49152|sys=waMa=0,adVF=0x100;dk0=adVN=Disk,adVT=public.cd-media" \
	  "#_sleep-proxy._udp|5353|" \
	  "#_device-info._tcp|0|model=MacBookPro18,3" \
	  "#_googlecast._tcp|8009|id=4f2e8b9c;cd=8A9B;rm=;ve=05;md=Chromecast;ic=/setup/icon.png;fn=Living Room TV;ca=201221;st=0;bs=FA8F;nf=1;rs=" \
	  "#_spotify-connect._tcp|57621|CPath=/zc/0;VERSION=1.0" \
	  "#_nfs._tcp|2049|path=/export/home" \
	  "#_webdav._tcp|80|path=/dav;u=guest" \
	  "#_rfb._tcp|5900|" \
	  "#_scanner._tcp|80|txtvers=1;ty=Canon MF;note=;UUID=9e3c5f5a-1c2b-4d3e-8f7a-6b5c4d3e2f1a" \
	  "#_uscan._tcp|80|txtvers=1;vers=2.63;rs=eSCL;ty=HP OfficeJet;pdl=application/pdf,image/jpeg;cs=color,grayscale;is=platen,adf", reg, "#");
	nodd = split("_myapp._tcp _foo-bar._udp _apt_proxy._tcp _www._tcp _whois++._tcp " \
	      "_HTTP._tcp _syslog._tcp _x._sctp _._tcp _1234._tcp " \
	      "_averyveryverylongname._tcp _a--b._tcp _homekit._tcp _hap._tcp", odd, " ");
	nbad = split("=oops|path=/dup|txtvers=1|txtvers=x|averyverylongkey=1|k\\u0001=1|" \
	      "PATH=/again|txtvers=", bad, "|");
	nascii = split("Office Printer|Living Room|Bob\u0027s MacBook Pro|NAS [00:11:22:33:44:55]|" \
	      "Meeting Room 3|build-server-07|HP LaserJet M404 (5F2E1A)|Kitchen Speaker", ascii, "|");
	nuni = split("Caf\\u00e9 Drucker|K\\u00fcche \\u2013 Lautsprecher|Cafe\\u0301|" \
	      "\\u4f1a\\u8bae\\u5ba4|evil\\nname", uni, "|");
	for (i = 0; i < n; i++) {
		if (rand() < 0.9) {
			split(reg[int(rand() * nreg) + 1], f, "|");
			t = f[1];
			port = (rand() < 0.9) ? f[2] : int(rand() * 65535);
			k = split(f[3], txt, ";");
		} else {
			t = odd[int(rand() * nodd) + 1];
			port = int(rand() * 65535);
			k = split("txtvers=1;path=/", txt, ";");
		}
		if (rand() < 0.15)
			txt[++k] = bad[int(rand() * nbad) + 1];
		if (rand() < 0.1)
			inst = uni[int(rand() * nuni) + 1];
		else
			inst = ascii[int(rand() * nascii) + 1];
		line = "{\"type\":\"" t "\",\"instance\":\"" inst "\",\"port\":" port ",\"txt\":[";
		for (j = 1; j <= k; j++)
			line = line (j > 1 ? "," : "") "\"" txt[j] "\"";
		line = line "]";
		if (rand() < 0.1)
			line = line ",\"subtypes\":[\"_universal\"]";
		print line "}";
	}
}' >"$input"
head -n 1 "$input" >"$tmp/one.jsonl"

# Wall-clock seconds of a command (GNU date %N, else perl, else seconds).
now() {
	date +%s.%N 2>/dev/null | grep -v N || perl -MTime::HiRes=time -e 'printf "%.6f\n", time' 2>/dev/null || date +%s
}

timeit() {
	t0=$(now)
	"$@"
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.6f\n", $2 - $1 }'
}

median() {
	tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

run_check() {
	"$bin" check --batch "$1" >"$tmp/out" 2>"$tmp/err" || test $? = 1
}

run_base() {
	"$BENCH_BASE" check --batch "$1" >"$tmp/out.base" 2>"$tmp/err.base" || test $? = 1
}

run_check "$input"
lines=$(wc -l <"$tmp/out" | tr -d ' ')
if test "$lines" != "$N"; then
	echo "bench-check: $lines result lines for $N advertisements" >&2
	head -n 3 "$tmp/err" >&2
	exit 1
fi

if command -v jq >/dev/null 2>&1; then
	ref_name="jq -c ."
	ref() { jq -c . <"$input" >/dev/null; }
else
	ref_name="wc -l (jq not installed)"
	ref() { wc -l <"$input" >/dev/null; }
fi

rounds=${ROUNDS:-7}
rates="" base_rates="" refs="" loads=""
i=0
while test "$i" -lt "$rounds"; do
	i=$((i + 1))
	load=$(timeit run_check "$tmp/one.jsonl")
	all=$(timeit run_check "$input")
	r=$(timeit ref)
	rate=$(awk -v n="$N" -v a="$all" -v l="$load" 'BEGIN { j = a - l; if (j <= 0) j = 1e-6; printf "%.0f", n / j }')
	line="round $i: check $rate/s (load ${load} s)"
	if test -n "${BENCH_BASE:-}"; then
		bload=$(timeit run_base "$tmp/one.jsonl")
		ball=$(timeit run_base "$input")
		brate=$(awk -v n="$N" -v a="$ball" -v l="$bload" 'BEGIN { j = a - l; if (j <= 0) j = 1e-6; printf "%.0f", n / j }')
		base_rates="$base_rates $brate"
		line="$line, base $brate/s"
	fi
	echo "$line, $ref_name ${r} s"
	rates="$rates $rate" refs="$refs $r" loads="$loads $load"
done

rate=$(echo "$rates" | median)
t_ref=$(echo "$refs" | median)
t_load=$(echo "$loads" | median)
base_rate=$(if test -n "$base_rates"; then echo "$base_rates" | median; else echo 0; fi)

awk -v n="$N" -v rate="$rate" -v load="$t_load" -v ref="$t_ref" -v refname="$ref_name" \
    -v base="$base_rate" -v rounds="$rounds" 'BEGIN {
	refrate = n / (ref > 0 ? ref : 1e-6);
	printf "advertisements:       %d (JSON lines, %s), %d rounds, medians\n", n, "mixed", rounds;
	printf "registry load:        %.3f s\n", load;
	printf "dnssd-audit check:    %.0f advertisements/s (load excluded)\n", rate;
	printf "%-21s %.0f lines/s\n", refname ":", refrate;
	printf "ratio check/ref:      %.2f\n", rate / refrate;
	if (base > 0)
		printf "ratio check/base:     %.2f (base %.0f/s)\n", rate / base, base;
	printf "goal >= 1000000/s:    %s\n", (rate >= 1000000 ? "met" : "NOT MET");
}'
