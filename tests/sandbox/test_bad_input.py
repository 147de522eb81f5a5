"""Every text field refuses bad input with a clear message and stores nothing.

One table of (feature, how to call it with a given text) crossed with the
kinds of bad text people really paste: empty, whitespace, a 10 MB paste,
control characters, and direction overrides.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sandbox.services import bookmarks, events, feed, groups, ideas, search, wiki, workshops
from sandbox.services.errors import InvalidInput
from sandbox.store import read_session, write_session
from sandbox.store.models import Base

BAD_TEXT = {
    "empty": ("", "empty"),
    "whitespace": ("   \n\t ", "empty"),
    "10 MB paste": ("x" * 10_000_000, "too long"),
    "control character": ("hello\x00world", "control character"),
    "escape sequence": ("\x1b[31mred", "control character"),
    "direction override": ("report\u202eexe.pdf", "direction"),
}

CALLS = {
    "post": lambda s, m, text, now: feed.create_post(s, m, text, now=now),
    "poll question": lambda s, m, text, now: feed.create_poll(s, m, text, ["a", "b"], now=now),
    "poll option": lambda s, m, text, now: feed.create_poll(s, m, "Q?", ["a", text], now=now),
    "praise": lambda s, m, text, now: feed.create_praise(s, m, "trainer", text, now=now),
    "group name": lambda s, m, text, now: groups.create_group(s, m, text, now=now),
    "wiki title": lambda s, m, text, now: wiki.create_page(s, m, text, "body", now=now),
    "wiki body": lambda s, m, text, now: wiki.create_page(s, m, "Title", text, now=now),
    "bookmark url": lambda s, m, text, now: bookmarks.save_bookmark(s, m, text, "T", now=now),
    "bookmark title": lambda s, m, text, now: bookmarks.save_bookmark(s, m, "https://e.org", text, now=now),
    "idea": lambda s, m, text, now: ideas.create_idea(s, m, text, now=now),
    "event title": lambda s, m, text, now: events.create_event(
        s, m, text, now + timedelta(days=1), now=now),
    "schedule title": lambda s, m, text, now: events.create_schedule_poll(
        s, m, text, [now + timedelta(days=1), now + timedelta(days=2)], now=now),
    "search": lambda s, m, text, now: search.search(s, m, text, now=now),
    "display name": lambda s, m, text, now: workshops.join(
        s, "ANYCODE", text, "IT", accept_policy=True, client_key="x", now=now),
}


def _row_counts(engine) -> dict[str, int]:
    with read_session(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables}


@pytest.mark.parametrize("kind", BAD_TEXT)
@pytest.mark.parametrize("field", CALLS)
def test_bad_text_is_refused_and_nothing_is_stored(fresh_db, learner, clock, field, kind):
    text, message = BAD_TEXT[kind]
    if field == "poll option" and kind in ("empty", "whitespace"):
        message = "2 to 8 options"  # blank options are dropped, then too few remain
    if field == "bookmark url" and kind in ("control character", "escape sequence"):
        message = "control character"
    before = _row_counts(fresh_db)
    with pytest.raises(InvalidInput, match=message):
        with write_session(fresh_db) as session:
            CALLS[field](session, learner, text, clock.now)
    assert _row_counts(fresh_db) == before
