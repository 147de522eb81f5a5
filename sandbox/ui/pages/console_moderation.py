"""Trainer console: moderation. Hide a post or reply with a reason; every hide is logged.

A hidden post disappears for learners (its author sees it with the reason);
the trainer can show it again. The log below comes from the activity log
(``post.hide``), so it is in the export and the debrief too.
"""
from __future__ import annotations

import streamlit as st

from sandbox.config import LIMITS
from sandbox.services import feed
from sandbox.services import moderation
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.text import when
from sandbox.ui.db import reading
from sandbox.ui.pages.console_common import clear_caches, require_console_trainer

POST_KEY = state.widget_key("moderate_post")
REASON_KEY = state.widget_key("moderate_reason")

trainer, workshop = require_console_trainer()

st.title("Moderation")
state.show_flash()
st.write("Hide a post or reply that breaks the usage policy. Say why: its author sees the reason, "
         "and the reason is kept in the moderation log.")

with reading() as session:
    recent = moderation.recent_posts(session, workshop.id, limit=50)
    log = moderation.moderation_log(session, workshop.id)


def _label(post: moderation.PostForModeration) -> str:
    kind = "Reply" if post.is_reply else "Post"
    hidden = " [hidden]" if post.hidden else ""
    return f"{kind} by {post.author}, {when(post.created_at)}{hidden}: {post.excerpt}"


def _moderate(hide: bool) -> None:
    post_id = st.session_state.get(POST_KEY)
    if post_id is None:
        st.session_state.setdefault(state.ERRORS, {})["moderate"] = "Choose a post first."
        return
    reason = st.session_state.get(REASON_KEY, "") if hide else ""
    result = run_action("moderate", feed.hide_post, trainer, post_id, reason, hidden=hide,
                        success="Hidden. Learners no longer see it." if hide else "Shown again.")
    if result is not FAILED:
        st.session_state[REASON_KEY] = ""
        clear_caches()


st.header("Hide a post")
show_error("moderate")
if not recent:
    st.write("Nothing has been posted yet.")
else:
    by_id = {post.id: post for post in recent}
    with st.form("moderate_form"):
        # Selectbox options are plain text, so learner text cannot inject markup here.
        st.selectbox("Post or reply (newest first)", list(by_id), format_func=lambda pid: _label(by_id[pid]),
                     key=POST_KEY)
        st.text_input("Reason (shown to the author)", key=REASON_KEY, max_chars=LIMITS.hide_reason,
                      placeholder="e.g. Personal details of a student")
        hide_column, show_column = st.columns(2)
        with hide_column:
            st.form_submit_button("Hide it", type="primary", on_click=_moderate, args=(True,))
        with show_column:
            st.form_submit_button("Show it again", on_click=_moderate, args=(False,))

st.header("Moderation log")
if not log:
    st.write("No post has been hidden.")
else:
    st.table([
        {"When": when(entry.at), "What": "Hidden" if entry.hidden else "Shown again",
         "Author": entry.author, "Post": entry.excerpt,
         "Reason now": entry.reason or "—", "Hidden now": "yes" if entry.still_hidden else "no"}
        for entry in log
    ])
