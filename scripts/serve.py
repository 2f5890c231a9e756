#!/usr/bin/env python3
"""Serves the built site (dist/) on 127.0.0.1 with the right MIME types.

usage: serve.py DIR [PORT]   (PORT 0 picks a free port; the URL is printed)
STEPWISE_CSP=<policy> adds a Content-Security-Policy header to every response
(the tests use it to check the site under a strict policy).
"""
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".data": "application/octet-stream",
    }

    def end_headers(self):
        # Always fresh: a rebuilt module must never mix with a cached page.
        self.send_header("Cache-Control", "no-store")
        if os.environ.get("STEPWISE_CSP"):
            self.send_header("Content-Security-Policy", os.environ["STEPWISE_CSP"])
        super().end_headers()

    def log_message(self, fmt, *args):
        pass


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "dist"
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8080
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=root))
    print(f"Stepwise is being served at http://127.0.0.1:{server.server_port}/#lesson=conv", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
