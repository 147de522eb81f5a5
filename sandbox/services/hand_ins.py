"""Hand-ins: a learner hands in a notebook (or several, for an assignment of several
notebooks: .ipynb files and/or a .zip of them); it is kept and queued for grading.

Every file handed in is a new row, never an overwrite. A file is refused, with one
reason and nothing else changed, when it is empty, too large, not a notebook, made
from another assignment, comes too soon after the last one, or comes after the
deadline from someone who already handed in (a first hand-in after the deadline is
taken and marked late). Each hand-in writes an ``exercise.hand_in`` row in the
room's activity log (so the dashboard, debrief and export see it). Grading happens
elsewhere (``grading_jobs``).
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.services import activity_log, grading_jobs
from sandbox.services import grading as adapter
from sandbox.services.errors import InvalidInput, NotAllowed, NotFound
from sandbox.store.models import AssignmentSetting, GradingJob, HandIn, Member, WrittenMark


@dataclass(frozen=True)
class HandInLimits:
    max_bytes: int = 5 * 1024 * 1024  # a notebook of answers is well under 1 MB
    min_seconds_between: int = 20  # per learner and assignment: a double click is not two hand-ins
    max_per_assignment: int = 30
    max_files: int = 20  # notebooks in one hand-in (an assignment has a handful)


LIMITS = HandInLimits()


class HandInRefused(InvalidInput):
    """The file was not taken; the message says why in plain words. Nothing was stored.

    ``reasons`` has one sentence per refused file (a hand-in of several files)."""

    def __init__(self, message: str, reasons: tuple[str, ...] = ()):
        super().__init__(message)
        self.reasons = reasons or (message,)


# --- handing in --------------------------------------------------------------------


def _check_notebook(data: bytes, filename: str) -> dict:
    if not data:
        raise HandInRefused(f"{filename} is empty. Save your notebook in Jupyter and hand it in again.")
    if len(data) > LIMITS.max_bytes:
        raise HandInRefused(
            f"{filename} is {len(data) / 2**20:.1f} MB; a notebook handed in here can be at most "
            f"{LIMITS.max_bytes // 2**20} MB. In Jupyter, choose Edit, then Clear Outputs of All Cells, "
            "save, and hand it in again.")
    not_a_notebook = (f"{filename} is not a Jupyter notebook. Hand in the .ipynb file you worked in "
                      "(in Jupyter: File, then Download).")
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise HandInRefused(not_a_notebook) from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list) \
            or notebook.get("nbformat") != 4:
        raise HandInRefused(not_a_notebook)
    return notebook


def deadline(session: Session, workshop_id: int, assignment: str) -> datetime | None:
    return session.scalar(select(AssignmentSetting.deadline).where(
        AssignmentSetting.workshop_id == workshop_id, AssignmentSetting.assignment == assignment))


def hand_in(session: Session, member: Member, assignment: str, filename: str, data: bytes, *,
            now: datetime) -> HandIn:
    """Keep ``data`` as ``member``'s new hand-in for ``assignment`` and queue it for grading.

    Fails with HandInRefused (the reason in plain words; nothing stored), NotAllowed
    for the trainer or a simulated colleague, NotFound for an unknown assignment.
    """
    return hand_in_files(session, member, assignment, [(filename, data)], now=now)


def _file_name(name: str) -> str:
    return (name or "notebook.ipynb").strip().replace("\\", "/").split("/")[-1][-200:] or "notebook.ipynb"


def _notebooks_in(filename: str, data: bytes) -> list[tuple[str, bytes]]:
    """The notebooks a file holds: itself, or for a .zip the .ipynb files inside it."""
    if not filename.lower().endswith(".zip") and not data.startswith(adapter.ZIP_MAGIC):
        return [(filename, data)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()
                       and info.filename.lower().endswith(".ipynb") and "__MACOSX" not in info.filename
                       and ".ipynb_checkpoints" not in info.filename]
            if not members:
                raise HandInRefused(f"{filename} has no notebook (.ipynb file) in it.")
            if len(members) > LIMITS.max_files:
                raise HandInRefused(f"{filename} holds {len(members)} notebooks; a hand-in can have at most "
                                    f"{LIMITS.max_files}.")
            found = []
            for info in members:
                inner = f"{info.filename.split('/')[-1]} (in {filename})"
                if info.file_size > LIMITS.max_bytes:  # never unpacked: a zip can claim less than it holds
                    _check_notebook(b"x" * (LIMITS.max_bytes + 1), inner)
                with archive.open(info) as handle:
                    found.append((inner, handle.read(LIMITS.max_bytes + 1)))
            return found
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise HandInRefused(f"{filename} is not a zip file that can be opened. Make the zip again, or hand in "
                            "the .ipynb files themselves.") from None


def hand_in_files(session: Session, member: Member, assignment: str, files: list[tuple[str, bytes]], *,
                  now: datetime) -> HandIn:
    """Keep ``files`` (``(file name, bytes)``: notebooks, or .zip files of notebooks) as
    ``member``'s one new hand-in for ``assignment`` and queue it for grading.

    For an assignment of several notebooks each file is graded as the notebook whose
    cells it carries; several notebooks are kept together in one zip. When any file
    is refused, nothing is stored and HandInRefused says why for each refused file
    (``reasons``). Fails as :func:`hand_in` otherwise.
    """
    if member.kind != "learner":
        raise NotAllowed("Only learners hand in notebooks.")
    known = adapter.assignments()
    if assignment not in known:
        raise NotFound(f"There is no assignment called {assignment!r}. Pick one from the list.")
    if not files:
        raise HandInRefused("Choose your notebook file first.")
    reasons: list[str] = []
    notebooks: list[tuple[str, bytes]] = []
    for name, data in files:
        try:
            notebooks += _notebooks_in(_file_name(name), data)
        except HandInRefused as refused:
            reasons.append(str(refused))
    if len(notebooks) > LIMITS.max_files:
        reasons.append(f"That is {len(notebooks)} notebooks; a hand-in can have at most {LIMITS.max_files}.")
    names = adapter.notebook_names(assignment)
    if len(notebooks) > 1 and len(names) <= 1:
        reasons.append(f"{assignment} has one notebook, so hand in just that one (you chose "
                       f"{len(notebooks)} notebooks).")
        notebooks = []
    graded_as: dict[str, str] = {}  # the assignment's notebook name -> the file handed in as it
    kept: list[tuple[str, bytes]] = []
    for filename, data in notebooks:
        try:
            notebook = _check_notebook(data, filename)
            made_from = adapter.identify(notebook)
            if made_from is not None and made_from != assignment:
                raise HandInRefused(
                    f"{filename} is the notebook for {made_from}, not {assignment}. Pick {made_from} in the list "
                    f"(or hand in your {assignment} notebook).")
            as_name = adapter.notebook_file_name(assignment, data) if len(names) > 1 else filename
            if as_name in graded_as:
                raise HandInRefused(f"{filename} and {graded_as[as_name]} are both {as_name}: hand in each "
                                    "notebook once.")
        except HandInRefused as refused:
            reasons.append(str(refused))
            continue
        graded_as[as_name] = filename
        kept.append((as_name, data))
    if reasons:
        if len(files) == 1 and len(reasons) == 1 and len(notebooks) <= 1:
            raise HandInRefused(reasons[0])
        raise HandInRefused("Nothing was handed in: " + " ".join(reasons) + " Your earlier hand-ins are kept.",
                            tuple(reasons))
    if len(kept) == 1:
        filename, data = graded_as[kept[0][0]], kept[0][1]
    else:
        data = adapter.pack_notebooks(sorted(kept))
        filename = ", ".join(graded_as[name] for name, _ in sorted(kept))[:255]
    earlier = session.execute(
        select(func.count(HandIn.id), func.max(HandIn.handed_in_at))
        .where(HandIn.member_id == member.id, HandIn.assignment == assignment)).one()
    count, last_at = earlier
    closes = deadline(session, member.workshop_id, assignment)
    late = closes is not None and now > closes
    if late and count:
        raise HandInRefused(
            f"The deadline for {assignment} was {closes:%d %B %Y at %H:%M} UTC, so you cannot hand it in again: "
            "your last hand-in is the one that counts.")
    if last_at is not None and (now - last_at).total_seconds() < LIMITS.min_seconds_between:
        wait = LIMITS.min_seconds_between - int((now - last_at).total_seconds())
        raise HandInRefused(f"You handed in {assignment} a moment ago. Please wait {wait} seconds before "
                            "handing it in again; your last hand-in is kept.")
    if count >= LIMITS.max_per_assignment:
        raise HandInRefused(f"You have handed in {assignment} {count} times, the most allowed. Your last "
                            "hand-in is kept; ask your trainer if you need to hand in again.")
    row = HandIn(workshop_id=member.workshop_id, member_id=member.id, assignment=assignment,
                 filename=filename, notebook=data, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                 late=late, handed_in_at=now)
    session.add(row)
    session.flush()
    grading_jobs.enqueue(session, row, now=now)
    activity_log.record(session, member, "exercise.hand_in", now=now, object_type="hand_in", object_id=row.id,
                        detail={"assignment": assignment, "late": late, "attempt": count + 1})
    return row


# --- what a learner and the trainer see ---------------------------------------------


@dataclass(frozen=True)
class CheckView:
    grade_id: str
    title: str
    kind: str  # auto | manual
    outcome: str  # passed, not yet, not run, to be marked, marked
    outcome_text: str
    score: float | None
    max_score: float
    message: str
    answer: str  # written answers only
    comment: str
    self_assessed: bool = False
    notebook: str = ""  # for an assignment of several notebooks, the one the question is in


@dataclass(frozen=True)
class HandInView:
    id: int
    member_id: int
    assignment: str
    filename: str
    handed_in_at: datetime
    late: bool
    state: str  # queued | grading | graded | failed
    problem: str = ""
    score: float | None = None
    max_score: float | None = None
    status: str = ""  # the pipeline's status: graded, timed out, crashed, unreadable
    reason: str = ""
    checks: tuple[CheckView, ...] = field(default_factory=tuple)

    @property
    def waiting(self) -> bool:
        return self.state in grading_jobs.WAITING

    @property
    def points_to_mark(self) -> float:
        return sum(c.max_score for c in self.checks if c.outcome == adapter.TO_BE_MARKED)


def _marks(session: Session, hand_in_ids: list[int]) -> dict[int, dict[str, WrittenMark]]:
    found: dict[int, dict[str, WrittenMark]] = {}
    if not hand_in_ids:
        return found
    for mark in session.scalars(select(WrittenMark).where(WrittenMark.hand_in_id.in_(hand_in_ids))):
        found.setdefault(mark.hand_in_id, {})[mark.grade_id] = mark
    return found


def _view(hand_in: HandIn, job: GradingJob, marks: dict[str, WrittenMark]) -> HandInView:
    base = dict(id=hand_in.id, member_id=hand_in.member_id, assignment=hand_in.assignment,
                filename=hand_in.filename, handed_in_at=hand_in.handed_in_at, late=hand_in.late,
                state=job.state, problem=job.problem)
    if job.state != grading_jobs.GRADED:
        return HandInView(**base)
    result = adapter.settled(job.result, {g: {"mark": m.mark, "comment": m.comment} for g, m in marks.items()})
    if result is None:
        return HandInView(**(base | {"state": grading_jobs.FAILED,
                                     "problem": "This hand-in's result cannot be read. Please hand it in again."}))
    # A question is named by its grade id, after its notebook's name when the assignment
    # has several (``problem2/part-a``): the name marks are kept and settled under.
    checks = tuple(
        CheckView(c.question, adapter.check_title(c.grade_id), c.kind, c.outcome,
                  adapter.OUTCOME_TEXT.get(c.outcome, (c.outcome, ""))[0], c.score, c.max_score, c.message,
                  c.answer, c.comment, bool(marks.get(c.question) and marks[c.question].self_assessed
                                            and c.outcome == "marked"), c.notebook)
        for c in result.checks)
    return HandInView(**base, score=result.score, max_score=result.max_score, status=result.status,
                      reason=result.reason, checks=checks)


def _views(session: Session, query) -> list[HandInView]:
    rows = session.execute(query.join(GradingJob, GradingJob.hand_in_id == HandIn.id)
                           .add_columns(GradingJob).order_by(HandIn.id.desc())).all()
    marks = _marks(session, [row[0].id for row in rows])
    return [_view(hand_in, job, marks.get(hand_in.id, {})) for hand_in, job in rows]


def my_hand_ins(session: Session, member: Member, assignment: str | None = None) -> list[HandInView]:
    """``member``'s hand-ins, newest first (of one assignment if given)."""
    query = select(HandIn).where(HandIn.member_id == member.id)
    if assignment:
        query = query.where(HandIn.assignment == assignment)
    return _views(session, query)


def workshop_hand_ins(session: Session, trainer: Member) -> list[HandInView]:
    """Every hand-in of the trainer's workshop, newest first (the gradebook)."""
    if trainer.kind != "trainer":
        raise NotAllowed("Only the trainer can see everyone's hand-ins.")
    return workshop_views(session, trainer.workshop_id)


def workshop_views(session: Session, workshop_id: int) -> list[HandInView]:
    """Every hand-in of a workshop, newest first; callers check who may see them."""
    return _views(session, select(HandIn).where(HandIn.workshop_id == workshop_id))


def get_hand_in(session: Session, member: Member, hand_in_id: int) -> HandInView:
    """One hand-in: the learner's own, or any in the trainer's workshop. NotFound otherwise."""
    query = select(HandIn).where(HandIn.id == hand_in_id, HandIn.workshop_id == member.workshop_id)
    if member.kind != "trainer":
        query = query.where(HandIn.member_id == member.id)
    views = _views(session, query)
    if not views:
        raise NotFound("That hand-in does not exist.")
    return views[0]
