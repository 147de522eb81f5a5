"""What grading one learner produced, and how the run's outputs are written.

``grades.csv`` has exactly the columns in :data:`GRADES_COLUMNS`. Everything is written
to a temporary file first and renamed into place, so an interrupted run never leaves a
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

GRADES_COLUMNS = ("learner", "assignment", "score", "max_score", "status", "reason")
STATE_FILE = ".grading-state.json"

# Status values in grades.csv; the reason column says more in plain words.
GRADED = "graded"  # every check ran
TIMED_OUT = "timed out"  # the notebook ran past its time; checks that did not run score 0
CRASHED = "crashed"  # the kernel stopped (memory, a fatal error); checks that did not run score 0
UNREADABLE = "unreadable"  # not a notebook we can open; score 0
STATUSES = (GRADED, TIMED_OUT, CRASHED, UNREADABLE)


@dataclass(frozen=True)
class CheckResult:
    """One graded cell as the learner sees it: never its code."""

    grade_id: str
    kind: str  # "auto" (a check that runs) or "manual" (a trainer marks it)
    score: float | None
    max_score: float
    outcome: str  # "passed", "not yet", "not run", "to be marked"
    message: str = ""


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

    def row(self) -> dict[str, str]:
        return {
            "learner": self.learner,
            "assignment": self.assignment,
            "score": format_points(self.score),
            "max_score": format_points(self.max_score),
            "status": self.status,
            "reason": self.reason,
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
