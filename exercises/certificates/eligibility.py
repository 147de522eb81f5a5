"""Who earns a certificate, and in plain words why the others do not (yet).

A learner earns one when every assignment in the gradebook has a grade for them
with status ``graded`` (or ``ok``) and no written answer still waiting for the
trainer's mark, and their total score divided by the total of the maximum scores
is at least the pass mark. A grade with marks still to come is neither a pass nor a
fail yet: its score would only go up, so deciding now could refuse someone wrongly. Every assignment that appears in any of the
grades files counts: a learner with no row for one of them has not completed the
course, even when ``insideout grade`` wrote no row for a missing submission.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from exercises.certificates.errors import CertificateError
from exercises.certificates.gradebook import Grade


@dataclass(frozen=True)
class LearnerResult:
    learner: str
    assignments: tuple[str, ...]  # the assignments counted, sorted
    score: Fraction
    max_score: Fraction
    earned: bool
    reason: str | None  # why no certificate; None when earned

    @property
    def share(self) -> Fraction | None:
        """Total score over total maximum, or None when there is nothing to count."""
        return self.score / self.max_score if self.max_score else None


def parse_pass_mark(text: str | float) -> Fraction:
    """The pass mark as an exact fraction of the total, from "0.6" or "60%".

    Fails with :class:`CertificateError` when it is not a number or not between 0
    and 1 (0% and 100%).
    """
    raw = str(text).strip()
    is_percent = raw.endswith("%")
    try:
        value = Fraction(raw.rstrip("%").strip())
    except (ValueError, ZeroDivisionError):
        raise CertificateError(
            f"the pass mark should be a number such as 0.6 or 60%, not {raw!r}."
        ) from None
    if is_percent:
        value /= 100
    if not 0 <= value <= 1:
        raise CertificateError(
            f"the pass mark should be between 0 and 1 (for example 0.6 for 60%), not {raw}."
        )
    return value


def format_percent(share: Fraction) -> str:
    """``share`` as a percentage, cut (not rounded) to one decimal: 0.5996 -> "59.9%".

    Cutting means a learner just under the pass mark never reads "60%" next to
    "the pass mark is 60%".
    """
    tenths = math.floor(share * 1000)
    whole, tenth = divmod(tenths, 10)
    return f"{whole}%" if tenth == 0 else f"{whole}.{tenth}%"


def _points(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def decide(grades: list[Grade], pass_mark: Fraction) -> list[LearnerResult]:
    """One result per learner in ``grades``, sorted by learner id."""
    required = sorted({grade.assignment for grade in grades})
    by_learner: dict[str, list[Grade]] = {}
    for grade in grades:
        by_learner.setdefault(grade.learner, []).append(grade)
    return [
        _decide_one(learner, by_learner[learner], required, pass_mark)
        for learner in sorted(by_learner)
    ]


def _decide_one(
    learner: str, grades: list[Grade], required: list[str], pass_mark: Fraction
) -> LearnerResult:
    have = {grade.assignment for grade in grades}
    problems = [f"no grade for {assignment}" for assignment in required if assignment not in have]
    for grade in sorted(grades, key=lambda grade: grade.assignment):
        if not grade.is_graded:
            why = grade.reason or f"status {grade.status or 'empty'}"
            problems.append(f"{grade.assignment} was not graded ({why})")
        elif grade.waits_for_marking:
            problems.append(f"{grade.assignment} has written answers still to mark "
                            f"({_points(grade.points_to_mark)} point(s))")
    graded = [grade for grade in grades if grade.is_graded]
    score = sum((grade.score for grade in graded), Fraction(0))
    max_score = sum((grade.max_score for grade in graded), Fraction(0))
    reason = None
    if problems:
        reason = "not finished yet: " + "; ".join(problems) + "."
    elif max_score == 0:
        reason = "the grades have no marks to count (every max_score is 0)."
    elif score / max_score < pass_mark:
        reason = (
            f"scored {format_percent(score / max_score)} overall; "
            f"the pass mark is {format_percent(pass_mark)}."
        )
    return LearnerResult(
        learner=learner,
        assignments=tuple(sorted(have)),
        score=score,
        max_score=max_score,
        earned=reason is None,
        reason=reason,
    )

