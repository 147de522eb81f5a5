"""The marking sheet's small rules, one at a time, on hand-built rows."""
from __future__ import annotations

import pytest

from exercises.grading.apply_marks import _known_learner, _number
from exercises.grading.results import CheckResult, LearnerResult
from exercises.grading.sheet import MAX_ANSWER_CHARACTERS, build_rows, plain_cell, read_sheet, render_sheet


@pytest.mark.parametrize(("text", "shown"), [
    ("=1+1", "'=1+1"), ("+44 1234", "'+44 1234"), ("-- a list", "'-- a list"), ("@team", "'@team"),
    ("An answer = fine", "An answer = fine"), ("", ""),
])
def test_plain_cell_stops_spreadsheets_running_learner_text(text, shown):
    assert plain_cell(text) == shown


@pytest.mark.parametrize(("typed", "value"), [
    ("1", 1.0), ("0.5", 0.5), ("0,5", 0.5), (" 2 ", 2.0), ("1,000.5", None), ("nan", None), ("inf", None),
    ("one", None), ("1/2", None),
])
def test_marks_are_read_as_typed_in_any_country(typed, value):
    assert _number(typed) == value


def test_leading_zeros_dropped_by_a_spreadsheet_still_find_the_learner():
    saved = {"00123": None, "amal": None, "0456": None, "456": None}
    assert _known_learner("123", saved) == "00123"
    assert _known_learner("456", saved) == "456"  # exact match first
    assert _known_learner("789", saved) == "789"  # unknown stays unknown


def learner(name, answer="My answer."):
    checks = (CheckResult("q1-check", "auto", 1.0, 1.0, "passed"),
              CheckResult("reflection", "manual", None, 2.0, "to be marked", answer=answer))
    return LearnerResult(name, "a1", 1.0, 3.0, "graded", "", checks=checks)


def test_a_very_long_answer_is_cut_to_fit_a_spreadsheet_cell():
    [row] = build_rows([(learner("amal", "x" * (MAX_ANSWER_CHARACTERS + 10)), {})], {}, set())
    assert len(row["answer"]) < 32_767 and row["answer"].endswith("the whole answer is in the learner's notebook]")


def test_the_sheet_round_trips_through_its_own_reader(tmp_path):
    rows = build_rows([(learner("amal", 'Line one, "quoted"\nline two'), {"reflection": {"mark": 1.5, "comment": "ok"}})],
                      {}, set())
    path = tmp_path / "to-mark.csv"
    path.write_bytes(render_sheet(rows))
    [read] = read_sheet(path)
    assert (read.row, read.learner, read.question, read.mark, read.comment) == (2, "amal", "reflection", "1.5", "ok")


def test_typed_marks_survive_a_spreadsheet_dropping_leading_zeros(tmp_path):
    path = tmp_path / "to-mark.csv"
    path.write_text("learner,question,mark,comment\n123,reflection,2,Fine\n", encoding="utf-8")
    typed = {(r.learner, r.question): r for r in read_sheet(path)}
    [row] = build_rows([(learner("00123"), {})], typed, set())
    assert (row["learner"], row["mark"], row["comment"]) == ("00123", "2", "Fine")
