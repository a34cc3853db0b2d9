#!/usr/bin/env python3
"""Summarize `dnssd-audit check --batch` output for the real-advertisement corpus.

Usage:
    DNSSD_AUDIT_REGISTRY=... dnssd-audit check --batch real-advertisements.jsonl > results.jsonl
    python3 summarize.py real-advertisements.jsonl results.jsonl

Prints: the number of advertisements; how many results carry at least one
finding at warning or error severity (and the share); the txt-key-undefined
and txt-keys-unexpected notices on AirPlay/RAOP/Cast/Matter advertisements,
broken down by service type and code; and a count of every finding code.
Result lines are matched to corpus lines by their "line" number (1-based).
Standard library only.
"""
import collections
import json
import sys

TXT_CODES = ("txt-key-undefined", "txt-keys-unexpected")
FAMILY_TYPES = ("_airplay._tcp", "_raop._tcp", "_googlecast._tcp",
                "_matter._tcp", "_matterc._udp", "_matterd._udp")


def load_jsonl(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    corpus = load_jsonl(argv[1])
    results = load_jsonl(argv[2])
    by_line = {}
    errors = 0
    for i, r in enumerate(results, 1):
        if "error" in r:
            errors += 1
        by_line[r.get("line", i)] = r
    n = len(corpus)
    serious = 0
    codes = collections.Counter()
    fam = collections.Counter()
    fam_ads = collections.Counter()
    for i, ad in enumerate(corpus, 1):
        r = by_line.get(i)
        if r is None or "error" in r:
            continue
        findings = r.get("findings", [])
        if any(f.get("severity") in ("warning", "error") for f in findings):
            serious += 1
        for f in findings:
            codes[f["code"]] += 1
        t = ad["type"].lower()
        if t in FAMILY_TYPES:
            fam_ads[t] += 1
            for f in findings:
                if f["code"] in TXT_CODES:
                    fam[(t, f["code"])] += 1
    print(f"advertisements: {n}")
    print(f"result lines: {len(results)} (input errors: {errors})")
    share = 100.0 * serious / n if n else 0.0
    print(f"with at least one warning/error finding: {serious} ({share:.1f}%)")
    print("txt-key notices on AirPlay/RAOP/Cast/Matter advertisements:")
    for t in FAMILY_TYPES:
        if fam_ads[t] == 0:
            continue
        parts = ", ".join(f"{c} {fam[(t, c)]}" for c in TXT_CODES)
        print(f"  {t} ({fam_ads[t]} ads): {parts}")
    for c in TXT_CODES:
        print(f"  total {c}: {sum(v for (t, cc), v in fam.items() if cc == c)}")
    print("all findings by code:")
    for c, v in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {c}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
