from __future__ import annotations

import pytest

from sandbox.simulation.problems import ProblemList
from sandbox.simulation.schema import INVALID, Id, ListOf, Number, OneOf, Record, Text
from sandbox.simulation.yaml_source import YamlSyntaxError, format_path, load_located

DOC = """\
title: Demo
people:
  - handle: ana
    threshold: 0.5
  - handle: ben
    threshold: 2
shared: &base {colour: blue}
copy: *base
"""


def test_lines_are_remembered_for_every_path():
    located = load_located(DOC)
    assert located.data["people"][1] == {"handle": "ben", "threshold": 2}
    assert located.lines[("people", 1, "threshold")] == 6
    assert located.lines[("people", 1)] == 5
    assert located.line_of(("people", 1, "missing", "deeper")) == 5
    assert located.data["copy"] == {"colour": "blue"}  # aliases resolve


def test_syntax_error_has_a_line():
    with pytest.raises(YamlSyntaxError) as caught:
        load_located("a: 1\nb: [unclosed\nc: 3\n")
    assert caught.value.line >= 2
    assert "not valid YAML" in caught.value.message


def test_empty_document():
    assert load_located("").data is None


@pytest.mark.parametrize(
    ("path", "text"),
    [((), ""), (("personas",), "personas"), (("personas", 3, "threshold"), "personas[3].threshold"), ((0, "a"), "[0].a")],
)
def test_format_path(path, text):
    assert format_path(path) == text


def check(spec, value):
    problems = ProblemList(file="demo.yaml", located=load_located("x: 1\n"))
    result = spec.check(value, ("x",), problems)
    return result, [problem.message for problem in problems.problems]


@pytest.mark.parametrize(
    ("spec", "value", "expected", "messages"),
    [
        (Text(), "  hello ", "hello", []),
        (Text(), 2024, "2024", []),
        (Text(), "", INVALID, ["must be some text (got '')"]),
        (Text(max_length=3), "four", INVALID, ["is too long (4 characters; at most 3)"]),
        (Id(), "Open Day", INVALID, ["must be lower-case letters, digits and dashes (got 'Open Day')"]),
        (Number(minimum=0, maximum=1), 1.5, INVALID, ["must be between 0 and 1 (got 1.5)"]),
        (Number(minimum=0), -2, INVALID, ["must be 0 or more (got -2)"]),
        (Number(whole=True), 2.5, INVALID, ["must be a whole number (got 2.5)"]),
        (Number(), True, INVALID, ["must be a number (got True)"]),
        (OneOf(("going", "maybe")), "gong", INVALID, ['must be one of going, maybe (got \'gong\') (did you mean "going"?)']),
        (ListOf(Text(), min_items=2), ["a"], ["a"], ["needs at least 2 entries (got 1)"]),
        (Record(required={"a": Text()}, optional={"b": (Number(), 7)}), {"a": "x"}, {"a": "x", "b": 7}, []),
    ],
)
def test_specs(spec, value, expected, messages):
    result, found = check(spec, value)
    assert result == expected if expected is not INVALID else result is INVALID
    assert found == messages
