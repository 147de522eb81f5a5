"""Serve the built site over HTTP and run the sandbox beside it (`insideout serve`)."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from sandbox.errors import InsideOutError


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request (a room of 40 would flood the terminal)."""

    # The browser notebooks (JupyterLite) load ES modules and WebAssembly, which browsers
    # accept only with these types; the system's MIME table may not know them.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
    }

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def start_static_server(directory: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """Serve ``directory`` on ``host:port`` in a background thread.

    Failure case: the port is taken or not allowed -> ``InsideOutError`` naming it.
    """
    handler = functools.partial(QuietHandler, directory=str(directory))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise InsideOutError(
            f"cannot serve the course on {host}:{port} ({error.strerror or error}); "
            f"try another --site-port"
        ) from None
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="course-site", daemon=True)
    thread.start()
    return server
