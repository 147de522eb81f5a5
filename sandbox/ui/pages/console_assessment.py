"""Trainer console: the self-assessment's two rounds.

Learners are offered the "before" round from joining. Here the trainer opens
the "after" round for the whole room (an ``assessment.open`` activity row) and
sees how many have answered or skipped each round. The change itself is on the
live dashboard and in the debrief report.
"""
from __future__ import annotations

import streamlit as st

from sandbox.metrics.wording import plural
from sandbox.services import assessment
from sandbox.ui import state
from sandbox.ui.actions import run_action, show_error
from sandbox.ui.db import reading
from sandbox.ui.pages.console_common import require_console_trainer

FORM = "assessment_open"

trainer, workshop = require_console_trainer()

st.title("Self-assessment rounds")
state.show_flash()
st.write("The same short self-assessment (five confidence statements, six quick questions) is offered "
         "twice: when a learner joins, and at the end, once you open the 'after' round. The live "
         "dashboard and the debrief report show the change, counting only learners who answered both. "
         "The questions and what each wrong answer shows are in the course: trainers' guide, "
         "'Before and after: a self-assessment'.")


def _open_after() -> None:
    run_action(FORM, assessment.open_after_round, trainer,
               success="The 'after' round is open: every learner now sees it at the top of their pages.")


with reading() as session:
    rooms = assessment.room_rounds(session, workshop.id)

rows = {
    "Round": ["Before (from joining)", "After (at the end)"],
    "Answered": [rooms.answered["before"], rooms.answered["after"]],
    "Skipped": [rooms.skipped["before"], rooms.skipped["after"]],
}
st.table(rows)
st.caption(f"{plural(rooms.learners, 'learner')} in the room.")

show_error(FORM)
if rooms.after_open:
    st.success("The 'after' round is open.", icon=":material/check_circle:")
else:
    if workshop.mode == "self-study":
        st.write("In a self-study workshop the 'after' round opens by itself for each learner who has "
                 "completed every mission. You can also open it for everyone now.")
    else:
        st.write("Open it near the end, after the last module, and give people about four minutes.")
    st.button("Open the 'after' round", type="primary", on_click=_open_after,
              key=state.widget_key("assessment_open_after"))
