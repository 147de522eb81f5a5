"""Observer sign-in: the workshop's join code and the observer key the trainer gave."""
from __future__ import annotations

import streamlit as st

from sandbox.services import observers
from sandbox.ui import identity, state
from sandbox.ui.actions import FAILED, run_action, show_error

FORM = "observer_sign_in"


def _sign_in() -> None:
    values = st.session_state
    signed = run_action(
        FORM,
        observers.observer_sign_in,
        values.get(state.widget_key("observer_code"), ""),
        values.get(state.widget_key("observer_key"), ""),
        client_key=identity.client_key(),
        success="Signed in as an observer.",
    )
    if signed is not FAILED:
        identity.sign_in(signed.session_token)


st.title("Observer sign-in")
st.write(
    "For co-trainers who watch the session and take notes. Use the join code and the observer key "
    "the trainer gave you. You will see the feed and the dashboard, but cannot post or change anything."
)
show_error(FORM)
with st.form("observer_form"):
    st.text_input("Join code", key=state.widget_key("observer_code"), max_chars=20)
    st.text_input("Observer key", key=state.widget_key("observer_key"), type="password", max_chars=200)
    st.form_submit_button("Sign in", type="primary", on_click=_sign_in)
