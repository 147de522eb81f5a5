"""Adopters over time, against the two reference lines the course teaches.

An **adopter** is a member with at least one contributing action, that is a verb
in :data:`sandbox.activity.CONTRIBUTING_VERBS` (a post, a reply, a wiki page or
edit, a bookmark, an idea, an event, a poll or a scheduling poll). Reacting,
voting or answering an invitation is participation, not adoption: it costs
little and creates nothing others can build on. A member adopts at the moment of
their first contributing action.

The chart shows one research finding for comparison, never as a target:

* 25%: the size of a committed minority that tipped a group's convention in
  Damon Centola, Joshua Becker, Devon Brackbill and Andrea Baronchelli,
  "Experimental evidence for tipping points in social convention",
  *Science* 360 (2018), 1116-1119. Its setting was an online naming game with
  paid strangers; other estimates of such a tipping point run from about 10%
  to 40%, and nobody knows a given team's number in advance.

There is no 16% line. Rogers' innovators (2.5%) and early adopters (13.5%) are
defined as the first 16% to adopt, so "the room passed 16%" is true by
definition and tells a room nothing (the threshold game is where a room's own
tipping point shows).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sandbox.activity import CONTRIBUTING_VERBS
from sandbox.metrics.records import Activity, Member
from sandbox.metrics.wording import percent, plural, share_of


@dataclass(frozen=True)
class ReferenceLine:
    """A research finding drawn on the chart for comparison (not a target)."""

    percent: int
    label: str
    setting: str
    range_note: str
    source: str
    chart_label: str  # the few words written beside the line

    def sentence(self) -> str:
        """The finding in words, with its setting and range."""
        return (f"{self.percent}% is {self.label}, in {self.setting}; {self.range_note}. "
                "It is a finding to compare with, not a target.")

    @property
    def share(self) -> float:
        return self.percent / 100

    def people_needed(self, population: int) -> int:
        """Smallest head count at or past the line (integer maths: no float rounding)."""
        return -(-self.percent * population // 100)


REFERENCE_LINES = (
    ReferenceLine(
        25,
        "where one experiment saw a committed minority tip a group",
        "an online naming game with paid strangers",
        "other estimates run from about 10% to 40%",
        'Centola et al., "Experimental evidence for tipping points in social convention", '
        "Science 360 (2018)",
        "25%: one experiment's tipping point (others: 10% to 40%)",
    ),
)


@dataclass(frozen=True)
class AdoptionPoint:
    """The room just after one more member adopted."""

    at: datetime
    handle: str
    adopters: int
    share: float


@dataclass(frozen=True)
class AdoptionCurve:
    population: int
    points: tuple[AdoptionPoint, ...]
    lines: tuple[ReferenceLine, ...] = REFERENCE_LINES

    @property
    def adopters(self) -> int:
        return len(self.points)

    @property
    def share(self) -> float:
        return share_of(self.adopters, self.population)

    def crossed_at(self, line: ReferenceLine) -> datetime | None:
        """When the room reached ``line``, or None if it has not yet."""
        needed = line.people_needed(self.population)
        if needed == 0 or self.adopters < needed:
            return None
        return self.points[needed - 1].at

    def summary(self) -> str:
        """E.g. ``"7 of 24 members (29%) have contributed."`` and the finding drawn for comparison."""
        if self.population == 0:
            return "No one has joined yet, so there is no adoption to show."
        have = "has" if self.adopters == 1 else "have"
        head = f"{self.adopters} of {plural(self.population, 'member')} ({percent(self.share)}) {have} contributed."
        return " ".join([head, *(line.sentence() for line in self.lines)])


def adoption_times(activities: Iterable[Activity], handles: Iterable[str] | None = None) -> dict[str, datetime]:
    """When each member adopted (first contributing action); members who have not are absent.

    ``handles`` limits the answer to those members (all actors when None).
    """
    wanted = set(handles) if handles is not None else None
    first: dict[str, datetime] = {}
    for activity in activities:
        if activity.verb not in CONTRIBUTING_VERBS:
            continue
        if wanted is not None and activity.actor not in wanted:
            continue
        seen = first.get(activity.actor)
        if seen is None or activity.at < seen:
            first[activity.actor] = activity.at
    return first


def adoption_curve(activities: Sequence[Activity], members: Sequence[Member]) -> AdoptionCurve:
    """Adopters over time among ``members`` (pass only the people the room is about,
    usually the learners). Ties in time are broken by handle so the curve is stable."""
    return curve_from_times(adoption_times(activities, (member.handle for member in members)), members)


def curve_from_times(times: dict[str, datetime], members: Sequence[Member]) -> AdoptionCurve:
    """The curve from adoption times already computed (see :func:`adoption_times`)."""
    handles = {member.handle for member in members}
    times = {handle: at for handle, at in times.items() if handle in handles}
    ordered = sorted(times.items(), key=lambda item: (item[1], item[0]))
    population = len(handles)
    points = tuple(
        AdoptionPoint(at=at, handle=handle, adopters=rank, share=share_of(rank, population))
        for rank, (handle, at) in enumerate(ordered, start=1)
    )
    return AdoptionCurve(population=population, points=points)
