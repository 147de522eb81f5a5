"""``insideout grade`` as a trainer meets it: clear one-line errors, nothing half-written."""
from __future__ import annotations

import subprocess
import sys

from tests.exercises.grading.crafting import ASSIGNMENT, FIXTURE_COURSE, answered, write


def run_grade(*arguments, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "sandbox.cli", "grade", *map(str, arguments)],
                          capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


def test_unknown_assignment_lists_the_ones_that_exist(tmp_path, project_root):
    (tmp_path / "subs").mkdir()
    result = run_grade("m99-nope", "--submissions", tmp_path / "subs", "--course", FIXTURE_COURSE,
                       "--out", tmp_path / "out", cwd=project_root)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("insideout: error: There is no assignment called 'm99-nope'")
    assert ASSIGNMENT in lines[0]
    assert not (tmp_path / "out").exists()


def test_missing_submissions_path_is_one_clear_line(tmp_path, project_root):
    result = run_grade(ASSIGNMENT, "--submissions", tmp_path / "nowhere", "--course", FIXTURE_COURSE,
                       "--out", tmp_path / "out", cwd=project_root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"insideout: error: There is nothing at {tmp_path / 'nowhere'}. Check the --submissions path."]
    assert not (tmp_path / "out").exists()


def test_default_course_is_the_projects_exercises_folder(tmp_path, project_root):
    (tmp_path / "subs").mkdir()
    result = run_grade("m99-nope", "--submissions", tmp_path / "subs", "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 1
    assert str(project_root / "exercises" / "source") in result.stderr


def test_grade_one_learner_writes_csv_feedback_and_summary(tmp_path, project_root):
    write(answered(), (tmp_path / "subs").mkdir() or tmp_path / "subs" / "amal.ipynb")
    # No activated environment: nbgrader must still find its `alembic` script.
    bare_env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": str(project_root)}
    result = run_grade(ASSIGNMENT, "--submissions", tmp_path / "subs", "--course", FIXTURE_COURSE,
                       "--out", tmp_path / "out", "--workers", "1", cwd=project_root, env=bare_env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "grades.csv").read_text().splitlines() == [
        "learner,assignment,score,max_score,status,reason,points_to_mark,notebooks",
        "amal,fixture-basics,5,6,graded,1 point(s) wait for your trainer to mark your written answers.,1,",
    ]
    assert (tmp_path / "out" / "feedback" / "amal.html").is_file()
    assert "[1/1] amal: graded" in result.stderr  # quiet progress when not on a terminal
    assert "Grading summary" in result.stdout and "amal" in result.stdout
    assert not [p for p in (tmp_path / "out").rglob(".*") if p.name != ".grading-state.json"]


def test_kernels_launched_one_by_one_grade_the_same(tmp_path, project_root):
    """Without the fork server (it needs bubblewrap) each kernel is launched on its own."""
    (tmp_path / "subs").mkdir()
    write(answered(), tmp_path / "subs" / "right.ipynb")
    write(answered({"q1-answer": "answer_q1 = 'A'"}), tmp_path / "subs" / "half.ipynb")
    script = (
        "import sys; from pathlib import Path\n"
        "from exercises.grading import GradingSettings, grade_assignment\n"
        "s = GradingSettings(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]),\n"
        "                    workers=1, fork_kernels=False)\n"
        "print(sorted((r.learner, r.score, r.status) for r in grade_assignment(s).results))\n")
    result = subprocess.run([sys.executable, "-c", script, ASSIGNMENT, str(tmp_path / "subs"), str(FIXTURE_COURSE),
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=300, cwd=project_root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('half', 3.0, 'graded'), ('right', 5.0, 'graded')]"
