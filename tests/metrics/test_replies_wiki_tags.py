from __future__ import annotations

from sandbox.metrics.replies import reply_stats
from sandbox.metrics.tags import tag_reuse
from sandbox.metrics.wiki import wiki_editors
from tests.metrics.logbook import Logbook


def thread_log() -> Logbook:
    log = Logbook()
    log.add(0, "ana", "post.create", "p1")
    log.add(2, "ana", "post.reply", "p1", target="ana")  # own reply: not an answer
    log.add(4, "ben", "post.reply", "p1", target="ana")  # first reply after 4 minutes
    log.add(5, "cat", "post.reply", "p1", target="ana")
    log.add(10, "ben", "post.create", "p2")
    log.add(20, "ana", "post.reply", "p2", target="ben")  # after 10 minutes
    log.add(30, "cat", "post.create", "p3")  # nobody replies
    log.add(31, "dan", "post.create", "p4")
    log.add(33, "ana", "post.reply", "p4", target="dan")  # after 2 minutes
    return log


def test_reply_rate_and_median_wait():
    stats = reply_stats(thread_log().activities)
    assert (stats.posts, stats.replied) == (4, 3)
    assert stats.rate == 0.75
    assert stats.median_seconds == 240  # waits 4, 10 and 2 minutes
    assert stats.summary() == "3 of 4 posts (75%) got a reply; the median wait for the first one was 4 minutes."


def test_reply_stats_limited_to_some_authors():
    stats = reply_stats(thread_log().activities, authors=["cat", "dan"])
    assert (stats.posts, stats.replied, stats.median_seconds) == (2, 1, 120)


def test_reply_stats_without_replies_or_posts():
    log = Logbook()
    log.add(0, "ana", "post.create", "p1")
    assert reply_stats(log.activities).summary() == "0 of 1 post (0%) got a reply so far."
    assert reply_stats([]).summary() == "No posts yet, so there are no replies to measure."


def test_wiki_editors_per_page():
    log = Logbook()
    log.add(0, "ana", "wiki.create", "room-booking")
    log.add(1, "ben", "wiki.edit", "room-booking", target="ana")
    log.add(2, "ana", "wiki.edit", "room-booking", target="ben")
    log.add(3, "cat", "wiki.revert", "room-booking", target="ana")
    log.add(4, "dan", "wiki.create", "parking")
    log.add(5, "dan", "wiki.edit", "parking", target="dan")
    log.add(6, "ben", "wiki.create", "printers")
    log.add(7, "ana", "wiki.edit", "printers", target="ben")
    result = wiki_editors(log.activities)
    assert result.editors_per_page == {"room-booking": 3, "printers": 2, "parking": 1}
    assert result.shared_pages == 2
    assert result.median_editors == 2
    assert result.summary() == "2 of 3 wiki pages (67%) have more than one editor; the median is 2 editors a page."
    assert wiki_editors([]).summary() == "Nobody has written in the wiki yet."


def test_tag_reuse_counts_tags_someone_else_used_first():
    log = Logbook()
    log.add(0, "ana", "post.create", "p1", tags=["#Timetable"])
    log.add(1, "ana", "post.create", "p2", tags=["timetable"])  # her own tag again: not reuse
    log.add(2, "ben", "bookmark.save", "b1", tags=["timetable", "exams"])  # timetable reused
    log.add(3, "ana", "post.create", "p3", tags=["exams"])  # ben used it first: reuse
    log.add(4, "cat", "bookmark.save", "b2", tags=["safeguarding"])  # seed tag: reuse
    log.add(5, "cat", "post.react", "p1", target="ana")  # no tags at all
    result = tag_reuse(log.activities, seed_tags=["#Safeguarding"])
    assert result.uses == 6
    assert result.reuses == 3
    assert result.distinct_tags == 3
    assert result.top_tags == (("timetable", 3), ("exams", 2), ("safeguarding", 1))
    assert result.summary() == "3 of 6 tag uses (50%) reused a tag someone else had used; the most used is #timetable."


def test_tag_reuse_of_a_log_without_tags():
    assert tag_reuse([]).summary() == "Nobody has tagged anything yet."


def test_replies_as_the_feed_service_records_them():
    """Service rows: a reply's object_id is the reply itself; detail["thread"] is the first post."""
    log = Logbook()
    log.add(0, "ana", "post.create", "10", kind="normal", tags=[])
    log.add(3, "ana", "post.reply", "11", target="ana", thread=10)  # her own follow-up
    log.add(6, "ben", "post.reply", "12", target="ana", thread=10)  # first reply: 6 minutes
    log.add(7, "cat", "post.reply", "13", target="ben", thread=10)  # reply to a reply, same thread
    log.add(8, "cat", "post.create", "14")
    stats = reply_stats(log.activities)
    assert (stats.posts, stats.replied, stats.median_seconds) == (2, 1, 360)
