"""Search across posts, wiki and bookmarks; the query text is never logged."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from sandbox.services import bookmarks, feed, search, wiki
from sandbox.services.errors import InvalidInput
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity


@pytest.fixture()
def content(fresh_db, learner, colleague, clock):
    with write_session(fresh_db) as session:
        post = feed.create_post(session, learner, "How do I book the minibus?", now=clock.now)
        feed.reply(session, colleague, post.id, "Minibus keys are at reception", now=clock.now)
        wiki.create_page(session, colleague, "Minibus booking", "Ask reception 2 days ahead",
                         now=clock.now)
        bookmarks.save_bookmark(session, colleague, "https://fleet.example/minibus", "Fleet rules",
                                note="The minibus policy", now=clock.now)
        feed.create_post(session, colleague, "100% done with 50_50 split", now=clock.now)
    return post


def _search(engine, member, query, clock):
    with write_session(engine) as session:
        return search.search(session, member, query, now=clock.now)


def test_search_finds_posts_pages_bookmarks(fresh_db, learner, content, clock):
    results = _search(fresh_db, learner, "MINIBUS", clock)
    assert [h.id for h in results.posts] == [content.id, content.id]  # reply points at its thread
    assert [h.title for h in results.pages] == ["Minibus booking"]
    assert [h.title for h in results.bookmarks] == ["Fleet rules"]
    assert results.total == 4


def test_all_words_must_match(fresh_db, learner, content, clock):
    assert [h.snippet for h in _search(fresh_db, learner, "minibus reception", clock).posts] == [
        "Minibus keys are at reception"]


@pytest.mark.parametrize("query,hits", [("100%", 1), ("50_50", 1), ("%", 0), ("_", 0), ("\\", 0)])
def test_wildcards_are_literal(fresh_db, learner, content, clock, query, hits):
    if len(query) < 2:
        with pytest.raises(InvalidInput, match="at least 2"):
            _search(fresh_db, learner, query, clock)
        return
    assert len(_search(fresh_db, learner, query, clock).posts) == hits


def test_search_logs_count_not_text(fresh_db, learner, content, clock):
    _search(fresh_db, learner, "minibus secret", clock)
    with read_session(fresh_db) as session:
        row = session.scalars(select(Activity).order_by(Activity.id.desc())).first()
    assert row.verb == "search.run" and json.loads(row.detail) == {"results": 0}
    assert "secret" not in row.detail


def test_search_is_scoped(fresh_db, other_workshop_learner, content, clock):
    assert _search(fresh_db, other_workshop_learner, "minibus", clock).total == 0


def test_search_sql_injection_is_just_text(fresh_db, learner, content, clock):
    assert _search(fresh_db, learner, "'; DROP TABLE posts; --", clock).total == 0
    assert _search(fresh_db, learner, "minibus", clock).total == 4


@pytest.mark.parametrize("query", ["zoë", "ZOË", "ŞULE", "STRAẞE", "ÉQUIPE 100%"])
def test_case_folds_every_letter_not_only_ascii(fresh_db, learner, clock, query):
    """Names and words beyond ASCII are found whatever their case, on SQLite too."""
    with write_session(fresh_db) as session:
        post = feed.create_post(session, learner, "Zoë and Şule run the Straße équipe at 100% #staff",
                                now=clock.now)
        feed.create_post(session, learner, "Nothing to see here", now=clock.now)
    assert [h.id for h in _search(fresh_db, learner, query, clock).posts] == [post.id]


def test_non_ascii_wildcards_stay_literal(fresh_db, learner, clock):
    with write_session(fresh_db) as session:
        feed.create_post(session, learner, "Zoë's list", now=clock.now)
    assert _search(fresh_db, learner, "zo_ë%", clock).posts == []
