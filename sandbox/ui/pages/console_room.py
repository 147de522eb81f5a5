"""Trainer console: run the session. Phase, the session clock, the inject timeline, reset.

The timeline lists the scenario's scripted injects (what simulated colleagues
do, and when) with whether each has been released. The clock can be started,
paused and resumed; while it is paused no inject is released, though simulated
colleagues still answer learners.
"""
from __future__ import annotations

import streamlit as st

from sandbox.activity import VERBS
from sandbox.services import workshops
from sandbox.simulation import clock as session_clock
from sandbox.ui import db, state
from sandbox.ui.components.text import md_escape
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.db import utc_now
from sandbox.ui.pages.console_common import clear_caches, keep_room_alive, require_console_trainer, scenario

# Phase id -> what the trainer sees. The phase is a label for the room, shown to the
# trainer; it does not switch features on or off.
PHASES = {
    "open": "Joining: learners arrive and accept the usage policy",
    "practice": "Practice: missions and free play",
    "threshold-game": "Threshold game: everyone states their threshold",
    "debrief": "Debrief: the dashboard on the projector",
    "closed": "Closed: the session is over",
}
PHASE_KEY = state.widget_key("console_phase")
RESET_KEY = state.widget_key("console_reset_code")
INJECT_KEY = state.widget_key("console_inject")

trainer, workshop = require_console_trainer()
room = db.room(workshop)
current_scenario = scenario(workshop)

st.title("Run the session")
state.show_flash()
st.write(f"Workshop: {md_escape(workshop.title)} · join code {workshop.code} · "
         f"{'self-study' if workshop.mode == 'self-study' else 'live'} mode · scenario: {current_scenario.title}")

# --- phase ----------------------------------------------------------------------------


def _set_phase() -> None:
    run_action("phase", workshops.set_phase, trainer, st.session_state[PHASE_KEY],
               with_now=False, success="Phase changed.")


st.header("Phase")
phases = list(PHASES)
if workshop.phase not in PHASES:
    phases.append(workshop.phase)
show_error("phase")
st.radio("Where the room is now", phases, index=phases.index(workshop.phase),
         format_func=lambda phase: PHASES.get(phase, phase), key=PHASE_KEY, on_change=_set_phase)

# --- the session clock ----------------------------------------------------------------


def _clock_action(change) -> None:
    run_action("clock", room.change_clock, change, success="Done.")


st.header("Session clock")
now = utc_now()
# Release whatever is due first, so the timeline below shows what really happened.
problem = keep_room_alive(workshop)
if problem:
    st.error(problem, icon=":material/error:")
timeline = room.timeline(now)
show_error("clock")
if workshop.mode == "self-study":
    st.write("In self-study mode each learner has their own clock, starting when they join. "
             "There is no shared clock to pause.")
    minutes = None
else:
    minutes = timeline.minutes
    if minutes is None:
        st.write("The clock has not started. It starts by itself when the first learner joins, "
                 "or now if you start it.")
        st.button("Start the clock now", on_click=_clock_action, args=(session_clock.start_clock,))
    elif timeline.paused:
        st.warning(f"Paused at minute {int(minutes)}. No scripted posts are released until you resume.",
                   icon=":material/pause_circle:")
        st.button("Resume the clock", type="primary", on_click=_clock_action, args=(session_clock.resume_clock,))
    else:
        st.info(f"Running: minute {int(minutes)} of the scenario.", icon=":material/schedule:")
        st.button("Pause the clock", on_click=_clock_action, args=(session_clock.pause_clock,))

# --- the inject timeline --------------------------------------------------------------


def _what(action: str, payload: dict) -> str:
    meaning = VERBS.get(action, action).split(" (")[0]
    text = str(payload.get("text") or payload.get("title") or "").strip()
    if len(text) > 70:
        text = text[:69].rstrip() + "…"
    return f"{meaning}: “{text}”" if text else meaning


st.header("Timeline of scripted posts")
st.write("What the simulated colleagues do, minute by minute from the start of the clock.")
rows = [
    {"Minute": step.inject.at_minute, "Who": step.who, "What": _what(step.inject.action, step.inject.payload),
     "Status": step.status}
    for step in timeline.steps
]
st.caption(f"{timeline.released + timeline.skipped} of {len(rows)} scripted steps done so far: "
           f"{timeline.released} released, {timeline.skipped} skipped." if not timeline.self_study
           else f"{len(rows)} scripted steps per learner.")
if rows:
    st.table(rows)


def _timeline_action(service, success: str) -> None:
    inject_id = st.session_state.get(INJECT_KEY)
    if not inject_id:
        st.session_state.setdefault(state.ERRORS, {})["timeline"] = "Choose a scripted step first."
        return
    if run_action("timeline", service, trainer, inject_id, success=success) is not FAILED:
        clear_caches()


pending = {step.inject.id: step for step in timeline.steps if step.pending}
if not timeline.self_study and pending:
    st.subheader("Release or skip a step")
    st.write("Release a step now if the room is ready for it early; skip one that does not fit your session.")
    show_error("timeline")
    with st.form("timeline_form"):
        st.selectbox("Scripted step", list(pending), key=INJECT_KEY,
                     format_func=lambda inject_id: (f"Minute {pending[inject_id].inject.at_minute:g}: "
                                                    f"{pending[inject_id].who} "
                                                    f"{_what(pending[inject_id].inject.action, pending[inject_id].inject.payload)}"))
        release_column, skip_column = st.columns(2)
        with release_column:
            st.form_submit_button("Release it now", type="primary", on_click=_timeline_action,
                                  args=(room.release, "Released."))
        with skip_column:
            st.form_submit_button("Skip it", on_click=_timeline_action,
                                  args=(room.skip, "Skipped: it will not be released."))

# --- reset ----------------------------------------------------------------------------


def _reset() -> None:
    typed = workshops.normalise_code(st.session_state.get(RESET_KEY, ""))
    if typed != workshop.code:
        st.session_state.setdefault(state.ERRORS, {})["reset"] = (
            "To reset, type the join code exactly as shown above.")
        return
    if run_action("reset", room.reset,
                  success="The workshop is reset: the room is back as new, with the same join code.") is not FAILED:
        clear_caches()
        st.session_state[RESET_KEY] = ""


st.header("Reset the workshop")
st.write("Removes every learner and everything they did (posts, pages, bookmarks, ideas, votes, "
         "the activity log) and puts the scenario's colleagues and starting content back, so the room "
         "is as new. The join code, the title and your trainer key stay. "
         "**This cannot be undone**: download the export first if you need it.")
show_error("reset")
with st.form("reset_form"):
    st.text_input(f"Type the join code ({workshop.code}) to confirm", key=RESET_KEY, max_chars=20)
    st.form_submit_button("Reset the workshop", on_click=_reset)
