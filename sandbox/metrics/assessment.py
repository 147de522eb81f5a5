"""The before-and-after self-assessment: how the room's answers changed.

Read from ``assessment.answer`` rows (detail ``{round, item, value}``, and
``correct`` on knowledge items; see ``sandbox.activity``). For the room (the
learners) it works out:

* per confidence statement, the mean answer in each round (1 = "not at all
  confident" ... 4 = "very confident");
* per knowledge question, the share of answers that were right in each round;
* per learner who answered **both** rounds (the only fair comparison), their
  confidence total (5 to 20) and knowledge score (0 to 6) before and after,
  and how many went up, stayed the same or went down.

If a learner answers an item twice in one round (a merged export), the later
answer counts. What it can't show: it is a self-report from one room on one
day; a change is encouraging, not proof the workshop caused it.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sandbox.assessment import ROUNDS, Questions, load_questions
from sandbox.metrics.records import Activity, Member
from sandbox.metrics.wording import percent, plural

CAVEAT = ("It is a self-report from one room on one day: a change is encouraging, "
          "not proof that the workshop caused it.")
SOURCE = "the room's own answers to the self-assessment (course: trainers' guide, 'Before and after')"


@dataclass(frozen=True)
class ItemResult:
    """One item in both rounds: the mean confidence (1-4) or the share right (0-1), and how many answered."""

    item: str
    number: int  # on the printed sheet and the sandbox page
    text: str
    before: float | None
    after: float | None
    answered_before: int
    answered_after: int

    @property
    def label(self) -> str:
        return f"{self.number}. {self.text}"


@dataclass(frozen=True)
class PersonChange:
    handle: str
    confidence_before: int
    confidence_after: int
    knowledge_before: int
    knowledge_after: int


@dataclass(frozen=True)
class Direction:
    up: int
    same: int
    down: int

    def words(self) -> str:
        return f"{self.up} went up, {self.same} stayed the same, {self.down} went down"


def _direction(pairs: Iterable[tuple[int, int]]) -> Direction:
    pairs = list(pairs)
    return Direction(up=sum(1 for b, a in pairs if a > b), same=sum(1 for b, a in pairs if a == b),
                     down=sum(1 for b, a in pairs if a < b))


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _number(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class AssessmentChange:
    answered: dict[str, int]  # round -> learners who answered it
    confidence: tuple[ItemResult, ...]
    knowledge: tuple[ItemResult, ...]
    people: tuple[PersonChange, ...]  # learners who answered both rounds
    confidence_max: int  # the highest confidence total (statements x top of the scale)
    knowledge_max: int

    @property
    def paired(self) -> int:
        return len(self.people)

    def mean(self, field: str) -> float | None:
        return _mean([getattr(person, field) for person in self.people])

    def confidence_direction(self) -> Direction:
        return _direction((p.confidence_before, p.confidence_after) for p in self.people)

    def knowledge_direction(self) -> Direction:
        return _direction((p.knowledge_before, p.knowledge_after) for p in self.people)

    def summary(self) -> str:
        before, after = self.answered["before"], self.answered["after"]
        if not before and not after:
            return "No learner has answered the self-assessment yet."
        counts = (f"{plural(before, 'learner')} answered the 'before' round and "
                  f"{after} the 'after' round.")
        if not self.people:
            return f"{counts} The change shows once someone has answered both."
        confidence = (f"confidence, out of {self.confidence_max}: {_number(self.mean('confidence_before'))} "
                      f"before, {_number(self.mean('confidence_after'))} after "
                      f"({self.confidence_direction().words()}).")
        knowledge = (f"Right answers, out of {self.knowledge_max}: {_number(self.mean('knowledge_before'))} "
                     f"before, {_number(self.mean('knowledge_after'))} after "
                     f"({self.knowledge_direction().words()}).")
        return (f"{counts} Among the {plural(self.paired, 'learner')} who answered both: "
                f"{confidence} {knowledge} {CAVEAT}")

    def item_summary(self) -> str:
        """The items that moved most, in words (the charts' second sentence)."""
        if not self.people:
            return ""
        moved = [item for item in self.knowledge if item.before is not None and item.after is not None]
        if not moved:
            return ""
        best = max(moved, key=lambda item: item.after - item.before)
        return (f"The biggest change in right answers was on '{best.label}': {percent(best.before)} "
                f"before, {percent(best.after)} after.")


def assessment_change(activities: Iterable[Activity], members: Sequence[Member],
                      questions: Questions | None = None) -> AssessmentChange:
    """The room's before and after, over the learners in ``members``."""
    questions = questions or load_questions()
    room = {member.handle for member in members if member.kind == "learner"}
    # (handle, round) -> item -> value; later rows overwrite earlier ones.
    answers: dict[tuple[str, str], dict[str, object]] = {}
    for activity in activities:
        if activity.verb != "assessment.answer" or activity.actor not in room:
            continue
        detail = activity.detail or {}
        round_, item = detail.get("round"), detail.get("item")
        if round_ not in ROUNDS or not item:
            continue
        value = detail.get("value")
        if str(item).startswith("knowledge."):
            correct = detail.get("correct")
            if correct is None:
                question = next((q for q in questions.knowledge if f"knowledge.{q.id}" == item), None)
                correct = question is not None and value == question.right
            value = bool(correct)
        answers.setdefault((activity.actor, round_), {})[str(item)] = value

    def item_results(labels: dict[str, tuple[int, str]], numeric) -> tuple[ItemResult, ...]:
        results = []
        for item, label in labels.items():
            per_round = {
                round_: [numeric(given[item]) for (who, r), given in answers.items() if r == round_ and item in given]
                for round_ in ROUNDS
            }
            number, text = label
            results.append(ItemResult(item=item, number=number, text=text, before=_mean(per_round["before"]),
                                      after=_mean(per_round["after"]), answered_before=len(per_round["before"]),
                                      answered_after=len(per_round["after"])))
        return tuple(results)

    confidence_labels = {f"confidence.{s.id}": (questions.number(f"confidence.{s.id}"), f"I can {s.text.lstrip('.…')}")
                         for s in questions.confidence}
    knowledge_labels = {f"knowledge.{q.id}": (questions.number(f"knowledge.{q.id}"), q.question)
                        for q in questions.knowledge}
    people = []
    for handle in sorted(room):
        before, after = answers.get((handle, "before")), answers.get((handle, "after"))
        if before is None or after is None:
            continue
        people.append(PersonChange(
            handle=handle,
            confidence_before=sum(int(before.get(item, 0)) for item in confidence_labels),
            confidence_after=sum(int(after.get(item, 0)) for item in confidence_labels),
            knowledge_before=sum(1 for item in knowledge_labels if before.get(item) is True),
            knowledge_after=sum(1 for item in knowledge_labels if after.get(item) is True),
        ))
    return AssessmentChange(
        answered={round_: len({who for (who, r) in answers if r == round_}) for round_ in ROUNDS},
        confidence=item_results(confidence_labels, int),
        knowledge=item_results(knowledge_labels, lambda right: 1.0 if right else 0.0),
        people=tuple(people),
        confidence_max=len(questions.confidence) * len(questions.scale),
        knowledge_max=len(questions.knowledge),
    )
