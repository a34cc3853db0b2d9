#!/usr/bin/env python3
"""syslog-catcher.py PATH OUT - a stand-in for /dev/log in tests.

Binds an AF_UNIX SOCK_DGRAM socket at PATH and appends every datagram it
receives to OUT as one line (a trailing newline or NUL of the datagram is
dropped; the bytes are otherwise written exactly as received, so a test can
look for raw control bytes).  Datagrams look like "<PRI>...".  Each line is
flushed at once.  Runs until killed (SIGTERM removes PATH).
"""

import os
import signal
import socket
import sys


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: syslog-catcher.py SOCKET-PATH OUT-FILE\n")
        return 2
    path, out_path = sys.argv[1], sys.argv[2]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o666)

    def stop(_sig, _frame):
        try:
            os.unlink(path)
        finally:
            sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with open(out_path, "ab", buffering=0) as out:
        while True:
            data = sock.recv(65536)
            while data.endswith(b"\n") or data.endswith(b"\0"):
                data = data[:-1]
            out.write(data + b"\n")


if __name__ == "__main__":
    sys.exit(main())
