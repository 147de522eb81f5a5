"""check(): the friendly answer checker every notebook embeds."""
from __future__ import annotations

import pytest

from exercises.notebook.check import NotYet, check, learner_seed


def message(*args, **kwargs) -> str:
    with pytest.raises(NotYet) as caught:
        check(*args, **kwargs)
    return str(caught.value)


def test_check_unanswered_says_what_to_do():
    assert message(..., 3).startswith("You have not answered yet: replace the ...")


def test_check_wrong_value_names_it_and_gives_the_hint():
    text = message(12, 9, hint="Count only the people who posted at least once.")
    assert text == ("Not yet: you wrote 12. Count only the people who posted at "
                    "least once. Try again.")


def test_check_is_an_assertion_so_nbgrader_counts_a_failure():
    assert issubclass(NotYet, AssertionError)


@pytest.mark.parametrize(
    "answer, expected, options",
    [
        (" b ", "B", {"one_of": "ABCD"}),
        ("Team  Wiki", "team wiki", {}),
        (2.349, 2.35, {"tolerance": 0.01}),
        (["t", "L"], {"L", "T"}, {}),
        ({"a": "W"}, {"a": "w"}, {}),
        (3, 3, {"kind": int}),
    ],
)
def test_check_accepts_equivalent_answers(answer, expected, options, capsys):
    assert check(answer, expected, **options) is None
    assert capsys.readouterr().out.startswith("Right!")


@pytest.mark.parametrize(
    "answer, options, phrase",
    [
        ("7", {"kind": int}, "should be a whole number"),
        (True, {"kind": int}, "should be a whole number"),
        ("E", {"one_of": "ABCD"}, "choose one of A, B, C or D"),
        ([1, 2], {"length": 3}, "your list has 2 item(s); this question asks for 3"),
        (140, {"between": (0, 25)}, "between 0 and 25"),
    ],
)
def test_check_form_problems_are_explained(answer, options, phrase):
    assert phrase in message(answer, **options)


def test_check_form_only_does_not_claim_the_answer_is_right(capsys):
    check(5, kind=int, between=(0, 10))
    out = capsys.readouterr().out
    assert "Right" not in out and "marked in full when you hand in" in out


def test_check_quiet_prints_nothing(capsys):
    check("A", "A", quiet=True)
    assert capsys.readouterr().out == ""


def test_learner_seed_ignores_case_and_spacing_but_not_the_name():
    assert learner_seed("Sam  Lee ") == learner_seed("sam lee")
    assert learner_seed("Sam Lee") != learner_seed("Sam Leigh")
    assert learner_seed("") == learner_seed(None)


@pytest.mark.slow
def test_in_jupyter_a_failed_check_is_one_plain_sentence_and_nbgrader_gives_zero():
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook
    from nbgrader.utils import determine_grade

    from exercises.notebook.sync import setup_source

    notebook = new_notebook(cells=[
        new_code_cell(setup_source()),
        new_code_cell('check("E", one_of="ABCD")'),
        new_code_cell('check("B", one_of="ABCD")'),
    ])
    for index, cell in enumerate(notebook.cells[1:], start=1):
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 1,
                                     "grade_id": f"t{index}", "locked": True}
    NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True).execute()
    failed, passed = notebook.cells[1], notebook.cells[2]
    assert [o.output_type for o in failed.outputs] == ["error"]
    assert failed.outputs[0].ename == "NotYet"
    assert failed.outputs[0].traceback == [
        "Not yet: you wrote 'E'; choose one of A, B, C or D, in quotes, like \"A\". Try again."
    ]
    assert determine_grade(failed)[0] == 0
    assert determine_grade(passed)[0] == 1
    assert nbformat.validate(notebook) is None
