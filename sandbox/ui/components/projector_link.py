"""The console's way to open the projector view: a link with a read-only view key.

The key is shown to no one: the trainer sees a button, and the projector tab takes
the key out of its address at once (:mod:`sandbox.ui.projector`). The raw key lives
only in the trainer's tab (to draw the button); the store keeps its hash.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import projector
from sandbox.store.models import Member
from sandbox.ui import state
from sandbox.ui.db import reading, writing


def projector_controls(trainer: Member) -> None:
    """Make, open and close the projector view of ``trainer``'s workshop."""
    with st.expander("Show the dashboard on a projector", icon=":material/co_present:"):
        st.markdown("The projector view shows these figures in large type, with no menu and nothing of your "
                    "sign-in. It opens in a new tab: drag that tab to the projector's screen.")
        key = st.session_state.get(state.PROJECTOR_LINK, "")
        with reading() as session:
            is_open = projector.is_open(session, trainer.workshop_id)
            if key and projector.workshop_for_key(session, key) is None:
                key = ""  # closed, or replaced by a link made in another tab
        if key:
            st.link_button("Open the projector view", f"projector?{state.VIEW_PARAM}={key}", type="primary",
                           icon=":material/open_in_new:")
        elif is_open:
            st.markdown("A projector view is open. A new link closes it and opens another.")
        if st.button("Make a new projector link" if is_open else "Make a projector link"):
            with writing() as session:
                st.session_state[state.PROJECTOR_LINK] = projector.open_view(session, trainer)
            st.rerun()
        if is_open and st.button("Close the projector view"):
            with writing() as session:
                projector.close_view(session, trainer)
            st.session_state[state.PROJECTOR_LINK] = ""
            st.rerun()
