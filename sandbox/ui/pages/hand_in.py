"""Hand in a notebook: pick the assignment, upload the .ipynb, see the score and feedback.

The page only stores the file and queues it (``hand_ins.hand_in``); grader processes
beside the server grade it. While a hand-in waits, a fragment re-reads its state
every few seconds, so the result appears without a reload.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import grading as adapter
from sandbox.services import gradebook, grading_jobs, hand_ins
from sandbox.store.models import Workshop
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.hand_in_view import headline, show_result
from sandbox.ui.components.text import clock_time
from sandbox.ui.db import reading
from sandbox.ui.pages_common import require_member

POLL_SECONDS = 2
ASSIGNMENT_KEY = state.widget_key("hand_in_assignment")

member = require_member()
with reading() as session:
    workshop = session.get(Workshop, member.workshop_id)

st.title("Hand in a notebook")
state.show_flash()
if member.kind != "learner":
    st.write("Learners hand in their notebooks here. You see everyone's work, and mark written "
             "answers, on the console's **Gradebook** page.")
    st.stop()

self_study = workshop.mode == "self-study"
if self_study:
    st.write("Hand in the notebook you worked in. It is graded straight away: you see your score and "
             "what each check found. Written answers have no automatic check: after handing in, you "
             "compare yours with a model answer and mark it yourself.")
else:
    st.write("Hand in the notebook you worked in. It is graded straight away: you see your score and "
             "what each check found. Written answers wait for your trainer's mark. You may hand in "
             "again until the deadline; every hand-in is kept.")

options = adapter.assignments()
if not options:
    st.warning("There are no assignments to hand in yet. Please tell your trainer.")
    st.stop()
assignment = st.selectbox("Assignment", options, key=ASSIGNMENT_KEY, format_func=adapter.assignment_label)
with reading() as session:
    closes = hand_ins.deadline(session, member.workshop_id, assignment)
if closes is not None:
    st.caption(f"Deadline: {clock_time(closes, fmt='%d %B %Y, %H:%M')}.")


def _hand_in() -> None:
    uploads = st.session_state.get(upload_key) or []
    if not uploads:
        st.session_state.setdefault(state.ERRORS, {})["hand_in"] = "Choose your notebook file first."
        return
    several = len(uploads) > 1 or uploads[0].name.lower().endswith(".zip")
    result = run_action("hand_in", hand_ins.hand_in_files, member, st.session_state[ASSIGNMENT_KEY],
                        [(upload.name, upload.getvalue()) for upload in uploads],
                        success="Thank you: your notebooks are handed in and kept." if several
                        else "Thank you: your notebook is handed in and kept.")
    if result is not FAILED:
        st.session_state[state.HAND_IN_ROUND] += 1  # a fresh, empty file picker


upload_key = state.widget_key("hand_in_file", st.session_state[state.HAND_IN_ROUND])
several_notebooks = len(adapter.notebook_names(assignment)) > 1
st.file_uploader("Your notebook (a file ending in .ipynb)" if not several_notebooks else
                 "Your notebooks (files ending in .ipynb: choose them all at once, or one .zip of them)",
                 type=["ipynb", "zip"], key=upload_key, accept_multiple_files=True,
                 help="In Jupyter: File, then Download (or Save and find the file on your computer). "
                      "For an assignment of several notebooks, hand them in together.")
show_error("hand_in")
st.button("Hand in", type="primary", on_click=_hand_in, icon=":material/upload_file:")


def _read_mine():
    with reading() as session:
        mine = hand_ins.my_hand_ins(session, member, assignment)
        ahead = grading_jobs.jobs_ahead(session, mine[0].id) if mine and mine[0].waiting else 0
    return mine, ahead


mine, ahead = _read_mine()


def your_results() -> None:
    current, queue = _read_mine()
    if not current:
        st.write(f"You have not handed in {assignment} yet.")
        return
    latest = current[0]
    st.subheader("Your latest hand-in")
    st.text(headline(latest))
    show_result(latest, ahead=queue, self_study=self_study)
    if len(current) > 1:
        with st.expander(f"Earlier hand-ins ({len(current) - 1}), all kept"):
            st.text("\n".join(headline(view) for view in current[1:]))
    if mine and mine[0].waiting and not latest.waiting:
        st.rerun()  # graded: redraw the whole page once, and stop polling


# Poll only while the newest hand-in waits for a grader.
st.fragment(run_every=POLL_SECONDS if mine and mine[0].waiting else None)(your_results)()


def _mark_myself(hand_in_id: int, grade_id: str, key: str) -> None:
    run_action(f"self_mark_{grade_id}", gradebook.mark_written_answer, member, hand_in_id, grade_id,
               float(st.session_state[key]), success="Your mark is saved.")


if self_study and mine and mine[0].state == "graded":
    latest = mine[0]
    models = {q.grade_id: q for q in adapter.written_questions(assignment)}
    written = [c for c in latest.checks if c.kind == "manual"]
    if written:
        st.header("Check your written answers")
        st.write("Nobody else reads your written answers here, so you mark them yourself: compare yours with "
                 "what the course looks for, then give yourself a mark. Your certificate says which marks you "
                 "gave yourself.")
    for check in written:
        st.subheader(check.title)
        st.caption("Your answer")
        st.text(check.answer or "(no answer written)")
        if check.grade_id in models and models[check.grade_id].model_answer:
            st.caption("What a good answer has (the course's own marking guide)")
            st.text(models[check.grade_id].model_answer)
        key = state.widget_key("self_mark", latest.id, check.grade_id)
        show_error(f"self_mark_{check.grade_id}")
        with st.form(f"self_mark_form_{check.grade_id}"):
            st.number_input(f"My mark for {check.title} (0 to {check.max_score:g})", min_value=0.0,
                            max_value=float(check.max_score), step=0.5, key=key,
                            value=float(check.score or 0.0))
            st.form_submit_button(f"Save my mark for {check.title}", on_click=_mark_myself,
                                  args=(latest.id, check.grade_id, key))


if self_study and mine and mine[0].state == "graded":
    st.header("Your certificate")
    with reading() as session:
        made = gradebook.my_certificate(session, member)
    if member.handle in made.pdfs:
        st.write("Well done: you have earned a certificate. It names any marks you gave yourself.")
        st.download_button("Download my certificate (PDF)", made.pdfs[member.handle],
                           file_name=f"certificate-{member.handle}.pdf", mime="application/pdf",
                           icon=":material/workspace_premium:", on_click="ignore")
    else:
        st.write(f"Not yet: {made.not_earned.get(member.handle, 'nothing graded yet.')}")
