#!/usr/bin/env python3
"""dbus-slow-client.py - hostile D-Bus clients for dbus-abuse.test.

Speaks the D-Bus wire protocol on raw sockets (the module `socket` only),
so that it can do what no D-Bus library does: send method calls and never
read the replies.  Each of --clients connections authenticates (SASL
EXTERNAL), says Hello, and then, by --mode:

  slow        sends --calls calls of each --method to --dest and never reads
              a byte again, for --hold seconds (the replies pile up in the
              bus, and in the callee if it does not bound them)
  malformed   sends calls with the wrong arguments, to unknown methods and
              objects, with a huge string argument, NO_REPLY_EXPECTED ones,
              and replies nobody asked for; never reads
  disconnect  sends the calls and closes the connection at once, mid-call

Then it closes every connection.  Prints "<mode>: N clients, M calls,
B bytes sent" on stdout.
"""

import argparse
import os
import socket
import struct
import sys
import time


def pad(buf, n):
    return buf + b"\0" * ((-len(buf)) % n)


def header_field(buf, code, sig, value):
    """Append one (yv) header field; buf starts at message offset 16."""
    buf = pad(buf, 8)
    buf += struct.pack("<BB", code, 1) + sig.encode() + b"\0"
    if sig in ("s", "o"):
        enc = value.encode()
        buf += struct.pack("<I", len(enc)) + enc + b"\0"
    elif sig == "g":
        enc = value.encode()
        buf += struct.pack("<B", len(enc)) + enc + b"\0"
    elif sig == "u":
        buf += struct.pack("<I", value)
    return buf


def message(serial, mtype=1, path=None, iface=None, member=None, dest=None,
            body=b"", signature=None, flags=0, reply_serial=None):
    fields = b""
    if path:
        fields = header_field(fields, 1, "o", path)
    if iface:
        fields = header_field(fields, 2, "s", iface)
    if member:
        fields = header_field(fields, 3, "s", member)
    if reply_serial is not None:
        fields = header_field(fields, 5, "u", reply_serial)
    if dest:
        fields = header_field(fields, 6, "s", dest)
    if signature:
        fields = header_field(fields, 8, "g", signature)
    head = struct.pack("<cBBBII", b"l", mtype, flags, 1, len(body), serial)
    head += struct.pack("<I", len(fields)) + fields
    return pad(head, 8) + body


def string_body(text):
    enc = text.encode()
    return struct.pack("<I", len(enc)) + enc + b"\0"


def connect(address):
    path = None
    for part in address.split(";")[0].split(":", 1)[1].split(","):
        key, _, value = part.partition("=")
        if key == "path":
            path = value
    if path is None:
        sys.exit("only unix:path= addresses: %s" % address)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(b"\0AUTH EXTERNAL " + str(os.getuid()).encode().hex().encode() + b"\r\n")
    reply = b""
    while not reply.endswith(b"\r\n"):
        chunk = s.recv(256)
        if not chunk:
            sys.exit("bus closed during authentication")
        reply += chunk
    if not reply.startswith(b"OK "):
        sys.exit("authentication refused: %r" % reply)
    s.sendall(b"BEGIN\r\n")
    s.sendall(message(1, path="/org/freedesktop/DBus", iface="org.freedesktop.DBus",
                      member="Hello", dest="org.freedesktop.DBus"))
    return s


def calls(mode, methods, n, dest, path, iface):
    """The messages one client sends."""
    out = []
    serial = 2
    if mode in ("slow", "disconnect"):
        for _ in range(n):
            for m in methods:
                out.append(message(serial, path=path, iface=iface, member=m, dest=dest))
                serial += 1
        return out
    # malformed: wrong arguments, unknown members and objects, a 1 MiB
    # string, calls that want no reply, and a reply nobody asked for.
    for i in range(n):
        kind = i % 6
        if kind == 0:
            out.append(message(serial, path=path, iface=iface, member=methods[0], dest=dest,
                               body=string_body("unexpected"), signature="s"))
        elif kind == 1:
            out.append(message(serial, path=path, iface=iface, member="NoSuchMethod", dest=dest))
        elif kind == 2:
            out.append(message(serial, path="/no/such/object", iface=iface,
                               member=methods[0], dest=dest))
        elif kind == 3 and i < 24:
            out.append(message(serial, path=path, iface=iface, member=methods[0], dest=dest,
                               body=string_body("x" * (1 << 20)), signature="s"))
        elif kind == 4:
            out.append(message(serial, path=path, iface=iface, member=methods[0], dest=dest,
                               flags=1))
        else:
            out.append(message(serial, mtype=2, dest=dest, reply_serial=12345))
        serial += 1
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--address", default=os.environ.get("DBUS_SYSTEM_BUS_ADDRESS"))
    ap.add_argument("--dest", default="org.dnssdaudit.Auditor1")
    ap.add_argument("--path", default="/org/dnssdaudit/Auditor1")
    ap.add_argument("--interface", default="org.dnssdaudit.Auditor1")
    ap.add_argument("--method", action="append", default=[])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--hold", type=float, default=20)
    ap.add_argument("--mode", choices=("slow", "malformed", "disconnect"), default="slow")
    args = ap.parse_args()
    methods = args.method or ["ListServices"]

    socks = [connect(args.address) for _ in range(args.clients)]
    sent = 0
    n = 0
    for s in socks:
        s.setblocking(False)
    pending = {s: b"".join(calls(args.mode, methods, args.calls, args.dest, args.path,
                                 args.interface)) for s in socks}
    n = args.clients * len(calls(args.mode, methods, args.calls, args.dest, args.path,
                                 args.interface))
    if args.mode == "disconnect":
        for s in socks:
            try:
                sent += s.send(pending[s])
            except BlockingIOError:
                pass
            s.close()
        print("%s: %d clients, %d calls, %d bytes sent" % (args.mode, args.clients, n, sent))
        return
    # Write everything (the bus reads our calls while it can), never read.
    end = time.monotonic() + args.hold
    while time.monotonic() < end:
        busy = False
        for s in socks:
            data = pending[s]
            if not data:
                continue
            try:
                k = s.send(data[:65536])
                pending[s] = data[k:]
                sent += k
                busy = True
            except BlockingIOError:
                pass
            except OSError:
                pending[s] = b""
        if not busy:
            time.sleep(0.05)
    for s in socks:
        s.close()
    print("%s: %d clients, %d calls, %d bytes sent in %.0f s" % (
        args.mode, args.clients, n, sent, args.hold))


if __name__ == "__main__":
    main()
