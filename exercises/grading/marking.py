"""What a learner and the trainer see: the autograder's result with the trainer's marks.

The worker returns what the autograder found: written answers it could not mark are
"to be marked" and its ``reason`` holds only its own notes. :func:`settle` adds the
trainer's marks (``{question: {"mark": 1.0, "comment": "..."}}``) to the score, says how
many points still wait, and renders the feedback page. The grading run and
``insideout grade --marks`` both go through it, so the two can never disagree.
"""
from __future__ import annotations

from dataclasses import replace

from .feedback import render_feedback
from .results import MARKED, CheckResult, LearnerResult, format_points


def waiting_note(points: float) -> str:
    if not points:
        return ""
    return f"{format_points(points)} point(s) wait for your trainer to mark your written answers."


def settle(autograded: LearnerResult, marks: dict[str, dict]) -> LearnerResult:
    """The result with ``marks`` applied to written answers that wait for a person.

    Marks for questions that do not wait (any more) are ignored: a mark never
    overrides what the autograder decided.
    """
    checks: list[CheckResult] = []
    added = 0.0
    for check in autograded.checks:
        mark = marks.get(check.question) if check.waiting else None
        if mark is None:
            checks.append(check)
            continue
        added += mark["mark"]
        checks.append(replace(check, score=mark["mark"], outcome=MARKED, comment=mark.get("comment", "")))
    settled = replace(autograded, score=autograded.score + added, checks=tuple(checks))
    reason = " ".join(part for part in (autograded.reason, waiting_note(settled.points_to_mark)) if part)
    settled = replace(settled, reason=reason)
    html = render_feedback(settled.learner, settled.assignment, settled.score, settled.max_score, reason,
                           settled.checks)
    return replace(settled, feedback_html=html)
