"""The before-and-after self-assessment's questions, read from ``questions.yaml``.

One source: the sandbox's Self-assessment page asks these, the course page
``course/trainers/self-assessment.md`` prints them (the course hook reads the
same file), and the debrief labels its charts with them. No Streamlit, no store.

A learner's answers are activity rows (``assessment.answer``, see
``sandbox.activity``); :mod:`sandbox.services.assessment` writes them and
:mod:`sandbox.metrics.assessment` works out the change.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

QUESTIONS_FILE = Path(__file__).resolve().parent / "questions.yaml"
ROUNDS = ("before", "after")


class QuestionsError(ValueError):
    """The questions file is broken (a bug in the kit, named with the part at fault)."""


@dataclass(frozen=True)
class Statement:
    """A confidence statement ("I can…"), answered on :attr:`Questions.scale`."""

    id: str
    text: str


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    right: bool
    catches: str  # the belief a wrong answer shows ("" for the right one)


@dataclass(frozen=True)
class Question:
    """A knowledge question with one best answer."""

    id: str
    question: str
    modules: tuple[int, ...]
    options: tuple[Option, ...]

    @property
    def right(self) -> str:
        return next(option.key for option in self.options if option.right)

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)


@dataclass(frozen=True)
class Questions:
    scale: tuple[str, ...]
    confidence: tuple[Statement, ...]
    knowledge: tuple[Question, ...]

    def item_ids(self) -> tuple[str, ...]:
        """Every item's key as stored in the log: ``confidence.<id>`` and ``knowledge.<id>``."""
        return (tuple(f"confidence.{s.id}" for s in self.confidence)
                + tuple(f"knowledge.{q.id}" for q in self.knowledge))

    def number(self, item: str) -> int:
        """The item's number on the printed sheet (1 for the first statement)."""
        return self.item_ids().index(item) + 1


def parse_questions(data: object) -> Questions:
    """Questions from the parsed YAML. Raises QuestionsError naming the part at fault."""
    if not isinstance(data, dict):
        raise QuestionsError("the questions file must be a mapping")
    try:
        scale = tuple(str(label) for label in data["scale"])
        confidence = tuple(Statement(id=str(item["id"]), text=str(item["text"])) for item in data["confidence"])
        knowledge = tuple(
            Question(
                id=str(item["id"]),
                question=str(item["question"]),
                modules=tuple(int(m) for m in item.get("modules") or ()),
                options=tuple(
                    Option(key=str(o["key"]), text=str(o["text"]), right=bool(o.get("right")),
                           catches=str(o.get("catches") or ""))
                    for o in item["options"]
                ),
            )
            for item in data["knowledge"]
        )
    except (KeyError, TypeError) as error:
        raise QuestionsError(f"the questions file is missing or misshapes {error}") from error
    if len(scale) < 2:
        raise QuestionsError("the confidence scale needs at least two labels")
    for kind, ids in (("confidence", [s.id for s in confidence]), ("knowledge", [q.id for q in knowledge])):
        if len(set(ids)) != len(ids):
            raise QuestionsError(f"two {kind} items share an id")
    for question in knowledge:
        if sum(option.right for option in question.options) != 1:
            raise QuestionsError(f"knowledge question {question.id!r} needs exactly one right answer")
        if any(not option.right and not option.catches for option in question.options):
            raise QuestionsError(f"knowledge question {question.id!r}: every wrong answer must say what it catches")
    return Questions(scale=scale, confidence=confidence, knowledge=knowledge)


@cache
def load_questions(path: Path = QUESTIONS_FILE) -> Questions:
    """The shipped questions (read once per process)."""
    return parse_questions(yaml.safe_load(path.read_text(encoding="utf-8")))
