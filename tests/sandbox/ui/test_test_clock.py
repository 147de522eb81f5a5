"""The test-only clock: a browser test moves the server's time forward instead of waiting."""
from __future__ import annotations

from datetime import datetime, timezone

from sandbox import config
from sandbox.ui import db


def seconds_ahead() -> float:
    return (db.utc_now() - datetime.now(timezone.utc)).total_seconds()


def test_the_server_clock_runs_ahead_by_the_seconds_in_the_clock_file(tmp_path, monkeypatch):
    clock_file = tmp_path / "clock-ahead"
    monkeypatch.setenv(config.TEST_CLOCK_FILE_ENV, str(clock_file))
    assert abs(seconds_ahead()) < 5  # no file yet: the real time
    clock_file.write_text("180", encoding="utf-8")
    assert 175 < seconds_ahead() < 185
    clock_file.write_text("", encoding="utf-8")
    assert abs(seconds_ahead()) < 5


def test_without_the_setting_the_clock_file_is_never_read(tmp_path, monkeypatch):
    monkeypatch.delenv(config.TEST_CLOCK_FILE_ENV, raising=False)
    (tmp_path / "clock-ahead").write_text("180", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert abs(seconds_ahead()) < 5
