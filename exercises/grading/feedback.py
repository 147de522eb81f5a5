"""Per-learner feedback: each check's outcome and message, never a check's code.

The page is built only from :class:`~exercises.grading.results.CheckResult` values:
outcomes, points and the *message* of an error (``AssertionError: <message>``), never
a traceback, because a traceback quotes the line of the hidden test that failed.
"""
from __future__ import annotations

from pathlib import Path

import jinja2

from .results import CheckResult, format_points

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)

OUTCOME_TEXT = {
    "passed": ("Passed", "passed"),
    "not yet": ("Not yet", "not-yet"),
    "not run": ("Did not run", "not-yet"),
    "to be marked": ("Waiting for your trainer to mark it", "other"),
    "marked": ("Marked by your trainer", "other"),
}


def check_title(grade_id: str) -> str:
    """``q1-check`` reads as ``Q1 check``."""
    words = grade_id.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "Check"


def render_feedback(learner: str, assignment: str, score: float, max_score: float,
                    reason: str, checks: tuple[CheckResult, ...]) -> str:
    """The page; checks of an assignment of several notebooks come in one section per notebook."""
    sections: list[dict] = []
    for check in checks:
        if not sections or sections[-1]["notebook"] != check.notebook:
            sections.append({"notebook": check.notebook, "checks": [], "score": 0.0, "max_score": 0.0})
        section = sections[-1]
        section["score"] += check.score or 0.0
        section["max_score"] += check.max_score
        text, css = OUTCOME_TEXT.get(check.outcome, (check.outcome, "other"))
        section["checks"].append({
            "title": check_title(check.grade_id),
            "outcome_text": text,
            "css": css,
            "score": None if check.score is None else format_points(check.score),
            "max_score": format_points(check.max_score),
            "message": check.message,
            "comment": check.comment,
        })
    for section in sections:
        section["title"] = (f"{section['notebook']}.ipynb: {format_points(section['score'])} of "
                            f"{format_points(section['max_score'])} points" if section["notebook"]
                            else "Question by question")
    return _ENVIRONMENT.get_template("feedback_page.html").render(
        learner=learner, assignment=assignment, score=format_points(score),
        max_score=format_points(max_score), reason=reason, sections=sections)
