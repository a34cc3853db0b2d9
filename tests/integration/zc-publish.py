#!/usr/bin/python3
"""zc-publish.py SPEC READY - publish DNS-SD services with python-zeroconf.

A second, independent mDNS stack for the test LAN (lib.sh): python-zeroconf
(Debian's python3-zeroconf, hence /usr/bin/python3) answers on every
interface of its network namespace, over IPv4 and IPv6, next to that
host's avahi-daemon, the way a phone app, Home Assistant or a Python
device SDK does on a real LAN.

SPEC has one service per line (blank lines and '#' comments skipped):

    INSTANCE | TYPE | PORT | TXT...

TXT is a list of strings in wire order separated by single tabs, or "-"
for an empty record; Python escapes (\\xNN, \\\\) are decoded in INSTANCE
and TXT.  Every service is registered at once (probing and announcing run
in parallel), under the host name --server with the --address addresses.
python-zeroconf refuses service types that break RFC 6335 (its
service_type_name(strict=True)), yet real devices advertise such types
(squid-deb-proxy's _apt_proxy._tcp): its checks are relaxed to strict=False
here, which still requires _tcp/_udp and a leading underscore.

When every service is announced, READY is written ("ready N").  SIGTERM or
SIGINT unregisters everything (goodbye packets, TTL 0) and exits 0;
--duration bounds the lifetime (then the same).  Exit 1 on errors.
"""

import argparse
import asyncio
import codecs
import signal
import socket
import sys

try:
    import zeroconf
    import zeroconf._services.info as zinfo
    import zeroconf._core as zcore
    from zeroconf import IPVersion, ServiceInfo
    from zeroconf.asyncio import AsyncZeroconf
except ImportError as e:  # the caller checks first; be clear anyway
    sys.stderr.write("zc-publish.py: python3-zeroconf is missing: %s\n" % e)
    sys.exit(1)


def relaxed(name, *, strict=True):
    return ORIG_STN(name, strict=False)


ORIG_STN = zinfo.service_type_name
zinfo.service_type_name = relaxed
zcore.service_type_name = relaxed


def unescape(text):
    return codecs.escape_decode(text.encode("utf-8"))[0]


def parse_spec(path):
    services = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            parts = [p.strip(" ") for p in raw.split(" | ")]
            if len(parts) != 4:
                sys.exit("zc-publish.py: bad spec line: %r" % raw)
            inst, typ, port, txt = parts
            strings = [] if txt == "-" else [unescape(s) for s in txt.split("\t")]
            rdata = b"".join(bytes([len(s)]) + s for s in strings)
            services.append((unescape(inst).decode("utf-8"), typ, int(port), rdata))
    return services


async def run(args):
    services = parse_spec(args.spec)
    addresses = [socket.inet_aton(a) for a in args.address]
    azc = AsyncZeroconf(ip_version=IPVersion.All)
    infos = []
    for inst, typ, port, rdata in services:
        full_type = typ + ".local."
        info = ServiceInfo(full_type, "%s.%s" % (inst, full_type), port=port,
                           properties=rdata, server=args.server + ".local.",
                           addresses=addresses)
        # ServiceInfo re-encodes a dict; raw bytes are kept as the wire TXT.
        info.text = rdata if rdata else b"\x00"
        infos.append(info)
    tasks = await asyncio.gather(*(azc.async_register_service(i) for i in infos))
    await asyncio.gather(*tasks)
    with open(args.ready, "w") as f:
        f.write("ready %d\n" % len(infos))
    print("zc-publish: %d services announced (zeroconf %s)" % (len(infos), zeroconf.__version__),
          flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), args.duration)
    except asyncio.TimeoutError:
        pass
    await azc.async_unregister_all_services()
    await azc.async_close()
    print("zc-publish: unregistered, bye", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("spec")
    p.add_argument("ready")
    p.add_argument("--server", required=True, help="host name (without .local)")
    p.add_argument("--address", action="append", default=[], help="IPv4 address (repeatable)")
    p.add_argument("--duration", type=float, default=300)
    args = p.parse_args()
    asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
