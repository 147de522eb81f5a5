"""The note at the top of every page while a self-assessment round waits for the learner.

Shown right after joining ("before") and once the "after" round opens, until
the learner answers or skips it on the Self-assessment page. A link, not a
redirect: nobody is kept from the feed.
"""
from __future__ import annotations

import streamlit as st

ASSESSMENT_PAGE = "ui/pages/assessment.py"

OFFERS = {
    "before": "**Before you start:** a four-minute self-assessment (not a test; you may skip it).",
    "after": "**The 'after' round of the self-assessment is open:** the same questions as at the start, "
             "so you can see what changed.",
}


def offer(round_: str) -> None:
    # One compact row (it wraps on a phone), so the page's own content stays on the first screen.
    with st.container(border=True, horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(OFFERS[round_], width="stretch")
        st.page_link(ASSESSMENT_PAGE, label="Open the self-assessment", icon=":material/quiz:")
