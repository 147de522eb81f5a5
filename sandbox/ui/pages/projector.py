"""The projector view of the live dashboard: no menu, no sign-in, large type.

Opened from the console (Live dashboard, "Show the dashboard on a projector") with a
link that carries a read-only view key (:mod:`sandbox.ui.projector` takes it out of
the address at once). The sentences come first, then two charts drawn large; the
view re-reads the room every few seconds and ends as soon as the trainer closes it
or makes a new link.
"""
from __future__ import annotations

import streamlit as st

from sandbox.ui import projector
from sandbox.ui.navigation import ICON
from sandbox.ui.components.dashboard_summary import in_short
from sandbox.ui.components.text import md_escape
from sandbox.ui.pages.console_common import dashboard, keep_room_alive

REFRESH_SECONDS = 10

# Large type that still fits a phone: sizes grow with the window's width. The header
# (Streamlit's own menu) is hidden: the room needs nothing but the figures.
LARGE_TYPE = """
<style>
[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.5rem 4vw; }
[data-testid="stMain"] h1 { font-size: clamp(2rem, 4.5vw, 4rem); }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: clamp(1.6rem, 3.2vw, 2.8rem); }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: clamp(1.15rem, 2.3vw, 2rem); line-height: 1.35; }
</style>
"""

CLOSED = ("This projector view is closed, or its link is not complete. To show the dashboard on a "
          "projector, open the trainer console's Live dashboard and choose \"Show the dashboard on a projector\".")

st.set_page_config(page_title="Live dashboard (projector view)", page_icon=str(ICON) if ICON.exists() else None,
                   layout="wide")
st.html(LARGE_TYPE)

workshop = projector.workshop()
if workshop is None:
    st.title("Projector view")
    st.info(CLOSED)
    st.stop()

st.title(f"Live dashboard: {md_escape(workshop.title)}")


@st.fragment(run_every=REFRESH_SECONDS)
def live_figures() -> None:
    current = projector.workshop()
    if current is None:
        st.info(CLOSED)
        return
    problem = keep_room_alive(current)
    if problem:
        st.caption(problem)
    metrics, room = dashboard(current)
    learners, actions = len(room.learners()), len(room.activities)
    st.markdown(f"{learners} learner{'' if learners == 1 else 's'}, {actions} action{'' if actions == 1 else 's'} so far.")
    in_short(metrics)
    from sandbox.ui.components import charts  # after the words: see sandbox.ui.components.dashboard_summary

    charts.adoption(metrics.adoption, room.names(), large=True)
    charts.participation(metrics.participation, large=True)


live_figures()
