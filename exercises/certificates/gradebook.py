"""Read one or more ``grades.csv`` files written by ``insideout grade``.

Each file has one row per learner per assignment with the columns
``learner, assignment, score, max_score, status, reason`` and, from ``insideout grade``,
``points_to_mark`` (points of written answers still waiting for the trainer's mark).
Several files (one per assignment, say) are read together as one gradebook.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from exercises.certificates.errors import CertificateError
from exercises.spreadsheets import delimiter

REQUIRED_COLUMNS = ("learner", "assignment", "score", "max_score", "status")
OPTIONAL_COLUMNS = ("reason", "points_to_mark")
# Statuses that mean "every check ran": ``insideout grade`` writes "graded"
# (exercises.grading.results.GRADED; a test keeps the two in step), and "ok" is
# accepted for grades files made by hand or by other tools.
GRADED_STATUSES = ("graded", "ok")
# ``insideout grade --out DIR`` writes DIR/grades.csv; by default DIR is
# grades/<assignment>, so a folder given to --grades is searched one level down.
GRADES_FILE_NAME = "grades.csv"


@dataclass(frozen=True)
class Grade:
    """One learner's result for one assignment, as written in a grades file."""

    learner: str
    assignment: str
    score: Fraction | None
    max_score: Fraction | None
    status: str
    reason: str
    source: str  # "grades.csv line 4": where to look when something is wrong
    points_to_mark: Fraction | None = None  # written answers' points not marked yet

    @property
    def waits_for_marking(self) -> bool:
        return bool(self.points_to_mark)

    @property
    def is_graded(self) -> bool:
        return self.status in GRADED_STATUSES


def read_gradebook(paths: list[Path]) -> list[Grade]:
    """All grades from ``paths``, in file order.

    A path that is a folder stands for every ``grades.csv`` in it and in its
    sub-folders one level down (``grades/`` holding ``grades/m01-inside-out/grades.csv``
    and so on).

    Fails with :class:`CertificateError` when no file is given, a file is missing,
    unreadable, not UTF-8 text, empty, lacks a required column, has a row without
    learner or assignment, has a score that is not a number (or is negative), or
    when the same learner and assignment appear twice (in one file or across files).
    """
    if not paths:
        raise CertificateError("give at least one grades file with --grades.")
    grades: list[Grade] = []
    seen: dict[tuple[str, str], str] = {}
    for path in _expand_folders([Path(path) for path in paths]):
        for grade in _read_grades_file(path):
            key = (grade.learner, grade.assignment)
            if key in seen:
                raise CertificateError(
                    f"{grade.learner}'s grade for {grade.assignment} appears twice "
                    f"({seen[key]} and {grade.source}); keep only one of them."
                )
            seen[key] = grade.source
            grades.append(grade)
    return grades


def _expand_folders(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(path.glob(GRADES_FILE_NAME)) + sorted(path.glob(f"*/{GRADES_FILE_NAME}"))
        if not found:
            raise CertificateError(
                f"there is no {GRADES_FILE_NAME} in the folder {path} or in its sub-folders."
            )
        files.extend(found)
    # The same file named twice (a folder and a file in it) is read once.
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


def _read_grades_file(path: Path) -> list[Grade]:
    rows = read_csv_rows(path, "grades file")
    header, body = rows
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise CertificateError(
            f"{path} is missing the column(s) {', '.join(missing)}; a grades file "
            f"needs the columns {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)} "
            "(as written by 'insideout grade')."
        )
    if not body:
        raise CertificateError(f"{path} has no grades in it, only the header line.")
    return [_grade_from_row(path, line, row) for line, row in body]


def _grade_from_row(path: Path, line: int, row: dict[str, str]) -> Grade:
    where = f"{path} line {line}"
    learner = row["learner"].strip()
    assignment = row["assignment"].strip()
    if not learner or not assignment:
        raise CertificateError(f"{path} line {line} has no learner or no assignment.")
    status = row["status"].strip().lower()
    score = _number(path, line, "score", row["score"])
    max_score = _number(path, line, "max_score", row["max_score"])
    if status in GRADED_STATUSES and (score is None or max_score is None):
        raise CertificateError(
            f"{path} line {line} says the notebook was graded (status {status}) "
            "but has no score or no max_score."
        )
    return Grade(
        learner=learner,
        assignment=assignment,
        score=score,
        max_score=max_score,
        status=status,
        reason=(row.get("reason") or "").strip(),
        source=where,
        points_to_mark=_number(path, line, "points_to_mark", row.get("points_to_mark") or ""),
    )


def _number(path: Path, line: int, column: str, text: str) -> Fraction | None:
    text = text.strip()
    if not text:
        return None
    try:
        # Fraction keeps "0.6" exact, so 3 out of 5 meets a pass mark of 0.6.
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise CertificateError(
            f"{path} line {line}: {column} should be a number, not {text!r}."
        ) from None
    if value < 0:
        raise CertificateError(f"{path} line {line}: {column} cannot be negative ({text}).")
    return value


def read_csv_rows(path: Path, what: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-blank rows (with their line numbers) of a CSV file.

    Fails with :class:`CertificateError` when the file is missing, is a folder, cannot
    be read, is not UTF-8 text, is empty, or has a row with more cells than the header.
    A UTF-8 byte-order mark, and semicolons or tabs between cells (as spreadsheet
    programs write in many countries), are accepted.
    """
    if not path.exists():
        raise CertificateError(f"cannot find the {what} {path}.")
    if path.is_dir():
        raise CertificateError(f"{path} is a folder; give the {what} itself.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CertificateError(
            f"{path} is not UTF-8 text; save it as 'CSV UTF-8' and try again."
        ) from None
    except OSError as error:
        raise CertificateError(f"cannot read {path}: {error.strerror or error}.") from None
    if not text.strip():
        raise CertificateError(f"{path} is empty; expected a {what} in CSV form.")
    # newline="" as the csv module asks, so quoted cells keep their own line breaks.
    reader = csv.DictReader(
        io.StringIO(text, newline=""), restkey="\0extra", delimiter=delimiter(text)
    )
    header = [column.strip().lower() for column in (reader.fieldnames or [])]
    reader.fieldnames = header
    body = []
    try:
        for row in reader:
            if "\0extra" in row:
                raise CertificateError(
                    f"{path} line {reader.line_num} has more cells than the header line."
                )
            # Short rows come back with None for the missing cells.
            cleaned = {key: (value or "") for key, value in row.items()}
            if any(value.strip() for value in cleaned.values()):
                body.append((reader.line_num, cleaned))
    except csv.Error as error:
        raise CertificateError(f"{path} line {reader.line_num} is not valid CSV: {error}.") from None
    return header, body
