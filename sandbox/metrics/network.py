"""The network of replies, mentions, reactions, praise, wiki edits and idea votes.

An edge ``a -> b`` means member ``a`` did one of
:data:`sandbox.activity.TIE_VERBS` addressed to member ``b`` (the activity's
``target``). Edge weight counts how often. Self-ties (replying in your own
thread) are left out: they connect no one.

* **density**: ties present out of all possible directed ties, ``m / (n (n - 1))``;
* **reciprocity**: share of ties answered in the other direction;
* **largest connected share**: share of members in the biggest group that is
  connected when direction is ignored (a member with no ties is a group of one);
* **cross-department ties**: ties between members of different departments.
  Without them a network only copies the org chart.
* **champion reach**: members who are not champions and have at least one tie,
  either way, with a champion.

**The trainer speaking as a colleague** (rows with ``driven_by`` "trainer") counts
like any simulated colleague: the trainer is the organisation's voice, and a learner
who answers "Tom" practised a real tie. Those ties are also shown apart: a tie is
*only through the trainer* when every action that made it was the trainer's as a
colleague, or a reply to or reaction on a post the trainer wrote as one (edge
attribute ``trainer_only``); a member is reached only through the trainer when all
their ties with champions are such ties.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import networkx as nx

from sandbox.activity import DRIVEN_BY_TRAINER, TIE_VERBS
from sandbox.metrics.records import Activity, Member
from sandbox.metrics.wording import percent, plural, share_of


def through_trainer(activity: Activity, trainer_posts: Collection[str]) -> bool:
    """Whether a tie action came from the trainer speaking as a colleague: their own
    action, or a reply to or reaction on a post (``trainer_posts``: ids) they wrote as one."""
    if activity.driven_by == DRIVEN_BY_TRAINER:
        return True
    if activity.verb == "post.reply":
        return activity.thread() in trainer_posts
    return activity.verb == "post.react" and activity.object_id in trainer_posts


def interaction_graph(activities: Sequence[Activity], members: Sequence[Member],
                      trainer_posts: Collection[str] = ()) -> nx.DiGraph:
    """A directed, weighted graph over ``members``; ties to or from anyone else are dropped.

    Nodes carry ``department``, ``kind`` and ``champion`` so a chart can colour them.
    Edges carry ``weight``, and ``trainer_only=True`` when the tie came only through the
    trainer speaking as a colleague (see the module docstring; ``trainer_posts`` are the ids
    of the posts and replies they wrote as one); ``graph.graph["trainer_only_ties"]`` counts those.
    """
    graph = nx.DiGraph()
    for member in members:
        graph.add_node(member.handle, department=member.department, kind=member.kind, champion=member.champion)
    weights: dict[tuple[str, str], int] = {}
    by_trainer: dict[tuple[str, str], int] = {}  # few rows: counted apart, compared at the end
    for activity in activities:
        if activity.verb not in TIE_VERBS:
            continue
        source, target = activity.actor, activity.target
        if not target or source == target:
            continue
        pair = (source, target)
        weights[pair] = weights.get(pair, 0) + 1
        if (activity.driven_by or trainer_posts) and through_trainer(activity, trainer_posts):
            by_trainer[pair] = by_trainer.get(pair, 0) + 1
    graph.add_weighted_edges_from(
        (source, target, weight)
        for (source, target), weight in weights.items()
        if source in graph and target in graph
    )
    only = [pair for pair, count in by_trainer.items() if count == weights[pair] and graph.has_edge(*pair)]
    for pair in only:
        graph.edges[pair]["trainer_only"] = True
    graph.graph["trainer_only_ties"] = len(only)
    return graph


@dataclass(frozen=True)
class NetworkStats:
    members: int
    ties: int
    density: float
    reciprocity: float
    largest_connected_share: float
    cross_department_ties: int
    trainer_only_ties: int = 0
    """Ties made only through the trainer speaking as a colleague (counted in ``ties`` too)."""

    @property
    def cross_department_share(self) -> float:
        return share_of(self.cross_department_ties, self.ties)

    def summary(self) -> str:
        """E.g. ``"12 ties among 6 members: density 40%, 50% returned, 83% in one connected group, 4 ties (33%) cross departments."``"""
        if self.ties == 0:
            return f"No ties yet among {plural(self.members, 'member')}: nobody has replied to, mentioned or reacted to anyone."
        return (
            f"{plural(self.ties, 'tie')} among {plural(self.members, 'member')}: "
            f"density {percent(self.density)}, {percent(self.reciprocity)} returned, "
            f"{percent(self.largest_connected_share)} in one connected group, "
            f"{plural(self.cross_department_ties, 'tie')} ({percent(self.cross_department_share)}) cross departments."
            + _trainer_part(self.trainer_only_ties, "of these ties")
        )


def network_stats(graph: nx.DiGraph) -> NetworkStats:
    """Density, reciprocity, largest connected share and cross-department ties of ``graph``."""
    members = graph.number_of_nodes()
    ties = graph.number_of_edges()
    returned = sum(1 for source, target in graph.edges if graph.has_edge(target, source))
    largest = max((len(group) for group in nx.weakly_connected_components(graph)), default=0)
    departments = dict(graph.nodes(data="department"))
    cross = sum(
        1
        for source, target in graph.edges
        if departments[source] and departments[target] and departments[source] != departments[target]
    )
    return NetworkStats(
        members=members,
        ties=ties,
        density=nx.density(graph) if members > 1 else 0.0,
        reciprocity=share_of(returned, ties),
        largest_connected_share=share_of(largest, members),
        cross_department_ties=cross,
        trainer_only_ties=graph.graph.get("trainer_only_ties", 0),
    )


def _trainer_part(count: int, of_what: str) -> str:
    if not count:
        return ""
    return f" {count} {of_what} came only through the trainer speaking as a colleague."


@dataclass(frozen=True)
class ChampionReach:
    champions: tuple[str, ...]
    population: int
    """Members who are not champions (the people champions are meant to reach)."""
    reached: int
    per_champion: dict[str, int] = field(default_factory=dict)
    """Champion handle -> how many non-champions they are tied to."""
    reached_only_through_trainer: int = 0
    """Of ``reached``, those whose every tie with a champion came only through the trainer
    speaking as a colleague (a persona champion the trainer voiced)."""

    @property
    def share(self) -> float:
        return share_of(self.reached, self.population)

    def summary(self) -> str:
        """E.g. ``"Champions have a tie with 5 of 9 other members (56%)."``"""
        if not self.champions:
            return "This room has no champions, so there is no champion reach to show."
        if self.population == 0:
            return "Everyone here is a champion, so there is no one left to reach."
        return (f"Champions have a tie with {self.reached} of {plural(self.population, 'other member')} "
                f"({percent(self.share)})." + _trainer_part(self.reached_only_through_trainer, "of them"))


def champion_reach(graph: nx.DiGraph, population: Sequence[str] | None = None) -> ChampionReach:
    """How many non-champions in ``population`` (all non-champion nodes if None) have a
    tie, either way, with a champion."""
    champions = tuple(sorted(node for node, champion in graph.nodes(data="champion") if champion))
    champion_set = set(champions)
    candidates = {
        handle
        for handle in (population if population is not None else graph.nodes)
        if handle in graph and handle not in champion_set
    }
    per_champion: dict[str, int] = {}
    reached: set[str] = set()
    by_people: set[str] = set()
    for champion in champions:
        neighbours = (set(graph.successors(champion)) | set(graph.predecessors(champion))) & candidates
        per_champion[champion] = len(neighbours)
        reached |= neighbours
        if not graph.graph.get("trainer_only_ties"):
            continue  # no tie came only through the trainer: everyone was reached by people
        for other in neighbours:
            edges = [graph.edges[pair] for pair in ((champion, other), (other, champion)) if graph.has_edge(*pair)]
            if any(not edge.get("trainer_only", False) for edge in edges):
                by_people.add(other)
    return ChampionReach(
        champions=champions, population=len(candidates), reached=len(reached), per_champion=per_champion,
        reached_only_through_trainer=len(reached - by_people) if graph.graph.get("trainer_only_ties") else 0,
    )
