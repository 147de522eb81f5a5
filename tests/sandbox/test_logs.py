"""The server log: one readable line per event, set up in one place."""
from __future__ import annotations

import logging

from sandbox import logs


def test_event_line_says_who_where_what_and_why_on_one_line():
    line = logs.event_line(3, "ann-smith", "create_post", failed="Write something\nfirst.")
    assert line == "workshop=3 who=@ann-smith did=create_post failed: Write something first."
    assert logs.event_line(None, None, "join") == "workshop=- who=- did=join ok"


def test_configure_adds_one_handler_however_often_called(monkeypatch):
    logger = logging.getLogger(logs.ROOT)
    before = list(logger.handlers)
    try:
        monkeypatch.setenv(logs.LEVEL_ENV, "warning")
        logs.configure()
        logs.configure()
        ours = [h for h in logger.handlers if getattr(h, "_insideout", False)]
        assert len(ours) == 1 and logger.level == logging.WARNING and not logger.propagate
        monkeypatch.setenv(logs.LEVEL_ENV, "chatty")
        assert logs.configure().level == logging.INFO  # unknown level: INFO, not a crash
    finally:
        logger.handlers[:] = before
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
