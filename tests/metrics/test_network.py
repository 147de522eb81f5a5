from __future__ import annotations

import pytest

from sandbox.metrics.network import champion_reach, interaction_graph, network_stats
from sandbox.metrics.records import Member
from tests.metrics.logbook import Logbook

ROOM = [
    Member("ana", department="Finance", champion=True),
    Member("ben", department="Finance"),
    Member("cat", department="Estates"),
    Member("dan", department="Estates"),
    Member("eve", department="Library", kind="simulated", champion=True),
    Member("fay", department="Library"),
]


def network_log() -> Logbook:
    log = Logbook()
    log.add(0, "ben", "post.reply", "p1", target="ana")
    log.add(1, "ana", "post.reply", "p2", target="ben")  # returns ben's tie
    log.add(2, "ana", "post.mention", "p3", target="cat")  # cross-department
    log.add(3, "cat", "post.react", "p4", target="dan")
    log.add(4, "cat", "post.react", "p5", target="dan")  # same tie again: weight 2
    log.add(5, "dan", "post.reply", "p6", target="dan")  # self-tie: ignored
    log.add(6, "dan", "post.create", "p7")  # not a tie verb
    log.add(7, "ben", "post.praise", "p8", target="stranger")  # not a member: ignored
    return log


def test_graph_has_every_member_and_weighted_ties():
    graph = interaction_graph(network_log().activities, ROOM)
    assert sorted(graph.nodes) == ["ana", "ben", "cat", "dan", "eve", "fay"]
    assert sorted(graph.edges) == [("ana", "ben"), ("ana", "cat"), ("ben", "ana"), ("cat", "dan")]
    assert graph["cat"]["dan"]["weight"] == 2
    assert graph.nodes["eve"] == {"department": "Library", "kind": "simulated", "champion": True}


def test_network_stats_known_answers():
    stats = network_stats(interaction_graph(network_log().activities, ROOM))
    assert stats.members == 6 and stats.ties == 4
    assert stats.density == pytest.approx(4 / 30)
    assert stats.reciprocity == 0.5  # ana<->ben returned; ana->cat and cat->dan not
    assert stats.largest_connected_share == pytest.approx(4 / 6)  # eve and fay are alone
    assert stats.cross_department_ties == 1
    assert stats.cross_department_share == 0.25
    assert stats.summary() == (
        "4 ties among 6 members: density 13%, 50% returned, 67% in one connected group, "
        "1 tie (25%) cross departments."
    )


def test_network_stats_without_ties():
    stats = network_stats(interaction_graph([], ROOM))
    assert (stats.ties, stats.density, stats.reciprocity) == (0, 0.0, 0.0)
    assert stats.largest_connected_share == pytest.approx(1 / 6)
    assert stats.summary() == "No ties yet among 6 members: nobody has replied to, mentioned or reacted to anyone."


def test_network_stats_of_an_empty_graph():
    stats = network_stats(interaction_graph([], []))
    assert (stats.members, stats.density, stats.largest_connected_share) == (0, 0.0, 0.0)


def test_champion_reach_counts_ties_either_way():
    graph = interaction_graph(network_log().activities, ROOM)
    reach = champion_reach(graph)
    assert reach.champions == ("ana", "eve")
    assert reach.population == 4  # ben, cat, dan, fay
    assert reach.reached == 2  # ben (both ways) and cat (mentioned by ana)
    assert reach.per_champion == {"ana": 2, "eve": 0}
    assert reach.summary() == "Champions have a tie with 2 of 4 other members (50%)."


def test_champion_reach_within_a_population():
    graph = interaction_graph(network_log().activities, ROOM)
    reach = champion_reach(graph, ["cat", "dan", "ana"])
    assert (reach.population, reach.reached) == (2, 1)


def test_champion_reach_without_champions():
    graph = interaction_graph([], [Member("ben"), Member("cat")])
    assert champion_reach(graph).summary() == "This room has no champions, so there is no champion reach to show."


def test_the_trainer_as_a_colleague_counts_like_one_and_is_shown_apart():
    """Eve is a persona champion the trainer speaks as. Ties made by her voiced words, or by
    answers to the post the trainer wrote as her, count (the organisation's voice) and are
    shown apart; a tie that a person also made by themselves is not 'only through the trainer'."""
    log = Logbook()
    log.add(0, "eve", "post.create", "t1", driven_by="trainer")                 # the trainer, as Eve
    log.add(1, "fay", "post.reply", "r1", target="eve", thread="t1")            # fay answers it
    log.add(2, "eve", "post.react", "r1", target="fay", driven_by="trainer")    # and Eve thanks fay
    log.add(3, "dan", "post.react", "t1", target="eve")                         # dan reacts to it
    log.add(4, "dan", "post.reply", "r2", target="eve", thread="s1")            # dan also answers Eve's scripted post
    log.add(5, "eve", "post.reply", "r3", target="cat", thread="c1", driven_by="inject:hello")  # a scripted step
    log.add(6, "ben", "post.reply", "r4", target="ana", thread="a1")            # people among themselves
    graph = interaction_graph(log.activities, ROOM, trainer_posts={"t1"})
    assert {pair: graph.edges[pair].get("trainer_only", False) for pair in graph.edges} == {
        ("fay", "eve"): True, ("eve", "fay"): True, ("dan", "eve"): False, ("eve", "cat"): False,
        ("ben", "ana"): False}
    stats = network_stats(graph)
    assert (stats.ties, stats.trainer_only_ties) == (5, 2)
    assert stats.summary().endswith(" 2 of these ties came only through the trainer speaking as a colleague.")
    reach = champion_reach(graph)
    assert (reach.reached, reach.reached_only_through_trainer) == (4, 1)  # ben, cat, dan by people; fay via the trainer
    assert reach.summary() == ("Champions have a tie with 4 of 4 other members (100%). "
                               "1 of them came only through the trainer speaking as a colleague.")


def test_the_dashboard_finds_the_trainers_posts_itself():
    from sandbox.metrics.dashboard import compute_dashboard

    log = Logbook()
    log.add(0, "eve", "post.create", "t1", driven_by="trainer")
    log.add(1, "fay", "post.react", "t1", target="eve")
    figures = compute_dashboard(log.activities, ROOM)
    assert (figures.network.ties, figures.network.trainer_only_ties) == (1, 1)
    assert figures.champions.reached_only_through_trainer == 1
    assert figures.graph.edges["fay", "eve"]["weight"] == 1
