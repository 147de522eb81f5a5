"""The live dashboard in words: one sentence per chart, shown before any chart is drawn.

This module must not import a chart library. Altair (with pandas under it) takes
about 1.7 s to import the first time a server process draws a chart, and the
trainer saw a blank page for that long (issue 14, finding 3). The console
dashboard and the projector view show these sentences first, then import the
charts.
"""
from __future__ import annotations

import streamlit as st

from sandbox.metrics import Dashboard

# Each chart's heading, keyed like ``Dashboard.summaries()``, in the order the
# dashboard shows them. The charts use the same headings.
TITLES = {
    "adoption": "Adopters over time",
    "participation": "Participation against 90-9-1",
    "replies": "Replies",
    "network": "Network of replies, mentions and reactions",
    "champions": "Champion reach",
    "wiki": "Wiki editors per page",
    "tags": "Tag reuse",
    "assessment": "Before and after: the self-assessment",
}

HEADING = "In short"


def in_short(metrics: Dashboard) -> None:
    """The heading "In short" and one line per chart: its heading in bold, then its sentence."""
    summaries = metrics.summaries()
    st.subheader(HEADING)
    st.markdown("\n".join(f"- **{title}:** {summaries[key]}" for key, title in TITLES.items()))
