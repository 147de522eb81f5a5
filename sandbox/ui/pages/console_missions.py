"""Trainer console: learners and missions. Who has done what, as a sentence, a chart and tables."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from sandbox.services import workshops
from sandbox.simulation import evaluate
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components import charts
from sandbox.ui.pages.console_common import keep_room_alive, mission_index, require_console_trainer, room, scenario

REFRESH_SECONDS = 15
RETURN_CODE_FORM = "new_return_code"

trainer, workshop = require_console_trainer()
current_scenario = scenario(workshop)
missions = sorted(current_scenario.missions, key=lambda mission: (mission.module, mission.id))

st.title("Learners and missions")
st.write("Each mission ticks off by itself when a learner's activity shows it is done.")


def _cell(progress) -> str:
    if progress.done:
        return "✓ done"
    if progress.counted:
        return progress.summary()
    return "not yet"


@st.fragment(run_every=REFRESH_SECONDS)
def matrix() -> None:
    problem = keep_room_alive(workshop)
    if problem:
        st.caption(problem)
    current = room(workshop)
    learners = current.learners()
    if not learners:
        st.write("No learners have joined yet.")
        return
    index = mission_index(workshop)
    progress = {learner.handle: {mission.id: evaluate(mission, learner.handle, index) for mission in missions}
                for learner in learners}
    done_by = {mission.id: sum(progress[l.handle][mission.id].done for l in learners) for mission in missions}
    finished = [sum(p.done for p in progress[l.handle].values()) for l in learners]
    average = sum(finished) / len(finished)
    most = max(missions, key=lambda mission: done_by[mission.id])
    untouched = sum(1 for mission in missions if done_by[mission.id] == 0)
    summary = (f"{len(learners)} learners have completed {average:.1f} of {len(missions)} missions on average. "
               f"Most done: “{most.title}” ({done_by[most.id]} of {len(learners)}). "
               + (f"{untouched} missions not done by anyone yet." if untouched else "Every mission has been done at least once."))
    per_mission = pd.DataFrame({
        "Mission": [mission.title for mission in missions],
        "Module": [mission.module for mission in missions],
        "Learners done": [done_by[mission.id] for mission in missions],
    })
    chart = alt.Chart(per_mission).mark_bar().encode(
        x=alt.X("Learners done:Q", axis=alt.Axis(tickMinStep=1), scale=alt.Scale(domain=[0, len(learners)])),
        y=alt.Y("Mission:N", sort=None, title=None),
    )
    charts.section("Missions done", summary, chart, per_mission, bars=len(missions))

    st.subheader("Learner by mission")
    st.caption("Missions in module order. Scroll sideways to see them all (the table takes keyboard focus).")
    columns = [(mission.id, f"{mission.module}. {mission.title}") for mission in missions]
    rows = [
        (learner.display_name or learner.handle,
         [f"{count} of {len(missions)}"] + [_cell(progress[learner.handle][mission.id]) for mission in missions])
        for learner, count in zip(learners, finished)
    ]
    charts.mission_matrix([("done", "Missions done"), *columns], rows)

matrix()


def _new_return_code() -> None:
    chosen = st.session_state.get(state.widget_key("return_code_for"))
    if chosen is None:
        return
    code = run_action(RETURN_CODE_FORM, workshops.new_return_code, trainer, chosen[0])
    if code is not FAILED:
        st.session_state[state.ISSUED_RETURN_CODE] = (chosen[1], code)


st.subheader("A learner lost their way?")
st.write("A learner on another browser or computer comes back as themselves with the join code, "
         "their display name and their return code. Give them a new code here (the old one stops "
         "working) and tell it to them in person.")
show_error(RETURN_CODE_FORM)
issued = st.session_state.pop(state.ISSUED_RETURN_CODE, None)
if issued:
    st.success(f"New return code for {issued[0]}: **{issued[1]}** (shown only now).", icon=":material/key:")
learners = room(workshop).learners()
if learners:
    with st.form("return_code_form"):
        st.selectbox("Learner", [(l.handle, l.display_name) for l in learners],
                     format_func=lambda pair: pair[1], key=state.widget_key("return_code_for"))
        st.form_submit_button("Give a new return code", on_click=_new_return_code)
else:
    st.caption("No learners have joined yet.")
