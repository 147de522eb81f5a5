"""The shape of a scenario file, as data. Read this to learn what a file may hold.

Times: seed content lives before the session (``minutes_ago``); injects happen
during it (``at_minute`` from the start of the session). Thresholds are
fractions: 0.25 means "I'll join once 25% have".
"""
from __future__ import annotations

from sandbox.activity import REACTIONS
from sandbox.simulation.actions import RSVP_ANSWERS
from sandbox.simulation.schema import (
    AnyMapping,
    Anything,
    Flag,
    Id,
    ListOf,
    MapOf,
    Number,
    OneOf,
    Record,
    Text,
)

def _clock_time(text: str) -> bool:
    hours, _, minutes = text.partition(":")
    return len(minutes) == 2 and hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60


TAGS = ListOf(Text(max_length=40))
HANDLES = ListOf(Id())
MINUTES_AGO = (Number(minimum=0, maximum=60 * 24 * 365), 0)

ORGANISATION = Record(
    required={"name": Text(max_length=120), "kind": Text(max_length=200)},
    optional={"description": (Text(), "")},
)

SETTINGS = Record(
    optional={
        "duration_minutes": (Number(minimum=10, maximum=60 * 24 * 14, whole=True), 90),
        "idea_votes": (Number(minimum=1, maximum=20, whole=True), 3),
        "random_seed": (Number(minimum=0, whole=True), 1),
    }
)

DEPARTMENT = Record(
    required={"id": Id(), "name": Text(max_length=80)},
    optional={"tags": (TAGS, list)},
)

PERSONA = Record(
    required={
        "handle": Id(),
        "name": Text(max_length=80),
        "role": Text(max_length=120),
        "department": Id(),
        "threshold": Number(minimum=0, maximum=1),
    },
    optional={
        "champion": (Flag(), False),
        "newcomer": (Flag(), False),
        "bio": (Text(max_length=500), ""),
    },
)

REPLY = Record(
    required={"author": Id(), "text": Text()},
    optional={"minutes_ago": MINUTES_AGO},
)

REACTION = Record(required={"by": Id()}, optional={"reaction": (OneOf(REACTIONS), "like")})

POST = Record(
    required={"id": Id(), "author": Id(), "text": Text()},
    optional={
        "minutes_ago": MINUTES_AGO,
        "tags": (TAGS, list),
        "mentions": (HANDLES, list),
        "group": (Id(), ""),
        "kind": (OneOf(("post", "question", "announcement")), "post"),
        "pinned": (Flag(), False),
        "replies": (ListOf(REPLY), list),
        "reactions": (ListOf(REACTION), list),
    },
)

GROUP = Record(
    required={"id": Id(), "name": Text(max_length=80), "owner": Id()},
    optional={"description": (Text(), ""), "members": (HANDLES, list)},
)

REVISION = Record(
    required={"author": Id(), "text": Text(max_length=20000)},
    optional={"summary": (Text(max_length=200), ""), "minutes_ago": MINUTES_AGO},
)

WIKI_PAGE = Record(
    required={"id": Id(), "title": Text(max_length=120), "revisions": ListOf(REVISION, min_items=1)},
)

SHARE_FILE = Record(
    required={
        "id": Id(),
        "path": Text(max_length=200),
        "owner": Id(),
        "title": Text(max_length=120),
        "story": Text(),
        "text": Text(max_length=20000),
    },
)

BOOKMARK = Record(
    required={"id": Id(), "url": Text(max_length=500), "title": Text(max_length=200), "saved_by": HANDLES},
    optional={"tags": (TAGS, list), "note": (Text(max_length=500), "")},
)

IDEA = Record(
    required={"id": Id(), "author": Id(), "title": Text(max_length=120), "text": Text()},
    optional={
        "tags": (TAGS, list),
        "votes": (HANDLES, list),
        "status": (OneOf(("new", "under review", "planned", "done")), "new"),
        "minutes_ago": MINUTES_AGO,
    },
)

EVENT = Record(
    required={"id": Id(), "title": Text(max_length=120), "organiser": Id(), "starts_in_days": Number(minimum=0)},
    optional={
        "time": (Text(max_length=5, pattern=_clock_time, pattern_hint='must be a time like "09:30"'), "10:00"),
        "location": (Text(max_length=120), ""),
        "description": (Text(), ""),
        "rsvps": (MapOf(Id(), OneOf(RSVP_ANSWERS)), dict),
    },
)

POLL = Record(
    required={"id": Id(), "author": Id(), "question": Text(max_length=200), "options": ListOf(Text(max_length=80), min_items=2)},
    optional={"votes": (MapOf(Id(), Text(max_length=80)), dict), "minutes_ago": MINUTES_AGO},
)

SCHEDULE_POLL = Record(
    required={"id": Id(), "author": Id(), "title": Text(max_length=120), "slots": ListOf(Text(max_length=80), min_items=2)},
    optional={"picks": (MapOf(Id(), ListOf(Text(max_length=80))), dict)},
)

SEED = Record(
    required={
        "posts": ListOf(POST, min_items=1),
        "wiki_pages": ListOf(WIKI_PAGE, min_items=1),
        "share_files": ListOf(SHARE_FILE, min_items=1),
        "bookmarks": ListOf(BOOKMARK, min_items=1),
        "ideas": ListOf(IDEA, min_items=1),
        "events": ListOf(EVENT, min_items=1),
        "polls": ListOf(POLL, min_items=1),
        "schedule_polls": ListOf(SCHEDULE_POLL, min_items=1),
    },
    optional={"groups": (ListOf(GROUP), list)},
)

INJECT = Record(
    required={"id": Id(), "at_minute": Number(), "persona": Id(), "action": Text(max_length=40)},
    optional={"payload": (AnyMapping(), dict), "after": (HANDLES, list)},
)

RESPONDERS = ("champion", "expert", "mentioned", "previous_editor", "colleague")

RULE = Record(
    required={
        "id": Id(),
        "when": Record(
            required={"verb": Text(max_length=40)},
            optional={
                "by": (OneOf(("learner", "simulated", "anyone")), "learner"),
                "first_post": (Flag(), False),
                "tag": (Text(max_length=40), ""),
                "mentions_persona": (Flag(), False),
            },
        ),
        "respond": Record(
            required={"persona": Id(), "action": Text(max_length=40)},
            optional={
                "delay_minutes": (Number(minimum=0, maximum=120), 1),
                "payload": (AnyMapping(), dict),
            },
        ),
    },
    optional={"chance": (Number(minimum=0, maximum=1), 1.0)},
)

MISSION = Record(
    required={
        "id": Id(),
        "title": Text(max_length=80),
        "module": Number(whole=True),
        "description": Text(),
        "hint": Text(max_length=300),
        # The check language is parsed by sandbox.simulation.missions.parse_check.
        "check": Anything(),
    },
)

SCENARIO = Record(
    required={
        "title": Text(max_length=120),
        "organisation": ORGANISATION,
        "departments": ListOf(DEPARTMENT, min_items=1),
        "personas": ListOf(PERSONA, min_items=1),
        "seed": SEED,
        "injects": ListOf(INJECT),
        "rules": ListOf(RULE),
        "missions": ListOf(MISSION),
    },
    optional={"settings": (SETTINGS, lambda: {"duration_minutes": 90, "idea_votes": 3, "random_seed": 1})},
)
