"""Simulated colleagues, driven by page runs: there are no background threads.

Every run of a member's page, and every poll of the live-feed fragment, asks the
simulation to release what is due. ``tick`` is idempotent and cheap when nothing
is due, so many sessions calling it at once is fine.
"""
from __future__ import annotations

import streamlit as st

from sandbox.errors import InsideOutError
from sandbox.simulation.tick import tick
from sandbox.store.models import Member
from sandbox.ui import db, reads


def release_due(member: Member) -> None:
    """Let simulated colleagues act now; a broken scenario never takes the page down."""
    try:
        result = tick(db.engine(), member.workshop_id, db.utc_now())
    except InsideOutError as error:
        if member.kind == "trainer":
            st.warning(f"Simulated colleagues are paused: {error}")
        return
    if result.released:
        reads.clear(member.workshop_id)
