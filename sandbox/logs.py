"""The sandbox server's log: one readable line per event, configured here and only here.

A line says when, how bad, who (the member's @handle), in which workshop (its id), what
they did, and what failed, e.g.::

    2026-12-06 12:40:01 INFO insideout.actions: workshop=3 who=@ann-smith did=create_post ok
    2026-12-06 12:40:09 WARNING insideout.actions: workshop=3 who=@ann-smith did=create_post failed: Your post is empty. Please write something first.

Behind nginx, each server writes its own log (stderr, which ``insideout sandbox run``
passes on to the terminal or the service manager); nginx's access log says which server
served which browser. ``INSIDEOUT_LOG_LEVEL`` (default INFO) sets how much is written:
WARNING keeps only what failed.
"""
from __future__ import annotations

import logging
import os
import sys

LEVEL_ENV = "INSIDEOUT_LOG_LEVEL"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
ROOT = "insideout"


class _Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (a test may swap it), like logging's
    own last-resort handler."""

    _insideout = True

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure() -> logging.Logger:
    """Give the ``insideout`` loggers one handler on stderr (once per process; safe to repeat).

    Only our own loggers are touched: Streamlit's and the libraries' logging stays as it is.
    An unknown level in ``INSIDEOUT_LOG_LEVEL`` falls back to INFO rather than stopping a server.
    """
    logger = logging.getLogger(ROOT)
    if not any(getattr(handler, "_insideout", False) for handler in logger.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT))
        logger.addHandler(handler)
        logger.propagate = False
    level = logging.getLevelName(os.environ.get(LEVEL_ENV, "INFO").strip().upper())
    logger.setLevel(level if isinstance(level, int) else logging.INFO)
    return logger


def event_line(workshop: object, who: str | None, did: str, failed: str | None = None) -> str:
    """The text of one event line (see the module docstring); newlines in a message are folded."""
    outcome = "ok" if failed is None else "failed: " + " ".join(str(failed).split())
    return f"workshop={workshop if workshop is not None else '-'} who={'@' + who if who else '-'} did={did} {outcome}"
