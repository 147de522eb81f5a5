"""The activity log's vocabulary: one source of truth for verbs and the export shape.

Every command in the sandbox writes one activity row in the same transaction as
its own rows. Missions, metrics, the export and the debrief read only these rows.
This module knows no database and no Streamlit: services, simulation, metrics and
the export all import it, and so can anyone reading an export.

An activity, as stored and as exported (JSON: a list of objects; CSV: one row each):

    id            int, increasing within the whole store
    workshop      join code of the workshop
    at            ISO 8601 UTC timestamp, e.g. "2026-11-27T09:14:03Z"
    actor         member handle (stable within a workshop; pseudonymised on request)
    actor_kind    "learner" | "simulated" | "trainer"
    department    the actor's department (may be "")
    verb          one of VERBS below
    object_type   "post" | "wiki_page" | "bookmark" | "idea" | "event" | "poll" |
                  "group" | "member" | "mission" | "threshold" | "assessment" |
                  "hand_in" | "campaign" | ""
    object_id     id of the object acted on (string; "" when none)
    target        handle of the member the action is addressed to, when there is one:
                  the author of the post replied to or reacted to, the member
                  mentioned or praised, the previous editor of a wiki page. "" if none.
    detail        short JSON object with verb-specific facts (tag list, reaction
                  emoji, vote count, ...). Never free text written by a learner.
                  ``detail.driven_by`` says what made a simulated colleague act:
                  "trainer" (the trainer spoke as them) or the scripted step's key
                  ("inject:<id>", "rule:<id>..."); absent for a person's own action.

The export file (``insideout workshop export``) is JSON of this shape:

    {"schema": "insideout.export/1",
     "workshop": {"code", "title", "scenario", "mode", "created_at", "exported_at"},
     "members": [{"handle", "display_name", "department", "kind", "champion",
                  "joined_at"}],
     "activities": [ ...as above... ]}

or CSV with one row per activity and the columns of ``EXPORT_COLUMNS``.
"""
from __future__ import annotations

import json

EXPORT_SCHEMA = "insideout.export/1"

EXPORT_COLUMNS = (
    "id",
    "workshop",
    "at",
    "actor",
    "actor_kind",
    "department",
    "verb",
    "object_type",
    "object_id",
    "target",
    "detail",
)

ACTOR_KINDS = ("learner", "simulated", "trainer")
# A co-trainer who watches with a read-only console and writes notes; never an actor.
OBSERVER = "observer"

# ``driven_by`` (the store's column; ``detail.driven_by`` in an export): what made a
# simulated colleague act. The trainer speaking as them, or a step of the scenario.
DRIVEN_BY_TRAINER = "trainer"
SCRIPTED_STEP_PREFIX = "inject:"


def scripted_step(driven_by: str) -> str:
    """The id of the room's scripted step that wrote a row, or "" when none did.

    A step of the shared timeline is ``inject:<id>``. Reactive rules (``rule:...``),
    seed content and a self-study learner's own copy of a step (scoped
    ``learner:<handle>:inject:<id>``) are not steps of the room's timeline.
    """
    return driven_by[len(SCRIPTED_STEP_PREFIX):] if driven_by.startswith(SCRIPTED_STEP_PREFIX) else ""

# The reactions a post can get (``detail.reaction`` of ``post.react``). The feed
# gives each an emoji; scenario files are checked against these names.
REACTIONS = ("like", "thanks", "celebrate", "insightful")

# verb -> what it means. Grouped by feature; the prefix names the feature.
VERBS: dict[str, str] = {
    # membership
    "member.join": "joined the workshop and accepted the usage policy",
    "member.threshold": "stated an adoption threshold (detail.threshold: whole percent 0-100)",
    # feed
    "post.create": "wrote a new post (detail: tags, mentions, group, kind)",
    "post.reply": (
        "replied in a thread (object_id: the reply itself; detail.thread: the thread's "
        "first post; target: author of the post replied to)"
    ),
    "post.edit": "edited their own post",
    "post.delete": "deleted their own post",
    "post.react": "reacted to a post (detail: reaction; target: the post's author)",
    "post.mention": "mentioned a member in a post or reply (target: who)",
    "post.praise": "praised a member (target: who)",
    "post.answer": "marked a reply as the answer to a question",
    "post.pin": "pinned or unpinned a post (trainer)",
    "post.hide": "hid a post with a reason (trainer moderation)",
    "poll.create": "created a poll",
    "poll.vote": "voted in a poll",
    "group.create": "created a group",
    "group.join": "joined a group",
    # wiki
    "wiki.create": "created a wiki page",
    "wiki.edit": "saved a new revision (target: author of the previous revision)",
    "wiki.revert": "reverted a page to an earlier revision",
    # bookmarks
    "bookmark.save": "saved a bookmark (detail: tags; target: first saver if not them)",
    # ideas
    "idea.create": "posted an idea",
    "idea.vote": "spent a vote on an idea (target: the idea's author)",
    "idea.unvote": "took a vote back",
    "idea.status": "changed an idea's status (trainer)",
    # events and scheduling
    "event.create": "created an event",
    "event.rsvp": "answered an invitation (detail: going, maybe, not going)",
    "schedule.create": "started a scheduling poll",
    "schedule.vote": "picked times in a scheduling poll",
    # reading (recorded at most once per READING_THROTTLE_SECONDS per member and page, see
    # sandbox/services/reading.py; Viva Engage counts "seen by" from the same kind of signal)
    "feed.view": "looked at the feed (detail.posts: ids of the posts the page showed)",
    "post.view": "opened a thread (object_id: the thread's first post; target: its author)",
    # campaigns (as Viva Engage has them: a hashtag, a goal, an end)
    "campaign.start": (
        "the trainer started a hashtag campaign (object_id: the tag; detail: tag, goal posts, minutes it runs; "
        "starting the same tag again replaces its goal)"
    ),
    # search
    "search.run": "searched (detail: number of results; never the query text)",
    # missions and the room
    "mission.complete": "completed a mission (object_id: mission id)",
    # the before-and-after self-assessment (questions: sandbox/assessment/questions.yaml)
    "assessment.answer": (
        "answered one self-assessment item (detail: round before|after, item, value: 1-4 for a "
        "confidence item or the option letter for a knowledge item, and correct for a knowledge item)"
    ),
    "assessment.skip": "chose not to answer a round of the self-assessment (detail.round)",
    "assessment.open": "the trainer opened a round of the self-assessment for the room (detail.round)",
    # exercises handed in on the Hand in page (the notebook itself is in hand_ins, never here)
    "exercise.hand_in": (
        "handed in an exercise notebook (object_id: the hand-in; detail: assignment, late, "
        "attempt: 1 for the first hand-in of that assignment)"
    ),
}

# Verbs that count as "contributing" (creating content) for 90-9-1 and adoption.
CONTRIBUTING_VERBS = frozenset(
    {
        "post.create",
        "post.reply",
        "poll.create",
        "wiki.create",
        "wiki.edit",
        "bookmark.save",
        "idea.create",
        "event.create",
        "schedule.create",
    }
)

# Verbs that are light participation: reacting, voting, answering an invitation.
LIGHT_VERBS = frozenset(
    {"post.react", "poll.vote", "idea.vote", "event.rsvp", "schedule.vote", "group.join"}
)

# Verbs that record reading, not doing: metrics of activity leave them out.
READING_VERBS = frozenset({"feed.view", "post.view"})

# Verbs that connect two people (an edge in the interaction network).
TIE_VERBS = frozenset(
    {"post.reply", "post.react", "post.mention", "post.praise", "wiki.edit", "idea.vote"}
)


def parse_detail(text: str | None) -> dict:
    """An activity's ``detail`` column as a dict; empty, broken or non-object JSON gives {}.

    Readers of the live log use this: one odd row must never stop a page or a tick.
    """
    if not text or text == "{}":
        return {}
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
