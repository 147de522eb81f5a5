"""The trainer's gradebook: learner by assignment, deadlines, marks, and files LMSs import.

Which hand-in counts: a learner's latest one (handing in again replaces the grade,
never the file). The grade of a hand-in is what the autograder found plus the marks
for its written answers (``adapter.settled``, the same rule as ``insideout grade
--marks``). In self-study the learner marks their own written answers against the
model answer; such marks are kept as self-assessed, and the certificate says so.

Exports, each one CSV text:

* ``grades.csv``: the columns ``insideout grade`` writes, so ``insideout certificates``
  and any script made for it read it the same way;
* Moodle's grade import: Moodle imports the CSV layout it exports; the trainer maps an
  identifier column ("Email address" to useremail, or "ID number" to useridnumber),
  and each other column is a grade item (MoodleDocs, "Grade import", CSV grade import,
  https://docs.moodle.org/311/en/Grade_import);
* Canvas's gradebook import: columns Student, ID, SIS User ID, SIS Login ID, Section,
  then one column per assignment, as Canvas's own gradebook export lays them out
  (Ohio State's CarmenCanvas guide, "Import a CSV file to Carmen Grades",
  https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades).

The sandbox knows display names, not e-mail addresses or student numbers, so the
identifier columns hold the learner's sandbox handle; the README says how to map them.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.services import grading as adapter
from sandbox.services import hand_ins
from sandbox.services.errors import InvalidInput, NotAllowed, NotFound
from sandbox.services.hand_ins import HandInView
from sandbox.services.workshops import require_trainer
from sandbox.store.models import AssignmentSetting, HandIn, Member, Workshop, WrittenMark

GRADES_COLUMNS = ("learner", "assignment", "score", "max_score", "status", "reason", "points_to_mark")
MOODLE_ID_COLUMNS = ("Full name", "ID number", "Email address")
CANVAS_ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


@dataclass(frozen=True)
class Cell:
    """One learner's standing on one assignment."""

    latest: HandInView | None
    hand_ins: int
    deadline: datetime | None

    @property
    def status(self) -> str:
        if self.latest is None:
            return "not handed in"
        if self.latest.waiting:
            return "being graded"
        if self.latest.state == "failed":
            return "could not be graded"
        if self.latest.points_to_mark:
            return "to mark"
        return "graded"

    @property
    def text(self) -> str:
        """What the gradebook table shows in the cell."""
        if self.latest is None:
            return "-"
        parts = [self.status]
        if self.latest.state == "graded":
            parts = [f"{self.latest.score:g} of {self.latest.max_score:g}"]
            if self.latest.points_to_mark:
                parts.append(f"{self.latest.points_to_mark:g} to mark")
        if self.latest.late:
            parts.append("late")
        parts.append(f"{self.hand_ins} hand-in{'s' if self.hand_ins != 1 else ''}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Gradebook:
    learners: list[Member]
    assignments: list[str]
    cells: dict[tuple[int, str], Cell]  # (member id, assignment)
    deadlines: dict[str, datetime | None]
    self_study: bool

    def cell(self, learner: Member, assignment: str) -> Cell:
        return self.cells[(learner.id, assignment)]


def deadlines(session: Session, workshop_id: int) -> dict[str, datetime | None]:
    rows = session.scalars(select(AssignmentSetting).where(AssignmentSetting.workshop_id == workshop_id))
    return {row.assignment: row.deadline for row in rows}


def gradebook(session: Session, trainer: Member) -> Gradebook:
    """Every learner by every assignment of the course. Fails with NotAllowed for a non-trainer."""
    require_trainer(trainer)
    return _gradebook(session, trainer.workshop_id)


def _gradebook(session: Session, workshop_id: int, only: Member | None = None) -> Gradebook:
    workshop = session.get(Workshop, workshop_id)
    query = select(Member).where(Member.workshop_id == workshop_id, Member.kind == "learner")
    if only is not None:
        query = query.where(Member.id == only.id)
    learners = list(session.scalars(query.order_by(Member.display_name_key)))
    views = hand_ins.workshop_views(session, workshop_id)  # newest first
    closes = deadlines(session, workshop_id)
    assignments = adapter.assignments()
    by_key: dict[tuple[int, str], list[HandInView]] = {}
    for view in views:
        by_key.setdefault((view.member_id, view.assignment), []).append(view)
    cells = {}
    for learner in learners:
        for assignment in assignments:
            mine = by_key.get((learner.id, assignment), [])
            cells[(learner.id, assignment)] = Cell(mine[0] if mine else None, len(mine), closes.get(assignment))
    return Gradebook(learners, assignments, cells, closes, workshop.mode == "self-study")


def set_deadline(session: Session, trainer: Member, assignment: str, deadline: datetime | None, *,
                 now: datetime) -> None:
    """Set (or with None, remove) the deadline of ``assignment`` in the trainer's workshop."""
    require_trainer(trainer)
    if assignment not in adapter.assignments():
        raise NotFound(f"There is no assignment called {assignment!r}.")
    row = session.scalar(select(AssignmentSetting).where(
        AssignmentSetting.workshop_id == trainer.workshop_id, AssignmentSetting.assignment == assignment))
    if row is None:
        row = AssignmentSetting(workshop_id=trainer.workshop_id, assignment=assignment)
        session.add(row)
    row.deadline = deadline
    session.flush()


def mark_written_answer(session: Session, marker: Member, hand_in_id: int, grade_id: str, mark: float,
                        comment: str = "", *, now: datetime) -> None:
    """Mark one written answer of one hand-in.

    The trainer marks any hand-in of the workshop; in a self-study workshop a learner
    marks their own (kept as self-assessed). Fails with NotAllowed, NotFound, or
    InvalidInput for a question that is not a written answer or a mark out of range.
    """
    workshop = session.get(Workshop, marker.workshop_id)
    hand_in = session.get(HandIn, hand_in_id)
    if hand_in is None or hand_in.workshop_id != marker.workshop_id:
        raise NotFound("That hand-in does not exist.")
    self_assessed = marker.kind != "trainer"
    if self_assessed and not (workshop.mode == "self-study" and hand_in.member_id == marker.id):
        raise NotAllowed("Only the trainer marks written answers in a workshop.")
    view = hand_ins.get_hand_in(session, marker, hand_in_id)
    check = next((c for c in view.checks if c.grade_id == grade_id and c.kind == "manual"), None)
    if check is None:
        raise InvalidInput(f"{grade_id} is not a written answer of this hand-in.")
    if not 0 <= mark <= check.max_score:
        raise InvalidInput(f"A mark for {check.title} is between 0 and {check.max_score:g}.")
    comment = (comment or "").strip()[:2000]
    row = session.scalar(select(WrittenMark).where(WrittenMark.hand_in_id == hand_in_id,
                                                   WrittenMark.grade_id == grade_id))
    if row is None:
        row = WrittenMark(workshop_id=marker.workshop_id, hand_in_id=hand_in_id, grade_id=grade_id)
        session.add(row)
    row.mark, row.comment, row.self_assessed = float(mark), comment, self_assessed
    row.marked_by_id, row.marked_at = marker.id, now
    session.flush()


# --- exports ---------------------------------------------------------------------------


def _csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _graded(book: Gradebook):
    for learner in book.learners:
        for assignment in book.assignments:
            latest = book.cell(learner, assignment).latest
            if latest is not None and latest.state in ("graded", "failed"):
                yield learner, assignment, latest


def grades_csv(book: Gradebook) -> str:
    """``grades.csv`` as ``insideout grade`` writes it (learner = the sandbox handle)."""
    rows = []
    for learner, assignment, latest in _graded(book):
        if latest.state == "failed":
            rows.append((learner.handle, assignment, "0", "", "unreadable", latest.problem, "0"))
            continue
        rows.append((learner.handle, assignment, f"{latest.score:g}", f"{latest.max_score:g}", latest.status,
                     latest.reason, f"{latest.points_to_mark:g}"))
    return _csv(GRADES_COLUMNS, rows)


def _score(book: Gradebook, learner: Member, assignment: str) -> str:
    latest = book.cell(learner, assignment).latest
    if latest is None or latest.state != "graded":
        return ""  # blank: the LMS leaves the grade as it is
    return f"{latest.score:g}"


def moodle_csv(book: Gradebook) -> str:
    header = [*MOODLE_ID_COLUMNS, *book.assignments]
    rows = [[learner.display_name, learner.handle, "",
             *(_score(book, learner, assignment) for assignment in book.assignments)]
            for learner in book.learners]
    return _csv(header, rows)


def canvas_csv(book: Gradebook) -> str:
    header = [*CANVAS_ID_COLUMNS, *book.assignments]
    rows = [[learner.display_name, "", learner.handle, learner.handle, "",
              *(_score(book, learner, assignment) for assignment in book.assignments)]
             for learner in book.learners]
    return _csv(header, rows)


def self_assessed_parts(session: Session, trainer_or_learner: Member, learner_id: int) -> list[str]:
    """Which written answers of the learner's counted hand-ins were marked by themselves."""
    rows = session.execute(select(HandIn.assignment, WrittenMark.grade_id).join(
        WrittenMark, WrittenMark.hand_in_id == HandIn.id).where(
        HandIn.member_id == learner_id, HandIn.workshop_id == trainer_or_learner.workshop_id,
        WrittenMark.self_assessed.is_(True))).all()
    return sorted({f"{assignment} {adapter.check_title(grade_id)}" for assignment, grade_id in rows})



# --- certificates ------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificates:
    zip_bytes: bytes | None  # one PDF per learner who earned one; None when nobody did
    made: list[str]  # handles
    pdfs: dict[str, bytes]  # handle -> the certificate
    not_earned: dict[str, str]  # handle -> why, in plain words


def certificates(book: Gradebook, *, self_assessed: dict[str, list[str]] | None = None,
                 only: str | None = None) -> Certificates:
    """Certificates from the gradebook, made by ``exercises.certificates`` from its ``grades.csv``.

    ``self_assessed`` (handle -> parts the learner marked themselves) names those parts
    on that learner's certificate; ``only`` limits it to one learner (self-study).
    Fails with CertificateError (a plain message) when the certificates cannot be made.
    """
    import tempfile
    import zipfile
    from pathlib import Path

    from exercises.certificates import DEFAULT_TITLE, CertificateOptions, make_certificates

    header, *rows = grades_csv(book).splitlines(keepends=True)
    made, not_earned, pdfs, archive = [], {}, {}, io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="insideout-certificates-") as scratch, \
            zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        names = _names_file(book, Path(scratch))
        for index, (parts, handles) in enumerate(_self_assessed_groups(book, self_assessed or {}, only).items()):
            mine = [row for row in rows if row.split(",", 1)[0] in handles]
            for handle in set(handles) - {row.split(",", 1)[0] for row in mine}:
                not_earned[handle] = "nothing handed in and graded yet."
            if not mine:
                continue
            grades = Path(scratch) / f"grades-{index}.csv"
            grades.write_text(header + "".join(mine), encoding="utf-8")
            title = f"{DEFAULT_TITLE} (self-study)" if parts else DEFAULT_TITLE
            report = make_certificates(CertificateOptions(grades=(grades,), out=Path(scratch) / f"out-{index}",
                                                          title=title, names=names, **_organisation(parts)))
            for outcome in report.outcomes:
                if outcome.made:
                    bundle.write(outcome.pdf, outcome.pdf.name)
                    made.append(outcome.learner)
                    pdfs[outcome.learner] = outcome.pdf.read_bytes()
                else:
                    not_earned[outcome.learner] = outcome.problem or outcome.result.reason or ""
    return Certificates(archive.getvalue() if made else None, sorted(made), pdfs, not_earned)


def _self_assessed_groups(book: Gradebook, self_assessed: dict[str, list[str]], only: str | None):
    """Learners grouped by the self-assessed parts their certificate must name."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for learner in book.learners:
        if only is not None and learner.handle != only:
            continue
        groups.setdefault(tuple(self_assessed.get(learner.handle, [])), []).append(learner.handle)
    return groups


def _organisation(parts: tuple[str, ...]) -> dict:
    if not parts:
        return {}
    from exercises.certificates import DEFAULT_ORGANISATION

    return {"organisation": f"{DEFAULT_ORGANISATION}. Self-assessed: {', '.join(parts)}"}


def _names_file(book: Gradebook, scratch):
    path = scratch / "names.csv"
    path.write_text(_csv(("learner", "name"), [(m.handle, m.display_name) for m in book.learners]),
                    encoding="utf-8")
    return path


def my_certificate(session: Session, learner: Member) -> Certificates:
    """A self-study learner's own certificate, naming the parts they marked themselves.

    Fails with NotAllowed outside self-study (there, the trainer makes certificates).
    """
    workshop = session.get(Workshop, learner.workshop_id)
    if workshop.mode != "self-study" or learner.kind != "learner":
        raise NotAllowed("In a workshop with a trainer, your trainer makes the certificates.")
    book = _gradebook(session, learner.workshop_id, only=learner)
    parts = self_assessed_parts(session, learner, learner.id)
    return certificates(book, self_assessed={learner.handle: parts}, only=learner.handle)
