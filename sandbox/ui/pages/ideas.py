"""The idea board: post ideas, spend a limited number of votes, see the trainer's status."""
from __future__ import annotations

import streamlit as st

from sandbox.services import ideas
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.text import badge, inject_css, learner_block, md_escape, member_label, plain, when
from sandbox.ui.db import reading
from sandbox.ui.pages_common import require_member

ORDERS = {"votes": "Most votes", "new": "Newest"}

member = require_member()
inject_css()


def _create() -> None:
    title_key, body_key = state.widget_key("idea_title"), state.widget_key("idea_body")
    result = run_action("idea_new", ideas.create_idea, member, st.session_state.get(title_key, ""),
                        st.session_state.get(body_key, ""), success="Your idea is on the board.")
    if result is not FAILED:
        st.session_state[title_key] = ""
        st.session_state[body_key] = ""


def _set_status(idea_id: int) -> None:
    run_action(f"idea-{idea_id}", ideas.set_status, member, idea_id,
               st.session_state[state.widget_key("idea_status", idea_id)], success="Status changed.")


st.title("Idea board")
state.show_flash()
with reading() as session:
    budget = ideas.vote_budget(session, member.workshop_id)
    left = ideas.votes_left(session, member) if member.kind != "trainer" else 0
st.write(f"Everyone has {budget} votes to spend on colleagues' ideas. "
         "Choose where they count most; you can take a vote back and spend it elsewhere.")
if member.kind != "trainer":
    st.info(f"You have {left} of {budget} votes left.", icon=":material/how_to_vote:")

st.header("Post an idea")
show_error("idea_new")
with st.form("idea_form"):
    st.text_input("Your idea in one line", key=state.widget_key("idea_title"), max_chars=150)
    st.text_area("Details (optional)", key=state.widget_key("idea_body"), height=90)
    st.form_submit_button("Post the idea", type="primary", on_click=_create)

st.header("Ideas")
order = st.radio("Sort by", list(ORDERS), format_func=ORDERS.get, horizontal=True, key=state.IDEA_ORDER)
with reading() as session:
    board = ideas.list_ideas(session, member, order=order or "votes")
if not board:
    st.write("No ideas yet. What would make work easier for your team?")
for idea in board:
    with st.container(border=True):
        meta = (f"<strong>{plain(idea.title)}</strong><br>"
                + member_label(idea.author_name) + f" · {plain(when(idea.created_at))}"
                + badge(f"Status: {idea.status_label}")
                + f" · {idea.votes} vote{'s' if idea.votes != 1 else ''}")
        learner_block(idea.html, meta=meta, label=f"Idea: {idea.title}")
        show_error(f"idea-{idea.id}")
        if member.kind == "trainer":
            st.selectbox("Status", list(ideas.STATUSES), format_func=ideas.STATUSES.get,
                         index=list(ideas.STATUSES).index(idea.status),
                         key=state.widget_key("idea_status", idea.id),
                         on_change=_set_status, args=(idea.id,))
        elif idea.is_mine:
            st.caption("Your idea. Colleagues vote on it.")
        elif idea.voted_by_me:
            st.button(f"✓ Voted. Take my vote back from: {md_escape(idea.title)}", key=state.widget_key("unvote", idea.id),
                      on_click=run_action,
                      args=(f"idea-{idea.id}", ideas.unvote, member, idea.id),
                      kwargs={"success": "Vote taken back."})
        else:
            st.button(f"Vote for: {md_escape(idea.title)}", key=state.widget_key("vote", idea.id),
                      disabled=left <= 0, type="primary",
                      help=None if left > 0 else "No votes left: take one back from another idea first.",
                      on_click=run_action,
                      args=(f"idea-{idea.id}", ideas.vote, member, idea.id),
                      kwargs={"success": "Vote spent."})
