#!/usr/bin/env python3
"""Serves www/ on 127.0.0.1 with the headers a host should send (README: Hardening).

Usage: scripts/serve.py [PORT] (default 8000). Like `python3 -m http.server --directory www`, plus:
the page's Content-Security-Policy (from its meta tag, the one source of it) with
frame-ancestors 'none', X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer, and
application/wasm for the WASM module; and the service worker's www/precache.js kept up to date.
"""
import functools
import http.server
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
WWW = os.path.join(ROOT, "www")


def security_headers():
    with open(os.path.join(WWW, "index.html"), encoding="utf-8") as f:
        m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', f.read())
    if not m:
        sys.exit("www/index.html has no Content-Security-Policy meta tag")
    return {
        "Content-Security-Policy": m.group(1) + "; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


class Handler(http.server.SimpleHTTPRequestHandler):
    headers_to_send = {}
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
    }

    def do_GET(self):
        # The service worker's list of files (www/precache.js, written by scripts/build.sh) is
        # written again whenever the browser checks for a new version: an edited file is then a
        # new build, which the page offers to load (without node, the list stays as it is).
        if self.path.split("?")[0].endswith("/precache.js"):
            try:
                subprocess.run(["node", os.path.join(ROOT, "scripts", "precache.mjs")], check=False,
                               stdout=subprocess.DEVNULL, timeout=60)
            except (OSError, subprocess.SubprocessError):
                pass
        super().do_GET()

    def end_headers(self):
        for k, v in self.headers_to_send.items():
            self.send_header(k, v)
        super().end_headers()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    Handler.headers_to_send = security_headers()
    handler = functools.partial(Handler, directory=WWW)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        httpd.serve_forever()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
