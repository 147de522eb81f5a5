"""The before-and-after self-assessment, printed from the sandbox's own questions file.

``sandbox/assessment/questions.yaml`` is the one source: the sandbox asks these
questions, and the course page ``trainers/self-assessment.md`` prints them
through two markers the lesson hook replaces:

- ``{{ self-assessment: questions }}``: the sheet (confidence table, then the
  knowledge questions with tick boxes), numbered as the sandbox numbers them;
- ``{{ self-assessment: answers }}``: the trainers' table of right answers and
  what each wrong answer catches.

Read with plain YAML (the hook does not import the sandbox package); the file's
shape is checked by ``sandbox.assessment.parse_questions`` in the tests.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

QUESTIONS = Path("sandbox") / "assessment" / "questions.yaml"
MARKER = re.compile(r"^\{\{\s*self-assessment:\s*(questions|answers)\s*\}\}\s*$", re.MULTILINE)
BOX = "☐"


def load(project_root: Path) -> dict | None:
    """The questions, or None for a project without the sandbox (a page that uses a marker then fails)."""
    path = project_root / QUESTIONS
    if not path.is_file():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def questions_markdown(data: dict) -> str:
    scale = data["scale"]
    lines = [
        "### Part 1: confidence",
        "",
        "How confident do you feel about each of these? Tick one box for each.",
        "",
        "| I can… | " + " | ".join(scale) + " |",
        "| --- | " + " | ".join(":---:" for _ in scale) + " |",
    ]
    number = 0
    for statement in data["confidence"]:
        number += 1
        lines.append(f"| {number}. {_cell(statement['text'])} | " + " | ".join(BOX for _ in scale) + " |")
    lines += [
        "",
        "(These are the same five statements as Part 2 of the post-workshop survey, so the",
        "end-of-day answers can be compared with either.)",
        "",
        "### Part 2: quick questions",
        "",
        "Tick the **one** answer you think is best. It is fine to guess.",
        "",
    ]
    for question in data["knowledge"]:
        number += 1
        lines += [f"**{number}. {question['question']}**", ""]
        lines += [f"- {BOX} {option['key']}. {option['text']}" for option in question["options"]]
        lines.append("")
    return "\n".join(lines)


def answers_markdown(data: dict) -> str:
    lines = [
        "| question | right | what each wrong answer shows | module |",
        "| --- | --- | --- | --- |",
    ]
    number = len(data["confidence"])
    for question in data["knowledge"]:
        number += 1
        right = next(option["key"] for option in question["options"] if option.get("right"))
        wrong = "; ".join(f"{option['key']}: {option['catches']}" for option in question["options"]
                          if not option.get("right"))
        modules = ", ".join(str(module) for module in question.get("modules") or ())
        lines.append(f"| {number} | {right} | {_cell(wrong)} | {modules} |")
    return "\n".join(lines) + "\n"


def substitute(markdown: str, data: dict | None, where: str = "") -> str:
    """Replace the markers; raises ValueError when a page has one but there is no questions file."""
    if data is None:
        if MARKER.search(markdown):
            raise ValueError(f"{where}: the self-assessment marker needs {QUESTIONS.as_posix()}")
        return markdown
    return MARKER.sub(
        lambda m: questions_markdown(data) if m.group(1) == "questions" else answers_markdown(data), markdown)
