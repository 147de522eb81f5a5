"""Trainer console: observers and their notes.

The trainer issues each co-trainer an observer key (shown once: only its hash is
kept). With it they sign in on "Observer sign-in" and get a read-only console:
the feed, the dashboard and a notes form. The trainer can add notes here too.
Every note goes beside its scripted step in the after-action review
("Export and debrief").
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import feed, observers
from sandbox.ui import db, state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.notes import note_form, notes_table
from sandbox.ui.components.text import md_escape
from sandbox.ui.db import reading, utc_now
from sandbox.ui.pages.console_common import require_console_trainer

NAME_KEY = state.widget_key("observer_name")
ISSUED_KEY = state.widget_key("observer_issued")

trainer, workshop = require_console_trainer()


def _issue() -> None:
    issued = run_action("issue", observers.issue_key, trainer, st.session_state.get(NAME_KEY, ""),
                        success="Observer added. Pass them the key below.")
    if issued is not FAILED:
        st.session_state[ISSUED_KEY] = (issued.member.display_name, issued.key)
        st.session_state[NAME_KEY] = ""


st.title("Observers and notes")
state.show_flash()
st.write(f"Workshop: {md_escape(workshop.title)} · join code {workshop.code}")

st.header("Add an observer")
st.write("An observer is a co-trainer who watches and takes notes. They sign in on the "
         "“Observer sign-in” page with the join code and their own key. They can see the feed and the "
         "live dashboard but cannot post, reset or moderate.")
show_error("issue")
with st.form("issue_form"):
    st.text_input("The observer's name", key=NAME_KEY, max_chars=60)
    st.form_submit_button("Make an observer key", type="primary", on_click=_issue)
issued = st.session_state.get(ISSUED_KEY)
if issued:
    name, key = issued
    st.success(f"The key for {md_escape(name)}. Copy it now: it is shown only once.", icon=":material/key:")
    st.code(key, language=None)

with reading() as session:
    people = observers.list_observers(session, workshop.id)
    posts = feed.list_feed(session, trainer, limit=10).items
st.caption("Observers so far: " + (", ".join(person.display_name for person in people) or "none") + ".")

timeline = db.room(workshop).timeline(utc_now())
st.header("Add a note")
note_form(trainer, timeline.steps, posts)
st.header("Notes so far")
notes_table(workshop.id, timeline.steps)
