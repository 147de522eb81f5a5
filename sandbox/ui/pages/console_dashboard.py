"""Trainer console: the live dashboard. Every chart has a sentence above it and a table below.

All the sentences come first ("In short"), the charts after: the chart library is
imported only once the words are on screen (its first import takes seconds).

Who counts (see :mod:`sandbox.metrics.dashboard`): adoption, participation and
replies are about the learners; the network and champion reach include the
simulated colleagues; the trainer is never counted.
"""
from __future__ import annotations

import streamlit as st

from sandbox.ui.components.dashboard_summary import in_short
from sandbox.ui.components.projector_link import projector_controls
from sandbox.ui.components.text import md_escape
from sandbox.ui.pages.console_common import keep_room_alive, dashboard, require_console_viewer, wiki_titles

REFRESH_SECONDS = 10

# Observers (co-trainers) see it too: it only shows the room.
viewer, workshop = require_console_viewer()

st.title("Live dashboard")
st.write(f"Workshop: {md_escape(workshop.title)}. The figures count the learners in the room; "
         "simulated colleagues count only in the network and champion reach. What the trainer posts as a "
         "colleague counts there like that colleague (the organisation's voice), and is also shown apart.")
if viewer.kind == "trainer":  # an observer only looks
    projector_controls(viewer)


@st.fragment(run_every=REFRESH_SECONDS)
def live_figures() -> None:
    problem = keep_room_alive(workshop)
    if problem:
        st.caption(problem)
    metrics, current = dashboard(workshop)
    names = current.names()
    st.caption(f"{len(current.learners())} learners, {len(current.activities)} actions so far. "
               f"Updates every {REFRESH_SECONDS} seconds.")
    in_short(metrics)
    # After the words: see the module docstring.
    from sandbox.ui.components import charts, community_figures

    charts.adoption(metrics.adoption, names)
    charts.participation(metrics.participation)
    charts.replies(metrics.replies)
    charts.network(metrics.network, metrics.graph, names)
    charts.champions(metrics.champions, names)
    charts.wiki(metrics.wiki, wiki_titles(workshop.id))
    charts.tags(metrics.tags)
    charts.assessment(metrics.assessment)
    community_figures.show(metrics.community)


live_figures()

from sandbox.ui.components import campaign_panel  # noqa: E402 (after the words, as above)

campaign_panel.show(viewer, workshop)  # an observer sees the figures, not the form
