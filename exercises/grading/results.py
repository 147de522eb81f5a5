"""What grading one learner produced, and how the run's outputs are written.

``grades.csv`` has exactly the columns in :data:`GRADES_COLUMNS`; ``results/<learner>.json``
keeps what the autograder found for each learner and the trainer's marks, so marks can be
applied long after the run's temporary folder is gone. Everything is written to a
temporary file first and renamed into place, so an interrupted run never leaves a
half-written file behind.
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# points_to_mark: points of written answers still waiting for the trainer (0 when none);
# certificates wait for them.
# notebooks: for an assignment of several notebooks, each one's score ("problem1 4/10; problem2 3/3").
GRADES_COLUMNS = ("learner", "assignment", "score", "max_score", "status", "reason", "points_to_mark", "notebooks")
STATE_FILE = ".grading-state.json"
RESULTS_DIR = "results"
RESULTS_FORMAT = 1

# Status values in grades.csv; the reason column says more in plain words.
GRADED = "graded"  # every check ran
TIMED_OUT = "timed out"  # the notebook ran past its time; checks that did not run score 0
CRASHED = "crashed"  # the kernel stopped (memory, a fatal error); checks that did not run score 0
UNREADABLE = "unreadable"  # not a notebook we can open; score 0
STATUSES = (GRADED, TIMED_OUT, CRASHED, UNREADABLE)

TO_BE_MARKED = "to be marked"  # a written answer waiting for a person
MARKED = "marked"  # a written answer the trainer has marked


@dataclass(frozen=True)
class CheckResult:
    """One graded cell as the learner sees it: never its code."""

    grade_id: str
    kind: str  # "auto" (a check that runs) or "manual" (a trainer marks it)
    score: float | None
    max_score: float
    outcome: str  # "passed", "not yet", "not run", "to be marked", "marked" (by the trainer)
    message: str = ""
    answer: str = ""  # a written answer as handed in (manual checks only), for the trainer's sheet
    comment: str = ""  # the trainer's comment on a marked written answer
    notebook: str = ""  # the notebook it is in, for assignments of several notebooks ("" otherwise)

    @property
    def waiting(self) -> bool:
        return self.outcome == TO_BE_MARKED

    @property
    def question(self) -> str:
        """How the marking sheet and the trainer's marks name it: the cell's grade id,
        after its notebook's name when the assignment has several (``problem2/part-a``)."""
        return f"{self.notebook}/{self.grade_id}" if self.notebook else self.grade_id


@dataclass(frozen=True)
class LearnerResult:
    learner: str
    assignment: str
    score: float
    max_score: float
    status: str
    reason: str
    seconds: float = 0.0
    fingerprint: str = ""
    checks: tuple[CheckResult, ...] = field(default_factory=tuple)
    feedback_html: str = ""

    @property
    def points_to_mark(self) -> float:
        return sum(check.max_score for check in self.checks if check.waiting)

    @property
    def to_mark(self) -> tuple[CheckResult, ...]:
        """Written answers and tasks waiting for the trainer's mark."""
        return tuple(check for check in self.checks if check.waiting)

    def by_notebook(self) -> list[tuple[str, float, float]]:
        """``(notebook, score, max_score)`` for each notebook of an assignment of several
        (empty for one notebook), from the checks, marks included."""
        totals: dict[str, list[float]] = {}
        for check in self.checks:
            if check.notebook:
                total = totals.setdefault(check.notebook, [0.0, 0.0])
                total[0] += check.score or 0.0
                total[1] += check.max_score
        return [(notebook, score, max_score) for notebook, (score, max_score) in totals.items()]

    def row(self) -> dict[str, str]:
        return {
            "learner": self.learner,
            "assignment": self.assignment,
            "score": format_points(self.score),
            "max_score": format_points(self.max_score),
            "status": self.status,
            "reason": self.reason,
            "points_to_mark": format_points(self.points_to_mark),
            "notebooks": "; ".join(f"{notebook} {format_points(score)}/{format_points(max_score)}"
                                   for notebook, score, max_score in self.by_notebook()),
        }


def format_points(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8", "newline": ""})) as out:
            out.write(data)
        # mkstemp makes the file private; results are shared like any file the user writes.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def read_grades(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def render_grades(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=GRADES_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: (r["assignment"], r["learner"])):
        writer.writerow(row)
    return buffer.getvalue()


def read_state(out_dir: Path) -> dict[str, str]:
    """Fingerprints of the submissions already graded, by ``assignment/learner``."""
    path = out_dir / STATE_FILE
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return {}


def write_state(out_dir: Path, state: dict[str, str]) -> None:
    write_atomically(out_dir / STATE_FILE, json.dumps(state, indent=1, sort_keys=True))


def results_path(out_dir: Path, learner: str) -> Path:
    return out_dir / RESULTS_DIR / f"{learner}.json"


def save_result(out_dir: Path, autograded: LearnerResult, marks: dict[str, dict]) -> None:
    """Keep what the autograder found for one learner, and the trainer's marks
    (``{grade_id: {"mark": 1.0, "comment": "..."}}``), in ``results/<learner>.json``."""
    checks = [{"grade_id": c.grade_id, "kind": c.kind, "score": c.score, "max_score": c.max_score,
               "outcome": c.outcome, "message": c.message, "answer": c.answer,
               **({"notebook": c.notebook} if c.notebook else {})} for c in autograded.checks]
    data = {
        "format": RESULTS_FORMAT,
        "learner": autograded.learner, "assignment": autograded.assignment, "score": autograded.score,
        "max_score": autograded.max_score, "status": autograded.status, "reason": autograded.reason,
        "fingerprint": autograded.fingerprint, "checks": checks,
        "marks": {grade_id: marks[grade_id] for grade_id in sorted(marks)},
    }
    write_atomically(results_path(out_dir, autograded.learner), json.dumps(data, indent=1, ensure_ascii=False))


def load_result(out_dir: Path, learner: str) -> tuple[LearnerResult, dict[str, dict]] | None:
    """``(what the autograder found, the trainer's marks)`` for ``learner``, or None when
    nothing readable was saved (never graded, or graded before results were kept)."""
    try:
        data = json.loads(results_path(out_dir, learner).read_text(encoding="utf-8"))
        if data.get("format") != RESULTS_FORMAT:
            return None
        checks = tuple(CheckResult(c["grade_id"], c["kind"], c["score"], float(c["max_score"]), c["outcome"],
                                   c.get("message", ""), c.get("answer", ""), notebook=c.get("notebook", ""))
                       for c in data["checks"])
        autograded = LearnerResult(data["learner"], data["assignment"], float(data["score"]),
                                   float(data["max_score"]), data["status"], data["reason"], 0.0,
                                   data.get("fingerprint", ""), checks)
        marks = {str(k): {"mark": float(v["mark"]), "comment": str(v.get("comment", ""))}
                 for k, v in dict(data.get("marks", {})).items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return autograded, marks


def saved_learners(out_dir: Path) -> list[str]:
    folder = out_dir / RESULTS_DIR
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
