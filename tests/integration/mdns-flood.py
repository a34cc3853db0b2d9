#!/usr/bin/env python3
"""mdns-flood.py - announce many DNS-SD services at once, for load tests.

Sends --count distinct advertisements, spread evenly over --seconds, and
then --repeat - 1 more times (RFC 6762 s8.3: announcements are repeated), as
unsolicited mDNS responses from this host (--bind): service types
_flood0._tcp ... _flood<T-1>._tcp (unregistered, so each one is a
finding) with the _services._dns-sd._udp PTR that type browsers need,
instances "Flood <n>" with a SRV to <host>.local port 9, a TXT record
"txtvers=1" "n=<n>" and the host's A record.  Several services share one
packet (each packet stays under 1400 bytes).  Then, for --duration
seconds, it answers queries for any of its names (a resolver that missed
the announcement asks again), and with --goodbye withdraws everything.

The wire format (names, records, packets, query parsing) is mdns-send.py's,
imported from beside this file; the IPv4 socket is opened here.
Prints "sent N services in P packets in S s" on stdout.
"""

import argparse
import importlib.util
import os
import select
import sys
import time

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("mdns_send", os.path.join(_here, "mdns-send.py"))
ms = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ms)

MAX_PACKET = 1400


def open_socket(bind_ip):
    """A socket on port 5353 (shared with avahi-daemon) that sends to and
    receives from 224.0.0.251 on the interface of bind_ip."""
    s = ms.socket.socket(ms.socket.AF_INET, ms.socket.SOCK_DGRAM, ms.socket.IPPROTO_UDP)
    s.setsockopt(ms.socket.SOL_SOCKET, ms.socket.SO_REUSEADDR, 1)
    s.setsockopt(ms.socket.SOL_SOCKET, ms.socket.SO_REUSEPORT, 1)
    s.bind(("0.0.0.0", ms.MDNS_PORT))
    ip = ms.socket.inet_aton(bind_ip)
    s.setsockopt(ms.socket.IPPROTO_IP, ms.socket.IP_MULTICAST_IF, ip)
    s.setsockopt(ms.socket.IPPROTO_IP, ms.socket.IP_MULTICAST_TTL, 255)
    s.setsockopt(ms.socket.IPPROTO_IP, ms.socket.IP_TTL, 255)
    s.setsockopt(ms.socket.IPPROTO_IP, ms.socket.IP_MULTICAST_LOOP, 1)
    s.setsockopt(ms.socket.IPPROTO_IP, ms.socket.IP_ADD_MEMBERSHIP,
                 ms.socket.inet_aton(ms.MDNS_ADDR) + ip)
    return s


def send(sock, recs):
    sock.sendto(ms.packet(recs), (ms.MDNS_ADDR, ms.MDNS_PORT))


def service_records(n, types, host, address, ttl):
    """(owner names, records) of advertisement n."""
    local = [b"local"]
    svc_type = [b"_flood%d" % (n % types), b"_tcp"] + local
    instance = [b"Flood %d" % n] + svc_type
    host_name = [host] + local
    srv = ms.struct.pack("!HHH", 0, 0, 9) + ms.encode_name(host_name)
    txt = b"".join(bytes([len(t)]) + t for t in (b"txtvers=1", b"n=%d" % n))
    meta = [b"_services", b"_dns-sd", b"_udp"] + local
    recs = [
        ms.record(meta, ms.T_PTR, ttl, ms.encode_name(svc_type), False),
        ms.record(svc_type, ms.T_PTR, ttl, ms.encode_name(instance), False),
        ms.record(instance, ms.T_SRV, min(ttl, 120), srv, True),
        ms.record(instance, ms.T_TXT, ttl, txt, True),
    ]
    names = {tuple(l.lower() for l in name) for name in (meta, svc_type, instance)}
    return names, recs


def packets(services, a_record):
    """Group the services' records into packets under MAX_PACKET bytes,
    each with the A record."""
    out, cur, size = [], [a_record], 12 + len(a_record)
    for _names, recs in services:
        need = sum(len(r) for r in recs)
        if size + need > MAX_PACKET and len(cur) > 1:
            out.append(cur)
            cur, size = [a_record], 12 + len(a_record)
        cur = cur + recs
        size += need
    if len(cur) > 1:
        out.append(cur)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bind", required=True, help="this host's IPv4 address on the LAN")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--types", type=int, default=10, help="distinct service types")
    p.add_argument("--first", type=int, default=0, help="number of the first service")
    p.add_argument("--seconds", type=float, default=8.0,
                   help="spread each round of announcements over this")
    p.add_argument("--repeat", type=int, default=1, help="rounds of announcements")
    p.add_argument("--host", default="floodhost")
    p.add_argument("--ttl", type=int, default=4500)
    p.add_argument("--duration", type=float, default=0.0, help="then answer queries this long")
    p.add_argument("--goodbye", action="store_true", help="finally withdraw everything")
    args = p.parse_args()

    address = ms.socket.inet_aton(args.bind)
    host = args.host.encode()
    a_rec = ms.record([host, b"local"], ms.T_A, 120, address, True)
    services = [service_records(n, args.types, host, address, args.ttl)
                for n in range(args.first, args.first + args.count)]
    groups = packets(services, a_rec)
    try:
        sock = open_socket(args.bind)
        start = time.monotonic()
        gap = args.seconds / max(len(groups), 1)
        rounds = max(args.repeat, 1)
        for i, recs in enumerate(groups * rounds):
            delay = start + i * gap - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            send(sock, recs)
        took = time.monotonic() - start
        print("sent %d services %d times in %d packets in %.1f s"
              % (args.count, rounds, len(groups) * rounds, took))
        sys.stdout.flush()
        if args.duration > 0:
            by_name = {}
            for names, recs in services:
                for name in names:
                    by_name.setdefault(name, []).append((None, recs))
            deadline = time.monotonic() + args.duration
            while time.monotonic() < deadline:
                ready, _, _ = select.select([sock], [], [], deadline - time.monotonic())
                if not ready:
                    continue
                data, _src = sock.recvfrom(9000)
                # One answer per name asked for, however many questions
                # (a browser asks for the meta and type PTRs together).
                asked = {labels for labels, _qtype in ms.questions(data)}
                for labels in asked:
                    for group in packets(by_name.get(labels, []), a_rec):
                        send(sock, group)
        if args.goodbye:
            gone = [service_records(n, args.types, host, address, 0)
                    for n in range(args.first, args.first + args.count)]
            for recs in packets(gone, a_rec):
                send(sock, recs)
    except OSError as e:
        sys.stderr.write("mdns-flood: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
