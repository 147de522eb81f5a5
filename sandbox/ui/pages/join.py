"""Join a workshop: code, display name, department, and the usage policy."""
from __future__ import annotations

import streamlit as st

from sandbox.services import workshops
from sandbox.ui import identity, state
from sandbox.ui.actions import FAILED, run_action, show_error

FORM = "join"


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
        identity.sign_in(signed.session_token)


st.title("Join your workshop")
st.write(
    "Your trainer gives you a join code. Choose the name colleagues will see, "
    "say which department you work in, and you are in. No password needed."
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
