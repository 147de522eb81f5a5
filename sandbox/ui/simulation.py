"""Simulated colleagues, driven by page runs: there are no background threads.

Every run of a member's page, and every poll of the live-feed fragment, asks the
workshop's room to release what is due. The tick is idempotent and cheap when
nothing is due, so many sessions calling it at once is fine.
"""
from __future__ import annotations

import streamlit as st

from sandbox.errors import InsideOutError
from sandbox.store.models import Member
from sandbox.ui import db, reads, state
from sandbox.ui.celebrations import CELEBRATION_ICON, celebrate


def release_due(member: Member) -> None:
    """Let simulated colleagues act now; a broken scenario never takes the page down.

    A colleague's reply can finish the member's mission: they are congratulated.
    """
    try:
        room = db.rooms().room_of(member.workshop_id)
        result = room.keep_alive(db.utc_now())
    except InsideOutError as error:
        if member.kind == "trainer":
            st.warning(f"Simulated colleagues are paused: {error}")
        return
    if result.released:
        reads.clear(member.workshop_id)
    finished = result.missions.get(member.handle, [])
    if finished:
        by_id = {mission.id: mission for mission in room.scenario.missions}
        message = celebrate(by_id[mission_id] for mission_id in finished if mission_id in by_id)
        if message:
            state.flash(message, icon=CELEBRATION_ICON)
