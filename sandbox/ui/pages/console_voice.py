"""Trainer console: speak as a colleague. Post, reply and react as any simulated colleague
of the scenario, to steer a quiet room.

Learners see only the colleague; the activity log marks these rows as driven by the
trainer, so the after-action review and the export tell them apart.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import feed, trainer_voice
from sandbox.services.feed import REACTIONS
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.posts import REACTION_NAMES
from sandbox.ui.components.text import md_escape, on_reader_clock, time_column
from sandbox.ui.db import reading
from sandbox.ui.pages.console_common import clear_caches, require_console_trainer, room

AS_KEY = state.widget_key("voice_as")
BODY_KEY = state.widget_key("voice_body")
QUESTION_KEY = state.widget_key("voice_question")
POST_KEY = state.widget_key("voice_post")
REPLY_KEY = state.widget_key("voice_reply")
REACTION_KEY = state.widget_key("voice_reaction")
RECENT = 15

trainer, workshop = require_console_trainer()


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _post() -> None:
    values = st.session_state
    if run_action("voice_post", trainer_voice.post_as, trainer, values.get(AS_KEY) or "", values.get(BODY_KEY, ""),
                  question=bool(values.get(QUESTION_KEY)), success="Posted as your colleague.") is not FAILED:
        values[BODY_KEY] = ""
        clear_caches()


def _reply() -> None:
    values = st.session_state
    if values.get(POST_KEY) is None:
        st.session_state.setdefault(state.ERRORS, {})["voice_answer"] = "Choose the post to answer first."
        return
    if run_action("voice_answer", trainer_voice.reply_as, trainer, values.get(AS_KEY) or "", values[POST_KEY],
                  values.get(REPLY_KEY, ""), success="Replied as your colleague.") is not FAILED:
        values[REPLY_KEY] = ""
        clear_caches()


def _react() -> None:
    values = st.session_state
    if values.get(POST_KEY) is None:
        st.session_state.setdefault(state.ERRORS, {})["voice_answer"] = "Choose the post to answer first."
        return
    added = run_action("voice_answer", trainer_voice.react_as, trainer, values.get(AS_KEY) or "", values[POST_KEY],
                       values.get(REACTION_KEY) or "like")
    if added is not FAILED:
        state.flash("Reaction added as your colleague." if added else "Reaction taken back.")
        clear_caches()


st.title("Speak as a colleague")
state.show_flash()
st.write(f"Workshop: {md_escape(workshop.title)}. When the room is quiet, post, reply or react as one of the "
         "scenario's colleagues. Learners see only the colleague; the log marks it as yours, so the "
         "after-action review and the export can tell it apart.")

with reading() as session:
    people = trainer_voice.colleagues(session, workshop.id)
    posts = feed.list_feed(session, trainer, limit=RECENT).items
if not people:
    st.info("This workshop has no simulated colleagues (its scenario has no personas).")
    st.stop()
names = {person.handle: f"{person.display_name} ({person.department})" if person.department
         else person.display_name for person in people}
st.selectbox("Speak as", list(names), format_func=names.get, key=AS_KEY)

st.header("Write a post")
show_error("voice_post")
with st.form("voice_post_form"):
    st.text_area("The post", key=BODY_KEY, height=110,
                 help="Markdown works. Add #tags; @handle mentions a colleague.")
    st.checkbox("Ask it as a question", key=QUESTION_KEY)
    st.form_submit_button("Post as this colleague", type="primary", on_click=_post)

st.header("Answer a post")
show_error("voice_answer")
labels = {post.id: f"{post.author_name}: {_short(post.body)}" for post in posts}
st.selectbox("Post", list(labels), format_func=labels.get, key=POST_KEY, index=None,
             placeholder="Choose one of the latest posts")
with st.form("voice_reply_form"):
    st.text_area("The reply", key=REPLY_KEY, height=90)
    st.form_submit_button("Reply as this colleague", on_click=_reply)
with st.form("voice_react_form"):
    st.selectbox("Reaction", list(REACTIONS), key=REACTION_KEY,
                 format_func=lambda name: f"{REACTIONS[name]} {REACTION_NAMES.get(name, name)}")
    st.form_submit_button("React as this colleague", on_click=_react)

st.header("What you said as colleagues")
snapshot = room(workshop)
driven = [row for row in snapshot.activities if row.driven_by == "trainer" and row.verb != "post.mention"]
what = {"post.create": "posted", "post.reply": "replied", "post.react": "reacted"}
current = snapshot.names()
if driven:
    st.table([{time_column(): f"{on_reader_clock(row.at):%H:%M:%S}", "As": current.get(row.actor, row.actor),
               "What": what.get(row.verb, row.verb), "Post": row.object_id} for row in reversed(driven)])
else:
    st.write("Nothing yet in this session.")
