"""Tag reuse: are people building a shared vocabulary, or inventing tags alone?

Every tag on a post, reply, bookmark, idea or wiki edit (``detail["tags"]``) is a
**use**. A use is a **reuse** when someone else used the same tag earlier in the
log, or when the tag came with the scenario's seed content. Tags are compared
case-insensitively and without ``#``.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sandbox.metrics.records import Activity, _in_log_order, normalise_tags
from sandbox.metrics.wording import percent, plural, share_of


@dataclass(frozen=True)
class TagReuse:
    uses: int
    reuses: int
    distinct_tags: int
    top_tags: tuple[tuple[str, int], ...]
    """(tag, uses) for a tag cloud, most used first, at most 20."""

    @property
    def share(self) -> float:
        return share_of(self.reuses, self.uses)

    def summary(self) -> str:
        """E.g. ``"6 of 8 tag uses (75%) reused a tag someone else had used; the most used is #timetable."``"""
        if self.uses == 0:
            return "Nobody has tagged anything yet."
        top = self.top_tags[0][0]
        return (
            f"{self.reuses} of {plural(self.uses, 'tag use')} ({percent(self.share)}) reused a tag "
            f"someone else had used; the most used is #{top}."
        )


def tag_reuse(activities: Sequence[Activity], seed_tags: Iterable[str] = ()) -> TagReuse:
    """Count tag uses and reuses in log order (by time, then id)."""
    # "" stands for the scenario: seed tags count as used by someone else.
    users: dict[str, set[str]] = {tag: {""} for tag in normalise_tags(list(seed_tags))}
    tagged = [activity for activity in activities if activity.detail and activity.detail.get("tags")]
    if not _in_log_order(tagged):
        tagged.sort(key=lambda activity: (activity.at, activity.id))
    counts: Counter[str] = Counter()
    reuses = 0
    for activity in tagged:
        for tag in set(activity.tags()):
            counts[tag] += 1
            earlier = users.setdefault(tag, set())
            # Someone other than this actor used it before (no set copy: this runs per tag use).
            if len(earlier) > (activity.actor in earlier):
                reuses += 1
            earlier.add(activity.actor)
    # Ties broken by name so the cloud does not reshuffle between reruns.
    top = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:20])
    return TagReuse(uses=sum(counts.values()), reuses=reuses, distinct_tags=len(counts), top_tags=top)
