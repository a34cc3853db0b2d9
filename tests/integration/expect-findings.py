#!/usr/bin/env python3
"""expect-findings.py SYSLOG SPEC - compare the finding lines of a captured
syslog (syslog-catcher.py output) with what a test expects.

SPEC has one line per advertisement (blank lines and '#' comments skipped):

    INSTANCE | PROTOCOLS | CODE...

INSTANCE is the instance name exactly as it must appear escaped between the
quotes of instance="..." in the log line; PROTOCOLS is "ipv4", "ipv6" or
"ipv4 ipv6": where the service is seen; CODES is the exact set of finding
codes expected for it ("-" for none).  For every listed instance:

  - each expected code appears exactly once (FINDINGS.md: one line per
    finding per service, whichever interfaces and protocols it is seen on;
    not on every re-announcement), on one of its protocols;
  - no other code appears for it;
  - none appears on a protocol it is not seen on.

Every finding line must also carry the syslog priority of its severity with
facility daemon (<27> error, <28> warning, <29> notice, <30> info).

Exit 0 when everything matches, 1 with one line per difference on stdout.
"""

import re
import sys

LINE = re.compile(
    rb'^<(\d+)>[A-Z][a-z]{2} [ 1-3]\d [0-2]\d:[0-5]\d:[0-6]\d dnssd-auditd\[\d+\]: '
    rb'([a-z0-9-]+) severity=([a-z]+) type=(\S+) instance="((?:[^"\\]|\\.)*)" '
    rb'(?:interface=(\S+) )?(?:protocol=(ipv4|ipv6) )?')
PRI = {b"error": 27, b"warning": 28, b"notice": 29, b"info": 30}


def parse_spec(path):
    spec = {}
    with open(path, "rb") as f:
        for raw in f:
            raw = raw.rstrip(b"\n")
            if not raw.strip() or raw.lstrip().startswith(b"#"):
                continue
            parts = [p.strip() for p in raw.split(b"|")]
            if len(parts) != 3:
                sys.exit("bad spec line: %r" % raw)
            inst, protos, codes = parts
            codes = set() if codes == b"-" else set(codes.split())
            spec[inst] = (set(protos.split()), codes)
    return spec


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: expect-findings.py SYSLOG SPEC")
    spec = parse_spec(sys.argv[2])
    seen = {}
    problems = []
    with open(sys.argv[1], "rb") as f:
        for n, line in enumerate(f, 1):
            m = LINE.match(line)
            if not m:
                continue
            pri, code, sev, _typ, inst, _iface, proto = m.groups()
            if sev not in PRI or int(pri) != PRI[sev]:
                problems.append("line %d: priority <%s> for severity %s" %
                                (n, pri.decode(), sev.decode()))
            seen.setdefault(inst, []).append((code, proto))
    for inst, (protos, codes) in sorted(spec.items()):
        lines = seen.get(inst, [])
        got = [c for c, _ in lines]
        name = inst.decode(errors="replace")
        for c in sorted(codes - set(got)):
            problems.append("%s: missing %s" % (name, c.decode()))
        for c in sorted(set(got) - codes):
            problems.append("%s: unexpected %s" % (name, c.decode()))
        for c in sorted(set(got)):
            if got.count(c) > 1:
                problems.append("%s: %s logged %d times" % (name, c.decode(), got.count(c)))
        for c, proto in lines:
            if proto is not None and proto not in protos:
                problems.append("%s: %s on %s" % (name, c.decode(), proto.decode()))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
