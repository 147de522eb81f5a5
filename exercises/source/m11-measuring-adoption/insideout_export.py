"""Read an Inside-Out workshop export (JSON or CSV) into pandas tables.

This file sits next to every notebook that analyses a workshop (a copy made
by ``python -m exercises.notebook.sync``; a test checks the copies match).
It needs only pandas and the standard library: notebooks never import the
sandbox. The verb groups below mirror ``sandbox/activity.py`` (a test checks
that too).

    from insideout_export import load_export
    export = load_export("sample-export.json")   # or your own workshop's file
    export.members       # one row per member
    export.activities    # one row per action, oldest first
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

SCHEMA = "insideout.export/1"
COLUMNS = ("id", "workshop", "at", "actor", "actor_kind", "department", "verb",
           "object_type", "object_id", "target", "detail")

# Creating something others can read: posts, replies, wiki pages, bookmarks ...
CONTRIBUTING_VERBS = frozenset({
    "post.create", "post.reply", "poll.create", "wiki.create", "wiki.edit",
    "bookmark.save", "idea.create", "event.create", "schedule.create",
})
# Light participation: reacting, voting, answering an invitation.
LIGHT_VERBS = frozenset({
    "post.react", "poll.vote", "idea.vote", "event.rsvp", "schedule.vote", "group.join",
})
# Actions that connect two people (a tie in the network).
TIE_VERBS = frozenset({
    "post.reply", "post.react", "post.mention", "post.praise", "wiki.edit", "idea.vote",
})


class ExportFileError(ValueError):
    """The file is missing or is not an Inside-Out export; the message says what to do."""


@dataclass
class Export:
    workshop: dict
    members: pd.DataFrame
    activities: pd.DataFrame
    source: str = field(default="")


def load_export(path="sample-export.json") -> Export:
    """Load a workshop export from a .json or .csv file.

    Raises ExportFileError (one plain sentence) when the file does not exist,
    is neither JSON nor CSV, or lacks the columns of an Inside-Out export.
    A CSV export has no member list, so members are worked out from who acted.
    """
    path = Path(path)
    if not path.is_file():
        raise ExportFileError(
            f"I could not find the file '{path}'. Check the name and that the file "
            "is in the same folder as this notebook."
        )
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ExportFileError(f"'{path.name}' is not a readable JSON export ({error}).") from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ExportFileError(
                f"'{path.name}' is not an Inside-Out export: use the file from "
                "'Export (JSON)' in the trainer console or 'insideout workshop export'."
            )
        activities = pd.DataFrame(data.get("activities", []), columns=list(COLUMNS))
        members = pd.DataFrame(data.get("members", []))
        workshop = dict(data.get("workshop", {}))
    elif suffix == ".csv":
        try:
            activities = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (UnicodeDecodeError, pd.errors.ParserError) as error:
            raise ExportFileError(f"'{path.name}' is not a readable CSV export ({error}).") from None
        missing = [c for c in COLUMNS if c not in activities.columns]
        if missing:
            raise ExportFileError(
                f"'{path.name}' is missing the column(s) {', '.join(missing)}: "
                "it does not look like an Inside-Out export."
            )
        activities["id"] = activities["id"].astype(int)
        activities["detail"] = [json.loads(d) if d else {} for d in activities["detail"]]
        members = _members_from(activities)
        codes = sorted(set(activities["workshop"]))
        workshop = {"code": ", ".join(codes)}
    else:
        raise ExportFileError(f"'{path.name}' should end in .json or .csv.")
    activities["at"] = pd.to_datetime(activities["at"], utc=True)
    activities = activities.sort_values(["at", "id"], kind="stable").reset_index(drop=True)
    if members.empty:
        members = _members_from(activities)
    return Export(workshop, members, activities, str(path))


def _members_from(activities: pd.DataFrame) -> pd.DataFrame:
    firsts = activities.drop_duplicates("actor")
    return pd.DataFrame({
        "handle": firsts["actor"].tolist(),
        "display_name": firsts["actor"].tolist(),
        "department": firsts["department"].tolist(),
        "kind": firsts["actor_kind"].tolist(),
        "champion": [False] * len(firsts),
        "joined_at": firsts["at"].tolist(),
    })


def people(export: Export) -> pd.DataFrame:
    """Members who take part: everyone except trainers."""
    return export.members[export.members["kind"] != "trainer"].reset_index(drop=True)


def contributions(export: Export) -> pd.Series:
    """How many contributing actions each participant made (0 for those who made none)."""
    handles = people(export)["handle"]
    made = export.activities[export.activities["verb"].isin(CONTRIBUTING_VERBS)]
    counts = made.groupby("actor").size()
    return counts.reindex(handles, fill_value=0).rename("contributions")


def ties(export: Export) -> set[frozenset]:
    """Pairs of participants connected by at least one reply, reaction, mention,
    praise, wiki edit or idea vote (in either direction)."""
    taking_part = set(people(export)["handle"])
    pairs = set()
    for actor, target in export.activities.loc[
        export.activities["verb"].isin(TIE_VERBS), ["actor", "target"]
    ].itertuples(index=False):
        if actor != target and actor in taking_part and target in taking_part:
            pairs.add(frozenset((actor, target)))
    return pairs
