"""The debrief report: every dashboard figure appears, learner text is escaped, it stands alone."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest

from sandbox.metrics import compute_dashboard
from sandbox.metrics.wording import percent
from sandbox.reports import build_debrief, render_debrief
from sandbox.reports.debrief import MissionOutcome
from sandbox.services import feed, wiki, workshops
from sandbox.services.errors import NotFound
from sandbox.simulation import load_scenario
from sandbox.store import read_session, write_session

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
EVIL = '<script>alert("x")</script>'


class _Text(HTMLParser):
    """The text a reader sees, and every tag used."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.parts.append(data)


def read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


@pytest.fixture()
def room_with_activity(fresh_db, workshop, learner, colleague, clock):
    with write_session(fresh_db) as session:
        workshops.set_threshold(session, learner, 0, now=clock.now)
        workshops.set_threshold(session, colleague, 50, now=clock.now)
        post = feed.create_post(session, learner, "Hello #welcome @ben-jones", now=clock.advance(30))
    with write_session(fresh_db) as session:
        feed.reply(session, colleague, post.id, "Hi! #welcome", now=clock.advance(90))
        page = wiki.create_page(session, learner, f"Rooms {EVIL}", "Step 1", now=clock.advance(10))
    with write_session(fresh_db) as session:
        wiki.edit_page(session, colleague, page.id, "Step 1\nStep 2", base_number=1, now=clock.advance(10))
    return workshop.workshop.code


def test_every_dashboard_sentence_and_figure_is_in_the_report(fresh_db, room_with_activity):
    with read_session(fresh_db) as session:
        report = build_debrief(session, room_with_activity, now=NOW)
        from sandbox.services import room_log as room

        workshop = workshops.get_workshop(session, room_with_activity)
        dashboard = compute_dashboard(room.load_activities(session, workshop.id),
                                      room.load_members(session, workshop.id),
                                      seed_tags=load_scenario("college").seed_tags())
    text = " ".join(read(report).parts)
    for sentence in dashboard.summaries().values():
        assert sentence in text, sentence
    assert dashboard.threshold_game.predicted.summary() in text
    assert "1 of 1 post (100%) got a reply; the median wait for the first one was 2 minutes." in text
    assert "#welcome" in text
    assert "Anna Smith" in text and "Ben Jones" in text
    for line in dashboard.adoption.lines:
        assert f"{line.percent}%" in text and line.source in text
    net = dashboard.network
    assert percent(net.density) in text and percent(net.reciprocity) in text


def test_report_says_what_each_mission_showed(fresh_db, room_with_activity):
    with read_session(fresh_db) as session:
        report = build_debrief(session, room_with_activity, now=NOW)
    text = " ".join(read(report).parts)
    for mission in load_scenario("college").missions:
        assert mission.title in text
    # Both stated a threshold (state-threshold); nobody praised anyone (give-praise).
    assert "2 of 2 learners (100%) completed it." in text
    assert "0 of 2 learners (0%) completed it." in text


def test_learner_text_is_escaped(fresh_db, workshop, clock):
    with write_session(fresh_db) as session:
        evil = workshops.join(session, workshop.workshop.code, "Eve <b>Bold</b>", "IT", accept_policy=True,
                              client_key="t", now=clock.now).member
        page = wiki.create_page(session, evil, f"Page {EVIL}", "body", now=clock.advance(1))
        feed.create_post(session, evil, "tagged #welcome", now=clock.advance(1))
    with read_session(fresh_db) as session:
        report = build_debrief(session, workshop.workshop.code, now=NOW)
    assert "<script>" not in report and "<b>" not in report
    assert "&lt;script&gt;" in report and "Eve &lt;b&gt;Bold&lt;/b&gt;" in report
    assert read(report).tags <= {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p",
                                 "section", "table", "caption", "thead", "tbody", "tr", "th", "td",
                                 # the charts (inline SVG drawn by sandbox/reports/svg.py)
                                 "figure", "figcaption", "span", "svg", "line", "text", "rect", "polyline",
                                 "circle",
                                 # the after-action review's steps and observers' notes
                                 "h3", "div", "strong"}


def test_report_stands_alone(fresh_db, room_with_activity):
    with read_session(fresh_db) as session:
        report = build_debrief(session, room_with_activity, now=NOW)
    assert report.startswith("<!DOCTYPE html>") and '<html lang="en">' in report
    assert not re.search(r"(src|href)=", report), "nothing is loaded from elsewhere"
    assert "<script" not in report


def test_empty_room_report_reads_plainly():
    dashboard = compute_dashboard([], [])
    report = render_debrief(title="Empty", code="ABC123", scenario_title="Northfield College",
                            generated_at=NOW, dashboard=dashboard,
                            missions=[MissionOutcome("first-post", "Your first post", 4, "Post.", 0, 0)])
    text = " ".join(read(report).parts)
    assert "No one has joined yet, so there is no adoption to show." in text
    assert "No learners took part." in text


def test_unknown_workshop_fails_plainly(fresh_db):
    with read_session(fresh_db) as session, pytest.raises(NotFound):
        build_debrief(session, "NOPE99", now=NOW)
