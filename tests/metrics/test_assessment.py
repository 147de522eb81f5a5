"""The before-and-after self-assessment metric, on hand-built logs you can check on paper."""
from __future__ import annotations

import pytest

from sandbox.assessment import load_questions
from sandbox.metrics import compute_dashboard
from sandbox.metrics.assessment import CAVEAT, assessment_change
from tests.metrics.logbook import Logbook, members

QUESTIONS = load_questions()
CONFIDENCE = [f"confidence.{s.id}" for s in QUESTIONS.confidence]
KNOWLEDGE = {f"knowledge.{q.id}": q for q in QUESTIONS.knowledge}


def wrong(question) -> str:
    return next(option.key for option in question.options if not option.right)


def answer(log: Logbook, at: float, who: str, round_: str, confidence: int, right: int, *,
           store_correct: bool = True) -> None:
    """``who`` answers every statement with ``confidence`` and the first ``right`` questions rightly."""
    for item in CONFIDENCE:
        log.add(at, who, "assessment.answer", item, round=round_, item=item, value=confidence)
    for index, (item, question) in enumerate(KNOWLEDGE.items()):
        value = question.right if index < right else wrong(question)
        extra = {"correct": value == question.right} if store_correct else {}
        log.add(at, who, "assessment.answer", item, round=round_, item=item, value=value, **extra)


def test_paired_change_per_learner_and_room_means():
    log = Logbook()
    answer(log, 1, "ana", "before", confidence=2, right=2)
    answer(log, 2, "ben", "before", confidence=3, right=4)
    answer(log, 3, "cat", "before", confidence=1, right=0)  # never answers "after": not paired
    answer(log, 60, "ana", "after", confidence=4, right=6)
    answer(log, 61, "ben", "after", confidence=3, right=3)
    change = assessment_change(log.activities, members("ana", "ben", "cat"))

    assert change.answered == {"before": 3, "after": 2}
    assert [(p.handle, p.confidence_before, p.confidence_after, p.knowledge_before, p.knowledge_after)
            for p in change.people] == [("ana", 10, 20, 2, 6), ("ben", 15, 15, 4, 3)]
    assert (change.confidence_max, change.knowledge_max) == (20, 6)
    assert change.mean("confidence_before") == 12.5 and change.mean("confidence_after") == 17.5
    assert change.mean("knowledge_before") == 3.0 and change.mean("knowledge_after") == 4.5
    direction = change.confidence_direction()
    assert (direction.up, direction.same, direction.down) == (1, 1, 0)
    direction = change.knowledge_direction()
    assert (direction.up, direction.same, direction.down) == (1, 0, 1)
    # Per item over everyone who answered that round: (2 + 3 + 1) / 3 before, (4 + 3) / 2 after.
    first = change.confidence[0]
    assert (first.before, first.after, first.answered_before, first.answered_after) == (2.0, 3.5, 3, 2)
    # Question 1 of the knowledge part: ana and ben right before, cat wrong -> 2/3; both right after.
    assert change.knowledge[0].before == pytest.approx(2 / 3) and change.knowledge[0].after == 1.0
    # The last question: only ana, after, got it right.
    assert change.knowledge[-1].before == 0.0 and change.knowledge[-1].after == 0.5
    assert change.summary() == (
        "3 learners answered the 'before' round and 2 the 'after' round. Among the 2 learners who answered "
        "both: confidence, out of 20: 12.5 before, 17.5 after (1 went up, 1 stayed the same, 0 went down). "
        "Right answers, out of 6: 3.0 before, 4.5 after (1 went up, 0 stayed the same, 1 went down). " + CAVEAT)


def test_only_learners_count_and_the_latest_answer_wins():
    log = Logbook()
    answer(log, 1, "ana", "before", confidence=1, right=0)
    answer(log, 2, "ana", "before", confidence=2, right=1)  # a second copy (a merged export): this one counts
    answer(log, 3, "persona", "before", confidence=4, right=6)
    answer(log, 4, "persona", "after", confidence=4, right=6)
    room = members("ana") + members("persona", kind="simulated")
    change = assessment_change(log.activities, room)
    assert change.answered == {"before": 1, "after": 0}
    assert change.confidence[0].before == 2.0 and change.knowledge[0].before == 1.0
    assert change.people == ()
    assert change.summary() == ("1 learner answered the 'before' round and 0 the 'after' round. "
                                "The change shows once someone has answered both.")


def test_rows_without_correct_are_marked_from_the_questions_file():
    log = Logbook()
    answer(log, 1, "ana", "before", confidence=2, right=3, store_correct=False)
    answer(log, 9, "ana", "after", confidence=2, right=5, store_correct=False)
    (person,) = assessment_change(log.activities, members("ana")).people
    assert (person.knowledge_before, person.knowledge_after) == (3, 5)


def test_no_answers_yet():
    change = assessment_change([], members("ana"))
    assert change.summary() == "No learner has answered the self-assessment yet."
    assert all(item.before is None and item.after is None for item in change.knowledge)


def test_the_dashboard_carries_the_change_and_ignores_answers_for_adoption():
    log = Logbook()
    answer(log, 1, "ana", "before", confidence=2, right=2)
    answer(log, 5, "ana", "after", confidence=3, right=5)
    dashboard = compute_dashboard(log.activities, members("ana", "ben"))
    assert dashboard.assessment.paired == 1
    assert dashboard.summaries()["assessment"].startswith("1 learner answered the 'before' round")
    # Answering the self-assessment is neither adoption nor participation.
    assert dashboard.adoption.adopters == 0 and dashboard.participation.readers == 2
