"""Everything the trainer's live dashboard shows, computed in one call.

Who counts: adoption, participation, reply rate and the threshold game are about
the **room**, the members of ``room_kinds`` (the learners by default; simulated
colleagues would flatter the numbers). The network and champion reach include
simulated colleagues too, because champions are often personas and a learner's
tie to one is real practice. The trainer is never counted.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.metrics.adoption import AdoptionCurve, adoption_curve, adoption_times
from sandbox.metrics.network import ChampionReach, NetworkStats, champion_reach, interaction_graph, network_stats
from sandbox.metrics.participation import Participation, participation
from sandbox.metrics.records import Activity, Member, as_activities, as_members
from sandbox.metrics.replies import ReplyStats, reply_stats
from sandbox.metrics.tags import TagReuse, tag_reuse
from sandbox.metrics.threshold import RoomComparison, compare_with_room, stated_thresholds
from sandbox.metrics.wiki import WikiEditors, wiki_editors

import networkx as nx


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
        }


def compute_dashboard(
    activities: Iterable[Activity | Mapping[str, Any]],
    members: Iterable[Member | Mapping[str, Any]],
    *,
    room_kinds: Sequence[str] = ("learner",),
    seed_tags: Iterable[str] = (),
) -> Dashboard:
    """All dashboard metrics over one workshop's log.

    ``activities`` and ``members`` may be records or export-shaped dicts.
    Raises KeyError or ValueError for a row that is not in the export shape.
    """
    log = as_activities(activities)
    everyone = [member for member in as_members(members) if member.kind != "trainer"]
    room = [member for member in everyone if member.kind in room_kinds]
    room_handles = [member.handle for member in room]
    graph = interaction_graph(log, everyone)
    thresholds = {person: value for person, value in stated_thresholds(log).items() if person in set(room_handles)}
    return Dashboard(
        adoption=adoption_curve(log, room),
        participation=participation(log, room),
        replies=reply_stats(log, room_handles),
        graph=graph,
        network=network_stats(graph),
        champions=champion_reach(graph, room_handles),
        wiki=wiki_editors(log),
        tags=tag_reuse(log, seed_tags),
        threshold_game=compare_with_room(thresholds, adoption_times(log, room_handles)),
    )
