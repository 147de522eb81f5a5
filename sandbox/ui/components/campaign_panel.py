"""The trainer's campaigns on the dashboard: start one (a #tag, a goal, how long) and follow each.

One line on the dashboard page calls :func:`show`: the trainer gets the form and the
figures, an observer (a co-trainer who only watches) the figures alone. Starting goes through the
campaign service; the figures come from the log (:mod:`sandbox.metrics.campaigns`).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from sandbox.metrics.campaigns import SOURCE
from sandbox.metrics.wording import percent
from sandbox.services import campaigns as campaign_service
from sandbox.store.models import Member, Workshop
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.campaign_card import current
from sandbox.ui.db import utc_now

FORM = "campaign"


def _start(trainer: Member) -> None:
    values = st.session_state
    result = run_action(FORM, campaign_service.start_campaign, trainer,
                        values.get(state.widget_key("campaign_tag")) or "",
                        int(values.get(state.widget_key("campaign_goal")) or 0),
                        int(values.get(state.widget_key("campaign_minutes")) or 0))
    if result is not FAILED:
        state.flash(f"The campaign #{result} has started: learners see its card at the top of the feed.")


def show(viewer: Member, workshop: Workshop) -> None:
    """The campaigns section: for the trainer a form to start one, then for everyone
    who sees the dashboard a sentence and a table per campaign."""
    st.header("Campaigns", divider="gray")
    if viewer.kind != "trainer":  # an observer only looks
        st.write("The trainer's hashtag campaigns, as in Viva Engage: a #tag, a goal, and how far the room has got.")
        _figures(workshop)
        return
    trainer = viewer
    st.write("As in Viva Engage: name a #tag and a goal, and everyone sees a campaign card at the top of "
             "the feed with how far the room has got.")
    state.show_flash()
    show_error(FORM)
    with st.form("campaign_form"):
        st.text_input("Hashtag", placeholder="roombooking", key=state.widget_key("campaign_tag"))
        st.number_input("Goal: how many tagged posts", min_value=1, max_value=campaign_service.MAX_GOAL,
                        value=20, step=1, key=state.widget_key("campaign_goal"))
        st.number_input("Runs for (minutes)", min_value=1, max_value=campaign_service.MAX_MINUTES,
                        value=60, step=5, key=state.widget_key("campaign_minutes"))
        st.form_submit_button("Start the campaign", on_click=_start, args=(trainer,))
    _figures(workshop)


def _figures(workshop: Workshop) -> None:
    now = utc_now()
    running = current(workshop.id)
    if not running:
        st.write("No campaign yet.")
        return
    for campaign in running:
        st.markdown(campaign.summary(now))
    st.table(pd.DataFrame([
        {"Campaign": f"#{c.tag}", "Goal (posts)": c.goal, "Tagged posts": c.posts, "Progress": percent(c.progress),
         "People": c.people, "Reactions": c.reactions, "Running": "yes" if c.open_at(now) else "ended"}
        for c in running]))
    st.caption(f"Source: {SOURCE}")
