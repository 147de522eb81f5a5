"""Trainer console: replay the session minute by minute, for the debrief.

The feed and the dashboard's sentences as they were at the chosen minute, computed
from the log alone (:mod:`sandbox.metrics.replay`); buttons step through the key
moments (each scripted post, each post the trainer wrote as a colleague, the 25% crossing, the first reply across departments).
"""
from __future__ import annotations

import streamlit as st

from sandbox.metrics import compute_dashboard
from sandbox.metrics.replay import at_minute, feed_at, key_moments, log_at, minute_of
from sandbox.metrics.wording import plural
from sandbox.services.post_texts import post_texts
from sandbox.ui import state
from sandbox.ui.components.text import clock_time, md_escape, on_reader_clock
from sandbox.ui.db import reading
from sandbox.ui.pages.console_common import require_console_trainer, room, scenario

MINUTE = state.widget_key("replay_minute")
FEED_SHOWN = 20  # posts shown at one minute: a projector's worth

trainer, workshop = require_console_trainer()
st.title("Replay the session")
st.write("Move the slider to see the feed and the dashboard as they were at that minute of the session. "
         "Everything is worked out again from the activity log, so the same session always replays the same way.")

current = room(workshop)
if not current.activities:
    st.info("Nothing has happened in this workshop yet, so there is nothing to replay.")
    st.stop()
start = workshop.clock_started_at or current.activities[0].at
last_minute = max(1, minute_of(current.activities[-1].at, start))
moments = key_moments(current.activities, current.members)
moment_minutes = sorted({minute_of(moment.at, start) for moment in moments})
st.session_state.setdefault(MINUTE, last_minute)
st.session_state[MINUTE] = min(st.session_state[MINUTE], last_minute)


def _go(minute: int) -> None:
    st.session_state[MINUTE] = minute


st.slider("Minute of the session", min_value=0, max_value=last_minute, key=MINUTE)
chosen = st.session_state[MINUTE]
earlier = [m for m in moment_minutes if m < chosen]
later = [m for m in moment_minutes if m > chosen]
with st.container(horizontal=True):
    st.button("Previous key moment", on_click=_go, args=(earlier[-1] if earlier else 0,), disabled=not earlier)
    st.button("Next key moment", on_click=_go, args=(later[0] if later else last_minute,), disabled=not later)

if moments:
    st.subheader("Key moments")
    for index, moment in enumerate(moments):
        minute = minute_of(moment.at, start)
        st.button(f"Minute {minute}: {moment.label}", on_click=_go, args=(minute,), key=state.widget_key("moment", index))

moment_at = at_minute(start, chosen)
cut = log_at(current.activities, moment_at)
items = feed_at(current.activities, moment_at)
names = current.names()
st.header(f"Minute {chosen} ({clock_time(moment_at, fmt='%H:%M')})", divider="gray")
st.write(f"{len(cut)} actions recorded by then; {len(items)} posts in the feed.")

st.subheader("The feed then")
with reading() as session:
    texts = post_texts(session, workshop.id, [item.post_id for item in items[:FEED_SHOWN]])
if not items:
    st.write("The feed was still empty.")
for item in items[:FEED_SHOWN]:
    with st.container(border=True):
        text = texts.get(item.post_id, "")
        voiced = " (you, speaking as this colleague)" if item.by_trainer else ""
        st.markdown(f"**{md_escape(names.get(item.author, item.author))}**{voiced}, {on_reader_clock(item.at):%H:%M}: "
                    + (md_escape(text) if text else "*(deleted later)*"))
        st.caption(f"{plural(item.replies, 'reply', 'replies')} and {plural(item.reactions, 'reaction')} by then.")
if len(items) > FEED_SHOWN:
    st.caption(f"And {len(items) - FEED_SHOWN} older posts.")
st.caption("Which posts, replies and reactions existed comes from the log; the words are the posts' words now "
           "(an edit made later shows).")

st.subheader("The dashboard then")
figures = compute_dashboard(cut, current.members, seed_tags=scenario(workshop).seed_tags(),
                            session_start=workshop.clock_started_at)
for sentence in [*figures.summaries().values(), *figures.community.summaries().values()]:
    st.markdown(sentence)
