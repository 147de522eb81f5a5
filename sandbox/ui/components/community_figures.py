"""The community managers' numbers on the dashboard: each a sentence, a small table and its source.

Called from the dashboard page with one line (:func:`show`); the figures come from
:mod:`sandbox.metrics.community`, which says how each is defined and by whom.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from sandbox.metrics.community import (
    LEADERS_SOURCE,
    PERSONA_MEANING,
    PERSONAS,
    SEEN_BY_SOURCE,
    SURPLUS,
    SWOOP_BENCHMARK,
    SWOOP_HEALTH_SOURCE,
    SWOOP_PERSONAS_SOURCE,
    SWOOP_READ_ONLY_SHARE,
    Community,
)
from sandbox.metrics.wording import duration, percent
from sandbox.ui.components.charts import section


def show(figures: Community) -> None:
    """Draw the section: personas, seen by, responses, health, leaders."""
    st.header("The numbers community managers use", divider="gray")
    st.write("The same figures staff meet at work in Viva Engage's analytics and SWOOP Analytics' reports, "
             "computed from this room's log.")
    personas = figures.personas
    table = pd.DataFrame(
        [{"Persona": persona.capitalize(), "What it means": PERSONA_MEANING[persona],
          "People": personas.counts[persona], "Share": percent(personas.share(persona))} for persona in PERSONAS]
        + [{"Persona": "Benchmark", "What it means": f"people who only read, {SWOOP_BENCHMARK}",
            "People": "", "Share": f"almost {percent(SWOOP_READ_ONLY_SHARE)}"}])
    section("Who reads, who gives, who gets", personas.summary(), None, table,
            source=f"{SWOOP_PERSONAS_SOURCE}; {SWOOP_BENCHMARK} (press release, 10 November 2022). "
                   f"'Far more' means at least {SURPLUS} times as many: SWOOP does not publish its cut-off.")
    reading = figures.reading
    section("Seen by", reading.summary(), None,
            pd.DataFrame([{"People who opened the feed or a thread": reading.readers,
                           "Median people who saw a post": f"{reading.median_seen_by:g}"}]),
            source=SEEN_BY_SOURCE)
    responses = figures.responses
    section("Responses and unanswered posts", responses.summary(), None,
            pd.DataFrame([{"Posts": responses.posts, "With a reply or reaction": responses.responded,
                           "Response rate": percent(responses.rate), "Still without a reply": len(responses.unanswered),
                           "Median time to first response": duration(responses.median_seconds)
                           if responses.median_seconds is not None else "none yet"}]))
    health = figures.health
    section("Community health", health.summary(), None,
            pd.DataFrame([{"Active this session": health.active_now, "Ever active": health.ever_active,
                           "Health": percent(health.index) if health.session_start else "clock not started"}]),
            source=SWOOP_HEALTH_SOURCE)
    leaders = figures.leaders
    section("Leaders taking part", leaders.summary(), None,
            pd.DataFrame([{"Leaders": leaders.leaders, "Took part": leaders.active,
                           "Their share of posts, replies and reactions": percent(leaders.share_of_contributions),
                           "Room's posts they answered": leaders.room_posts_answered_by_leaders}]),
            source=LEADERS_SOURCE)
