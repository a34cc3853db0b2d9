#!/usr/bin/env python3
"""A stand-in for IANA's web server, for tests/update-registry.test only.

Serves the files of --dir over HTTP (or HTTPS with --tls CERT KEY) on
127.0.0.1, with Last-Modified from each file's mtime and 304 answers to
If-Modified-Since (http.server.SimpleHTTPRequestHandler does both).  A few
paths misbehave on purpose:

  /redirect?to=URL  302 to URL
  /endless          200 with no Content-Length and a body that never ends
  /huge             200 claiming a Content-Length of 1 TB, then a body that
                    never ends

The port it got is written to --port-file once it listens; every request is
logged, one line each, to standard error.
"""

import argparse
import functools
import http.server
import os
import ssl
import sys
import urllib.parse


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/redirect":
            to = urllib.parse.parse_qs(url.query).get("to", [""])[0]
            self.send_response(302)
            self.send_header("Location", to)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif url.path in ("/endless", "/huge"):
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            if url.path == "/huge":
                self.send_header("Content-Length", str(10**12))
            self.end_headers()
            chunk = b"<record><name>x</name></record>\n" * 2048
            try:
                while True:
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client hung up, as it should
        else:
            super().do_GET()

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, fmt % args))
        sys.stderr.flush()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that drops the connection (a refused certificate, a
        # download cut short) is expected here: one line, no traceback.
        sys.stderr.write("error: %s\n" % (sys.exc_info()[1],))
        sys.stderr.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = ap.parse_args()

    handler = functools.partial(Handler, directory=args.dir)
    server = Server(("127.0.0.1", 0), handler)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*args.tls)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)

    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
