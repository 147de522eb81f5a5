"""The self-assessment service, on SQLite and PostgreSQL: rounds, answers as activity rows,
the trainer opening the "after" round, self-study, bad input, the export and pseudonyms."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from sandbox.assessment import load_questions
from sandbox.metrics import compute_dashboard
from sandbox.services import assessment, room_log, workshops
from sandbox.simulation import load_scenario, mission_records
from sandbox.services.errors import InvalidInput, NotAllowed
from sandbox.simulation import load_scenario
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity

QUESTIONS = load_questions()


def full_answers(confidence: int = 2, right: int = 3) -> dict[str, object]:
    """Every statement at ``confidence``; the first ``right`` questions right, the rest wrong."""
    answers: dict[str, object] = {f"confidence.{s.id}": confidence for s in QUESTIONS.confidence}
    for index, question in enumerate(QUESTIONS.knowledge):
        wrong = next(option.key for option in question.options if not option.right)
        answers[f"knowledge.{question.id}"] = question.right if index < right else wrong
    return answers


def rounds(engine, member):
    with read_session(engine) as session:
        missions = [mission.id for mission in load_scenario("college").missions]
        return assessment.member_rounds(session, member, missions)


def assessment_rows(engine, member):
    with read_session(engine) as session:
        return session.scalars(select(Activity).where(
            Activity.actor_id == member.id, Activity.verb.like("assessment.%")).order_by(Activity.id)).all()


def test_before_is_offered_at_joining_and_answers_are_one_row_per_item(fresh_db, learner, clock):
    assert rounds(fresh_db, learner) == assessment.MemberRounds(before="due", after="not open")
    with write_session(fresh_db) as session:
        written = assessment.answer_round(session, learner, "before", full_answers(), now=clock.now)
    assert written == len(QUESTIONS.item_ids()) == 11
    rows = assessment_rows(fresh_db, learner)
    details = [json.loads(row.detail) for row in rows]
    assert {row.verb for row in rows} == {"assessment.answer"}
    assert details[0] == {"round": "before", "item": "confidence.wiki", "value": 2}
    assert details[5] == {"round": "before", "item": "knowledge.reply", "value": "a", "correct": True}
    assert [d["correct"] for d in details[5:]] == [True, True, True, False, False, False]
    assert rounds(fresh_db, learner).before == "answered"
    assert rounds(fresh_db, learner).due() is None


def test_the_trainer_opens_after_for_the_room(fresh_db, learner, trainer, clock):
    with write_session(fresh_db) as session:
        with pytest.raises(NotAllowed, match="not open yet"):
            assessment.answer_round(session, learner, "after", full_answers(), now=clock.now)
    with write_session(fresh_db) as session:
        with pytest.raises(NotAllowed, match="Only the trainer"):
            assessment.open_after_round(session, learner, now=clock.now)
    with write_session(fresh_db) as session:
        assert assessment.open_after_round(session, trainer, now=clock.now) is True
    with write_session(fresh_db) as session:
        assert assessment.open_after_round(session, trainer, now=clock.now) is False  # once is enough
    assert rounds(fresh_db, learner) == assessment.MemberRounds(before="due", after="due")
    with write_session(fresh_db) as session:
        assessment.answer_round(session, learner, "after", full_answers(4, 6), now=clock.now)
    assert rounds(fresh_db, learner).after == "answered"
    assert rounds(fresh_db, trainer) == assessment.MemberRounds(before="not open", after="not open")


def test_the_change_reaches_the_dashboard(fresh_db, workshop, learner, colleague, trainer, clock):
    with write_session(fresh_db) as session:
        assessment.answer_round(session, learner, "before", full_answers(2, 2), now=clock.now)
        assessment.answer_round(session, colleague, "before", full_answers(3, 4), now=clock.now)
        assessment.open_after_round(session, trainer, now=clock.advance(3600))
        assessment.answer_round(session, learner, "after", full_answers(4, 6), now=clock.now)
        assessment.skip_round(session, colleague, "after", now=clock.now)
    with read_session(fresh_db) as session:
        activities = room_log.load_activities(session, workshop.workshop.id)
        members = room_log.load_members(session, workshop.workshop.id)
        summary = assessment.room_rounds(session, workshop.workshop.id)
    assert (summary.learners, summary.answered, summary.skipped, summary.after_open) == (
        2, {"before": 2, "after": 1}, {"before": 0, "after": 1}, True)
    change = compute_dashboard(activities, members).assessment
    assert change.answered == {"before": 2, "after": 1}
    (anna,) = change.people
    assert (anna.confidence_before, anna.confidence_after, anna.knowledge_before, anna.knowledge_after) == (
        10, 20, 2, 6)


@pytest.mark.parametrize(("answers", "message"), [
    ({}, "numbers 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 are still empty"),
    ({**full_answers(), "knowledge.tipping": None}, "number 8 is still empty"),
    ({**full_answers(), "confidence.post": 9}, "Question 2: choose one of the 4 boxes"),
    ({**full_answers(), "knowledge.reply": "z"}, "Question 6: choose one of the answers given"),
])
def test_bad_answers_get_one_message_and_store_nothing(fresh_db, learner, clock, answers, message):
    with write_session(fresh_db) as session:
        with pytest.raises(InvalidInput, match=message):
            assessment.answer_round(session, learner, "before", answers, now=clock.now)
    assert assessment_rows(fresh_db, learner) == []


def test_a_round_is_answered_once_and_can_be_skipped(fresh_db, learner, clock):
    with write_session(fresh_db) as session:
        assessment.skip_round(session, learner, "before", now=clock.now)
    assert rounds(fresh_db, learner).before == "skipped"
    with write_session(fresh_db) as session:
        with pytest.raises(InvalidInput, match="already skipped"):
            assessment.skip_round(session, learner, "before", now=clock.now)
    # Skipping is not a lock: a learner who changes their mind may still answer.
    with write_session(fresh_db) as session:
        assessment.answer_round(session, learner, "before", full_answers(), now=clock.now)
    with write_session(fresh_db) as session:
        with pytest.raises(InvalidInput, match="already answered the before round"):
            assessment.answer_round(session, learner, "before", full_answers(), now=clock.now)
    with write_session(fresh_db) as session:
        with pytest.raises(InvalidInput, match="no self-assessment round called 'during'"):
            assessment.skip_round(session, learner, "during", now=clock.now)


def test_self_study_opens_after_once_every_mission_is_complete(fresh_db, clock):
    with write_session(fresh_db) as session:
        created = workshops.create_workshop(session, "On my own", mode="self-study", now=clock.now)
    with write_session(fresh_db) as session:
        learner = workshops.join(session, created.workshop.code, "Dee Kaur", "Estates", accept_policy=True,
                                 client_key="t", now=clock.now).member
    missions = [mission.id for mission in load_scenario(created.workshop.scenario).missions]
    with write_session(fresh_db) as session:
        mission_records.record_completed_missions(session, learner, missions[:-1], now=clock.now)
    assert rounds(fresh_db, learner).after == "not open"
    with write_session(fresh_db) as session:
        mission_records.record_completed_missions(session, learner, missions[-1:], now=clock.now)
    assert rounds(fresh_db, learner).after == "due"


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_export_carries_the_answers_and_pseudonyms_hide_the_learner(db_url, fresh_db, workshop, learner, clock,
                                                                    tmp_path, pseudonymise):
    with write_session(fresh_db) as session:
        assessment.answer_round(session, learner, "before", full_answers(), now=clock.now)
    out = tmp_path / "export.json"
    env = {**os.environ, "INSIDEOUT_DATABASE_URL": db_url, "INSIDEOUT_DATA_DIR": str(tmp_path / "data")}
    args = [sys.executable, "-m", "sandbox.cli", "workshop", "export", workshop.workshop.code, "--out", str(out)]
    result = subprocess.run(args + (["--pseudonymise"] if pseudonymise else ["--names"]), capture_output=True, text=True,
                            env=env, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    answers = [row for row in data["activities"] if row["verb"] == "assessment.answer"]
    assert len(answers) == 11
    assert {row["actor"] for row in answers} == {
        next(m["handle"] for m in data["members"] if m["kind"] == "learner")}
    if pseudonymise:
        assert "anna-smith" not in text and "Anna Smith" not in text
        assert answers[0]["actor"].startswith("learner-")
    else:
        assert answers[0]["actor"] == "anna-smith"
    # The export alone is enough to work out the change (the notebooks read exports, not the store).
    change = compute_dashboard(data["activities"], data["members"]).assessment
    assert change.answered == {"before": 1, "after": 0}


def test_debrief_report_shows_the_change_with_charts_and_tables(fresh_db, workshop, learner, trainer, clock):
    from datetime import datetime, timezone

    from sandbox.reports import build_debrief

    with write_session(fresh_db) as session:
        assessment.answer_round(session, learner, "before", full_answers(2, 2), now=clock.now)
        assessment.open_after_round(session, trainer, now=clock.advance(3600))
        assessment.answer_round(session, learner, "after", full_answers(4, 6), now=clock.now)
    with read_session(fresh_db) as session:
        report = build_debrief(session, workshop.workshop.code, now=datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert "<h2>Before and after: the self-assessment</h2>" in report
    assert ("Among the 1 learner who answered both: confidence, out of 20: 10.0 before, 20.0 after "
            "(1 went up, 0 stayed the same, 0 went down).") in report
    assert 'aria-label="Share of right answers to each question, before and after"' in report
    assert 'aria-label="Mean confidence in each statement (1 to 4), before and after"' in report
    # Question 6 was right in both rounds; question 11 only after.
    assert "<td>6. A colleague asks in the staff community" in report
    assert "<td>Right answers (out of 6)</td><td>2.0</td><td>6.0</td><td>1</td><td>0</td><td>0</td>" in report
