"""Read an Inside-Out workshop export (JSON or CSV) into plain Python lists.

This file sits next to every notebook that analyses a workshop (a copy made
by ``python -m exercises.notebook.sync``; a test checks the copies match).
It needs only the standard library, so it runs in the browser's Python
(JupyterLite) as well as in Jupyter: notebooks never import the sandbox or
pandas. The verb groups below mirror ``sandbox/activity.py`` (a test checks
that too).

    from insideout_export import load_export
    export = load_export("sample-export.json")   # or your own workshop's file
    export.members       # one dict per member: handle, department, kind ...
    export.activities    # one dict per action, oldest first: actor, verb, target ...
    export.views         # when someone looked at the feed or opened a thread (reading, not doing)
    show(export.activities[:5])                  # a small table of the first five
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

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
# Reading, not doing: the sandbox notes when someone looks at the feed or opens a thread
# (at most once every few minutes). The reader keeps these rows apart, in ``export.views``,
# so that counting ``export.activities`` counts what people did, never what they read.
READING_VERBS = frozenset({"feed.view", "post.view"})
# Actions that connect two people (a tie in the network).
TIE_VERBS = frozenset({
    "post.reply", "post.react", "post.mention", "post.praise", "wiki.edit", "idea.vote",
})


class ExportFileError(ValueError):
    """The file is missing or is not an Inside-Out export; the message says what to do."""


@dataclass
class Export:
    workshop: dict
    members: list = field(default_factory=list)  # dicts: handle, display_name, department, kind, ...
    activities: list = field(default_factory=list)  # dicts with COLUMNS; "at" is a datetime, "detail" a dict
    source: str = ""
    views: list = field(default_factory=list)  # the reading rows (READING_VERBS), in the same shape


def load_export(path="sample-export.json") -> Export:
    """Load a workshop export from a .json or .csv file.

    Raises ExportFileError (one plain sentence) when the file does not exist,
    is neither JSON nor CSV, or lacks the columns of an Inside-Out export.
    A CSV export has no member list, so members are worked out from who acted
    or read. Reading rows (``feed.view``, ``post.view``) go to ``views``, not ``activities``.
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
        rows = [{column: row.get(column, "") for column in COLUMNS} for row in data.get("activities", [])]
        members = [dict(member) for member in data.get("members", [])]
        workshop = dict(data.get("workshop", {}))
    elif suffix == ".csv":
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                rows = [dict(row) for row in reader]
                header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as error:
            raise ExportFileError(f"'{path.name}' is not a readable CSV export ({error}).") from None
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise ExportFileError(
                f"'{path.name}' is missing the column(s) {', '.join(missing)}: "
                "it does not look like an Inside-Out export."
            )
        try:
            for row in rows:
                row["id"] = int(row["id"])
                row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        except ValueError as error:
            raise ExportFileError(f"'{path.name}' is not a readable CSV export ({error}).") from None
        members = []
        workshop = {"code": ", ".join(sorted({row["workshop"] for row in rows}))}
    else:
        raise ExportFileError(f"'{path.name}' should end in .json or .csv.")
    for row in rows:
        row["at"] = _moment(row["at"], path)
    rows.sort(key=lambda row: (row["at"], row["id"]))
    if not members:
        members = _members_from(rows)
    activities = [row for row in rows if row["verb"] not in READING_VERBS]
    views = [row for row in rows if row["verb"] in READING_VERBS]
    return Export(workshop, members, activities, str(path), views=views)


def _moment(text, path: Path) -> datetime:
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise ExportFileError(f"'{path.name}' has a time that is not a date and time: {text!r}.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _members_from(activities: list) -> list:
    members, seen = [], set()
    for row in activities:
        if row["actor"] not in seen:
            seen.add(row["actor"])
            members.append({"handle": row["actor"], "display_name": row["actor"], "department": row["department"],
                            "kind": row["actor_kind"], "champion": False, "joined_at": row["at"]})
    return members


def people(export: Export) -> list:
    """Members who take part: everyone except trainers (one dict each)."""
    return [member for member in export.members if member["kind"] != "trainer"]


def contributions(export: Export) -> dict:
    """How many contributing actions each participant made: ``{handle: count}``, 0 for those who made none."""
    made = {member["handle"]: 0 for member in people(export)}
    for row in export.activities:
        if row["verb"] in CONTRIBUTING_VERBS and row["actor"] in made:
            made[row["actor"]] += 1
    return made


def ties(export: Export) -> set:
    """Pairs of participants connected by at least one reply, reaction, mention,
    praise, wiki edit or idea vote (in either direction)."""
    taking_part = {member["handle"] for member in people(export)}
    pairs = set()
    for row in export.activities:
        actor, target = row["actor"], row["target"]
        if row["verb"] in TIE_VERBS and actor != target and actor in taking_part and target in taking_part:
            pairs.add(frozenset((actor, target)))
    return pairs


def object_ids(export: Export, verb: str) -> set:
    """The ``object_id`` of every action with this ``verb`` (e.g. every new post's id)."""
    return {row["object_id"] for row in export.activities if row["verb"] == verb}


def replied_threads(export: Export) -> set:
    """The posts that got at least one reply: for every reply, the post that started its
    thread (``detail["thread"]``; a reply's own ``object_id`` is the reply itself). An
    older export without ``thread`` names the post replied to in ``object_id``."""
    found = set()
    for row in export.activities:
        if row["verb"] == "post.reply":
            thread = row["detail"].get("thread") if isinstance(row["detail"], dict) else None
            found.add(str(thread) if thread not in (None, "") else row["object_id"])
    return found


def ranked(counts: dict) -> list:
    """``(handle, count)`` pairs, the biggest count first (ties in name order)."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def show(rows, columns=None, limit: int = 20) -> None:
    """Print ``rows`` (dicts, or pairs like ``ranked()`` gives) as a small text table."""
    rows = list(rows)
    if rows and not isinstance(rows[0], dict):
        rows = [{"handle": row[0], "count": row[1]} for row in rows]
    if not rows:
        print("(nothing to show)")
        return
    columns = list(columns or [c for c in rows[0] if c not in ("workshop", "detail")])

    def text(value):
        return value.strftime("%H:%M:%S") if isinstance(value, datetime) else str(value)

    cells = [[text(row.get(column, "")) for column in columns] for row in rows[:limit]]
    widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
    print("  ".join(column.ljust(width) for column, width in zip(columns, widths)))
    for line in cells:
        print("  ".join(value.ljust(width) for value, width in zip(line, widths)))
    if len(rows) > limit:
        print(f"... and {len(rows) - limit} more")
