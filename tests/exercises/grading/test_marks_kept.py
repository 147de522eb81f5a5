"""Which of the trainer's marks survive grading a learner again."""
from __future__ import annotations

import pytest

from exercises.grading.results import CheckResult, LearnerResult, load_result, save_result
from exercises.grading.run import _marks_to_keep

WAITING = (CheckResult("reflection", "manual", None, 1.0, "to be marked", answer="An answer."),)
MARKS = {"reflection": {"mark": 1.0, "comment": "Good."}}


def regraded(fingerprint, checks=WAITING, status="graded"):
    return LearnerResult("amal", "a1", 1.0, 2.0, status, "", 0.0, fingerprint, checks)


@pytest.fixture
def out(tmp_path):
    save_result(tmp_path, regraded("same"), MARKS)
    return tmp_path


def test_the_same_notebook_keeps_its_marks(out):
    changed = {}
    assert _marks_to_keep(out, regraded("same"), changed) == MARKS and changed == {}


def test_a_changed_notebook_loses_its_marks_and_is_named(out):
    changed = {}
    assert _marks_to_keep(out, regraded("new"), changed) == {} and changed == {"amal": True}


def test_a_lost_worker_never_wipes_marks(out):
    """The notebook was never read, so nothing says it changed; the next run decides."""
    changed = {}
    lost = regraded("", checks=(), status="crashed")
    kept = _marks_to_keep(out, lost, changed)
    assert kept == MARKS and changed == {}
    save_result(out, lost, kept)
    assert _marks_to_keep(out, regraded("same"), changed) == MARKS


def test_a_damaged_results_file_reads_as_never_saved(out):
    (out / "results" / "amal.json").write_text("{not json", encoding="utf-8")
    assert load_result(out, "amal") is None
    assert _marks_to_keep(out, regraded("same"), {}) == {}
