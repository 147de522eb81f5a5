"""The pipeline's order is data: nbgrader's own order, with our steps in known places."""
from __future__ import annotations

import nbformat
from nbgrader.converters import Autograde
from nbgrader.preprocessors import AssignLatePenalties, Execute, GetGrades

from exercises.grading.steps import (
    AUTOGRADE_STEPS, PIPELINE, SANITIZE_STEPS, BoxedExecute, MarkChecksNotRun, NOT_RUN_NAME, StartNextPhase)


def nbgrader_default(trait_name: str) -> list:
    return list(Autograde.class_traits()[trait_name].default())


def test_sanitize_steps_are_nbgraders_own():
    assert list(SANITIZE_STEPS) == nbgrader_default("sanitize_preprocessors")


def test_autograde_steps_are_nbgraders_with_boxed_execute_and_no_late_penalty():
    ours = [BoxedExecute if step is Execute else step for step in nbgrader_default("autograde_preprocessors")
            if step is not AssignLatePenalties]
    ours.insert(1, MarkChecksNotRun)
    assert list(AUTOGRADE_STEPS) == ours


def test_pipeline_runs_sanitize_then_autograde_then_grades_with_phase_breaks():
    assert list(PIPELINE) == [*SANITIZE_STEPS, StartNextPhase, *AUTOGRADE_STEPS, StartNextPhase, GetGrades]
    assert issubclass(BoxedExecute, Execute)


def grade_cell(source="assert True", executed=None):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata.nbgrader = {"grade": True, "solution": False, "locked": True, "grade_id": "q1-check",
                              "points": 2, "schema_version": 3}
    cell.execution_count = executed
    return cell


def test_mark_checks_not_run_gives_an_unrun_check_an_error():
    cell, _ = MarkChecksNotRun().preprocess_cell(grade_cell(), {}, 0)
    assert [out.ename for out in cell.outputs] == [NOT_RUN_NAME]


def test_mark_checks_not_run_leaves_a_check_that_ran():
    cell, _ = MarkChecksNotRun().preprocess_cell(grade_cell(executed=3), {}, 0)
    assert cell.outputs == []


def test_mark_checks_not_run_leaves_other_cells():
    cell = nbformat.v4.new_code_cell("answer = 1")
    cell, _ = MarkChecksNotRun().preprocess_cell(cell, {}, 0)
    assert cell.outputs == []


def test_start_next_phase_turns_plain_dicts_into_notebook_nodes():
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append({"cell_type": "markdown", "metadata": {"nbgrader": {"grade_id": "x"}}, "source": ""})
    notebook, _ = StartNextPhase()(notebook, {})
    assert notebook.cells[0].metadata.nbgrader.grade_id == "x"
