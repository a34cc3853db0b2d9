#!/usr/bin/env python3
"""syslog-clean.py FILE - every line of a captured syslog (syslog-catcher.py
output) is valid UTF-8 and holds no byte 0x00-0x1F or 0x7F: nothing from the
network reached it raw (FINDINGS.md).  Prints each offending line (repr) and
exits 1 if there is one; 0 otherwise."""

import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: syslog-clean.py FILE")
    bad = 0
    lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
    for n, line in enumerate(lines, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            print("line %d is not UTF-8: %r" % (n, line))
            bad += 1
        if any(c < 0x20 or c == 0x7F for c in line):
            print("line %d has a control byte: %r" % (n, line))
            bad += 1
    print("%d lines checked, %d bad" % (len(lines), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
