"""Observe the session (observers and the trainer): the scripted timeline, the feed as
learners see it (read-only here), and timestamped notes for the after-action review."""
from __future__ import annotations

import streamlit as st

from sandbox.services import feed
from sandbox.ui import db, state
from sandbox.ui.components.notes import note_form, notes_table
from sandbox.ui.components.posts import meta_line
from sandbox.ui.components.text import inject_css, learner_block, md_escape
from sandbox.ui.db import reading, utc_now
from sandbox.ui.pages.console_common import keep_room_alive, require_console_viewer

FEED_POSTS = 10
REPLIES = 20

viewer, workshop = require_console_viewer()
inject_css()

st.title("Observe and take notes")
state.show_flash()
st.write(f"Workshop: {md_escape(workshop.title)}. You can watch the room and write notes; the notes appear "
         "beside their scripted step in the after-action review. Nothing here changes the room.")
problem = keep_room_alive(workshop)
if problem:
    st.caption(problem)
timeline = db.room(workshop).timeline(utc_now())
with reading() as session:
    posts = feed.list_feed(session, viewer, limit=FEED_POSTS).items
    threads = {post.id: feed.get_thread(session, viewer, post.id, limit=REPLIES) for post in posts
               if post.reply_count}

st.header("Add a note")
note_form(viewer, timeline.steps, posts)

st.header("Notes so far")
notes_table(workshop.id, timeline.steps)

st.header("Scripted steps")
clock = f"minute {int(timeline.minutes)}" if timeline.minutes is not None else "not started"
st.caption(f"Session clock: {clock}. {timeline.released} released, {timeline.skipped} skipped.")
st.table([{"Minute": step.inject.at_minute, "Who": step.who, "Status": step.status} for step in timeline.steps])

st.header("The feed, newest first")
st.caption(f"The latest {FEED_POSTS} posts with their replies, as learners see them.")
for post in posts:
    learner_block(post.html, meta=meta_line(post), label=f"Post by {post.author_name}")
    for reply in threads[post.id].replies if post.id in threads else ():
        learner_block(reply.html, meta=meta_line(reply), css_class="io-card io-reply",
                      label=f"Reply by {reply.author_name}")
