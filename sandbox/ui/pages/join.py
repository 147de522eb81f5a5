"""Join a workshop: code, display name, department, and the usage policy; or come
back with a return code."""
from __future__ import annotations

import streamlit as st

from sandbox.services import workshops
from sandbox.ui import identity, state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.db import reading

FORM = "join"
BACK_FORM = "come_back"


def _join() -> None:
    values = st.session_state
    signed = run_action(
        FORM,
        workshops.join,
        values.get(state.widget_key("join_code"), ""),
        values.get(state.widget_key("join_name"), ""),
        values.get(state.widget_key("join_department"), ""),
        accept_policy=bool(values.get(state.widget_key("join_policy"))),
        client_key=identity.client_key(),
        success="Welcome! You are in. Start by saying hello in the feed.",
    )
    if signed is not FAILED:
        identity.sign_in(signed.session_token, return_code=signed.return_code)


def _come_back() -> None:
    values = st.session_state
    signed = run_action(
        BACK_FORM,
        workshops.come_back,
        values.get(state.widget_key("back_code"), ""),
        values.get(state.widget_key("back_name"), ""),
        values.get(state.widget_key("back_return_code"), ""),
        client_key=identity.client_key(),
        success="Welcome back!",
    )
    if signed is not FAILED:
        identity.sign_in(signed.session_token)


st.title("Join your workshop")
st.write(
    "Your trainer gives you a join code. Choose the name colleagues will see, "
    "say which department you work in, and you are in. No password needed."
)
with reading() as session:
    any_workshop = workshops.has_workshops(session)
if not any_workshop:
    st.info(
        "**There is no workshop here yet.** On the computer that runs the sandbox, the trainer "
        f"creates one with\n\n`{workshops.CREATE_COMMAND}`\n\nor restarts the sandbox with "
        "`insideout serve --demo` for a ready-made demo workshop. Either prints the join code "
        "to type below.",
        icon=":material/info:",
    )
show_error(FORM)
with st.form("join_form"):
    st.text_input("Join code", key=state.widget_key("join_code"), max_chars=20,
                  placeholder="for example K7M2QX")
    st.text_input("Your display name", key=state.widget_key("join_name"), max_chars=60,
                  help="The name colleagues will see, for example Anna Smith.")
    st.text_input("Your department", key=state.widget_key("join_department"), max_chars=60,
                  help="For example Library, Finance or Student Services.")
    st.subheader("Usage policy", divider=False)
    st.markdown(workshops.USAGE_POLICY)  # our own text: its '- ' lines are a list
    st.checkbox("I have read and accept the usage policy", key=state.widget_key("join_policy"))
    st.form_submit_button("Join the workshop", type="primary", on_click=_join)

# Institutional sign-in, only where an OpenID Connect provider is configured.
from sandbox.ui import institutional  # noqa: E402 (kept beside its one use, a separate hook)

institutional.render()
st.caption("Trainers: use the Trainer sign-in page with your trainer key.")

with st.expander("Been here before? Come back with your return code"):
    st.write("On another browser or computer, come back as yourself with the return code you "
             "were shown when you joined. Lost it? Your trainer can give you a new one.")
    show_error(BACK_FORM)
    with st.form("come_back_form"):
        st.text_input("Workshop join code", key=state.widget_key("back_code"), max_chars=20,
                      placeholder="for example K7M2QX")
        st.text_input("The display name you joined with", key=state.widget_key("back_name"), max_chars=60)
        st.text_input("Your return code", key=state.widget_key("back_return_code"), max_chars=20,
                      placeholder="for example ABCD-2345")
        st.form_submit_button("Come back", on_click=_come_back)
