"""The learner's next step: the "Your next mission" card on the feed, and one line in
the sidebar of every page, so nobody is left wondering what to do.

Progress comes from the room's missions' index of the activity log (built once per
change of the log and shared by every session), never from the page.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from sandbox.errors import InsideOutError
from sandbox.simulation.missions import evaluate, next_mission
from sandbox.store.models import Member, Workshop
from sandbox.ui import db, state
from sandbox.ui.components.text import md_escape
from sandbox.ui.db import reading

MISSIONS_PAGE = "ui/pages/missions.py"
HAND_IN_PAGE = "ui/pages/hand_in.py"
SELF_STUDY_WELCOME = ("You are practising on your own: the colleagues here are simulated, and they "
                      "answer. Ask a question on the feed and one of them replies within a minute.")


@dataclass(frozen=True)
class NextStep:
    title: str  # the mission's title, or "" when every mission is done
    hint: str
    module: int | None
    progress: str  # "1 of 2 steps"
    done: int
    total: int
    self_study: bool


def next_step(member: Member) -> NextStep | None:
    """What ``member`` should try next; None for the trainer or when the scenario is broken."""
    if member.kind != "learner":
        return None
    with reading() as session:
        workshop = session.get(Workshop, member.workshop_id)
    if workshop is None:
        return None
    try:
        room = db.room(workshop)
        missions = room.scenario.missions
        index = room.mission_index()
    except InsideOutError:
        return None  # the trainer sees the scenario's problem; a learner just gets no card
    found = next_mission(missions, member.handle, index)
    self_study = workshop.mode == "self-study"
    if found is None:
        return NextStep("", "", None, "", len(missions), len(missions), self_study)
    mission, progress = found
    done = sum(1 for item in missions if item.id != mission.id and evaluate(item, member.handle, index).done)
    return NextStep(mission.title, progress.hint, mission.module, progress.summary(), done, len(missions), self_study)


def this_runs_step(member: Member) -> NextStep | None:
    """The next step worked out once per page run (the sidebar and the feed's card share it)."""
    key = state.NEXT_STEP
    cached = st.session_state.get(key)
    if cached is None or cached[0] != st.session_state.get(state.RUN_COUNT):
        cached = (st.session_state.get(state.RUN_COUNT), next_step(member))
        st.session_state[key] = cached
    return cached[1]


def mission_card(member: Member) -> None:
    """'Your next mission' at the top of the feed (and, in self-study, the welcome that stays)."""
    step = this_runs_step(member)
    if step is None:
        return
    with st.container(border=True, key="io_next_mission", gap="small"):
        if step.self_study:
            st.markdown(f"**Welcome, {md_escape(member.display_name)}.** {SELF_STUDY_WELCOME}")
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            if step.title:
                st.markdown(f":material/flag: **Your next mission:** {md_escape(step.title)} "
                            f"(module {step.module}). Next: {md_escape(step.hint)} "
                            f"· {step.done} of {step.total} missions done", width="stretch")
                st.page_link(MISSIONS_PAGE, label="All missions", icon=":material/arrow_forward:")
            else:
                st.markdown(f":material/celebration: **Every mission is done** ({step.total} of {step.total}). "
                            "Next: hand in your workbook notebook.", width="stretch")
                st.page_link(HAND_IN_PAGE, label="Hand in a notebook", icon=":material/arrow_forward:")


def sidebar_next_step(member: Member) -> None:
    """One line in the sidebar of every page: the next mission, or the hand-in."""
    st.session_state[state.RUN_COUNT] = st.session_state.get(state.RUN_COUNT, 0) + 1  # app.py calls this once a run
    step = this_runs_step(member)
    if step is None:
        return
    with st.sidebar:
        if step.title:
            st.markdown(f"**Your next step:** {md_escape(step.title)}")
            st.caption(md_escape(step.hint))
        else:
            st.markdown("**Your next step:** hand in your workbook notebook.")
