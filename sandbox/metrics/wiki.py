"""Wiki editors per page: is the wiki a shared document or a personal notepad?

A page's editors are the distinct members who created, edited or reverted it
(``wiki.create``, ``wiki.edit``, ``wiki.revert`` on the same ``object_id``).
The course's "Word file on the share" story is won when pages have two editors
or more.
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from sandbox.metrics.records import Activity
from sandbox.metrics.wording import percent, plural, share_of

WIKI_VERBS = frozenset({"wiki.create", "wiki.edit", "wiki.revert"})


@dataclass(frozen=True)
class WikiEditors:
    editors_per_page: dict[str, int]
    """Page id -> number of distinct editors, busiest page first."""

    @property
    def pages(self) -> int:
        return len(self.editors_per_page)

    @property
    def shared_pages(self) -> int:
        """Pages with at least two editors."""
        return sum(1 for count in self.editors_per_page.values() if count >= 2)

    @property
    def median_editors(self) -> float:
        return statistics.median(self.editors_per_page.values()) if self.editors_per_page else 0.0

    def summary(self) -> str:
        """E.g. ``"3 of 4 wiki pages (75%) have more than one editor; the median is 2 editors a page."``"""
        if not self.pages:
            return "Nobody has written in the wiki yet."
        median = self.median_editors
        median_text = f"{median:g} editor{'' if median == 1 else 's'}"
        return (
            f"{self.shared_pages} of {plural(self.pages, 'wiki page')} "
            f"({percent(share_of(self.shared_pages, self.pages))}) have more than one editor; "
            f"the median is {median_text} a page."
        )


def wiki_editors(activities: Sequence[Activity]) -> WikiEditors:
    """Distinct editors of every wiki page that appears in the log."""
    editors: dict[str, set[str]] = {}
    for activity in activities:
        if activity.verb in WIKI_VERBS and activity.object_id:
            editors.setdefault(activity.object_id, set()).add(activity.actor)
    counts = sorted(((page, len(people)) for page, people in editors.items()), key=lambda item: (-item[1], item[0]))
    return WikiEditors(editors_per_page=dict(counts))
