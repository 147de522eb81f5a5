"""Trainer tools (minimal; the full trainer console is the next issue).

The trainer's actions live where learners see their effect: pin posts on the
feed, set an idea's status on the idea board. This page shows what the trainer
needs to run the room: the join code and who has joined.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import workshops
from sandbox.store.models import Workshop
from sandbox.ui.components.text import when
from sandbox.ui.db import reading
from sandbox.ui.pages_common import require_trainer

trainer = require_trainer()

with reading() as session:
    workshop = session.get(Workshop, trainer.workshop_id)
    members = workshops.list_members(session, trainer.workshop_id)

st.title("Trainer tools")
st.text(f"Workshop: {workshop.title}")
st.subheader("Join code")
st.code(workshop.code, language=None)
st.write("Show this code to the room. Learners open the sandbox and join with it.")

learners = [m for m in members if m.kind == "learner"]
simulated = [m for m in members if m.kind == "simulated"]
st.subheader(f"Learners ({len(learners)})")
if learners:
    st.text("\n".join(f"{m.display_name} · {m.department} · @{m.handle} · joined {when(m.joined_at)}"
                      for m in learners))
else:
    st.write("Nobody has joined yet.")
if simulated:
    st.subheader(f"Simulated colleagues ({len(simulated)})")
    st.text("\n".join(f"{m.display_name} · {m.department}" for m in simulated))

st.subheader("Where your actions are")
st.write("- **Pin** a post: the Pin button under any post in the Feed.\n"
         "- **Idea status**: the Status menu under each idea on the Idea board.")
