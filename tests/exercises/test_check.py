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


# ---------------------------------------------------------------- self-study feedback


@pytest.fixture()
def answer_key(monkeypatch):
    from exercises.notebook import check as check_module

    key = {"q6": check_module.fingerprint("q6", "B")}
    monkeypatch.setattr(check_module, "ANSWER_KEY", key)
    return key


def test_multiple_choice_says_right_without_the_letter_in_the_cell(answer_key, capsys):
    assert check(" b ", one_of="ABCD", question="q6") is None
    assert capsys.readouterr().out.startswith("Right!")


def test_multiple_choice_says_try_again(answer_key):
    text = message("C", one_of="ABCD", question="q6", hint="Think about the history.")
    assert text == "Not yet: 'C' is not the best answer. Think about the history. Read the question again, then try another letter."


def test_without_a_key_multiple_choice_checks_only_the_form(capsys):
    """An exam's notebook has no key: check() says nothing about right or wrong."""
    check("C", one_of="ABCD", question="q6")
    out = capsys.readouterr().out
    assert "Right" not in out and "marked in full when you hand in" in out


def test_the_key_comes_from_the_hidden_tests_and_an_exam_has_none():
    from nbformat.v4 import new_code_cell, new_notebook

    from exercises.notebook import sync
    from exercises.notebook.check import fingerprint

    notebook = new_notebook(cells=[new_code_cell(
        'check(answer_q6, one_of="ABCD", question="q6")\n### BEGIN HIDDEN TESTS\n'
        'check(answer_q6, "B", one_of="ABCD", hint="x")\ncheck(answer_q7, 3)\n### END HIDDEN TESTS\n')])
    assert sync.answer_key(notebook) == {"q6": fingerprint("q6", "B")}
    assert fingerprint("q6", "B") != fingerprint("q6", "C") != fingerprint("q5", "C")
    assert "ANSWER_KEY = {'q6': " in sync.setup_source(notebook)
    notebook.metadata["insideout"] = {"exam": True}
    assert sync.answer_key(notebook) == {}
    assert "ANSWER_KEY = {'q6'" not in sync.setup_source(notebook)


def test_every_multiple_choice_question_of_the_course_gets_feedback():
    """Each visible check(..., one_of=...) names its question, and the key has it."""
    import re

    import nbformat

    from exercises.notebook import sync

    for path in sync.master_notebooks():
        notebook = nbformat.read(path, as_version=4)
        key = sync.answer_key(notebook)
        for cell in notebook.cells:
            visible = sync.HIDDEN_TESTS.sub("", cell.source) if cell.cell_type == "code" else ""
            for call in re.findall(r"check\(answer_(\w+), one_of=[^)]*\)", visible):
                assert call in key, f"{path.name}: {call} has no self-study feedback"
            for call in re.findall(r"check\(answer_(\w+), one_of=\"ABCD\"\)", visible):
                raise AssertionError(f"{path.name}: the visible check of {call} does not name its question")


# ---------------------------------------------------------------- plain errors


@pytest.mark.parametrize(
    "source, phrase",
    [
        ('answer_q1 = "B', 'a quote is missing: text needs a quote at both ends, like "B"'),
        ('answer_q1 = ["A", "B"', "a bracket is opened but not closed"),
        ('answer_q1 = {"a": 1 "b": 2}', "a comma seems to be missing"),
        ("answer_q1 = \u201cB\u201d", "curly quote"),
        ("answer_q1 = 1)", "has no opening one"),
        ("  answer_q1 = 1", "the spaces at the start of a line"),
    ],
)
def test_a_cell_python_cannot_read_is_explained(source, phrase):
    from exercises.notebook.check import _plain_syntax

    with pytest.raises(SyntaxError) as caught:
        compile(source, "<cell>", "exec")
    text = _plain_syntax(caught.value)
    assert phrase in text and text.startswith("Python could not read this cell (line 1: ")


def test_an_unknown_name_is_explained():
    from exercises.notebook.check import _plain_name

    with pytest.raises(NameError) as caught:
        exec("answer_q1 = B", {})
    assert _plain_name(caught.value).startswith('Python does not know the word B. If it is part of your answer, put it in quotes, like "B".')
    with pytest.raises(NameError) as caught:
        exec("check(answer_q3)", {"check": check})
    assert _plain_name(caught.value).startswith("answer_q3 has no value yet: run the cell where you wrote it")


@pytest.mark.slow
def test_in_jupyter_errors_in_answer_cells_are_plain_and_grades_do_not_change():
    """Syntax and name errors show one plain sentence (no traceback) as an error output,
    so nbgrader still scores the failing test 0 and the passing ones in full."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook
    from nbgrader.utils import determine_grade

    from exercises.notebook.sync import setup_source

    notebook = new_notebook(cells=[  # the hidden test the answer key is read from
        new_code_cell('### BEGIN HIDDEN TESTS\ncheck(answer_q6, "B", one_of="ABCD")\n### END HIDDEN TESTS\n'),
    ])
    notebook.cells = [new_code_cell(setup_source(notebook))] + [
        new_code_cell('answer_q1 = "B'),                            # 1 missing quote
        new_code_cell('check(answer_q1, one_of="ABCD")'),           # 2 never answered: a test
        new_code_cell("answer_q2 = B"),                             # 3 forgot the quotes
        new_code_cell('answer_q6 = "C"'),                           # 4
        new_code_cell('check(answer_q6, one_of="ABCD", question="q6")'),  # 5 wrong letter: a test
        new_code_cell('answer_q6 = "b"'),                           # 6
        new_code_cell('check(answer_q6, one_of="ABCD", question="q6")'),  # 7 right: a test
    ]
    for index in (2, 5, 7):
        notebook.cells[index].metadata["nbgrader"] = {"grade": True, "solution": False, "points": 1,
                                                      "grade_id": f"t{index}", "locked": True}
    NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True).execute()
    outputs = {index: notebook.cells[index].outputs for index in range(1, 8)}
    for index in (1, 2, 3, 5):
        assert [o.output_type for o in outputs[index]] == ["error"], (index, outputs[index])
        assert len(outputs[index][0].traceback) == 1, outputs[index]
    assert outputs[1][0].traceback[0].startswith("Python could not read this cell (line 1: answer_q1 = \"B): a quote is missing")
    assert outputs[2][0].traceback[0].startswith("answer_q1 has no value yet")
    assert outputs[3][0].traceback[0].startswith("Python does not know the word B.")
    assert outputs[5][0].traceback[0].startswith("Not yet: 'C' is not the best answer.")
    assert outputs[7][0].text.startswith("Right!")
    assert [determine_grade(notebook.cells[index])[0] for index in (2, 5, 7)] == [0, 0, 1]
