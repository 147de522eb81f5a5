from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from sandbox.metrics import compute_dashboard
from sandbox.metrics.records import Activity, Member, as_activities, normalise_tags, parse_time


def export_row(**fields):
    row = {
        "id": 1,
        "workshop": "ABC123",
        "at": "2026-11-27T09:14:03Z",
        "actor": "ana",
        "actor_kind": "learner",
        "department": "Finance",
        "verb": "post.create",
        "object_type": "post",
        "object_id": "p1",
        "target": "",
        "detail": json.dumps({"tags": ["#Exams"]}),
    }
    row.update(fields)
    return row


def test_activity_from_an_export_row():
    activity = Activity.from_row(export_row())
    assert activity.at == datetime(2026, 11, 27, 9, 14, 3, tzinfo=timezone.utc)
    assert activity.detail == {"tags": ["#Exams"]}
    assert activity.tags() == ("exams",)


def test_activity_from_a_csv_row_with_empty_fields():
    activity = Activity.from_row(export_row(id="7", detail="", target="", object_id=""))
    assert (activity.id, activity.detail, activity.target) == (7, {}, "")


def test_times_become_aware_utc():
    assert parse_time(datetime(2026, 1, 1, 9, 0)).tzinfo == timezone.utc
    assert parse_time("2026-01-01T10:00:00+01:00") == datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        parse_time("yesterday")


def test_rows_are_sorted_into_log_order():
    rows = [export_row(id=2, at="2026-11-27T09:15:00Z"), export_row(id=1, at="2026-11-27T09:15:00Z"),
            export_row(id=3, at="2026-11-27T09:00:00Z")]
    assert [activity.id for activity in as_activities(rows)] == [3, 1, 2]


def test_normalise_tags():
    assert normalise_tags(["#Exams", " exams ", "#", ""]) == ("exams", "exams")
    assert normalise_tags("#One") == ("one",)


def test_member_from_an_export_row():
    member = Member.from_row({"handle": "ana", "department": "Finance", "kind": "simulated",
                              "champion": True, "joined_at": "2026-11-27T09:00:00Z", "display_name": "Ana"})
    assert member.champion and member.kind == "simulated"
    assert member.joined_at == datetime(2026, 11, 27, 9, tzinfo=timezone.utc)


def test_dashboard_counts_learners_in_the_room_and_everyone_in_the_network():
    members = [
        {"handle": "ana", "department": "Finance", "kind": "learner"},
        {"handle": "ben", "department": "Estates", "kind": "learner"},
        {"handle": "sam", "department": "Library", "kind": "simulated", "champion": True},
        {"handle": "trainer", "department": "", "kind": "trainer"},
        {"handle": "obi", "department": "", "kind": "observer"},  # a co-trainer who only watches
    ]
    rows = [
        export_row(id=1, actor="sam", at="2026-11-27T09:00:00Z", object_id="p0"),
        export_row(id=2, actor="ana", at="2026-11-27T09:01:00Z", object_id="p1"),
        export_row(id=3, actor="sam", verb="post.reply", at="2026-11-27T09:03:00Z", object_id="p1",
                   target="ana", detail=""),
        export_row(id=4, actor="trainer", verb="post.pin", at="2026-11-27T09:04:00Z", object_id="p1",
                   detail=""),
        export_row(id=5, actor="ben", verb="member.threshold", at="2026-11-27T09:05:00Z",
                   object_type="threshold", object_id="", detail=json.dumps({"threshold": 50})),
        export_row(id=6, actor="ana", verb="member.threshold", at="2026-11-27T09:05:00Z",
                   object_type="threshold", object_id="", detail=json.dumps({"threshold": 0})),
    ]
    dashboard = compute_dashboard(rows, members, seed_tags=["exams"])
    assert dashboard.adoption.population == 2 and dashboard.adoption.adopters == 1
    assert dashboard.participation.readers == 1
    assert (dashboard.replies.posts, dashboard.replies.replied) == (1, 1)  # only ana's post is the room's
    assert sorted(dashboard.graph.nodes) == ["ana", "ben", "sam"]
    assert dashboard.network.ties == 1
    assert dashboard.champions.reached == 1
    assert dashboard.tags.reuses == 2  # both "exams" uses reuse the seed tag
    assert [person.person for person in dashboard.threshold_game.people] == ["ana", "ben"]
    assert dashboard.threshold_game.predicted.final_share == 1.0
    summaries = dashboard.summaries()
    assert list(summaries) == ["adoption", "participation", "replies", "network", "champions", "wiki", "tags",
                               "threshold_game", "assessment"]
    assert summaries["adoption"].startswith("1 of 2 members (50%) has contributed. 25% is where one experiment")
    assert summaries["assessment"] == "No learner has answered the self-assessment yet."
    assert all(text.endswith(".") for text in summaries.values())


def test_dashboard_of_a_new_workshop_has_a_sentence_for_every_chart():
    summaries = compute_dashboard([], []).summaries()
    assert summaries["adoption"].startswith("No one has joined yet")
    assert summaries["replies"] == "No posts yet, so there are no replies to measure."
