"""Notifications: replies, mentions, reactions, praise and votes, newest first."""
from __future__ import annotations

import streamlit as st

from sandbox.services import notifications
from sandbox.ui import state
from sandbox.ui.actions import run_action, show_error
from sandbox.ui.components.text import when
from sandbox.ui.db import reading
from sandbox.ui.pages_common import FEED_PAGE, WIKI_PAGE, open_post, require_member

# Where "Open" takes you for each kind of thing a notification is about.
PAGES_FOR = {"post": FEED_PAGE, "wiki_page": WIKI_PAGE, "idea": "ui/pages/ideas.py",
             "event": "ui/pages/events.py"}

member = require_member()

st.title("Notifications")
state.show_flash()
show_error("notifications")
with reading() as session:
    items = notifications.list_notifications(session, member, limit=30)
unread = sum(1 for item in items if not item.read)

if not items:
    st.write("Nothing yet. When someone replies to you, mentions you or reacts to your posts, it shows here.")
else:
    st.write(f"{unread} unread." if unread else "All read.")
    if unread:
        st.button("Mark all as read", key=state.widget_key("mark_read"),
                  on_click=run_action, args=("notifications", notifications.mark_all_read, member))
    for item in items:
        with st.container(border=True, horizontal=True, vertical_alignment="center"):
            status = "New" if not item.read else "Read"
            # st.text never interprets what a learner chose as their name.
            st.text(f"{status}: {item.text} · {when(item.created_at)}")
            target = PAGES_FOR.get(item.object_type)
            if item.object_id and target:
                if st.button("Open", key=state.widget_key("open_notification", item.id)):
                    if item.object_type == "post":
                        open_post(item.object_id)
                    if item.object_type == "wiki_page":
                        st.session_state[state.WIKI_PAGE] = item.object_id  # the wiki opens pages by id too
                        st.session_state[state.WIKI_VIEW] = "History"
                    st.switch_page(target)
