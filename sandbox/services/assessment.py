"""The before-and-after self-assessment: answering, skipping and opening a round.

Everything is an activity row (no table of its own): a learner's answers are
one ``assessment.answer`` row per item, ``{round, item, value}`` (and
``correct`` for a knowledge item, so an export can be read without the
questions file); skipping a round is ``assessment.skip``; the trainer opening
the "after" round is ``assessment.open``. The questions come from
``sandbox/assessment/questions.yaml``.

When a round is offered to a learner:

- **before**: from joining, until they answer or skip it;
- **after**: once the trainer opens it for the room, or, in a self-study
  workshop, once the learner has completed every mission; until they answer
  or skip it. Answering "after" does not need "before" (the change is only
  worked out for people who did both).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.activity import parse_detail
from sandbox.assessment import ROUNDS, Questions, load_questions
from sandbox.services import activity_log
from sandbox.services.errors import InvalidInput, NotAllowed
from sandbox.services.workshops import require_trainer
from sandbox.store.models import Activity, Member, Workshop

ROUND_VERBS = ("assessment.answer", "assessment.skip")


@dataclass(frozen=True)
class MemberRounds:
    """Where one learner is with each round: "due", "answered", "skipped" or "not open"."""

    before: str
    after: str

    def due(self) -> str | None:
        """The round to offer now, if any (before first)."""
        for round_ in ROUNDS:
            if getattr(self, round_) == "due":
                return round_
        return None


@dataclass(frozen=True)
class RoomRounds:
    """The room at a glance, for the trainer: who answered or skipped each round."""

    learners: int
    answered: Mapping[str, int]
    skipped: Mapping[str, int]
    after_open: bool


def _check_round(round_: str) -> None:
    if round_ not in ROUNDS:
        raise InvalidInput(f"There is no self-assessment round called {round_!r}; it is 'before' or 'after'.")


def _done_rounds(session: Session, member: Member) -> dict[str, str]:
    """round -> "answered" | "skipped" for the rounds this member has finished."""
    rows = session.execute(
        select(Activity.verb, Activity.detail).where(
            Activity.workshop_id == member.workshop_id,
            Activity.actor_id == member.id,
            Activity.verb.in_(ROUND_VERBS),
        )
    )
    done: dict[str, str] = {}
    for verb, detail in rows:
        round_ = parse_detail(detail).get("round")
        if round_ in ROUNDS:
            # An answer wins over a skip (a learner may skip, then answer after all).
            if verb == "assessment.answer" or round_ not in done:
                done[round_] = "answered" if verb == "assessment.answer" else "skipped"
    return done


def after_open_for_room(session: Session, workshop_id: int) -> bool:
    """True once the trainer has opened the "after" round."""
    rows = session.scalars(select(Activity.detail).where(
        Activity.workshop_id == workshop_id, Activity.verb == "assessment.open"))
    return any(parse_detail(detail).get("round") == "after" for detail in rows)


def _finished_missions(session: Session, member: Member, missions: frozenset[str]) -> bool:
    if not missions:
        return False
    done = set(session.scalars(select(Activity.object_id).where(
        Activity.workshop_id == member.workshop_id, Activity.actor_id == member.id,
        Activity.verb == "mission.complete")))
    return missions <= done


def member_rounds(session: Session, member: Member, mission_ids: Iterable[str] = ()) -> MemberRounds:
    """Which rounds ``member`` has answered, skipped, or may answer now.

    Only learners take the self-assessment: for anyone else both rounds are "not open".
    ``mission_ids`` are the workshop scenario's missions (the caller's room knows them):
    in self-study the "after" round opens once the learner has completed them all.
    """
    if member.kind != "learner":
        return MemberRounds(before="not open", after="not open")
    done = _done_rounds(session, member)
    before = done.get("before", "due")
    after = done.get("after")
    if after is None:
        workshop = session.get(Workshop, member.workshop_id)
        is_open = after_open_for_room(session, member.workshop_id) or (
            workshop.mode == "self-study" and _finished_missions(session, member, frozenset(mission_ids)))
        after = "due" if is_open else "not open"
    return MemberRounds(before=before, after=after)


def answer_round(session: Session, member: Member, round_: str, answers: Mapping[str, object], *,
                 now: datetime, questions: Questions | None = None) -> int:
    """Record ``member``'s answers to one round: one ``assessment.answer`` row per item.

    ``answers`` maps each item (``confidence.<id>`` -> 1..len(scale), ``knowledge.<id>``
    -> an option letter) to the answer. Returns how many rows were written.
    Fails with InvalidInput for an unknown round, a missing or impossible answer,
    or a round already answered; NotAllowed for a round not open to them or for
    anyone but a learner. Nothing is written when it fails.
    """
    questions = questions or load_questions()
    _check_round(round_)
    member = session.get(Member, member.id)
    state = getattr(member_rounds(session, member), round_)
    if member.kind != "learner":
        raise NotAllowed("The self-assessment is for learners.")
    if state == "answered":
        raise InvalidInput(f"You have already answered the {round_} round. Thank you!")
    if state == "not open":
        raise NotAllowed("The 'after' round is not open yet: your trainer opens it at the end.")
    unanswered = [str(questions.number(item)) for item in questions.item_ids() if answers.get(item) in (None, "")]
    if unanswered:
        listed = ", ".join(unanswered)
        raise InvalidInput(f"Please answer every question ({'number' if len(unanswered) == 1 else 'numbers'} "
                           f"{listed} {'is' if len(unanswered) == 1 else 'are'} still empty). It is fine to guess.")
    rows = []
    for statement in questions.confidence:
        value = answers[f"confidence.{statement.id}"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= len(questions.scale):
            raise InvalidInput(f"Question {questions.number(f'confidence.{statement.id}')}: choose one of the "
                               f"{len(questions.scale)} boxes.")
        rows.append({"item": f"confidence.{statement.id}", "value": value})
    for question in questions.knowledge:
        item = f"knowledge.{question.id}"
        value = str(answers[item])
        if question.option(value) is None:
            raise InvalidInput(f"Question {questions.number(item)}: choose one of the answers given.")
        rows.append({"item": item, "value": value, "correct": value == question.right})
    for detail in rows:
        activity_log.record(session, member, "assessment.answer", now=now, object_type="assessment",
                            object_id=detail["item"], detail={"round": round_, **detail})
    return len(rows)


def skip_round(session: Session, member: Member, round_: str, *, now: datetime) -> None:
    """Record that ``member`` chose not to answer ``round_`` (not offered again).

    Fails with InvalidInput for an unknown round or one already answered or skipped.
    """
    _check_round(round_)
    member = session.get(Member, member.id)
    if member.kind != "learner":
        raise NotAllowed("The self-assessment is for learners.")
    state = getattr(member_rounds(session, member), round_)
    if state in ("answered", "skipped"):
        raise InvalidInput(f"You have already {state} the {round_} round.")
    activity_log.record(session, member, "assessment.skip", now=now, object_type="assessment",
                        detail={"round": round_})


def open_after_round(session: Session, trainer: Member, *, now: datetime) -> bool:
    """Trainer: offer the "after" round to every learner. Returns False if it was open already.

    Fails with NotAllowed for anyone but the trainer.
    """
    require_trainer(trainer)
    if after_open_for_room(session, trainer.workshop_id):
        return False
    trainer = session.get(Member, trainer.id)
    activity_log.record(session, trainer, "assessment.open", now=now, object_type="assessment",
                        detail={"round": "after"})
    return True


def room_rounds(session: Session, workshop_id: int) -> RoomRounds:
    """How many learners answered or skipped each round (distinct people)."""
    learners = session.scalar(select(func.count()).select_from(Member).where(
        Member.workshop_id == workshop_id, Member.kind == "learner")) or 0
    rows = session.execute(select(Activity.actor_id, Activity.verb, Activity.detail).where(
        Activity.workshop_id == workshop_id, Activity.verb.in_(ROUND_VERBS), Activity.actor_kind == "learner"))
    answered: dict[str, set[int]] = {round_: set() for round_ in ROUNDS}
    skipped: dict[str, set[int]] = {round_: set() for round_ in ROUNDS}
    for actor, verb, detail in rows:
        round_ = parse_detail(detail).get("round")
        if round_ in ROUNDS:
            (answered if verb == "assessment.answer" else skipped)[round_].add(actor)
    return RoomRounds(
        learners=int(learners),
        answered={round_: len(people) for round_, people in answered.items()},
        skipped={round_: len(people - answered[round_]) for round_, people in skipped.items()},
        after_open=after_open_for_room(session, workshop_id),
    )
