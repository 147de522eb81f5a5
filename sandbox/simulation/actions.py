"""What a simulated colleague can do, and what each action needs in its payload.

Injects and reactive rules name their action with a verb from
:data:`sandbox.activity.VERBS`, so the timeline, the log and the missions share
one vocabulary. Trainer-only verbs (pin, hide, idea status), editing or deleting,
searching and ``mission.complete`` are not actions a persona takes.

Payload fields are ``required``, ``optional`` or ``refs`` (a field naming an
object: a seed item or one an earlier inject created). In a reactive rule a
reference may be left out: the action then applies to the object that
triggered the rule (the reply goes to the learner's post).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActionSpec:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    refs: dict[str, str] = field(default_factory=dict)
    """payload field -> kind of object it names (post, wiki, idea, poll, ...)."""
    optional_refs: dict[str, str] = field(default_factory=dict)
    """Like ``refs``, but may be left out anywhere (a post need not be in a group)."""
    creates: str = ""
    """Kind of object this action creates (its payload ``id`` names it)."""

    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional + tuple(self.refs) + tuple(self.optional_refs)


ACTIONS: dict[str, ActionSpec] = {
    "member.join": ActionSpec(),
    "member.threshold": ActionSpec(required=("threshold",)),
    "post.create": ActionSpec(
        required=("text",), optional=("id", "tags", "mentions", "kind"), optional_refs={"group": "group"}, creates="post"
    ),
    "post.reply": ActionSpec(required=("text",), optional=("mentions",), refs={"to": "post"}),
    "post.react": ActionSpec(optional=("reaction",), refs={"to": "post"}),
    "post.praise": ActionSpec(required=("text",), optional=("member",)),
    "post.answer": ActionSpec(refs={"to": "post"}),
    "poll.create": ActionSpec(required=("question", "options"), optional=("id",), creates="poll"),
    "poll.vote": ActionSpec(optional=("option",), refs={"poll": "poll"}),
    "group.create": ActionSpec(required=("name",), optional=("id", "description"), creates="group"),
    "group.join": ActionSpec(refs={"group": "group"}),
    "wiki.create": ActionSpec(required=("title", "text"), optional=("id",), creates="wiki"),
    "wiki.edit": ActionSpec(required=("text",), optional=("summary",), refs={"page": "wiki"}),
    "bookmark.save": ActionSpec(required=("url", "title"), optional=("tags", "note")),
    "idea.create": ActionSpec(required=("title", "text"), optional=("id", "tags"), creates="idea"),
    "idea.vote": ActionSpec(refs={"idea": "idea"}),
    "event.create": ActionSpec(
        required=("title",), optional=("id", "starts_in_days", "time", "location", "description"), creates="event"
    ),
    "event.rsvp": ActionSpec(optional=("answer",), refs={"event": "event"}),
    "schedule.create": ActionSpec(required=("title", "slots"), optional=("id",), creates="schedule"),
    "schedule.vote": ActionSpec(optional=("picks",), refs={"poll": "schedule"}),
}

RSVP_ANSWERS = ("going", "maybe", "not going")
