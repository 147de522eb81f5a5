"""Adoption metrics: pure functions over the activity log (no store, no Streamlit).

Every result is a small frozen dataclass with the numbers a chart needs and a
``summary()`` that says the same thing in one plain sentence, so every chart on
the dashboard has a text alternative. :func:`compute_dashboard` runs them all.
"""
from sandbox.metrics.adoption import REFERENCE_LINES, adoption_curve, adoption_times
from sandbox.metrics.assessment import assessment_change
from sandbox.metrics.dashboard import Dashboard, compute_dashboard
from sandbox.metrics.network import champion_reach, interaction_graph, network_stats
from sandbox.metrics.participation import participation
from sandbox.metrics.records import Activity, Member, as_activities, as_members
from sandbox.metrics.replies import reply_stats
from sandbox.metrics.tags import tag_reuse
from sandbox.metrics.threshold import (
    ThresholdError,
    cascade,
    compare_with_room,
    find_flip,
    find_flips,
    stated_thresholds,
    with_threshold,
)
from sandbox.metrics.wiki import wiki_editors

__all__ = [
    "REFERENCE_LINES",
    "Activity",
    "Dashboard",
    "Member",
    "ThresholdError",
    "adoption_curve",
    "adoption_times",
    "assessment_change",
    "as_activities",
    "as_members",
    "cascade",
    "champion_reach",
    "compare_with_room",
    "compute_dashboard",
    "find_flip",
    "find_flips",
    "interaction_graph",
    "network_stats",
    "participation",
    "reply_stats",
    "stated_thresholds",
    "tag_reuse",
    "wiki_editors",
    "with_threshold",
]
