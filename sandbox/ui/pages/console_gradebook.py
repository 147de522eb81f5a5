"""Trainer console: the gradebook. Learner by assignment, deadlines, marking, exports, certificates.

Files are made when a download button is clicked (``on_click="ignore"``: no rerun),
from the store, by the same service code the tests check.
"""
from __future__ import annotations

from datetime import time

import streamlit as st

from sandbox.services import grading as adapter
from sandbox.services import gradebook as gradebook_service
from sandbox.services import hand_ins
from sandbox.store import read_session
from sandbox.ui import state
from sandbox.ui.actions import run_action, show_error
from sandbox.ui.components import charts
from sandbox.ui.components.hand_in_view import show_result
from sandbox.ui.components.text import clock_time, from_reader_clock, reader_date, zone_name
from sandbox.ui.db import engine, reading, utc_now
from sandbox.ui.pages.console_common import require_console_trainer

REFRESH_SECONDS = 10
DEADLINE_ASSIGNMENT = state.widget_key("gb_deadline_assignment")
DEADLINE_DAY = state.widget_key("gb_deadline_day")
DEADLINE_TIME = state.widget_key("gb_deadline_time")
PICK_LEARNER = state.widget_key("gb_learner")
PICK_ASSIGNMENT = state.widget_key("gb_assignment")
DEADLINE_FORMAT = "%d %B %Y, %H:%M"  # the zone's name follows

trainer, workshop = require_console_trainer()
store = engine()


def _book():
    with read_session(store) as session:
        return gradebook_service.gradebook(session, trainer)


st.title("Gradebook")
state.show_flash()
st.write("Learners hand in notebooks on the **Hand in a notebook** page; each is graded at once. "
         "The latest hand-in counts. Written answers wait for your mark below.")


@st.fragment(run_every=REFRESH_SECONDS)
def table() -> None:
    book = _book()
    if not book.learners:
        st.write("No learners have joined yet.")
        return
    shown = [a for a in book.assignments
             if book.deadlines.get(a) or any(book.cell(l, a).latest for l in book.learners)]
    if not shown:
        st.write("Nobody has handed in a notebook yet.")
        return
    handed = sum(1 for l in book.learners for a in shown if book.cell(l, a).latest)
    to_mark = sum(1 for l in book.learners for a in shown if book.cell(l, a).status == "to mark")
    st.write(f"{len(book.learners)} learners; {handed} assignment hand-ins counted; "
             f"{to_mark} wait for your mark. Each cell: score, written points to mark, late or not, hand-ins.")
    charts.mission_matrix([(a, a) for a in shown],
                          [(l.display_name, [book.cell(l, a).text for a in shown]) for l in book.learners],
                          label="Learner by assignment")


table()
book = _book()

st.header("Deadlines")
st.write("After its deadline, a learner who has handed in cannot hand in again; a first hand-in is "
         f"still taken and shown as late. Times are on your clock ({zone_name()}).")
if book.deadlines:
    st.text("\n".join(f"{a}: {clock_time(d, fmt=DEADLINE_FORMAT)}" for a, d in sorted(book.deadlines.items()) if d))


def _set_deadline(remove: bool = False) -> None:
    moment = None
    if not remove:
        moment = from_reader_clock(st.session_state[DEADLINE_DAY], st.session_state[DEADLINE_TIME])
    run_action("deadline", gradebook_service.set_deadline, trainer, st.session_state[DEADLINE_ASSIGNMENT],
               moment, success="Deadline removed." if remove else "Deadline saved.")


show_error("deadline")
with st.form("deadline_form"):
    st.selectbox("Assignment", book.assignments, key=DEADLINE_ASSIGNMENT, format_func=adapter.assignment_label)
    day_column, time_column = st.columns(2)
    day_column.date_input("Day", key=DEADLINE_DAY, value=reader_date(utc_now()))
    time_column.time_input(f"Time ({zone_name()})", key=DEADLINE_TIME, value=time(17, 0))
    st.form_submit_button("Save the deadline", on_click=_set_deadline)
st.button("Remove this assignment's deadline", on_click=_set_deadline, kwargs={"remove": True})

st.header("A learner's hand-in and written answers")
if not book.learners:
    st.write("No learners have joined yet.")
else:
    names = {l.id: l.display_name for l in book.learners}
    learner_id = st.selectbox("Learner", list(names), format_func=names.get, key=PICK_LEARNER)
    assignment = st.selectbox("Assignment", book.assignments, key=PICK_ASSIGNMENT,
                              format_func=adapter.assignment_label)
    learner = next(l for l in book.learners if l.id == learner_id)
    cell = book.cell(learner, assignment)
    if cell.latest is None:
        st.write(f"{learner.display_name} has not handed in {assignment}.")
    else:
        with reading() as session:
            view = hand_ins.get_hand_in(session, trainer, cell.latest.id)
        st.caption(f"Latest of {cell.hand_ins} hand-in(s)" + (", late." if view.late else "."))
        show_result(view, for_trainer=True)
        for check in view.checks:
            if check.kind != "manual" or view.state != "graded":
                continue
            form = f"mark_{view.id}_{check.grade_id}"
            mark_key = state.widget_key("gb_mark", view.id, check.grade_id)
            comment_key = state.widget_key("gb_comment", view.id, check.grade_id)

            def _save(hand_in_id=view.id, grade_id=check.grade_id, form=form, mark_key=mark_key,
                      comment_key=comment_key):
                run_action(form, gradebook_service.mark_written_answer, trainer, hand_in_id, grade_id,
                           float(st.session_state[mark_key]), st.session_state[comment_key],
                           success="Mark saved: the learner sees it now.")

            st.subheader(f"Mark: {check.title}")
            show_error(form)
            with st.form(form):
                st.number_input(f"Mark for {check.title} (0 to {check.max_score:g})", min_value=0.0,
                                max_value=float(check.max_score), step=0.5, key=mark_key,
                                value=float(check.score or 0.0))
                st.text_area("Comment for the learner (optional)", key=comment_key, value=check.comment)
                st.form_submit_button(f"Save the mark for {check.title}", on_click=_save)

st.header("Exports and certificates")
st.write("grades.csv has the columns insideout grade writes. The Moodle and Canvas files import into "
         "their gradebooks: the sandbox knows display names, not e-mail addresses or student numbers, "
         "so put those in the identifier columns (or map the sandbox handle) before importing.")
stamp = utc_now().strftime("%Y%m%d-%H%M")


def _export(kind: str):
    def make() -> bytes:
        book_now = _book()
        render = {"grades": gradebook_service.grades_csv, "moodle": gradebook_service.moodle_csv,
                  "canvas": gradebook_service.canvas_csv}[kind]
        return render(book_now).encode("utf-8")
    return make


columns = st.columns(3)
for column, (kind, label) in zip(columns, [("grades", "grades.csv"), ("moodle", "Moodle CSV"),
                                            ("canvas", "Canvas CSV")]):
    with column:
        st.download_button(f"Download {label}", _export(kind), file_name=f"{kind}-{workshop.code}-{stamp}.csv",
                           mime="text/csv", icon=":material/download:", on_click="ignore")


st.subheader("Certificates")
st.write("A certificate needs every handed-in assignment graded, written answers marked, and at least "
         "60% of all points (the same rule as insideout certificates).")
if st.button("Make the certificates", icon=":material/workspace_premium:"):
    with read_session(store) as session:
        parts = {l.handle: gradebook_service.self_assessed_parts(session, trainer, l.id) for l in book.learners}
    made = gradebook_service.certificates(_book(), self_assessed=parts)
    names = {l.handle: l.display_name for l in book.learners}
    if made.zip_bytes:
        st.success(f"{len(made.made)} certificate(s) made: " + ", ".join(names[h] for h in made.made) + ".")
        st.download_button("Download the certificates (a ZIP of PDFs)", made.zip_bytes,
                           file_name=f"certificates-{workshop.code}-{stamp}.zip", mime="application/zip",
                           icon=":material/download:", on_click="ignore")
    else:
        st.info("No certificates yet.")
    if made.not_earned:
        st.text("\n".join(f"{names.get(h, h)}: {why}" for h, why in sorted(made.not_earned.items())))
