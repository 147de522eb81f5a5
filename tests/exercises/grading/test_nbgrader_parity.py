"""``insideout grade`` scores nbgrader's own example course as ``nbgrader autograde`` does.

``nbgrader quickstart`` makes the course (assignment ps1, two notebooks) in a temporary
folder; thirteen learners hand in what goes wrong in real classes. Both graders run
on the same submissions with the same per-cell timeout, then every learner's score,
each notebook's score and the answers left for a person are compared. A learner whose
score differs must be in :data:`DEPARTURES`, with the reason README.md gives.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from exercises.grading.worker import expected_checks
from tests.exercises.grading import quickstart

# Both graders over 13 learners' two notebooks: about 9 minutes on a 2-CPU machine at a
# load average of 17, so more than the suite's 15 minutes per test would be too tight.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

# learner: why insideout grade scores them differently on purpose (README.md, "Where we
# depart from nbgrader when grading"). Empty: every score is nbgrader's.
DEPARTURES: dict[str, str] = {}


@pytest.fixture(scope="module")
def both_graded(tmp_path_factory, project_root):
    folder = tmp_path_factory.mktemp("parity")
    root = quickstart.make_course(folder)
    learners = quickstart.submissions(root)
    submitted = quickstart.write_submissions(root, learners)
    ours = subprocess.run(
        [sys.executable, "-m", "sandbox.cli", "grade", quickstart.ASSIGNMENT, "--course", str(root),
         "--submissions", str(submitted), "--out", str(folder / "out"), "--workers", "2"],
        capture_output=True, text=True, timeout=900, cwd=project_root)
    assert ours.returncode == 0, ours.stderr
    # nbgrader reports the learner whose notebook is not valid JSON as an error, and
    # grades everything else.
    quickstart.nbgrader("autograde", quickstart.ASSIGNMENT, "--force", cwd=root,
                        failing_learners=frozenset({"invalid-json"}))
    with (folder / "out" / "grades.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["learner"]: row for row in csv.DictReader(handle)}
    return {"root": root, "learners": learners, "rows": rows, "theirs": quickstart.nbgrader_scores(root),
            "out": folder / "out", "stdout": ours.stdout}


def test_every_learner_is_graded_by_both(both_graded):
    assert sorted(both_graded["rows"]) == sorted(both_graded["learners"]) == sorted(both_graded["theirs"])


def test_every_score_is_nbgraders_or_a_documented_departure(both_graded):
    differ = {}
    for learner, row in both_graded["rows"].items():
        theirs = both_graded["theirs"][learner]
        if (float(row["score"]), float(row["max_score"])) != (theirs["total"], theirs["max"]):
            differ[learner] = (row["score"], row["max_score"], theirs["total"], theirs["max"])
    assert set(differ) == set(DEPARTURES), differ


def test_each_notebook_scores_as_in_nbgrader(both_graded):
    for learner, row in both_graded["rows"].items():
        if learner in DEPARTURES:
            continue
        theirs = both_graded["theirs"][learner]
        ours = dict(part.rsplit(" ", 1) for part in row["notebooks"].split("; "))
        assert {name: float(score.split("/")[0]) for name, score in ours.items()} == {
            name: theirs[name] for name in quickstart.NOTEBOOKS}, learner


def test_departures_are_documented_in_the_readme(project_root):
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    assert "Where we depart from nbgrader when grading" in readme
    for reason in DEPARTURES.values():
        assert reason in readme


def test_every_answer_nbgrader_leaves_for_a_person_is_in_to_mark(both_graded):
    """Written answers, code answers and tasks that nbgrader marks 'needs manual grade'
    are the rows of to-mark.csv (notebooks that could not be read score 0 instead)."""
    from nbgrader.api import Gradebook

    root = both_graded["root"]
    manual = {name: {e.grade_id for e in expected_checks(quickstart.master(root, name)) if e.manual}
              for name in quickstart.NOTEBOOKS}
    not_read = {("invalid-json", "problem2")}
    waiting = set()
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for submission in gradebook.find_assignment(quickstart.ASSIGNMENT).submissions:
            for notebook in submission.notebooks:
                if (submission.student.id, notebook.name) in not_read:
                    continue
                waiting |= {(submission.student.id, f"{notebook.name}/{grade.name}") for grade in notebook.grades
                            if grade.needs_manual_grade and grade.name in manual[notebook.name]}
    sheet = (both_graded["out"] / "to-mark.csv").read_bytes().decode("utf-8-sig")
    rows = {(row["learner"], row["question"]) for row in csv.DictReader(io.StringIO(sheet, newline=""))}
    assert rows == waiting
    assert ("correct", "problem1/cell-938593c4a215c6cc") in rows  # a task
    assert ("correct", "problem1/sum_of_squares_application") in rows  # a code answer
    assert ("unicode", "problem2/part-a") in rows  # a written answer


def test_feedback_has_a_section_per_notebook(both_graded):
    page = (both_graded["out"] / "feedback" / "partial.html").read_text(encoding="utf-8")
    assert "problem1.ipynb: 2 of 10 points" in page and "problem2.ipynb: 0 of 3 points" in page


def test_a_stuck_cell_is_interrupted_and_the_rest_runs(both_graded):
    row = both_graded["rows"]["infinite-loop"]
    assert row["score"] == both_graded["rows"]["correct"]["score"]
    assert f"longer than {quickstart.CELL_TIMEOUT} seconds" in row["reason"]


def test_notebooks_that_cannot_be_graded_score_zero_and_say_why(both_graded):
    rows = both_graded["rows"]
    assert "problem2.ipynb" in rows["invalid-json"]["reason"] and "not valid JSON" in rows["invalid-json"]["reason"]
    assert "problem2.ipynb was not handed in" in rows["one-notebook-missing"]["reason"]
    assert rows["one-notebook-missing"]["notebooks"].endswith("problem2 0/3")


def test_marks_for_several_notebooks_update_each_notebooks_score(both_graded, tmp_path, project_root):
    import shutil

    out = Path(shutil.copytree(both_graded["out"], tmp_path / "out"))
    sheet = (out / "to-mark.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(sheet, newline="")))
    for row in rows:
        if row["learner"] == "correct" and row["question"] in ("problem2/part-a", "problem1/cell-938593c4a215c6cc"):
            row["mark"] = row["points"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    (out / "to-mark.csv").write_text(buffer.getvalue(), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sandbox.cli", "grade", quickstart.ASSIGNMENT, "--marks",
                             str(out / "to-mark.csv"), "--out", str(out)],
                            capture_output=True, text=True, timeout=300, cwd=project_root)
    assert result.returncode == 0, result.stderr
    with (out / "grades.csv").open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["learner"] == "correct")
    assert (row["score"], row["notebooks"]) == ("8", "problem1 7/10; problem2 1/3")
    page = (out / "feedback" / "correct.html").read_text(encoding="utf-8")
    assert "problem2.ipynb: 1 of 3 points" in page
