"""The graded assignments, run through nbgrader itself.

One module-scoped fixture copies the course to a temporary folder, releases
every assignment with ``nbgrader generate_assignment`` and autogrades three
hand-ins of each in a single ``nbgrader autograde`` call:

- ``master``: the master notebook with its solutions: must score full marks on
  every autograded part and run without a single error;
- ``other-name``: the master with a different learner name: its numbers change
  and the hidden tests must still agree (they recompute from the same seed);
- ``blank``: the release notebook as handed out, unanswered: must score 0;
- ``wrong``: the master with one or two answers replaced by well-formed but
  wrong ones (they pass the visible checks): exactly those tests must score 0,
  which proves the hidden tests really mark.
"""
from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from exercises.notebook import sync
from exercises.release_tools import (
    ASSIGNMENTS, available_assignments, copy_course, generate_release, nbgrader,
)

OTHER_NAME = "Alex Example-Quinn"
STUDENTS = ("master", "other-name", "blank", "wrong")

# Assignment -> {answer cell: a well-formed wrong answer}. Each must get past
# the visible check and be caught by the hidden one.
WRONG_ANSWERS = {
    "m01-inside-out": {"q1": 'answer_q1 = "A"', "q4": "answer_q4 = 0.5"},
    "m02-slates": {"q4": 'answer_q4 = "All-staff email"'},
    "m03-wiki": {"q6": 'answer_q6 = "A"', "q1": "answer_q1 = 1"},
    "m04-microblogging": {"q5": 'answer_q5 = "A"', "q2": 'answer_q2 = ["#Nothing"]'},
    "m05-bookmarking": {"q5": 'answer_q5 = "A"', "q2": "answer_q2 = 1"},
    "m06-ideas-events": {"q6": 'answer_q6 = "A"', "q2": "answer_q2 = 0"},
    "m08-usefulness": {"q1": 'answer_q1_quicker = "E"\nanswer_q1_learn = "U"'},
    "m09-critical-mass": {"q3": "answer_q3 = 100", "q5": 'answer_q5 = "A"'},
    "m10-culture": {"q4": 'answer_q4 = ["A"]', "q2": 'answer_q2 = "A"'},
    "m11-measuring-adoption": {"q1": "answer_q1 = 1", "q5": "answer_q5 = 0.99"},
    "m12-pilot-plan": {"q1": 'answer_q1 = "2099-01-01"'},
}


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def master(assignment: str):
    return nbformat.read(sync.SOURCE / assignment / f"{assignment}.ipynb", as_version=4)


def with_wrong_answers(notebook, wrong: dict[str, str]):
    changed = nbformat.from_dict(notebook)
    for cell in changed.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in wrong:  # the learner's last line wins, as in Jupyter
            cell.source = cell.source + "\n" + wrong[grade_id]
    return changed


def with_name(notebook, name: str):
    renamed = nbformat.from_dict(notebook)
    for cell in renamed.cells:
        if "learner-name" in cell.metadata.get("tags", []):
            cell.source = re.sub(r'my_name = ".*"', f'my_name = "{name}"', cell.source)
    return renamed


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("graded") / "course")
    release = generate_release(course)
    for assignment in available_assignments():
        notebooks = {
            "master": master(assignment),
            "other-name": with_name(master(assignment), OTHER_NAME),
            "blank": nbformat.read(release / assignment / f"{assignment}.ipynb", as_version=4),
            "wrong": with_wrong_answers(master(assignment), WRONG_ANSWERS.get(assignment, {})),
        }
        for student, notebook in notebooks.items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / f"{assignment}.ipynb")
    nbgrader(course, "autograde", "*", "--force")
    return course


@pytest.fixture(scope="module")
def scores(graded_course):
    """(assignment, student) -> {grade cell: (autograded score, max score)}"""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{graded_course / 'gradebook.db'}") as gradebook:
        for assignment in available_assignments():
            for student in STUDENTS:
                submission = gradebook.find_submission_notebook(assignment, assignment, student)
                found[assignment, student] = {
                    grade.name: (grade.auto_score, grade.max_score, grade.cell.cell_type)
                    for grade in submission.grades
                }
    return found


def autograded(graded_course, student, assignment):
    path = graded_course / "autograded" / student / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_shared_assignment_id_has_a_master_notebook(assignment):
    assert (sync.SOURCE / assignment / f"{assignment}.ipynb").is_file()


def test_no_unknown_assignment_folders():
    folders = {p.name for p in sync.SOURCE.iterdir() if p.is_dir()}
    assert folders <= set(ASSIGNMENTS)


def test_setup_cells_and_shipped_files_match_their_source():
    assert sync.drift() == []


@pytest.mark.parametrize("assignment", available_assignments())
def test_master_starts_with_title_then_how_to_use_a_notebook(assignment):
    cells = master(assignment).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    assert cells[1].source.startswith("## How to use this notebook")
    assert nbgrader_meta(cells[2]) == {**nbgrader_meta(cells[2]), "grade_id": "setup", "locked": True}


@pytest.mark.parametrize("assignment", available_assignments())
def test_the_notebooks_title_is_its_modules_one_name(assignment):
    """The notebook says "Module N: <title>" as the course and the workbook's links do
    (exercises.course_modules; issue 14, finding 9), the exercise's own name under it."""
    from exercises.workbook import MODULE_PAGES

    first = master(assignment).cells[0].source.splitlines()
    assert first[0] == "# " + ", and ".join(title for _, title in MODULE_PAGES[assignment])
    assert re.fullmatch(r"\*Exercise \d+[^*]*\*", first[2]), first[2]


@pytest.mark.parametrize("assignment", available_assignments())
def test_every_autograded_answer_is_checked_before_the_next_question(assignment):
    """Each answer cell is followed by a test cell before the next answer cell."""
    kinds = []
    for cell in master(assignment).cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            kinds.append(("answer", meta["grade_id"]))
        elif cell.cell_type == "code" and meta.get("grade"):
            kinds.append(("test", meta["grade_id"]))
    unchecked = [
        grade_id for (kind, grade_id), following in zip(kinds, kinds[1:] + [("end", "")])
        if kind == "answer" and following[0] != "test"
    ]
    assert kinds and unchecked == []


@pytest.mark.parametrize("assignment", available_assignments())
def test_every_question_names_its_points_and_they_match_nbgrader(assignment):
    cells = master(assignment).cells
    stated = sum(int(n) for c in cells if c.cell_type == "markdown"
                 for n in re.findall(r"^## Question \d+ \((\d+) points?", c.source, re.M))
    graded = sum(nbgrader_meta(c).get("points", 0) for c in cells if nbgrader_meta(c).get("grade"))
    assert stated == graded


@pytest.mark.slow
@pytest.mark.parametrize("assignment", available_assignments())
def test_master_scores_full_marks_on_autograded_parts(scores, assignment):
    autograded_parts = {n: s for n, s in scores[assignment, "master"].items() if s[2] == "code"}
    assert autograded_parts, "an assignment needs at least one autograded test"
    assert {n: s[0] for n, s in autograded_parts.items()} == {n: s[1] for n, s in autograded_parts.items()}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", available_assignments())
def test_master_runs_without_any_error(graded_course, assignment):
    notebook = autograded(graded_course, "master", assignment)
    errors = [
        (cell.metadata.get("nbgrader", {}).get("grade_id", index), output.get("evalue"))
        for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
        for output in cell.outputs if output.output_type == "error"
    ]
    assert errors == []


@pytest.mark.slow
@pytest.mark.parametrize("assignment", available_assignments())
def test_another_learner_name_still_scores_full_marks(scores, assignment):
    parts = {n: s for n, s in scores[assignment, "other-name"].items() if s[2] == "code"}
    assert {n: s[0] for n, s in parts.items()} == {n: s[1] for n, s in parts.items()}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", available_assignments())
def test_learner_name_changes_the_numbers_where_there_are_variants(graded_course, assignment):
    def variant_outputs(student):
        notebook = autograded(graded_course, student, assignment)
        return [
            [o.get("text", "") for o in cell.outputs]
            for cell in notebook.cells
            if nbgrader_meta(cell).get("locked") and "learner_seed(my_name" in cell.source
        ]

    mine, theirs = variant_outputs("master"), variant_outputs("other-name")
    if not mine:
        pytest.skip(f"{assignment} has no numeric question drawn from the learner's name")
    assert mine != theirs


@pytest.mark.slow
@pytest.mark.parametrize("assignment", available_assignments())
def test_unanswered_release_scores_zero(scores, assignment):
    assert {n: s[0] for n, s in scores[assignment, "blank"].items()} == {
        n: 0 for n in scores[assignment, "blank"]
    }


def test_every_assignment_has_wrong_answers_to_catch():
    assert sorted(WRONG_ANSWERS) == sorted(ASSIGNMENTS)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", available_assignments())
def test_hidden_tests_catch_well_formed_wrong_answers(scores, assignment):
    wrong_tests = {f"{answer}-test" for answer in WRONG_ANSWERS[assignment]}
    parts = {n: s for n, s in scores[assignment, "wrong"].items() if s[2] == "code"}
    assert wrong_tests <= set(parts)
    assert {n: s[0] for n, s in parts.items()} == {
        n: 0 if n in wrong_tests else s[1] for n, s in parts.items()
    }


def solution_lines(notebook) -> set[str]:
    """Lines that appear only inside solution or hidden-test regions."""
    lines, outside = set(), set()
    for cell in notebook.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line or "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END SOLUTION" in line or "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) > 12:
                lines.add(line.strip())
            else:
                outside.add(line.strip())
    return lines - outside


@pytest.mark.slow
@pytest.mark.parametrize("assignment", available_assignments())
def test_release_holds_no_solution_no_hidden_test_and_no_output(graded_course, assignment):
    folder = graded_course / "release" / assignment
    notebook = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    release_lines = {line.strip() for line in text.splitlines()}
    assert sorted(solution_lines(master(assignment)) & release_lines) == []
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    shipped = sorted(p.name for p in folder.iterdir())
    assert shipped == sorted(p.name for p in (sync.SOURCE / assignment).iterdir()
                             if p.name not in {".ipynb_checkpoints", "__pycache__"})


def test_sync_repairs_a_drifted_setup_cell_and_how_to_cell(tmp_path, monkeypatch):
    source = tmp_path / "source"
    shutil.copytree(sync.SOURCE, source)
    monkeypatch.setattr(sync, "SOURCE", source)
    path = source / "m03-wiki" / "m03-wiki.ipynb"
    notebook = nbformat.read(path, as_version=4)
    sync.setup_cells(notebook)[0].source += "\n# edited by hand"
    sync.how_to_cells(notebook)[0].source += "\nAn old sentence."
    nbformat.write(notebook, path)
    (source / "m11-measuring-adoption" / "sample-export.csv").write_text("stale")
    assert len(sync.drift()) == 3
    assert sorted(sync.sync()) == ["m03-wiki.ipynb", "m11-measuring-adoption/sample-export.csv"]
    assert sync.drift() == []
