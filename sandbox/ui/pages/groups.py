"""Groups: see them, join one, start one for your pilot, read a group's posts."""
from __future__ import annotations

import streamlit as st

from sandbox.services import groups
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.text import md_escape
from sandbox.ui.db import reading
from sandbox.ui.pages_common import open_group, require_member

member = require_member()


def _create() -> None:
    name_key, about_key = state.widget_key("group_name"), state.widget_key("group_about")
    result = run_action("group_create", groups.create_group, member,
                        st.session_state.get(name_key, ""), st.session_state.get(about_key, ""),
                        success="Your group is ready. Post in it from the feed.")
    if result is not FAILED:
        st.session_state[name_key] = ""
        st.session_state[about_key] = ""


st.title("Groups")
state.show_flash()
st.write("A group is a smaller room inside the workshop: a team, a project, a pilot.")
with reading() as session:
    all_groups = groups.list_groups(session, member)

show_error("group_join")
if not all_groups:
    st.write("There are no groups yet. Start the first one below.")
for group in all_groups:
    with st.container(border=True):
        st.subheader(md_escape(group.name), anchor=False)
        if group.description:
            st.text(group.description)
        in_group = "You are a member." if group.is_member else "You are not a member."
        st.caption(f"{group.members} member{'s' if group.members != 1 else ''}. {in_group}")
        with st.container(horizontal=True):
            if group.is_member:
                if st.button("Open the group's posts", key=state.widget_key("open_group", group.id)):
                    open_group(group.id)
            else:
                st.button(f"Join {md_escape(group.name)}", key=state.widget_key("join_group", group.id),
                          on_click=run_action,
                          args=("group_join", groups.join_group, member, group.id),
                          kwargs={"success": f"You joined {group.name}."})

st.header("Start a group")
show_error("group_create")
with st.form("group_form"):
    st.text_input("Group name", key=state.widget_key("group_name"), max_chars=60)
    st.text_area("What is it for? (optional)", key=state.widget_key("group_about"), height=80)
    st.form_submit_button("Create the group", type="primary", on_click=_create)
