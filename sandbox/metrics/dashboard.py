"""Everything the trainer's live dashboard shows, computed in one call.

Who counts: adoption, participation, reply rate and the threshold game are about
the **room**, the members of ``room_kinds`` (the learners by default; simulated
colleagues would flatter the numbers). The network and champion reach include
simulated colleagues too, because champions are often personas and a learner's
tie to one is real practice; the trainer speaking as a colleague counts as that
colleague (the organisation's voice), and those ties are also shown apart
(:mod:`sandbox.metrics.network`). The trainer and observers are never counted, except the
trainer as a leader in the community managers' numbers (:mod:`sandbox.metrics.community`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import networkx as nx

from sandbox.activity import CONTRIBUTING_VERBS, DRIVEN_BY_TRAINER, LIGHT_VERBS, OBSERVER, TIE_VERBS
from sandbox.metrics.adoption import AdoptionCurve, adoption_times, curve_from_times
from sandbox.metrics.assessment import AssessmentChange, assessment_change
from sandbox.metrics.community import Community, community
from sandbox.metrics.network import ChampionReach, NetworkStats, champion_reach, interaction_graph, network_stats
from sandbox.metrics.participation import Participation, participation
from sandbox.metrics.records import Activity, Member, as_activities, as_members
from sandbox.metrics.replies import ReplyStats, reply_stats
from sandbox.metrics.tags import TagReuse, tag_reuse
from sandbox.metrics.threshold import RoomComparison, compare_with_room, stated_thresholds
from sandbox.metrics.wiki import WIKI_VERBS, WikiEditors, wiki_editors


@dataclass(frozen=True)
class Dashboard:
    adoption: AdoptionCurve
    participation: Participation
    replies: ReplyStats
    graph: nx.DiGraph
    network: NetworkStats
    champions: ChampionReach
    wiki: WikiEditors
    tags: TagReuse
    threshold_game: RoomComparison
    assessment: AssessmentChange
    community: Community
    """The community managers' numbers (personas, seen by, responses, health, leaders):
    their sentences are ``community.summaries()``, shown in a section of their own."""

    def summaries(self) -> dict[str, str]:
        """One plain-English sentence per chart, in the order the dashboard shows them."""
        return {
            "adoption": self.adoption.summary(),
            "participation": self.participation.summary(),
            "replies": self.replies.summary(),
            "network": self.network.summary(),
            "champions": self.champions.summary(),
            "wiki": self.wiki.summary(),
            "tags": self.tags.summary(),
            "threshold_game": self.threshold_game.summary(),
            "assessment": self.assessment.summary(),
        }


def compute_dashboard(
    activities: Iterable[Activity | Mapping[str, Any]],
    members: Iterable[Member | Mapping[str, Any]],
    *,
    room_kinds: Sequence[str] = ("learner",),
    seed_tags: Iterable[str] = (),
    session_start: datetime | None = None,
) -> Dashboard:
    """All dashboard metrics over one workshop's log.

    ``activities`` and ``members`` may be records or export-shaped dicts.
    Raises KeyError or ValueError for a row that is not in the export shape.
    """
    log = as_activities(activities)
    all_members = as_members(members)
    # The trainer and observers (co-trainers who only watch) are never part of the room.
    everyone = [member for member in all_members if member.kind not in ("trainer", OBSERVER)]
    room = [member for member in everyone if member.kind in room_kinds]
    room_handles = [member.handle for member in room]
    rows = _split_by_use(log)
    trainer_posts = {row.object_id for row in rows["replies"] if row.driven_by == DRIVEN_BY_TRAINER}
    graph = interaction_graph(rows["ties"], everyone, trainer_posts)
    room_set = set(room_handles)
    thresholds = {person: value for person, value in stated_thresholds(rows["thresholds"]).items() if person in room_set}
    adopted = adoption_times(rows["participation"], room_handles)
    return Dashboard(
        adoption=curve_from_times(adopted, room),
        participation=participation(rows["participation"], room),
        replies=reply_stats(rows["replies"], room_handles),
        graph=graph,
        network=network_stats(graph),
        champions=champion_reach(graph, room_handles),
        wiki=wiki_editors(rows["wiki"]),
        tags=tag_reuse(rows["tags"], seed_tags),
        threshold_game=compare_with_room(thresholds, adopted),
        assessment=assessment_change(rows["assessment"], room),
        community=community(log, all_members, room_kinds=room_kinds, session_start=session_start),
    )


# Which rows each metric reads. Splitting the log once, in order, means each
# metric walks only its own rows: the dashboard stays well under a second on a
# 100,000-row log.
_USES = {
    "participation": CONTRIBUTING_VERBS | LIGHT_VERBS,
    "ties": TIE_VERBS,
    "replies": frozenset({"post.create", "post.reply"}),
    "wiki": WIKI_VERBS,
    "thresholds": frozenset({"member.threshold"}),
    "assessment": frozenset({"assessment.answer"}),
}


def _split_by_use(log: Sequence[Activity]) -> dict[str, list[Activity]]:
    uses_of_verb: dict[str, list[str]] = {}
    for use, verbs in _USES.items():
        for verb in verbs:
            uses_of_verb.setdefault(verb, []).append(use)
    rows: dict[str, list[Activity]] = {use: [] for use in (*_USES, "tags")}
    for activity in log:
        for use in uses_of_verb.get(activity.verb, ()):
            rows[use].append(activity)
        if activity.detail and activity.detail.get("tags"):
            rows["tags"].append(activity)
    return rows
