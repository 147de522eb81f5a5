"""One hand-in as a learner (or the trainer) sees it: its state, score and each question's feedback.

Feedback comes only from the grading result: each check's outcome, points and the
message of a failed check (never a test's code, never the learner's code). Messages
and written answers are shown as plain text, never as Markdown or HTML.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services.hand_ins import HandInView
from sandbox.ui.components.text import when

STATE_TEXT = {
    "queued": "Waiting to be graded",
    "grading": "Being graded now",
    "graded": "Graded",
    "failed": "Could not be graded",
}


def points(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}"


def headline(view: HandInView) -> str:
    """One line: when, which file, and the state or score."""
    late = " (late)" if view.late else ""
    if view.state == "graded":
        waiting = f", {points(view.points_to_mark)} more to be marked" if view.points_to_mark else ""
        outcome = f"score {points(view.score)} of {points(view.max_score)}{waiting}"
    else:
        outcome = STATE_TEXT.get(view.state, view.state).lower()
    return f"{view.filename}, handed in {when(view.handed_in_at)}{late}: {outcome}"


def show_result(view: HandInView, *, ahead: int = 0, for_trainer: bool = False, self_study: bool = False) -> None:
    """The state of a hand-in, and once graded its score and feedback per question."""
    if view.state == "queued":
        queue = f" ({ahead} hand-in{'s' if ahead != 1 else ''} ahead of yours)" if ahead else ""
        st.info(f"Your notebook is kept and waiting to be graded{queue}. This page updates by itself.",
                icon=":material/hourglass_top:")
        return
    if view.state == "grading":
        st.info("Your notebook is being graded now. This page updates by itself.", icon=":material/pending:")
        return
    if view.state == "failed":
        st.error(view.problem or "This notebook could not be graded.", icon=":material/error:")
        return
    waiting = view.points_to_mark
    st.success(f"Score: {points(view.score)} of {points(view.max_score)} points."
               + (f" {points(waiting)} point(s) wait for a mark." if waiting else ""),
               icon=":material/grading:")
    reason = view.reason
    if self_study:
        reason = reason.replace("wait for your trainer to mark your written answers",
                                "wait for you to mark your written answers below")
    if reason:
        st.text(reason)
    notebook = None
    for check in view.checks:
        if check.notebook and check.notebook != notebook:  # an assignment of several notebooks
            notebook = check.notebook
            own = [c for c in view.checks if c.notebook == notebook]
            got = sum(c.score or 0 for c in own)
            st.subheader(f"{notebook}.ipynb: {points(got)} of {points(sum(c.max_score for c in own))} points")
        with st.container(border=True):
            unit = "point" if check.max_score == 1 else "points"
            score = f"{points(check.score)} of {points(check.max_score)} {unit}" if check.score is not None \
                else f"{points(check.max_score)} {unit}"
            outcome = "Marked by yourself" if check.self_assessed else check.outcome_text
            if self_study and check.outcome == "to be marked":
                outcome = "Waiting for you to mark it"
            st.markdown(f"**{check.title}** · {outcome} · {score}")
            if check.message:
                st.text(check.message)
            if check.answer and (for_trainer or check.kind == "manual"):
                st.caption("Written answer")
                st.text(check.answer)
            if check.comment:
                st.caption("Comment")
                st.text(check.comment)
