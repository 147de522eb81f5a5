"""Who creates, who only reacts, who only reads: the room against 90-9-1.

Jakob Nielsen, "Participation Inequality: Encouraging More Users to Contribute"
(Nielsen Norman Group, 2006) observed that in most online communities about 90%
of people only read, 9% contribute from time to time and 1% create most of
the content. We map the activity vocabulary onto those three groups:

* **creators**: at least one contributing action
  (:data:`sandbox.activity.CONTRIBUTING_VERBS`), compared with Nielsen's 1%;
* **light participants**: no contributing action, but at least one light one
  (:data:`sandbox.activity.LIGHT_VERBS`: a reaction, a vote, an RSVP, ...),
  compared with the 9%;
* **readers**: neither, compared with the 90%.

The mapping is ours, not Nielsen's: his middle group also writes, just rarely.
A workshop room is expected to beat 90-9-1 by far; the point of the chart is to
show by how much.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sandbox.activity import CONTRIBUTING_VERBS, LIGHT_VERBS
from sandbox.metrics.records import Activity, Member
from sandbox.metrics.wording import percent, share_of

NIELSEN_SPLIT = {"creators": 0.01, "light": 0.09, "readers": 0.90}
NIELSEN_SOURCE = 'Nielsen, "Participation Inequality" (2006)'


@dataclass(frozen=True)
class Participation:
    population: int
    creators: int
    light: int
    readers: int
    top_tenth_share: float
    """Share of all contributing actions made by the busiest tenth of the room."""

    @property
    def shares(self) -> dict[str, float]:
        return {
            "creators": share_of(self.creators, self.population),
            "light": share_of(self.light, self.population),
            "readers": share_of(self.readers, self.population),
        }

    def summary(self) -> str:
        """E.g. ``"Creators 50%, light participants 25%, readers 25% (90-9-1 would be 1%, 9%, 90%)."``"""
        if self.population == 0:
            return "No one has joined yet, so there is no participation to show."
        shares = self.shares
        return (
            f"Creators {percent(shares['creators'])}, light participants {percent(shares['light'])}, "
            f"readers {percent(shares['readers'])} (90-9-1 would be 1%, 9%, 90%)."
        )


def participation(activities: Sequence[Activity], members: Sequence[Member]) -> Participation:
    """Split ``members`` (usually the learners) into creators, light participants and readers.

    Actors who are not among ``members`` are ignored.
    """
    handles = {member.handle for member in members}
    contributions: Counter[str] = Counter()
    light: set[str] = set()
    for activity in activities:
        if activity.actor not in handles:
            continue
        if activity.verb in CONTRIBUTING_VERBS:
            contributions[activity.actor] += 1
        elif activity.verb in LIGHT_VERBS:
            light.add(activity.actor)
    light -= contributions.keys()
    population = len(handles)
    tenth = -(-population // 10)  # at least one person once anyone is there
    busiest = sum(count for _, count in contributions.most_common(tenth))
    return Participation(
        population=population,
        creators=len(contributions),
        light=len(light),
        readers=population - len(contributions) - len(light),
        top_tenth_share=share_of(busiest, sum(contributions.values())),
    )
