from __future__ import annotations

import pytest

from sandbox.metrics.threshold import (
    ThresholdError,
    cascade,
    compare_with_room,
    find_flip,
    find_flips,
    stated_thresholds,
    with_threshold,
)
from tests.metrics.logbook import Logbook, minute

RIOT = {f"p{count:02d}": count / 100 for count in range(100)}


def test_granovetter_riot_everyone_joins_one_per_round():
    result = cascade(RIOT)
    assert len(result.joined) == 100
    assert len(result.rounds) == 100
    assert all(len(group) == 1 for group in result.rounds)
    assert result.final_share == 1.0
    assert result.joined[:3] == ("p00", "p01", "p02")


def test_granovetter_riot_changing_the_1_to_2_stops_it_after_one():
    result = cascade(with_threshold(RIOT, "p01", 0.02))
    assert result.joined == ("p00",)
    assert result.final_share == 0.01
    assert result.summary() == "These thresholds predict 1 of 100 people (1%) join, over 1 round."


def test_cascade_accepts_a_plain_list():
    result = cascade([0.0, 0.5, 0.34])
    # 0 joins -> 1/3 joined; 0.34 > 0.333 so it stops there.
    assert result.joined == ("0",)
    assert cascade([0.0, 0.5, 0.33]).joined == ("0", "2", "1")


def test_cascade_rounds_group_people_who_join_together():
    result = cascade({"a": 0.0, "b": 0.0, "c": 0.4, "d": 0.4, "e": 1.0})
    assert result.rounds == (("a", "b"), ("c", "d"))
    assert result.shares_by_round() == (0.4, 0.8)
    assert result.round_of("c") == 2
    assert result.round_of("e") is None  # 100% can only be met once they are in too


def test_cascade_with_exact_shares_is_not_fooled_by_float_noise():
    # 3 of 10 is exactly what 0.3 means, and 29/100 is what 0.29 means.
    assert len(cascade([0, 0, 0, 0.3] + [1.0] * 6).joined) == 4
    assert len(cascade([0] * 29 + [0.29] + [1.0] * 70).joined) == 30


def test_nobody_willing_to_go_first():
    result = cascade({"a": 0.1, "b": 0.2})
    assert result.rounds == ()
    assert "none of the 2 people join" in result.summary()
    assert cascade({}).summary() == "No one has stated a threshold yet."


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_threshold_out_of_range_is_a_clear_error(bad):
    with pytest.raises(ThresholdError, match=r"ana's threshold must be between 0% and 100%"):
        cascade({"ana": bad})


def test_find_flips_includes_the_classic_riot_change():
    flips = find_flips(RIOT)
    classic = next(flip for flip in flips if flip.person == "p01")
    assert classic.new == 0.02
    assert classic.after.joined == ("p00",)
    assert classic.summary() == "If p01 waited for 2% instead of 1%, 1 of 100 people (1%) would join instead of 100 (100%)."
    # The smallest change: whoever went first now waits for one other.
    first = find_flip(RIOT)
    assert (first.person, first.old, first.new, first.after.joined) == ("p00", 0.0, 0.01, ())


def test_find_flip_can_also_tip_a_stalled_room():
    room = {"a": 0.0, "b": 0.5, "c": 0.5, "d": 0.5}
    assert cascade(room).final_share == 0.25
    flip = find_flip(room)
    # b lowering to 25% brings b in (50%), which brings c and d in too.
    assert (flip.person, flip.new) == ("b", 0.25)
    assert flip.after.final_share == 1.0


def test_find_flip_when_nothing_single_can_flip():
    # Everyone joins at 0; one person changing alone leaves three of four in (75%).
    assert find_flip({"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.0}) is None
    assert find_flips({}) == []


def test_stated_thresholds_keep_each_latest_valid_statement():
    log = Logbook()
    log.add(1, "ana", "member.threshold", threshold=50)
    log.add(2, "ana", "member.threshold", threshold=20)  # changed her mind: latest wins
    log.add(3, "ben", "member.threshold", threshold=40)
    log.add(4, "ben", "member.threshold", threshold=400)  # out of range: skipped
    log.add(5, "cat", "member.threshold", threshold="lots")  # unreadable: skipped
    log.add(6, "dan", "member.threshold")  # nothing stated: skipped
    log.add(7, "eve", "post.create", "p1", threshold=10)  # not the threshold verb
    assert stated_thresholds(log.activities) == {"ana": 0.2, "ben": 0.4}


def test_compare_prediction_with_what_the_room_did():
    thresholds = {"a": 0.0, "b": 0.25, "c": 0.5, "d": 0.9}
    # Predicted: a (round 1), b (round 2), c (round 3); d never (needs 90% of 4 = 4).
    adopted = {"a": minute(5), "c": minute(7), "b": minute(9), "d": minute(12)}
    comparison = compare_with_room(thresholds, adopted)
    assert [person.predicted_round for person in comparison.people] == [1, 2, 3, None]
    assert (comparison.predicted_joiners, comparison.actual_joiners, comparison.both) == (3, 4, 3)
    # Pairs among a, b, c: a<b agrees, a<c agrees, b<c disagrees (c went before b).
    assert comparison.order_agreement == pytest.approx(2 / 3)
    assert comparison.summary() == (
        "The thresholds predicted 3 of 4 people would join; 4 did, including 3 of the 3 predicted. "
        "67% of pairs joined in the predicted order."
    )


def test_compare_without_pairs_has_no_order_agreement():
    comparison = compare_with_room({"a": 0.0, "b": 0.9}, {})
    assert comparison.order_agreement is None
    assert comparison.summary() == "The thresholds predicted 1 of 2 people would join; 0 did, including 0 of the 1 predicted."
