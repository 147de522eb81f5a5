"""An existing nbgrader course as it is: its config read as nbgrader reads it, its
settings shown by ``--explain``, and one clear line when nbgrader cannot prepare it."""
from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from exercises.grading.course import load_config, preparation_problem
from exercises.grading.settings import GradingSettings, SettingsError, with_course_defaults
from tests.exercises.grading import quickstart

pytestmark = pytest.mark.slow  # nbgrader quickstart and generate_assignment take a few seconds


def run_grade(*arguments, cwd):
    return subprocess.run([sys.executable, "-m", "sandbox.cli", "grade", *map(str, arguments)],
                          capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return quickstart.make_course(tmp_path_factory.mktemp("quickstart"), cell_timeout=7)


def test_explain_names_each_setting_and_where_it_comes_from(course, project_root):
    result = run_grade("ps1", "--course", course, "--explain", cwd=project_root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout
    assert "problem1.ipynb, problem2.ipynb" in lines
    assert "time limit for one cell: 7 s  [from: course config (Execute.timeout)]" in lines
    assert "is interrupted, and the notebook goes on  [from: nbgrader's default (Execute.interrupt_on_timeout)]" in lines
    assert "test cells a learner deleted: score 0  [from: nbgrader's default (OverwriteCells.add_missing_cells)]" in lines
    assert f"header notebook: {course / 'source' / 'header.ipynb'}" in lines
    assert "60 s  [from: kit default (change it with c.InsideOutGrade.notebook_timeout)]" in lines


def test_explain_says_a_command_line_timeout_wins(course, project_root):
    result = run_grade("ps1", "--course", course, "--explain", "--timeout", "90", cwd=project_root)
    assert "90 s  [from: this run (--timeout)]" in result.stdout


def test_the_kits_own_course_puts_deleted_checks_back(project_root):
    assert load_config(project_root / "exercises").OverwriteCells.add_missing_cells is True


def test_a_course_sets_the_kits_own_defaults(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.InsideOutGrade.notebook_timeout = 300\nc.InsideOutGrade.isolation = 'none'\n")
    settings = with_course_defaults(GradingSettings("a", tmp_path, tmp_path, tmp_path), load_config(tmp_path))
    assert (settings.timeout, settings.isolation, settings.memory_limit) == (300.0, "none", 2048 * 2**20)


def test_an_unusable_kit_setting_is_named(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.InsideOutGrade.notebook_timeout = 'soon'\n")
    with pytest.raises(SettingsError, match="notebook_timeout .* is 'soon'"):
        with_course_defaults(GradingSettings("a", tmp_path, tmp_path, tmp_path), load_config(tmp_path))


def test_a_course_nbgrader_cannot_prepare_gets_cell_notebook_and_nbgraders_words(course, tmp_path, project_root):
    import shutil

    broken = tmp_path / "course101"
    shutil.copytree(course / "source", broken / "source")
    shutil.copy(course / "nbgrader_config.py", broken)
    path = broken / "source" / "ps1" / "problem2.ipynb"
    notebook = nbformat.read(path, as_version=4)
    quickstart.cell(notebook, "part-b").metadata.nbgrader["grade_id"] = "part-a"
    nbformat.write(notebook, path)
    learner = tmp_path / "subs" / "amal" / "ps1"
    learner.mkdir(parents=True)
    nbformat.write(quickstart.released(course, "problem1"), learner / "problem1.ipynb")
    result = run_grade("ps1", "--course", broken, "--submissions", tmp_path / "subs", "--out", tmp_path / "out",
                       cwd=project_root)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("insideout: error: nbgrader could not prepare 'ps1' in problem2.ipynb, cell 'part-a': "
                           "ValidationError: Duplicate grade id: part-a"), line
    assert not (tmp_path / "out").exists()


def test_preparation_problem_without_a_traceback_keeps_nbgraders_last_line():
    message = preparation_problem("ps1", "[INFO] Converting notebook /x/source/ps1/problem1.ipynb\n"
                                  "[ERROR] Something odd happened\n", "")
    assert "in problem1.ipynb: [ERROR] Something odd happened" in message


def test_a_config_file_that_fails_is_one_clear_line(tmp_path):
    from exercises.grading.course import CourseError

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Execute.timeout = 1 / 0\n")
    with pytest.raises(CourseError, match=r"nbgrader_config.py could not be read \(ZeroDivisionError"):
        load_config(tmp_path)


def test_course_files_go_next_to_the_notebooks_as_nbgrader_copies_them(tmp_path):
    """The course's files overwrite the learner's, except those Autograde.exclude_overwriting
    keeps; notebooks and what CourseDirectory.ignore names are never copied."""
    from exercises.grading.course import PreparedAssignment
    from exercises.grading.worker import _fill_private_dir

    course = tmp_path / "course"
    source = course / "source" / "ps1"
    (source / "data").mkdir(parents=True)
    (source / "problem1.ipynb").write_text("{}")
    (source / "helpers.py").write_text("course version")
    (source / "data" / "sales.csv").write_text("course data")
    (source / "notes.bak").write_text("not for learners")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.Autograde.exclude_overwriting = {'ps1': ['helpers.py']}\n"
        "c.CourseDirectory.ignore = ['.ipynb_checkpoints', '__pycache__', '*.bak']\n")
    learner = tmp_path / "learner"
    (learner / "data").mkdir(parents=True)
    (learner / "helpers.py").write_text("learner version")
    (learner / "data" / "sales.csv").write_text("learner data")
    prepared = PreparedAssignment("ps1", ("problem1",), source, tmp_path / "db", load_config(course))
    private = tmp_path / "private"
    private.mkdir()
    _fill_private_dir(private, source, learner, prepared)
    assert (private / "helpers.py").read_text() == "learner version"
    assert (private / "data" / "sales.csv").read_text() == "course data"
    assert not (private / "notes.bak").exists() and not (private / "problem1.ipynb").exists()
