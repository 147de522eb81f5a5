"""The projector view's side of a browser tab: is this tab a projector, and of which workshop.

A projector tab is opened from the console with a link ``projector?view=KEY``
(see :mod:`sandbox.services.projector`). On its first run the key moves from the
address into this tab's session state, so neither the address bar nor the screen
shows it to the room. Such a tab never uses the browser's sign-in: even on the
trainer's own laptop it shows the dashboard and nothing of the trainer.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import projector
from sandbox.store.models import Workshop
from sandbox.ui import state
from sandbox.ui.db import reading


def wanted() -> bool:
    """Whether this tab was opened with a projector link (now or on an earlier run)."""
    return bool(st.query_params.get(state.VIEW_PARAM) or st.session_state.get(state.PROJECTOR_KEY))


def _key() -> str:
    from_url = st.query_params.get(state.VIEW_PARAM, "")
    if from_url:
        st.session_state[state.PROJECTOR_KEY] = from_url
        del st.query_params[state.VIEW_PARAM]
    return st.session_state.get(state.PROJECTOR_KEY, "")


def workshop() -> Workshop | None:
    """The workshop this tab shows, or None when its key is missing, unknown or closed."""
    key = _key()
    if not key:
        return None
    with reading() as session:
        return projector.workshop_for_key(session, key)
