#!/usr/bin/env python3
"""mdns-send.py - a raw mDNS responder for tests (standard library only).

Announces one DNS-SD service the way a (possibly broken) device on the LAN
would: unsolicited mDNS responses from UDP port 5353 to 224.0.0.251:5353,
with IP TTL 255, holding

    PTR  _services._dns-sd._udp.local -> <type>.local
    PTR  <type>.local                  -> <instance>.<type>.local
    PTR  <sub>._sub.<type>.local       -> <instance>.<type>.local (--subtype)
    SRV  <instance>.<type>.local       -> 0 0 <port> <host>.local
    TXT  <instance>.<type>.local       -> the --txt strings, in that order
    A    <host>.local                  -> --address (default: --bind)
    (AAAA with --ipv6 IFNAME: sent to ff02::fb on that interface)

Nothing is validated: the instance name and TXT strings are arbitrary bytes
(Python escapes: \\x0a, \\x1b, \\xff, \\\\), the service type may be anything
that fits in DNS labels (each label at most 63 bytes), duplicate TXT keys,
"=" alone, 255-byte strings and records over 1300 bytes (--txt-fill) are
sent as given.  Names are written without compression.

It shares port 5353 with avahi-daemon (SO_REUSEADDR + SO_REUSEPORT), sends
--count announcements --interval seconds apart, then answers queries that
name one of its records for --duration seconds (0: do not listen), and with
--goodbye finally sends everything again with TTL 0.  Always bounded in time.

Exit status: 0 sent, 2 bad arguments, 1 socket error.
"""

import argparse
import codecs
import select
import socket
import struct
import sys
import time

MDNS_ADDR = "224.0.0.251"
MDNS_ADDR6 = "ff02::fb"
MDNS_PORT = 5353
T_A, T_PTR, T_TXT, T_SRV, T_AAAA, T_ANY = 1, 12, 16, 33, 28, 255
C_IN, CACHE_FLUSH = 1, 0x8000


def unescape(text):
    """Python-style escapes (\\xNN, \\n, \\\\) in an argument -> bytes."""
    return codecs.escape_decode(text.encode("utf-8", "surrogateescape"))[0]


def labels_of(dotted):
    """'_http._tcp' -> [b'_http', b'_tcp'] (dots separate labels)."""
    return [unescape(part) for part in dotted.split(".") if part != ""]


def encode_name(labels):
    out = b""
    for label in labels:
        if len(label) > 63:
            raise ValueError("DNS label longer than 63 bytes: %r" % label[:70])
        out += bytes([len(label)]) + label
    return out + b"\0"


def record(name, rtype, ttl, rdata, unique):
    rclass = C_IN | (CACHE_FLUSH if unique else 0)
    return encode_name(name) + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata


class Service:
    def __init__(self, args):
        local = [b"local"]
        self.type = labels_of(args.type) + local
        self.instance = [unescape(args.instance)] + self.type
        self.host = labels_of(args.host) + local
        self.meta = [b"_services", b"_dns-sd", b"_udp"] + local
        self.subtypes = [[unescape(s), b"_sub"] + self.type for s in args.subtype]
        txt = [unescape(t) for t in args.txt]
        for i in range(args.txt_fill):
            prefix = b"fill%d=" % i
            txt.append(prefix + b"v" * (args.txt_fill_len - len(prefix)))
        for t in txt:
            if len(t) > 255:
                raise ValueError("TXT string longer than 255 bytes")
        self.txt = txt
        self.port = args.port
        if args.ipv6:
            self.addr_type = T_AAAA
            self.address = socket.inet_pton(socket.AF_INET6, args.address or link_local(args.ipv6))
        else:
            self.addr_type = T_A
            self.address = socket.inet_aton(args.address or args.bind)
        self.args = args

    def names(self):
        """Every owner name we answer for, lower-cased wire labels."""
        owners = [self.meta, self.type, self.instance, self.host] + self.subtypes
        return {tuple(l.lower() for l in n) for n in owners}

    def records(self, goodbye=False):
        a = self.args
        ttl_long = 0 if goodbye else a.ttl
        ttl_short = 0 if goodbye else min(a.ttl, 120)
        recs = []
        if not a.no_meta:
            recs.append(record(self.meta, T_PTR, ttl_long, encode_name(self.type), False))
        recs.append(record(self.type, T_PTR, ttl_long, encode_name(self.instance), False))
        for sub in self.subtypes:
            recs.append(record(sub, T_PTR, ttl_long, encode_name(self.instance), False))
        if not a.no_srv:
            srv = struct.pack("!HHH", 0, 0, self.port) + encode_name(self.host)
            recs.append(record(self.instance, T_SRV, ttl_short, srv, True))
        if not a.no_txt:
            rdata = b"".join(bytes([len(t)]) + t for t in self.txt) or b"\0"
            recs.append(record(self.instance, T_TXT, ttl_long, rdata, True))
        if not a.no_a:
            recs.append(record(self.host, self.addr_type, ttl_short, self.address, True))
        return recs


def packet(recs):
    return struct.pack("!HHHHHH", 0, 0x8400, 0, len(recs), 0, 0) + b"".join(recs)


def read_name(data, off, depth=0):
    """Labels of the name at off (following compression); -> (labels, next)."""
    labels = []
    end = None
    while True:
        if off >= len(data) or depth > 20:
            raise ValueError("bad name")
        n = data[off]
        if n == 0:
            off += 1
            break
        if n & 0xC0 == 0xC0:
            if off + 1 >= len(data):
                raise ValueError("bad pointer")
            if end is None:
                end = off + 2
            off = ((n & 0x3F) << 8) | data[off + 1]
            depth += 1
            continue
        labels.append(data[off + 1:off + 1 + n])
        off += 1 + n
    return labels, (end if end is not None else off)


def questions(data):
    """The (labels, qtype) of each question of a query; [] if not a query."""
    if len(data) < 12:
        return []
    _id, flags, qd = struct.unpack("!HHH", data[:6])
    if flags & 0x8000:
        return []
    out = []
    off = 12
    try:
        for _ in range(qd):
            labels, off = read_name(data, off)
            qtype, _qclass = struct.unpack("!HH", data[off:off + 4])
            off += 4
            out.append((tuple(l.lower() for l in labels), qtype))
    except (ValueError, struct.error):
        pass
    return out


def link_local(ifname):
    """The IPv6 link-local address of ifname (from /proc/net/if_inet6)."""
    with open("/proc/net/if_inet6") as f:
        for line in f:
            hexaddr, _idx, _plen, scope, _flags, name = line.split()
            if name == ifname and scope == "20":
                return socket.inet_ntop(socket.AF_INET6, bytes.fromhex(hexaddr))
    raise ValueError("no IPv6 link-local address on %s" % ifname)


def open_socket6(ifname):
    """A socket sending to and receiving from ff02::fb%ifname port 5353."""
    ifindex = socket.if_nametoindex(ifname)
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(("::", MDNS_PORT))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 1)
    mreq = socket.inet_pton(socket.AF_INET6, MDNS_ADDR6) + struct.pack("@I", ifindex)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    return s, (MDNS_ADDR6, MDNS_PORT, 0, ifindex)


def open_socket(bind_ip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("0.0.0.0", MDNS_PORT))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(bind_ip))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
    mreq = socket.inet_aton(MDNS_ADDR) + socket.inet_aton(bind_ip)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    return s, (MDNS_ADDR, MDNS_PORT)


def send(sock, dest, recs):
    sock.sendto(packet(recs), dest)


def answer_queries(sock, dest, svc, duration):
    deadline = time.monotonic() + duration
    ours = svc.names()
    wanted_types = {T_A, T_PTR, T_TXT, T_SRV, T_ANY}
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            continue
        data, _src = sock.recvfrom(9000)
        for labels, qtype in questions(data):
            if labels in ours and qtype in wanted_types:
                send(sock, dest, svc.records())
                break


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bind", required=True, help="this host's IPv4 address on the LAN")
    p.add_argument("--instance", required=True, help="instance label (escapes allowed)")
    p.add_argument("--type", required=True, help="service type, e.g. _apt_proxy._tcp")
    p.add_argument("--port", type=int, default=9)
    p.add_argument("--host", default="rawhost", help="target host name (without .local)")
    p.add_argument("--address", help="address of the A (AAAA) record (default: --bind, "
                   "or with --ipv6 the interface's link-local address)")
    p.add_argument("--ipv6", metavar="IFNAME",
                   help="send over IPv6 (ff02::fb) on this interface instead of IPv4")
    p.add_argument("--txt", action="append", default=[], help="a TXT string (repeatable, in order)")
    p.add_argument("--txt-fill", type=int, default=0, metavar="N",
                   help="append N filler strings fillI=vvv... of --txt-fill-len bytes")
    p.add_argument("--txt-fill-len", type=int, default=250)
    p.add_argument("--subtype", action="append", default=[])
    p.add_argument("--ttl", type=int, default=4500)
    p.add_argument("--count", type=int, default=3, help="announcements to send")
    p.add_argument("--interval", type=float, default=0.25)
    p.add_argument("--duration", type=float, default=0.0,
                   help="then answer queries for this many seconds")
    p.add_argument("--goodbye", action="store_true", help="finally send TTL 0 records")
    p.add_argument("--goodbye-only", action="store_true", help="only send the goodbye")
    p.add_argument("--no-meta", action="store_true", help="omit the _services._dns-sd._udp PTR")
    p.add_argument("--no-srv", action="store_true")
    p.add_argument("--no-txt", action="store_true")
    p.add_argument("--no-a", action="store_true")
    args = p.parse_args()
    try:
        svc = Service(args)
        svc.records()
    except ValueError as e:
        sys.stderr.write("mdns-send: %s\n" % e)
        return 2
    try:
        if args.ipv6:
            sock, dest = open_socket6(args.ipv6)
        else:
            sock, dest = open_socket(args.bind)
        if not args.goodbye_only:
            for i in range(args.count):
                if i:
                    time.sleep(args.interval)
                send(sock, dest, svc.records())
            if args.duration > 0:
                answer_queries(sock, dest, svc, args.duration)
        if args.goodbye or args.goodbye_only:
            send(sock, dest, svc.records(goodbye=True))
    except OSError as e:
        sys.stderr.write("mdns-send: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
