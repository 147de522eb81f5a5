"""The threshold game: Granovetter's cascade from the thresholds the room stated.

Mark Granovetter, "Threshold Models of Collective Behavior", *American Journal of
Sociology* 83(6) (1978), 1420-1443. Each person joins once the share of the
group that has already joined reaches their threshold ("I'll join once 30% have").
Starting from nobody, the people with threshold 0 join; then everyone whose
threshold is at or below the new share; and so on until a round adds no one (a
fixed point). Thresholds are fractions of the whole group, 0 to 1.

Granovetter's riot: 100 people with thresholds 0, 1, 2, ..., 99 (out of 100)
all join, one per round. Change the person with threshold 1 to 2 and only the
first joins: same average, opposite outcome. That is the lesson of the game.

Learners state their threshold with a ``member.threshold`` activity whose detail
is ``{"threshold": 30}``: a whole percentage 0-100, as the workshop service
records it (``sandbox.services.workshops.set_threshold``). Inside this module
thresholds are fractions.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sandbox.errors import InsideOutError
from sandbox.metrics.records import Activity
from sandbox.metrics.wording import percent, plural, share_of

# Shares are ratios of small integers; this absorbs float noise such as 0.29 * 100.
_EPSILON = 1e-9


class ThresholdError(InsideOutError):
    """A threshold outside 0-100%."""


@dataclass(frozen=True)
class Cascade:
    thresholds: dict[str, float]
    rounds: tuple[tuple[str, ...], ...]
    """Who joined in each round; round 1 is everyone with threshold 0."""

    @property
    def population(self) -> int:
        return len(self.thresholds)

    @property
    def joined(self) -> tuple[str, ...]:
        return tuple(person for group in self.rounds for person in group)

    @property
    def final_share(self) -> float:
        return share_of(len(self.joined), self.population)

    def round_of(self, person: str) -> int | None:
        """The round in which ``person`` joins (1-based), None if never."""
        for number, group in enumerate(self.rounds, start=1):
            if person in group:
                return number
        return None

    def shares_by_round(self) -> tuple[float, ...]:
        """Share of the group that has joined after each round (for a chart)."""
        total = 0
        shares = []
        for group in self.rounds:
            total += len(group)
            shares.append(share_of(total, self.population))
        return tuple(shares)

    def summary(self) -> str:
        """E.g. ``"These thresholds predict 9 of 12 people (75%) join, over 5 rounds."``"""
        if self.population == 0:
            return "No one has stated a threshold yet."
        joined = len(self.joined)
        if joined == 0:
            return (
                f"These thresholds predict that none of the {plural(self.population, 'person', 'people')} "
                "join: nobody is willing to go first."
            )
        return (
            f"These thresholds predict {joined} of {plural(self.population, 'person', 'people')} "
            f"({percent(self.final_share)}) join, over {plural(len(self.rounds), 'round')}."
        )


def _checked(thresholds: Mapping[str, float] | Sequence[float]) -> dict[str, float]:
    if not isinstance(thresholds, Mapping):
        thresholds = {str(index): value for index, value in enumerate(thresholds)}
    checked = {}
    for person, value in thresholds.items():
        value = float(value)
        if not 0.0 <= value <= 1.0:
            raise ThresholdError(f"{person}'s threshold must be between 0% and 100% (got {value * 100:g}%).")
        checked[person] = value
    return checked


def cascade(thresholds: Mapping[str, float] | Sequence[float]) -> Cascade:
    """Run the cascade to its fixed point.

    ``thresholds`` maps a person to a fraction 0-1; a plain sequence names people
    by position ("0", "1", ...). Within a round people are listed by threshold,
    then name.

    Raises ThresholdError for a threshold below 0 or above 1.
    """
    checked = _checked(thresholds)
    ordered = sorted(checked.items(), key=lambda item: (item[1], item[0]))
    values = [value for _, value in ordered]
    population = len(ordered)
    rounds: list[tuple[str, ...]] = []
    joined = 0
    while joined < population:
        share = joined / population
        # Everyone at or below the current share is in; sorted, so a prefix.
        reach = bisect.bisect_right(values, share + _EPSILON)
        if reach <= joined:
            break
        rounds.append(tuple(person for person, _ in ordered[joined:reach]))
        joined = reach
    return Cascade(thresholds=checked, rounds=tuple(rounds))


def with_threshold(thresholds: Mapping[str, float], person: str, value: float) -> dict[str, float]:
    """A copy of ``thresholds`` with one person's changed (what the trainer's slider does).

    Raises KeyError for an unknown person.
    """
    if person not in thresholds:
        raise KeyError(person)
    changed = dict(thresholds)
    changed[person] = value
    return changed


@dataclass(frozen=True)
class Flip:
    """One threshold change that moves the predicted outcome across ``line``."""

    person: str
    old: float
    new: float
    before: Cascade
    after: Cascade

    def summary(self) -> str:
        """E.g. ``"If 1 waited for 2% instead of 1%, 1 of 100 people (1%) would join instead of 100 (100%)."``"""
        return (
            f"If {self.person} waited for {percent(self.new)} instead of {percent(self.old)}, "
            f"{len(self.after.joined)} of {plural(self.after.population, 'person', 'people')} "
            f"({percent(self.after.final_share)}) would join instead of "
            f"{len(self.before.joined)} ({percent(self.before.final_share)})."
        )


def find_flips(thresholds: Mapping[str, float] | Sequence[float], line: float = 0.5) -> list[Flip]:
    """For each person, the smallest change of their threshold alone that moves the
    predicted final share across ``line`` (from at or above it to below, or back).

    Returns the flips smallest change first (ties by person); empty when no single
    change can flip the outcome. Ties go to the lower old threshold. Only thresholds that mean a different head count
    (k / N) are tried, so the search is exhaustive yet quick for a room of 40.

    Raises ThresholdError for a threshold outside 0-1.
    """
    checked = _checked(thresholds)
    before = cascade(checked)
    population = len(checked)
    if population == 0:
        return []
    above = before.final_share >= line - _EPSILON
    candidates = [count / population for count in range(population + 1)]
    flips = []
    for person, old in checked.items():
        for new in sorted(candidates, key=lambda value: (round(abs(value - old), 9), value)):
            if abs(new - old) < _EPSILON:
                continue
            after = cascade(with_threshold(checked, person, new))
            if (after.final_share >= line - _EPSILON) != above:
                flips.append(Flip(person=person, old=old, new=new, before=before, after=after))
                break
    flips.sort(key=lambda flip: (round(abs(flip.new - flip.old), 9), flip.old, flip.person))
    return flips


def find_flip(thresholds: Mapping[str, float] | Sequence[float], line: float = 0.5) -> Flip | None:
    """The smallest single threshold change that flips the outcome, or None."""
    flips = find_flips(thresholds, line)
    return flips[0] if flips else None


def stated_thresholds(activities: Iterable[Activity]) -> dict[str, float]:
    """Each member's latest stated threshold from ``member.threshold`` activities.

    ``detail["threshold"]`` is a percentage (0-100); the answer is a fraction.
    Statements without one, or with a value outside 0-100, are skipped: the
    room's game must not break on one bad row.
    """
    latest: dict[str, tuple[datetime, int, float]] = {}
    for activity in activities:
        if activity.verb != "member.threshold":
            continue
        detail = activity.detail
        try:
            value = float(detail["threshold"]) / 100
        except (KeyError, TypeError, ValueError):
            continue
        if not 0.0 <= value <= 1.0:
            continue
        stamp = (activity.at, activity.id, value)
        if activity.actor not in latest or stamp[:2] > latest[activity.actor][:2]:
            latest[activity.actor] = stamp
    return {person: stamp[2] for person, stamp in sorted(latest.items())}


@dataclass(frozen=True)
class PersonOutcome:
    person: str
    threshold: float
    predicted_round: int | None
    adopted_at: datetime | None


@dataclass(frozen=True)
class RoomComparison:
    """What the thresholds predicted, next to what the room actually did."""

    predicted: Cascade
    people: tuple[PersonOutcome, ...]
    order_agreement: float | None
    """Share of pairs (both predicted and actual joiners, with a clear order in
    both) that joined in the predicted order; None when there are no such pairs."""

    @property
    def predicted_joiners(self) -> int:
        return sum(1 for person in self.people if person.predicted_round is not None)

    @property
    def actual_joiners(self) -> int:
        return sum(1 for person in self.people if person.adopted_at is not None)

    @property
    def both(self) -> int:
        return sum(1 for person in self.people if person.predicted_round is not None and person.adopted_at is not None)

    def summary(self) -> str:
        """E.g. ``"The thresholds predicted 8 of 12 would join; 10 did, including 7 of the 8 predicted."``"""
        total = len(self.people)
        if total == 0:
            return "No one has stated a threshold yet."
        text = (
            f"The thresholds predicted {self.predicted_joiners} of {plural(total, 'person', 'people')} would join; "
            f"{self.actual_joiners} did, including {self.both} of the {self.predicted_joiners} predicted."
        )
        if self.order_agreement is not None:
            text += f" {percent(self.order_agreement)} of pairs joined in the predicted order."
        return text


def compare_with_room(thresholds: Mapping[str, float], adopted: Mapping[str, datetime]) -> RoomComparison:
    """Compare the cascade predicted from ``thresholds`` with actual adoption times.

    ``adopted`` maps a person to when they adopted (see
    :func:`sandbox.metrics.adoption.adoption_times`); people without a stated
    threshold are left out, since the game says nothing about them.

    Raises ThresholdError for a threshold outside 0-1.
    """
    predicted = cascade(thresholds)
    people = tuple(
        PersonOutcome(
            person=person,
            threshold=value,
            predicted_round=predicted.round_of(person),
            adopted_at=adopted.get(person),
        )
        for person, value in sorted(predicted.thresholds.items(), key=lambda item: (item[1], item[0]))
    )
    joiners = [person for person in people if person.predicted_round is not None and person.adopted_at is not None]
    agree = disagree = 0
    for index, first in enumerate(joiners):
        for second in joiners[index + 1 :]:
            predicted_order = (first.predicted_round > second.predicted_round) - (first.predicted_round < second.predicted_round)
            actual_order = (first.adopted_at > second.adopted_at) - (first.adopted_at < second.adopted_at)
            if predicted_order == 0 or actual_order == 0:
                continue
            if predicted_order == actual_order:
                agree += 1
            else:
                disagree += 1
    agreement = share_of(agree, agree + disagree) if agree + disagree else None
    return RoomComparison(predicted=predicted, people=people, order_agreement=agreement)
