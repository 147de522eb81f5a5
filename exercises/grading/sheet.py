"""``to-mark.csv``: the trainer's sheet of written answers waiting for a mark.

One row per learner per written question: who, which question, the points it is worth,
the learner's answer, and empty ``mark`` and ``comment`` cells for the trainer. It is
UTF-8 with a byte-order mark, so Excel shows accents and other scripts correctly; cells
that Excel would run as a formula are made plain text. Rows are numbered as a
spreadsheet numbers them (the header is row 1), so a message can point at one.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from exercises.errors import ExercisesError
from exercises.spreadsheets import delimiter

from .results import LearnerResult, format_points, write_atomically

TO_MARK_FILE = "to-mark.csv"
SHEET_COLUMNS = ("learner", "assignment", "question", "points", "answer", "mark", "comment")
NEEDED_COLUMNS = ("learner", "question", "mark")
# A spreadsheet cell holds at most 32,767 characters; longer answers are cut with a note.
MAX_ANSWER_CHARACTERS = 32_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class MarksError(ExercisesError):
    """The marking sheet cannot be used; the message names the row and the problem."""


@dataclass(frozen=True)
class SheetRow:
    row: int  # as a spreadsheet shows it: the header is row 1
    learner: str
    assignment: str
    question: str
    mark: str  # as typed; blank means not marked yet
    comment: str


def read_sheet(path: Path) -> list[SheetRow]:
    """The rows of a marking sheet, blank lines left out.

    Fails with :class:`MarksError` when the file is missing, is a folder, cannot be
    read, is not UTF-8 text, is empty, is not valid CSV, lacks one of the columns
    learner, question and mark, or has a row with more cells than the header.
    Semicolons or tabs between cells (as spreadsheet programs write in many
    countries) are accepted, and so is a missing byte-order mark.
    """
    name = path.name
    if not path.exists():
        raise MarksError(f"There is no file at {path}. Give the to-mark.csv you filled in.")
    if path.is_dir():
        raise MarksError(f"{path} is a folder; give the to-mark.csv file itself.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MarksError(f"{name} is not saved as UTF-8 text; in your spreadsheet program save it "
                         "as 'CSV UTF-8' and try again.") from None
    except OSError as error:
        raise MarksError(f"{path} could not be read ({error.strerror or error}).") from None
    if not text.strip():
        raise MarksError(f"{name} is empty; it should have a header row and one row per answer.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    try:
        records = list(reader)
    except csv.Error as error:
        raise MarksError(f"{name} row {reader.line_num} is not valid CSV ({error}).") from None
    header = [cell.strip().lower() for cell in records[0]]
    missing = [column for column in NEEDED_COLUMNS if column not in header]
    if missing:
        raise MarksError(f"{name} has no {', '.join(missing)} column; keep the header row as "
                         f"insideout grade wrote it ({','.join(SHEET_COLUMNS)}).")
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            raise MarksError(f"{name} row {number} has more cells than the header row; "
                             "check for a stray comma or semicolon.")
        cells = dict(zip(header, record))
        rows.append(SheetRow(number, cells.get("learner", "").strip(), cells.get("assignment", "").strip(),
                             cells.get("question", "").strip(), cells.get("mark", "").strip(),
                             cells.get("comment", "").strip()))
    return rows


def typed_marks(rows: list[SheetRow]) -> dict[tuple[str, str], SheetRow]:
    """What the trainer typed, by (learner, question); a later row wins."""
    return {(row.learner, row.question): row for row in rows}


def build_rows(saved: list[tuple[LearnerResult, dict[str, dict]]], typed: dict[tuple[str, str], SheetRow],
               reset: set[str]) -> list[dict[str, str]]:
    """The sheet's rows: every written answer that waits for (or got) a trainer's mark.

    A cell the trainer typed is kept as typed (even if not applied yet); otherwise a mark
    already applied is shown; learners in ``reset`` (they handed in a changed notebook)
    start with empty cells.
    """
    rows = []
    for autograded, marks in sorted(saved, key=lambda item: item[0].learner):
        for check in autograded.checks:
            if not check.waiting:
                continue
            mark, comment = "", ""
            key = (autograded.learner, check.question)
            if autograded.learner in reset:
                pass
            elif (row := _typed_row(typed, *key)) is not None:
                mark, comment = row.mark, row.comment
            elif check.question in marks:
                mark = format_points(marks[check.question]["mark"])
                comment = marks[check.question].get("comment", "")
            rows.append({
                "learner": autograded.learner, "assignment": autograded.assignment, "question": check.question,
                "points": format_points(check.max_score), "answer": plain_cell(_cut(check.answer)),
                "mark": mark, "comment": comment,
            })
    return rows


def _typed_row(typed: dict[tuple[str, str], SheetRow], learner: str, question: str) -> SheetRow | None:
    """The trainer's row for this answer; spreadsheets drop the leading zeros of ids
    that look like numbers (00123 is saved as 123), so those match too."""
    if (learner, question) in typed or not learner.isdigit():
        return typed.get((learner, question))
    return typed.get((learner.lstrip("0"), question))


def _cut(answer: str) -> str:
    if len(answer) <= MAX_ANSWER_CHARACTERS:
        return answer
    return answer[:MAX_ANSWER_CHARACTERS] + " [cut here: the whole answer is in the learner's notebook]"


def plain_cell(text: str) -> str:
    """Learner text that Excel would run as a formula (``=HYPERLINK(...)``) shown as text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render_sheet(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SHEET_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_sheet(path: Path, rows: list[dict[str, str]]) -> bool:
    """Write the sheet if it changed; True when it was written."""
    data = render_sheet(rows)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(path, data)
    return True
