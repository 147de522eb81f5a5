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

# Self-study feedback for multiple-choice questions: question -> fingerprint of the
# right letter. ``python -m exercises.notebook.sync`` fills it in below this file in
# each notebook's setup cell, from the notebook's hidden tests; a notebook marked as
# an exam (metadata ``insideout.exam: true``) gets none, so check() only checks the form.
ANSWER_KEY = {}


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


def fingerprint(question, letter):
    """What ANSWER_KEY holds for ``letter`` as the answer to ``question``: a short
    digest, so the right letter is not there to read at a glance."""
    text = f"insideout:{question}:{str(letter).strip().upper()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check(answer, expected=BLANK, *, hint="", kind=None, one_of=None, between=None,
          length=None, tolerance=0, well_done="", quiet=False, question=None):
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
    question  a multiple-choice question's name (``"q6"``): with an ANSWER_KEY entry
              for it, says right or try again without revealing the letter

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
    if expected is BLANK and one_of is not None and question in ANSWER_KEY:
        if fingerprint(question, answer) != ANSWER_KEY[question]:
            raise NotYet(f"Not yet: {_shown(answer)} is not the best answer.{advice} "
                         "Read the question again, then try another letter.")
        if not quiet:
            print("Right!" + (f" {well_done}" if well_done else ""))
        return None
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


# ---------------------------------------------------------------- plain errors
# A missing quote, comma or bracket, or a name Python does not know, gets one plain
# sentence instead of a traceback. The error still shows as an error output, so
# nbgrader marks a failed test exactly as before; only the words change.

def _plain_syntax(error):
    """What went wrong in a cell Python could not read, in plain words."""
    raw = str(getattr(error, "msg", "") or "").lower()
    line = str(getattr(error, "text", "") or "").strip()
    if any(mark in line for mark in "\u201c\u201d\u2018\u2019"):
        why = ("it has a curly quote (\u201c \u201d or \u2018 \u2019), which word processors put in; "
               "type straight quotes \" instead")
    elif "unterminated" in raw or "eol while" in raw or "eof while scanning" in raw:
        why = "a quote is missing: text needs a quote at both ends, like \"B\""
    elif "forgot a comma" in raw:
        why = "a comma seems to be missing between two items, like [\"A\", \"B\"]"
    elif "never closed" in raw or "unexpected eof" in raw or "was not closed" in raw:
        why = "a bracket is opened but not closed: every ( [ { needs its ) ] }"
    elif "unmatched" in raw or "does not match" in raw:
        why = "a closing bracket ) ] } has no opening one, or the wrong kind"
    elif "indent" in raw:
        why = "the spaces at the start of a line are not right: start the line at the left edge"
    else:
        why = "check the quotes, commas and brackets"
    where = f" (line {error.lineno}: {line})" if getattr(error, "lineno", None) and line else ""
    return (f"Python could not read this cell{where}: {why}. "
            "Fix it, then run the cell again (Shift+Enter).")


def _plain_name(error):
    """A name Python does not know: an answer cell not run yet, or text without quotes."""
    name = getattr(error, "name", None)
    if not name:
        parts = str(error).split("'")
        name = parts[1] if len(parts) > 2 else "that word"
    if name.startswith("answer_") or name in ("my_name",):
        return (f"{name} has no value yet: run the cell where you wrote it (Shift+Enter), "
                "then run this cell again. After a restart, run every cell from the top.")
    return (f"Python does not know the word {name}. If it is part of your answer, put it in "
            f"quotes, like \"{name}\". If it comes from an earlier cell, run that cell first "
            "(or run every cell from the top).")


def _plain_failure(shell, etype, value, tb, tb_offset=None):
    if issubclass(etype, NotYet):
        words = str(value)
    elif issubclass(etype, SyntaxError):
        words = _plain_syntax(value)
    else:
        words = _plain_name(value)
    # One sentence instead of a traceback. It is still shown as an error
    # output, which is how nbgrader sees that a test failed.
    shell._showtraceback(etype, value, [words])


try:  # inside Jupyter: these errors show as plain sentences
    get_ipython().set_custom_exc((NotYet, SyntaxError, NameError), _plain_failure)  # noqa: F821
except NameError:  # plain Python (tests, scripts): normal exceptions
    pass
