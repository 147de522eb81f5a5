"""The debrief report's charts: inline SVG drawn in Python, each between its sentence and its
table, named for screen readers, escaped, and clean under axe-core in a real browser."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree

import pytest

from sandbox.reports import build_debrief
from sandbox.reports.svg import Bar, Series, Step, bar_chart, step_chart
from sandbox.services import feed, ideas, wiki, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import read_session, write_session

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
EVIL = '<script>alert("x")</script>'
SECTIONS = ("Adopters over time", "Participation against 90-9-1", "Replies",
            "Network of replies, mentions and reactions", "Champion reach", "Wiki editors per page",
            "Tag reuse", "Threshold game", "What each mission showed")


def svgs(html: str) -> list[ElementTree.Element]:
    return [ElementTree.fromstring(match) for match in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def section(html: str, title: str) -> str:
    match = re.search(rf"<section><h2>{re.escape(title)}</h2>(.*?)</section>", html, flags=re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


@pytest.fixture()
def busy_room(fresh_db, clock):
    """A room made from the college scenario where two learners posted, replied, edited the wiki,
    voted and stated thresholds (one page title carries markup)."""
    with write_session(fresh_db) as session:
        code = create_workshop_from_scenario(session, "Northfield: debrief", now=clock.now).workshop.code
        ada = workshops.join(session, code, "Ada Lane", "Library", accept_policy=True, client_key="a",
                             now=clock.advance(60)).member
        bo = workshops.join(session, code, "Bo Reed", "Finance", accept_policy=True, client_key="b",
                            now=clock.advance(60)).member
        workshops.set_threshold(session, ada, 0, now=clock.advance(10))
        workshops.set_threshold(session, bo, 40, now=clock.advance(10))
        post = feed.create_post(session, ada, "Hello #welcome", now=clock.advance(60))
        feed.reply(session, bo, post.id, "Hi Ada! #welcome", now=clock.advance(90))
        page = wiki.create_page(session, ada, f"Rooms {EVIL}", "Step 1", now=clock.advance(30))
        wiki.edit_page(session, bo, page.id, "Step 1\nStep 2", base_number=1, now=clock.advance(30))
        for idea in ideas.list_ideas(session, ada, order="new")[:2]:
            ideas.vote(session, ada, idea.id, now=clock.advance(5))
    with read_session(fresh_db) as session:
        return build_debrief(session, code, now=NOW)


def test_every_section_has_sentence_then_chart_then_table(busy_room):
    for title in SECTIONS:
        body = section(busy_room, title)
        summary, chart, table = body.find('class="summary"'), body.find("<svg"), body.find("<table")
        assert 0 <= summary < chart < table, title


def test_each_chart_is_a_named_image_and_escapes_learner_text(busy_room):
    charts = svgs(busy_room)
    assert len(charts) == len(SECTIONS)
    for chart in charts:
        assert chart.get("role") == "img" and chart.get("aria-label")
        assert chart.find("title").text == chart.get("aria-label")
    assert "<script>" not in busy_room and "Rooms &lt;script&gt;" in section(busy_room, "Wiki editors per page")


def test_bars_are_as_long_as_their_numbers(busy_room):
    missions = svgs(section(busy_room, "What each mission showed"))[0]
    widths = {}
    texts = [text.text for text in missions.iter("text")]
    rects = [float(rect.get("width")) for rect in missions.iter("rect")]
    labels = texts[0::2]
    values = texts[1::2]
    for label, value, width in zip(labels, values, rects):
        widths[value] = widths.get(value, set()) | {round(width, 1)}
    # Two learners: "2 of 2" is a full bar, "1 of 2" half of it, "0 of 2" nothing.
    assert widths["0 of 2"] == {0.0}
    (full,) = widths["2 of 2"]
    assert full > 100
    if "1 of 2" in widths:
        assert widths["1 of 2"] == {round(full / 2, 1)}
    assert any(label.startswith("9. Name your threshold") for label in labels)


def test_a_chart_with_nothing_to_show_is_left_out():
    assert bar_chart("Nothing", [Series("x", [])]) == ""
    assert step_chart("Nothing", []) == ""


def test_long_labels_are_shortened_but_the_name_is_whole():
    chart = ElementTree.fromstring(bar_chart("Pages", [Series("Editors", [Bar("A" * 80, 2, "2")])]))
    label = next(chart.iter("text")).text
    assert label.endswith("…") and len(label) <= 36


def test_adoption_steps_up_from_zero():
    start = NOW
    chart = ElementTree.fromstring(step_chart("Adopters", [Step(start, 50), Step(start + timedelta(minutes=5), 100)]))
    points = [tuple(map(float, pair.split(","))) for pair in next(chart.iter("polyline")).get("points").split()]
    heights = [y for _x, y in points]
    assert heights[0] > heights[2] > heights[-1]  # 0%, then 50%, then 100% (SVG y grows downwards)
    assert [text.text for text in chart.iter("text")][-3:] == ["12:00", "12:05", "Time (UTC)"]


@pytest.mark.browser
def test_report_with_charts_is_accessible_and_prints(busy_room, page, assert_accessible, tmp_path):
    report = tmp_path / "debrief.html"
    report.write_text(busy_room, encoding="utf-8")
    page.goto(report.as_uri())
    page.get_by_role("heading", name="Debrief: Northfield: debrief").wait_for()
    assert page.get_by_role("img").count() == len(SECTIONS)
    page.get_by_role("img", name="Learners who completed each mission").wait_for()
    assert_accessible(page, "debrief report with charts")
    page.screenshot(path=str(tmp_path / "debrief.png"), full_page=True)
    page.emulate_media(media="print")
    assert_accessible(page, "debrief report, print layout")
    box = page.get_by_role("img").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    page.pdf(path=str(tmp_path / "debrief.pdf"))
    assert page.external_requests == [], page.external_requests
    print(f"debrief screenshot and PDF: {tmp_path}")
