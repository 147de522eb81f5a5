"""check(): friendly answer checks for Inside-Out notebooks.

This file is the one source of truth. Every notebook embeds a copy of it in a
read-only setup cell (``python -m exercises.notebook.sync`` refreshes the
copies; a test fails when a copy drifts). It uses only the standard library,
because it runs inside learners' notebooks and inside the grader's kernel.

A check that fails raises ``NotYet`` (an ``AssertionError``, so nbgrader counts
the test as failed). Inside Jupyter the error shows as one plain sentence,
without a Python traceback, because a traceback frightens people who have
never programmed.
"""
import hashlib
import math

BLANK = ...  # what an unanswered cell holds: answer_q1 = ...


class NotYet(AssertionError):
    """An answer that is missing, of the wrong kind, or not right yet."""


def _shown(value):
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _same(given, expected, tolerance):
    if isinstance(expected, str) and isinstance(given, str):
        return " ".join(given.split()).casefold() == " ".join(expected.split()).casefold()
    if isinstance(expected, bool) or isinstance(given, bool):
        return given is expected
    if isinstance(expected, (int, float)) and isinstance(given, (int, float)):
        return math.isclose(given, expected, rel_tol=0, abs_tol=tolerance or 1e-9)
    if isinstance(expected, (set, frozenset)) and isinstance(given, (list, tuple, set, frozenset)):
        return _normal_set(given) == _normal_set(expected)
    if isinstance(expected, (list, tuple)) and isinstance(given, (list, tuple)):
        return len(given) == len(expected) and all(
            _same(g, e, tolerance) for g, e in zip(given, expected)
        )
    if isinstance(expected, dict) and isinstance(given, dict):
        return set(given) == set(expected) and all(
            _same(given[key], expected[key], tolerance) for key in expected
        )
    return given == expected


def _normal_set(items):
    return {" ".join(i.split()).casefold() if isinstance(i, str) else i for i in items}


_KIND_WORDS = {
    int: "a whole number, like 7 (no quotes)",
    float: "a number, like 0.25 (no quotes)",
    str: "some text in quotes, like \"B\"",
    list: "a list in square brackets, like [\"A\", \"C\"]",
    dict: "a dictionary in curly brackets, like {\"key\": \"value\"}",
    bool: "True or False (no quotes)",
}


def _is_kind(value, kind):
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, (list, tuple))
    return isinstance(value, kind)


def check(answer, expected=BLANK, *, hint="", kind=None, one_of=None, between=None,
          length=None, tolerance=0, well_done="", quiet=False):
    """Check one answer and say, in plain words, what is right or what to try next.

    answer    what the learner wrote (``...`` means not answered yet)
    expected  the right answer; leave it out to check only the form
    kind      int, float, str, list, dict or bool: the form the answer must have
    one_of    the allowed choices (letters of a multiple-choice question)
    between   (low, high): the range a sensible answer lies in
    length    how many items a list answer must have
    tolerance how far a number may be from ``expected`` and still count
    hint      what to look at again when the answer is not right yet
    quiet     say nothing when the check passes (for several checks in one cell)

    Raises NotYet with a kind, concrete message when the answer is missing,
    has the wrong form, lies outside ``between`` or differs from ``expected``.
    """
    advice = f" {hint}" if hint else ""
    if answer is BLANK or answer is None:
        raise NotYet(
            "You have not answered yet: replace the ... with your answer, "
            "run that cell (Shift+Enter), then run this one again."
        )
    if kind is not None and not _is_kind(answer, kind):
        raise NotYet(
            f"Not yet: you wrote {_shown(answer)}, but this answer should be "
            f"{_KIND_WORDS.get(kind, kind.__name__)}.{advice} Try again."
        )
    if one_of is not None:
        choices = [str(c) for c in one_of]
        if not isinstance(answer, str) or answer.strip().upper() not in [c.upper() for c in choices]:
            listed = ", ".join(choices[:-1]) + " or " + choices[-1]
            raise NotYet(
                f"Not yet: you wrote {_shown(answer)}; choose one of {listed}, "
                f"in quotes, like \"{choices[0]}\". Try again."
            )
    if length is not None and (not hasattr(answer, "__len__") or len(answer) != length):
        if not hasattr(answer, "__len__"):
            raise NotYet(f"Not yet: you wrote {_shown(answer)}, but this answer should be "
                         f"a list of {length} items, like [\"A\", \"B\"]. Try again.")
        raise NotYet(
            f"Not yet: your list has {len(answer)} item(s); this question asks "
            f"for {length}.{advice} Try again."
        )
    if between is not None:
        low, high = between
        if not low <= answer <= high:
            raise NotYet(
                f"Not yet: you wrote {_shown(answer)}; a sensible answer lies "
                f"between {_shown(low)} and {_shown(high)}.{advice} Try again."
            )
    if expected is BLANK:
        if quiet:
            return True
        print("That looks like the right kind of answer. "
              "It is marked in full when you hand in the notebook.")
        return None
    if isinstance(answer, str) and one_of is not None:
        answer = answer.strip().upper()
    if not _same(answer, expected, tolerance):
        if isinstance(answer, bool):  # a yes/no test, not the learner's own words
            raise NotYet(f"Not yet.{advice} Try again.")
        raise NotYet(f"Not yet: you wrote {_shown(answer)}.{advice} Try again.")
    if not quiet:
        print("Right!" + (f" {well_done}" if well_done else ""))
    return None


def learner_seed(name):
    """A whole number that stays the same for the same name (any text).

    Numbers in a notebook are drawn from this seed, so each learner gets their
    own version and the grader recomputes the right answer from the same name.
    An empty name gives the shared default version.
    """
    text = " ".join(str(name or "").split()).casefold()
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def _plain_failure(shell, etype, value, tb, tb_offset=None):
    # One sentence instead of a traceback. It is still shown as an error
    # output, which is how nbgrader sees that a test failed.
    shell._showtraceback(etype, value, [str(value)])


try:  # inside Jupyter: show NotYet as a plain sentence
    get_ipython().set_custom_exc((NotYet,), _plain_failure)  # noqa: F821
except NameError:  # plain Python (tests, scripts): normal exceptions
    pass
