"""Missions: what to try next in the sandbox, each linked to a course module.

Progress is computed from the activity log on every run (never kept in the
browser). Missions are recorded as ``mission.complete`` where activity is
recorded (the room's write path and the tick), whatever page the learner is on;
this page records only what is still missing (a log from before that, say), and
celebrates what was finished since the tab opened and not celebrated yet. The threshold game's question is asked here too: stating a
threshold is the ``state-threshold`` mission.
"""
from __future__ import annotations

import streamlit as st

from exercises.course_modules import module_name
from sandbox.services import workshops
from sandbox.simulation import evaluate
from sandbox.simulation.mission_records import completion_times, record_completed_missions
from sandbox.store.models import Member, Workshop
from sandbox.ui import state
from sandbox.ui.actions import run_action, show_error
from sandbox.ui.celebrations import CELEBRATION_ICON, celebrate, not_yet_celebrated
from sandbox.ui.db import reading, utc_now, writing
from sandbox.ui.pages.console_common import mission_index, scenario
from sandbox.ui.pages_common import require_member
from sandbox.ui.simulation import release_due

THRESHOLD_KEY = state.widget_key("threshold")

member = require_member()

with reading() as session:
    workshop = session.get(Workshop, member.workshop_id)
    me = session.get(Member, member.id)
current_scenario = scenario(workshop)

st.title("Missions")
state.show_flash()

if member.kind == "trainer":
    st.write("Missions are for learners. You can see everyone's progress on "
             "the console's **Learners and missions** page.")
    st.stop()


REFRESH_SECONDS = 10


@st.fragment(run_every=REFRESH_SECONDS)
def your_missions() -> None:
    """Progress, re-read every few seconds: a colleague's reply can finish a mission."""
    release_due(member)  # a colleague's reply can finish a mission: it is recorded and flashed
    state.show_flash()
    index = mission_index(workshop)
    progress = [(mission, evaluate(mission, member.handle, index)) for mission in current_scenario.missions]
    done_ids = [mission.id for mission, result in progress if result.done]
    with reading() as session:
        recorded = completion_times(session, me)
    missing = [mission_id for mission_id in done_ids if mission_id not in recorded]
    if missing:
        # Finished in a way no write path saw (a log from before, say): record it now.
        with writing() as session:
            recorded.update(dict.fromkeys(record_completed_missions(session, me, missing, now=utc_now()),
                                          utc_now()))
    by_id = {mission.id: mission for mission in current_scenario.missions}
    # Finished since this tab opened (by someone else's reply, say) and not celebrated yet.
    # No st.balloons: its animation images have no text alternative (axe image-alt).
    for mission_id in not_yet_celebrated(recorded):
        message = celebrate([by_id[mission_id]]) if mission_id in by_id else ""
        if message:
            st.success(message, icon=CELEBRATION_ICON)
    total = len(progress)
    st.progress(len(done_ids) / total if total else 0.0,
                text=f"You have completed {len(done_ids)} of {total} missions.")
    st.write("Each mission is something to try in the sandbox. It ticks itself off when "
             "the activity shows you did it; the number says which course module it belongs to.")
    st.header("Your missions")
    for mission, result in sorted(progress, key=lambda item: (item[0].module, item[0].id)):
        with st.container(border=True):
            mark = "✓ Done" if result.done else result.summary()
            st.markdown(f"**{mission.title}** · {module_name(mission.module)} · {mark}")
            st.write(mission.description)
            if not result.done:
                st.caption(f"Next: {result.hint}")


your_missions()


def _state_threshold() -> None:
    run_action("threshold", workshops.set_threshold, me, int(st.session_state[THRESHOLD_KEY]),
               success="Thank you. Your threshold is saved.")


st.header("The threshold game")
st.write("Imagine the organisation starts using this network for real. "
         "How many of your colleagues would need to be using it before you joined in?")
if me.threshold is not None:
    st.info(f"Your answer: you would join once {me.threshold}% have. You can change it.",
            icon=":material/how_to_reg:")
show_error("threshold")
with st.form("threshold_form"):
    st.slider("I'll join once this percentage of my colleagues have (0 means I'd go first)",
              min_value=0, max_value=100, step=1, key=THRESHOLD_KEY,
              value=me.threshold if me.threshold is not None else 30, format="%d%%")
    st.form_submit_button("Save my threshold", type="primary", on_click=_state_threshold)
