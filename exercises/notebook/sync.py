"""Keep the notebooks' embedded helpers in step with their one source.

    python -m exercises.notebook.sync          # rewrite what drifted
    python -m exercises.notebook.sync --check  # only report; exit 1 on drift

What it keeps in step:
- the "How to use this notebook" cell (the one starting with that heading)
  of every master holds exercises/notebook/how_to.md;
- the read-only setup cell (nbgrader grade_id ``setup``) of every master
  notebook holds ``SETUP_HEADER`` followed by exercises/notebook/check.py and,
  unless the notebook is an exam (metadata ``insideout.exam: true``), the
  fingerprints of its multiple-choice answers, read from its hidden tests;
- assignments that analyse a workshop get ``insideout_export.py`` and the
  sample export files copied next to the notebook (nbgrader releases every
  file in the assignment folder).
"""
from __future__ import annotations

import ast
import re
import shutil
import sys
from pathlib import Path

import nbformat

from exercises.notebook import check as check_module

EXERCISES = Path(__file__).resolve().parent.parent
SOURCE = EXERCISES / "source"
CHECK_FILE = Path(__file__).resolve().parent / "check.py"
READER_FILE = Path(__file__).resolve().parent / "insideout_export.py"
HOW_TO_FILE = Path(__file__).resolve().parent / "how_to.md"
HOW_TO_HEADING = "## How to use this notebook"
DATA = EXERCISES / "data"

SETUP_GRADE_ID = "setup"
SETUP_HEADER = (
    "# Setup: run this cell first (Shift+Enter). You do not need to read or change it.\n"
    "# It gives you check(), which tells you in plain words whether an answer is ready.\n"
)

# Assignment id -> files it needs next to its notebook.
SHIPPED_FILES: dict[str, list[Path]] = {
    "m11-measuring-adoption": [
        READER_FILE, DATA / "sample-export.json", DATA / "sample-export.csv",
    ],
}


EXAM_FLAG = "exam"  # notebook metadata insideout.exam: true switches self-study feedback off
KEY_HEADER = "# Self-study feedback for multiple-choice questions (from the hidden tests; not in exams).\n"
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def is_exam(notebook) -> bool:
    return bool(notebook.metadata.get("insideout", {}).get(EXAM_FLAG, False))


def answer_key(notebook) -> dict[str, str]:
    """Question -> fingerprint of the right letter, for every multiple-choice question
    whose hidden test reads ``check(answer_q6, "B", one_of=...)``. Empty for an exam."""
    if is_exam(notebook):
        return {}
    key = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for hidden in HIDDEN_TESTS.findall(cell.source):
            for node in ast.walk(ast.parse(hidden)):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "check"
                        and any(word.arg == "one_of" for word in node.keywords) and len(node.args) >= 2):
                    continue
                answer, right = node.args[:2]
                if (isinstance(answer, ast.Name) and answer.id.startswith("answer_")
                        and isinstance(right, ast.Constant) and isinstance(right.value, str)):
                    question = answer.id.removeprefix("answer_")
                    key[question] = check_module.fingerprint(question, right.value)
    return dict(sorted(key.items()))


def setup_source(notebook=None) -> str:
    """The setup cell: header, check.py, and (for a notebook that has one) its answer key."""
    source = SETUP_HEADER + CHECK_FILE.read_text(encoding="utf-8")
    key = answer_key(notebook) if notebook is not None else {}
    if key:
        source += "\n" + KEY_HEADER + f"ANSWER_KEY = {key!r}\n"
    return source


def how_to_source() -> str:
    return HOW_TO_FILE.read_text(encoding="utf-8").rstrip("\n")


def how_to_cells(notebook) -> list:
    return [cell for cell in notebook.cells
            if cell.cell_type == "markdown" and cell.source.startswith(HOW_TO_HEADING)]


def master_notebooks() -> list[Path]:
    return sorted(SOURCE.glob("*/*.ipynb"))


def setup_cells(notebook) -> list:
    return [
        cell for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == SETUP_GRADE_ID
    ]


def drift() -> list[str]:
    """What is out of step, as plain sentences (empty when all is in step)."""
    problems = []
    for path in master_notebooks():
        notebook = nbformat.read(path, as_version=4)
        wanted = setup_source(notebook)
        cells = setup_cells(notebook)
        if len(cells) != 1:
            problems.append(f"{path.name}: expected one setup cell, found {len(cells)}")
        elif cells[0].source != wanted:
            problems.append(f"{path.name}: setup cell differs from check.py")
        guides = how_to_cells(notebook)
        if len(guides) != 1:
            problems.append(f"{path.name}: expected one how-to cell, found {len(guides)}")
        elif guides[0].source != how_to_source():
            problems.append(f"{path.name}: how-to cell differs from how_to.md")
    for assignment, files in SHIPPED_FILES.items():
        for original in files:
            copy = SOURCE / assignment / original.name
            if not copy.is_file() or copy.read_bytes() != original.read_bytes():
                problems.append(f"{assignment}/{original.name}: copy missing or different")
    return problems


def sync() -> list[str]:
    """Rewrite setup cells and shipped copies that drifted; return what changed."""
    changed = []
    for path in master_notebooks():
        notebook = nbformat.read(path, as_version=4)
        wanted = setup_source(notebook)
        cells = setup_cells(notebook) + how_to_cells(notebook)
        stale = [(cell, text) for cell, text in zip(cells, [wanted, how_to_source()])
                 if len(cells) == 2 and cell.source != text]
        for cell, text in stale:
            cell.source = text
        if stale:
            nbformat.write(notebook, path)
            changed.append(path.name)
    for assignment, files in SHIPPED_FILES.items():
        folder = SOURCE / assignment
        if not folder.is_dir():
            continue
        for original in files:
            copy = folder / original.name
            if not copy.is_file() or copy.read_bytes() != original.read_bytes():
                shutil.copyfile(original, copy)
                changed.append(f"{assignment}/{original.name}")
    return changed


def main(argv: list[str]) -> int:
    if "--check" in argv:
        problems = drift()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    for name in sync():
        print("updated", name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
