"""The lesson schema: what every module page must declare, and reading it.

A module page (``course/modules/*.md``) starts with YAML front matter:

    title, teaching (minutes), exercises (minutes), questions, objectives, keypoints,
    and optionally missions (sandbox mission ids), mission_minutes (the time its
    missions take in a workshop), assignment (a graded notebook id) and
    notebook_minutes (how long that notebook takes; one module owns each notebook's
    minutes, see lesson.py).

Its body must hold at least ``MIN_CHALLENGES`` challenges, each with a collapsible
solution, and at least one ``instructor`` admonition (trainer notes). Every challenge
says whether it is core or optional and how long it takes, in its title:
``!!! question "Challenge (core, 5 min): ..."``. The core challenges and the missions
must fit in the module's exercise minutes: optional ones are extra.

Failure cases: ``SchemaError`` with a one-line message naming the file and the part
that is missing or wrong (broken YAML reports the line).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MIN_CHALLENGES = 2

REQUIRED_PARTS = {
    "title": "the module's title",
    "teaching": "minutes of teaching, a whole number",
    "exercises": "minutes of exercises, a whole number",
    "questions": "a list of the questions the module answers",
    "objectives": "a list of what the learner will be able to do",
    "keypoints": "a list of short take-aways",
}
OPTIONAL_PARTS = {"missions", "mission_minutes", "assignment", "notebook_minutes"}

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
CHALLENGE = re.compile(r'^!!!\s+question\s+"Challenge([^":]*):', re.MULTILINE)
CHALLENGE_MARK = re.compile(r"\s+\((core|optional),\s*(\d+)\s*min\)")
SOLUTION = re.compile(r'^\s+\?\?\?\+?\s+success\s+"Solution', re.MULTILINE)
TRAINER_NOTE = re.compile(r"^!!!\s+instructor\b", re.MULTILINE)


class SchemaError(Exception):
    """A module page does not follow the lesson schema."""


@dataclass(frozen=True)
class Module:
    path: str  # relative to the docs dir, e.g. "modules/03-wiki.md"
    number: int
    title: str
    teaching: int
    exercises: int
    questions: tuple[str, ...]
    objectives: tuple[str, ...]
    keypoints: tuple[str, ...]
    missions: tuple[str, ...] = ()
    assignment: str | None = None
    challenges: int = 0
    core_minutes: int = 0  # the core challenges' minutes
    optional_minutes: int = 0  # the optional challenges' minutes (extra time)
    mission_minutes: int = 0
    notebook_minutes: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises

    @property
    def html_path(self) -> str:
        return self.path[: -len(".md")] + ".html"


def is_module(src_path: str) -> bool:
    return bool(re.fullmatch(r"modules/\d\d-[a-z0-9-]+\.md", src_path))


def split_front_matter(text: str, where: str) -> tuple[dict, str, int]:
    """Return (front matter, body, number of lines the front matter took)."""
    match = FRONT_MATTER.match(text)
    if not match:
        raise SchemaError(f"{where}: no front matter (the page must start with a '---' block)")
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise SchemaError(f"{where}{line}: broken front matter: {problem}") from None
    if not isinstance(data, dict):
        raise SchemaError(f"{where}: the front matter must be 'key: value' lines")
    return data, text[match.end():], match.group(0).count("\n")


def _text_list(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise SchemaError(f"{where}: '{key}' must be a non-empty list of sentences")
    return tuple(item.strip() for item in value)


def _minutes(data: dict, key: str, where: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 600:
        raise SchemaError(f"{where}: '{key}' must be a whole number of minutes (got {value!r})")
    return value


def parse_module(text: str, src_path: str, docs_label: str = "course") -> Module:
    where = f"{docs_label}/{src_path}"
    data, body, _ = split_front_matter(text, where)
    for part, meaning in REQUIRED_PARTS.items():
        if part not in data or data[part] in (None, "", []):
            raise SchemaError(f"{where}: missing '{part}' in the front matter ({meaning})")
    title = data["title"]
    if not isinstance(title, str) or not title.strip():
        raise SchemaError(f"{where}: 'title' must be text")
    missions = data.get("missions") or []
    if not isinstance(missions, list) or not all(isinstance(m, str) for m in missions):
        raise SchemaError(f"{where}: 'missions' must be a list of mission ids")
    assignment = data.get("assignment")
    if assignment is not None and not isinstance(assignment, str):
        raise SchemaError(f"{where}: 'assignment' must be an assignment id such as m03-wiki")

    marks = CHALLENGE.findall(body)
    challenges = len(marks)
    if challenges < MIN_CHALLENGES:
        raise SchemaError(
            f"{where}: needs at least {MIN_CHALLENGES} challenges "
            f'(\'!!! question "Challenge: ..."\'), found {challenges}'
        )
    if len(SOLUTION.findall(body)) < challenges:
        raise SchemaError(
            f"{where}: every challenge needs a collapsible solution "
            f'(an indented \'??? success "Solution"\' inside it)'
        )
    if not TRAINER_NOTE.search(body):
        raise SchemaError(f'{where}: missing trainer notes (\'!!! instructor "Trainer notes"\')')
    minutes_by_kind = {"core": 0, "optional": 0}
    for mark in marks:
        found = CHALLENGE_MARK.fullmatch(mark)
        if not found:
            raise SchemaError(
                f"{where}: every challenge says core or optional and its minutes "
                f'(\'!!! question "Challenge (core, 5 min): ..."\'), not "Challenge{mark}"'
            )
        minutes_by_kind[found.group(1)] += int(found.group(2))
    if not any(CHALLENGE_MARK.fullmatch(m).group(1) == "core" for m in marks):
        raise SchemaError(f"{where}: needs at least one core challenge")
    teaching = _minutes(data, "teaching", where)
    exercises = _minutes(data, "exercises", where)
    mission_minutes = _minutes(data, "mission_minutes", where) if "mission_minutes" in data else 0
    if missions and not mission_minutes:
        raise SchemaError(f"{where}: 'mission_minutes' must say how long its missions take")
    if minutes_by_kind["core"] + mission_minutes > exercises:
        raise SchemaError(
            f"{where}: the core challenges ({minutes_by_kind['core']} min) and missions "
            f"({mission_minutes} min) do not fit in 'exercises' ({exercises} min)"
        )
    notebook_minutes = None
    if "notebook_minutes" in data:
        if assignment is None:
            raise SchemaError(f"{where}: 'notebook_minutes' needs an 'assignment'")
        notebook_minutes = _minutes(data, "notebook_minutes", where)

    number = int(Path(src_path).name[:2])
    known = set(REQUIRED_PARTS) | OPTIONAL_PARTS
    return Module(
        path=src_path,
        number=number,
        title=title.strip(),
        teaching=teaching,
        exercises=exercises,
        questions=_text_list(data, "questions", where),
        objectives=_text_list(data, "objectives", where),
        keypoints=_text_list(data, "keypoints", where),
        missions=tuple(missions),
        assignment=assignment,
        challenges=challenges,
        core_minutes=minutes_by_kind["core"],
        optional_minutes=minutes_by_kind["optional"],
        mission_minutes=mission_minutes,
        notebook_minutes=notebook_minutes,
        extra={k: v for k, v in data.items() if k not in known},
    )
