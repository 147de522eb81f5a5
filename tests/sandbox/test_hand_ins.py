"""Handing in (sandbox/services/hand_ins.py): what is kept, what is refused and why.

A refused file gets one reason and changes nothing: earlier hand-ins stay as they were.
These use the kit's own course (several assignments), and no notebook is graded.
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sandbox.services import hand_ins
from sandbox.services.errors import NotAllowed, NotFound
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, AssignmentSetting, GradingJob, HandIn

COURSE = Path(__file__).resolve().parents[2] / "exercises"


@pytest.fixture(autouse=True)
def kit_course(monkeypatch):
    monkeypatch.delenv("INSIDEOUT_COURSE_DIR", raising=False)


def master_bytes(assignment: str) -> bytes:
    return (COURSE / "source" / assignment / f"{assignment}.ipynb").read_bytes()


def hand(engine, member, clock, data, assignment="m03-wiki", filename="m03-wiki.ipynb"):
    with write_session(engine) as session:
        return hand_ins.hand_in(session, member, assignment, filename, data, now=clock.now)


def kept(engine) -> list[tuple[int, str]]:
    with read_session(engine) as session:
        return [(row.id, row.sha256) for row in session.scalars(select(HandIn).order_by(HandIn.id))]


def test_every_hand_in_is_kept_and_queued(fresh_db, learner, clock):
    first = hand(fresh_db, learner, clock, master_bytes("m03-wiki"))
    clock.advance(hand_ins.LIMITS.min_seconds_between)
    second = hand(fresh_db, learner, clock, master_bytes("m03-wiki") + b"\n")
    assert [row for row, _ in kept(fresh_db)] == [first.id, second.id]
    with read_session(fresh_db) as session:
        assert session.scalar(select(func.count()).select_from(GradingJob).where(GradingJob.state == "queued")) == 2
        views = hand_ins.my_hand_ins(session, learner, "m03-wiki")
    assert [view.id for view in views] == [second.id, first.id]  # newest first
    assert all(view.state == "queued" and not view.late for view in views)


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "is not a Jupyter notebook"),
    (b'{"not": "a notebook"}', "is not a Jupyter notebook"),
    (b"{broken json", "is not a Jupyter notebook"),
    (b'{"cells": [], "nbformat": 3}', "is not a Jupyter notebook"),
])
def test_a_file_that_is_not_a_notebook_is_refused_with_one_reason(fresh_db, learner, clock, data, reason):
    earlier = hand(fresh_db, learner, clock, master_bytes("m03-wiki"))
    clock.advance(hand_ins.LIMITS.min_seconds_between)
    with pytest.raises(hand_ins.HandInRefused, match=reason):
        hand(fresh_db, learner, clock, data, filename="answers.ipynb")
    assert kept(fresh_db) == [(earlier.id, earlier.sha256)]


def test_a_notebook_that_is_too_large_is_refused_and_says_how_to_shrink_it(fresh_db, learner, clock):
    notebook = json.loads(master_bytes("m03-wiki"))
    notebook["cells"][0]["source"] = "x" * (hand_ins.LIMITS.max_bytes + 1)
    with pytest.raises(hand_ins.HandInRefused, match=r"at most 5 MB.*Clear Outputs"):
        hand(fresh_db, learner, clock, json.dumps(notebook).encode())
    assert kept(fresh_db) == []


def test_a_notebook_for_another_assignment_is_refused_and_named(fresh_db, learner, clock):
    with pytest.raises(hand_ins.HandInRefused, match="is the notebook for m05-bookmarking, not m03-wiki"):
        hand(fresh_db, learner, clock, master_bytes("m05-bookmarking"), filename="m05-bookmarking.ipynb")
    assert kept(fresh_db) == []


def test_handing_in_again_too_soon_is_refused_and_the_first_is_kept(fresh_db, learner, clock):
    first = hand(fresh_db, learner, clock, master_bytes("m03-wiki"))
    clock.advance(hand_ins.LIMITS.min_seconds_between - 5)
    with pytest.raises(hand_ins.HandInRefused, match="Please wait 5 seconds"):
        hand(fresh_db, learner, clock, master_bytes("m03-wiki"))
    assert kept(fresh_db) == [(first.id, first.sha256)]


def test_after_the_deadline_a_first_hand_in_is_late_and_a_second_is_refused(fresh_db, learner, colleague,
                                                                            workshop, clock):
    early = hand(fresh_db, colleague, clock, master_bytes("m03-wiki"))
    with write_session(fresh_db) as session:
        session.add(AssignmentSetting(workshop_id=workshop.workshop.id, assignment="m03-wiki",
                                      deadline=clock.now + timedelta(minutes=5)))
    clock.advance(600)
    late = hand(fresh_db, learner, clock, master_bytes("m03-wiki"))
    assert late.late and not early.late
    with pytest.raises(hand_ins.HandInRefused, match="deadline for m03-wiki was .* your last hand-in is the one"):
        hand(fresh_db, colleague, clock, master_bytes("m03-wiki"))
    assert [row for row, _ in kept(fresh_db)] == [early.id, late.id]


def test_only_learners_hand_in_and_only_known_assignments(fresh_db, trainer, learner, clock):
    with pytest.raises(NotAllowed):
        hand(fresh_db, trainer, clock, master_bytes("m03-wiki"))
    with pytest.raises(NotFound, match="no assignment called 'm99-nothing'"):
        hand(fresh_db, learner, clock, master_bytes("m03-wiki"), assignment="m99-nothing")


def test_a_learner_sees_only_their_own_hand_ins(fresh_db, learner, colleague, clock):
    mine = hand(fresh_db, learner, clock, master_bytes("m03-wiki"))
    with read_session(fresh_db) as session:
        assert hand_ins.my_hand_ins(session, colleague) == []
        with pytest.raises(NotFound):
            hand_ins.get_hand_in(session, colleague, mine.id)
        assert hand_ins.get_hand_in(session, learner, mine.id).id == mine.id


def test_resetting_the_workshop_removes_hand_ins_and_keeps_the_trainers_deadlines(fresh_db, workshop, trainer,
                                                                                  learner, clock):
    from sandbox.services import gradebook, workshops

    closes = clock.now + timedelta(days=2)
    with write_session(fresh_db) as session:
        gradebook.set_deadline(session, trainer, "m03-wiki", closes, now=clock.now)
    hand(fresh_db, learner, clock, master_bytes("m03-wiki"))
    with write_session(fresh_db) as session:
        removed = workshops.reset_workshop(session, workshop.workshop.code)
    assert removed["hand_ins"] == 1 and removed["grading_jobs"] == 1
    assert "assignment_settings" not in removed
    assert kept(fresh_db) == []
    with read_session(fresh_db) as session:
        assert gradebook.deadlines(session, workshop.workshop.id)["m03-wiki"] == closes


def test_every_hand_in_writes_an_activity_row_and_a_refused_file_writes_none(fresh_db, workshop, learner, clock):
    from sandbox.services import export

    first = hand(fresh_db, learner, clock, master_bytes("m03-wiki"))
    with pytest.raises(hand_ins.HandInRefused):
        hand(fresh_db, learner, clock, b"")
    clock.advance(hand_ins.LIMITS.min_seconds_between)
    second = hand(fresh_db, learner, clock, master_bytes("m03-wiki") + b"\n")
    with read_session(fresh_db) as session:
        rows = session.scalars(select(Activity).where(Activity.verb == "exercise.hand_in").order_by(Activity.id)).all()
        exported = export.build_export(session, workshop.workshop.code, now=clock.now)
    assert [(row.actor_id, row.object_type, row.object_id) for row in rows] == [
        (learner.id, "hand_in", str(first.id)), (learner.id, "hand_in", str(second.id))]
    assert [json.loads(row.detail) for row in rows] == [{"assignment": "m03-wiki", "late": False, "attempt": 1},
                                                        {"assignment": "m03-wiki", "late": False, "attempt": 2}]
    assert [a["object_id"] for a in exported["activities"] if a["verb"] == "exercise.hand_in"] == [
        str(first.id), str(second.id)]
