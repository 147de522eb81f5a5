"""Observers' notes: the form to add one (about a scripted step, a post or this moment)
and the list of the workshop's notes. Used by the observer's page and the trainer's."""
from __future__ import annotations

import streamlit as st

from sandbox.services import observers
from sandbox.services.feed import PostView
from sandbox.simulation.timeline import TimelineStep
from sandbox.store.models import Member
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.text import on_reader_clock, time_column
from sandbox.ui.db import reading

ABOUT_KEY = state.widget_key("note_about")
STEP_KEY = state.widget_key("note_step")
POST_KEY = state.widget_key("note_post")
BODY_KEY = state.widget_key("note_body")
ABOUT = {"inject": "A scripted step", "post": "A post in the feed", "moment": "This moment"}


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _add(member: Member, step_ids: frozenset[str]) -> None:
    values = st.session_state
    about = values.get(ABOUT_KEY) or "moment"
    result = run_action("note", observers.add_note, member, values.get(BODY_KEY, ""), about=about,
                        inject_id=values.get(STEP_KEY) if about == "inject" else None,
                        post_id=values.get(POST_KEY) if about == "post" else None,
                        inject_ids=step_ids, success="Your note is saved, with the time.")
    if result is not FAILED:
        values[BODY_KEY] = ""


def note_form(member: Member, steps: list[TimelineStep], posts: list[PostView]) -> None:
    """The form: what the note is about, then the note. Stamped with the time it is saved."""
    st.radio("What is the note about?", list(ABOUT), format_func=ABOUT.get, horizontal=True, key=ABOUT_KEY)
    about = st.session_state.get(ABOUT_KEY) or "inject"
    show_error("note")
    with st.form("note_form"):
        if about == "inject":
            labels = {step.inject.id: f"Minute {step.inject.at_minute:g}: {step.who} ({step.status})" for step in steps}
            st.selectbox("Scripted step", list(labels), format_func=labels.get, key=STEP_KEY,
                         index=None, placeholder="Choose a step")
        elif about == "post":
            labels = {post.id: f"{post.author_name}: {_short(post.body)}" for post in posts}
            st.selectbox("Post", list(labels), format_func=labels.get, key=POST_KEY,
                         index=None, placeholder="Choose a post")
        st.text_area("Your note", key=BODY_KEY, height=100, max_chars=observers.NOTE_LIMIT,
                     help="What you saw: who did what, how the room reacted. It is saved with the time.")
        st.form_submit_button("Add the note", type="primary", on_click=_add,
                              args=(member, frozenset(step.inject.id for step in steps)))


def notes_table(workshop_id: int, steps: list[TimelineStep]) -> None:
    """Every note so far, newest first."""
    with reading() as session:
        notes = observers.list_notes(session, workshop_id)
    if not notes:
        st.write("No notes yet.")
        return
    names = {step.inject.id: f"step at minute {step.inject.at_minute:g} ({step.who})" for step in steps}

    def about(note: observers.Note) -> str:
        if note.about == "inject":
            return names.get(note.inject_id, f"step {note.inject_id}")
        if note.about == "post":
            return f"post {note.post_id}"
        return f"the moment {note.moment_at:%H:%M:%S}" if note.moment_at else "a moment"

    st.table([{time_column(): f"{on_reader_clock(note.written_at):%H:%M:%S}", "By": note.author, "About": about(note),
               "Note": note.body} for note in reversed(notes)])
