"""Trainer sign-in: the workshop's join code and the trainer key."""
from __future__ import annotations

import streamlit as st

from sandbox.services import workshops
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui import identity

FORM = "trainer_sign_in"


def _sign_in() -> None:
    values = st.session_state
    signed = run_action(
        FORM,
        workshops.trainer_sign_in,
        values.get(state.widget_key("trainer_code"), ""),
        values.get(state.widget_key("trainer_key"), ""),
        client_key=identity.client_key(),
        success="Signed in as the trainer.",
    )
    if signed is not FAILED:
        identity.sign_in(signed.session_token)


st.title("Trainer sign-in")
st.write(
    "Use the join code and the trainer key that `insideout workshop create` printed. "
    "Keep the key to yourself: it lets you pin posts and set the status of ideas."
)
show_error(FORM)
with st.form("trainer_form"):
    st.text_input("Join code", key=state.widget_key("trainer_code"), max_chars=20)
    st.text_input("Trainer key", key=state.widget_key("trainer_key"), type="password", max_chars=200)
    st.form_submit_button("Sign in", type="primary", on_click=_sign_in)
