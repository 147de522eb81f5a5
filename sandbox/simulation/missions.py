"""Missions: declarative checks over the activity log, each linked to a course module.

A mission's ``check`` is written in the scenario file in a small language:

* a **step** is a mapping with ``verb`` (something *you* did) or ``received``
  (something a colleague did to you or to what you made), and optional filters:

  ``count``          how many distinct times (default 1): distinct objects for
                     ``verb``, distinct (colleague, object) for ``received``
  ``with_tag``       your post or bookmark carries at least one #tag
  ``with_mention``   your post @mentions someone
  ``reusing_tags``   each counted action reuses a tag someone else used before
                     (or one that came with the scenario's seed content)
  ``on_own``         the object is one you created (your post, idea, poll, page)
  ``on_others``      the object is one you did not create
  ``on_tagged``      the object is a post tagged with this tag (or of this kind,
                     e.g. ``question``)
  ``to_first_post``  the object is its author's first post (a newcomer's hello)
  ``in_own_group``   your post is in a group you created
  ``hint``           what to tell a learner who has not done this step yet

* ``all_of: [...]`` needs every part, ``any_of: [...]`` needs one (and counts as
  a single step), ``sequence: [...]`` needs every part in that order.

Objects are matched by the feature the verb belongs to (``idea.vote`` acts on
the idea ``idea.create`` made), because ids are only unique within a feature.
A vote taken back with ``idea.unvote`` no longer counts.

``evaluate`` is pure: it reads activities and returns progress. Nothing here
writes ``mission.complete``; the service that does reads ``done``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.activity import VERBS
from sandbox.metrics.records import Activity, normalise_tags
from sandbox.simulation.problems import did_you_mean

Report = Callable[[tuple, str], None]

# The verbs that bring an object into being, by feature (the verb's prefix).
CREATION_VERBS = {
    "post.create": "post",
    "wiki.create": "wiki",
    "idea.create": "idea",
    "poll.create": "poll",
    "group.create": "group",
    "event.create": "event",
    "schedule.create": "schedule",
    "bookmark.save": "bookmark",
}

STEP_FLAGS = ("with_tag", "with_mention", "reusing_tags", "on_own", "on_others", "to_first_post", "in_own_group")
STEP_FIELDS = ("verb", "received", "count", "on_tagged", "hint", *STEP_FLAGS)
GROUPS = ("all_of", "any_of", "sequence")

# What to suggest when a step has no hint of its own.
DEFAULT_HINTS = {
    "post.create": "Write a post in the feed.",
    "post.reply": "Reply to a post in the feed.",
    "post.react": "React to a post you like.",
    "post.praise": "Praise a colleague for something they did.",
    "poll.create": "Ask the room a question with a poll.",
    "poll.vote": "Vote in a poll.",
    "group.create": "Start a group.",
    "wiki.create": "Create a wiki page.",
    "wiki.edit": "Edit a wiki page.",
    "bookmark.save": "Save a bookmark.",
    "idea.create": "Post an idea on the idea board.",
    "idea.vote": "Vote for an idea.",
    "event.rsvp": "Answer an event invitation.",
    "schedule.vote": "Pick your times in a scheduling poll.",
    "search.run": "Search before you ask.",
    "member.threshold": "State your threshold in the threshold game.",
}


# A "received" step waits for colleagues; what the learner can do meanwhile.
RECEIVED_HINT = "Wait for colleagues to respond, or mention them in a post about it."

# What one counted action of a verb is called, singular and plural, so progress reads
# "1 of 3 votes". A verb not listed is counted in "steps".
UNITS = {
    "post.create": ("post", "posts"),
    "post.reply": ("reply", "replies"),
    "post.react": ("reaction", "reactions"),
    "post.praise": ("praise", "praises"),
    "post.mention": ("mention", "mentions"),
    "poll.create": ("poll", "polls"),
    "poll.vote": ("vote", "votes"),
    "group.create": ("group", "groups"),
    "group.join": ("group", "groups"),
    "wiki.create": ("page", "pages"),
    "wiki.edit": ("edit", "edits"),
    "bookmark.save": ("bookmark", "bookmarks"),
    "idea.create": ("idea", "ideas"),
    "idea.vote": ("vote", "votes"),
    "event.rsvp": ("answer", "answers"),
    "schedule.vote": ("scheduling poll", "scheduling polls"),
    "search.run": ("search", "searches"),
    "member.threshold": ("answer", "answers"),
}
STEP_UNIT = ("step", "steps")


def counted(number: int, unit: tuple[str, str]) -> str:
    """``3 votes``, ``1 vote``."""
    return f"{number} {unit[0] if number == 1 else unit[1]}"


def feature(verb: str) -> str:
    return verb.split(".", 1)[0]


# ---------------------------------------------------------------- the language


@dataclass(frozen=True)
class Step:
    verb: str
    received: bool = False
    count: int = 1
    with_tag: bool = False
    with_mention: bool = False
    reusing_tags: bool = False
    on_own: bool = False
    on_others: bool = False
    on_tagged: str = ""
    to_first_post: bool = False
    in_own_group: bool = False
    hint: str = ""

    def steps(self) -> int:
        return 1

    def unit(self) -> tuple[str, str]:
        return UNITS.get(self.verb, STEP_UNIT)

    def next_hint(self, have: int = 0) -> str:
        """What to do next, with how many are still to go when the step counts more than one."""
        if self.hint:
            hint = self.hint
        elif self.received:
            hint = RECEIVED_HINT
        else:
            hint = DEFAULT_HINTS.get(self.verb, f"Next: {VERBS[self.verb]}.")
        if self.count <= 1:
            return hint
        left = self.count - have
        singular, plural = self.unit()
        return f"{hint} {left} {'more ' if have else ''}{singular if left == 1 else plural} to go."


@dataclass(frozen=True)
class Group:
    kind: str  # all_of | any_of | sequence
    parts: tuple[Step | Group, ...]
    hint: str = ""

    def steps(self) -> int:
        return 1 if self.kind == "any_of" else sum(part.steps() for part in self.parts)

    def next_hint(self) -> str:
        return self.hint or self.parts[0].next_hint()


Check = Step | Group


@dataclass(frozen=True)
class Mission:
    id: str
    title: str
    module: int
    description: str
    hint: str
    check: Check

    def verbs(self) -> set[str]:
        return _verbs_of(self.check)


def _verbs_of(check: Check) -> set[str]:
    if isinstance(check, Step):
        return {check.verb}
    return set().union(*(_verbs_of(part) for part in check.parts))


def parse_check(raw: Any, report: Report, path: tuple = ()) -> Check | None:
    """Turn a check written in the scenario file into a ``Step``/``Group`` tree.

    Every problem goes to ``report(path, message)`` (path relative to the check);
    returns None when there were any.
    """
    before = _Counter(report)
    check = _parse(raw, before, path)
    return check if before.count == 0 else None


class _Counter:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.count = 0

    def __call__(self, path: tuple, message: str) -> None:
        self.count += 1
        self.report(path, message)


def _parse(raw: Any, report: _Counter, path: tuple) -> Check | None:
    if not isinstance(raw, Mapping):
        report(path, "must be a step (verb: ...) or all_of / any_of / sequence")
        return None
    groups = [key for key in GROUPS if key in raw]
    if groups:
        kind = groups[0]
        extra = [key for key in raw if key not in (kind, "hint")]
        for key in extra:
            report(path + (key,), f"cannot sit next to {kind}{did_you_mean(key, (kind, 'hint'))}")
        parts_raw = raw[kind]
        if not isinstance(parts_raw, list) or not parts_raw:
            report(path + (kind,), "must be a list of at least one step")
            return None
        parts = [_parse(part, report, path + (kind, index)) for index, part in enumerate(parts_raw)]
        if any(part is None for part in parts):
            return None
        return Group(kind=kind, parts=tuple(parts), hint=str(raw.get("hint") or ""))
    for key in raw:
        if key not in STEP_FIELDS:
            report(path + (key,), f"is not part of a step{did_you_mean(key, STEP_FIELDS + GROUPS)}")
    if ("verb" in raw) == ("received" in raw):
        report(path, 'needs exactly one of "verb" (something you do) or "received" (something done to you)')
        return None
    key = "verb" if "verb" in raw else "received"
    verb = raw[key]
    if verb not in VERBS:
        report(path + (key,), f"is not a known verb (got {verb!r}){did_you_mean(verb, VERBS)}")
        return None
    count = raw.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        report(path + ("count",), f"must be a whole number, 1 or more (got {count!r})")
        return None
    flags = {}
    for flag in STEP_FLAGS:
        value = raw.get(flag, False)
        if not isinstance(value, bool):
            report(path + (flag,), f"must be true or false (got {value!r})")
            return None
        flags[flag] = value
    if flags["on_own"] and flags["on_others"]:
        report(path, "cannot be both on_own and on_others")
        return None
    return Step(
        verb=verb,
        received=key == "received",
        count=count,
        on_tagged=",".join(normalise_tags(str(raw.get("on_tagged") or ""))),
        hint=str(raw.get("hint") or "").strip(),
        **flags,
    )


# ---------------------------------------------------------------- evaluation


@dataclass
class LogIndex:
    """Facts about a log that checks look up; build once, evaluate many."""

    activities: list[Activity]
    seed_tags: frozenset[str] = frozenset()
    creators: dict[tuple[str, str], str] = field(default_factory=dict)
    post_tags: dict[str, frozenset[str]] = field(default_factory=dict)
    first_posts: set[str] = field(default_factory=set)
    mentioned_posts: set[tuple[str, str]] = field(default_factory=set)
    withdrawn_votes: set[tuple[str, str]] = field(default_factory=set)
    reusing: set[int] = field(default_factory=set)
    """Ids of activities that reused a tag someone else used earlier."""
    by_actor: dict[tuple[str, str], list[Activity]] = field(default_factory=dict)
    """(actor, verb) -> that person's rows of that verb, in log order."""
    received: dict[tuple[str, str], list[Activity]] = field(default_factory=dict)
    """(person, verb) -> rows by others addressed to that person or acting on something
    they made, in log order. With ``by_actor``, a check reads only the rows that can
    match it: a 40 x 15 matrix no longer walks the whole log 800 times."""
    # What a build learned on the way, so that ``extended`` can carry on from there.
    tag_users: dict[str, set[str]] = field(default_factory=dict, repr=False)
    authors_with_posts: set[str] = field(default_factory=set, repr=False)
    last_vote: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, activities: Iterable[Activity], seed_tags: Iterable[str] = ()) -> LogIndex:
        ordered = sorted(activities, key=lambda activity: (activity.at, activity.id))
        seeds = frozenset(normalise_tags(list(seed_tags)))
        index = cls(activities=[], seed_tags=seeds, tag_users={tag: {""} for tag in seeds})
        index._take_in(ordered)
        return index

    def extended(self, activities: Iterable[Activity]) -> LogIndex | None:
        """A new index of this log plus ``activities`` (rows this one has not seen), made
        without reading the old rows again; this one is unchanged.

        None when a new row comes before this log's last one in time order (a step
        released "when due", in the past): then only :meth:`build` is right.
        """
        new = sorted(activities, key=lambda activity: (activity.at, activity.id))
        if new and self.activities and (new[0].at, new[0].id) < (self.activities[-1].at, self.activities[-1].id):
            return None
        index = LogIndex(
            activities=list(self.activities), seed_tags=self.seed_tags, creators=dict(self.creators),
            post_tags=dict(self.post_tags), first_posts=set(self.first_posts),
            mentioned_posts=set(self.mentioned_posts), reusing=set(self.reusing),
            by_actor={key: list(rows) for key, rows in self.by_actor.items()},
            received={key: list(rows) for key, rows in self.received.items()},
            tag_users={tag: set(users) for tag, users in self.tag_users.items()},
            authors_with_posts=set(self.authors_with_posts), last_vote=dict(self.last_vote),
        )
        index._take_in(new)
        return index

    def _take_in(self, ordered: list[Activity]) -> None:
        """Add rows that come after every row already taken in (in time order)."""
        self.activities.extend(ordered)
        for activity in ordered:
            made = CREATION_VERBS.get(activity.verb)
            if made and activity.object_id:
                self.creators.setdefault((made, activity.object_id), activity.actor)
            if activity.verb == "post.create" and activity.object_id:
                tags = set(activity.tags())
                kind = str(activity.detail.get("kind") or "").lower()
                self.post_tags[activity.object_id] = frozenset(tags | ({kind} if kind else set()))
                if activity.actor not in self.authors_with_posts:
                    self.authors_with_posts.add(activity.actor)
                    self.first_posts.add(activity.object_id)
                if activity.detail.get("mentions"):
                    self.mentioned_posts.add((activity.actor, activity.object_id))
            if activity.verb == "post.mention":
                self.mentioned_posts.add((activity.actor, activity.object_id))
            if activity.verb in ("idea.vote", "idea.unvote"):
                self.last_vote[(activity.actor, activity.object_id)] = activity.verb
            tags = activity.tags()
            if tags:
                if any(self.tag_users.get(tag, set()) - {activity.actor} for tag in tags):
                    self.reusing.add(activity.id)
                for tag in tags:
                    self.tag_users.setdefault(tag, set()).add(activity.actor)
        self.withdrawn_votes = {pair for pair, verb in self.last_vote.items() if verb == "idea.unvote"}
        # Second pass: who received what needs every creator known (a row can act on an
        # object whose creation was logged later: simulated colleagues act "when due").
        for activity in ordered:
            self.by_actor.setdefault((activity.actor, activity.verb), []).append(activity)
            for person in {activity.target, self.creators.get((feature(activity.verb), _subject(activity)))}:
                if person and person != activity.actor:
                    self.received.setdefault((person, activity.verb), []).append(activity)


@dataclass(frozen=True)
class MissionProgress:
    """How far one person has come with one mission, in what its check counts.

    A mission that is one step counts that step's actions: ``counted`` of ``needed``
    votes. A mission of several steps counts steps (a step is done when its count
    is reached); the hint of the next step says how many of its actions are left.
    """

    mission_id: str
    done: bool
    counted: int
    needed: int
    hint: str
    done_at: datetime | None = None
    unit: tuple[str, str] = STEP_UNIT

    def summary(self) -> str:
        """``1 of 3 votes``, ``1 of 2 steps``, or ``Done``."""
        if self.done:
            return "Done"
        return f"{self.counted} of {counted(self.needed, self.unit)}"


def evaluate(
    mission: Mission,
    member_handle: str,
    activities: Sequence[Activity] | LogIndex,
    *,
    seed_tags: Iterable[str] = (),
) -> MissionProgress:
    """How far ``member_handle`` has come with ``mission``.

    ``activities`` may be a prebuilt :class:`LogIndex` (for a learner x mission
    matrix, build it once). ``seed_tags`` are the tags the scenario starts with.
    """
    index = activities if isinstance(activities, LogIndex) else LogIndex.build(activities, seed_tags)
    result = _progress(mission.check, member_handle, index, None)
    if isinstance(mission.check, Step):
        have, needed, unit = result.have, mission.check.count, mission.check.unit()
    else:
        have, needed, unit = result.steps, mission.check.steps(), STEP_UNIT
    if result.done_at is not None:
        return MissionProgress(mission.id, True, needed, needed, f"Done: {mission.title}.", result.done_at, unit)
    return MissionProgress(mission.id, False, have, needed, result.hint or mission.hint, None, unit)


def evaluate_room(
    missions: Sequence[Mission], handles: Iterable[str], activities: Sequence[Activity], *, seed_tags: Iterable[str] = ()
) -> dict[str, dict[str, MissionProgress]]:
    """The learner x mission matrix: handle -> mission id -> progress."""
    index = LogIndex.build(activities, seed_tags)
    return {handle: {mission.id: evaluate(mission, handle, index) for mission in missions} for handle in handles}


def next_mission(
    missions: Sequence[Mission], member_handle: str, index: LogIndex
) -> tuple[Mission, MissionProgress] | None:
    """The mission to try next: the first one not done, in course order (module, then id,
    as the missions page lists them). None when every mission is done."""
    for mission in sorted(missions, key=lambda item: (item.module, item.id)):
        progress = evaluate(mission, member_handle, index)
        if not progress.done:
            return mission, progress
    return None


@dataclass(frozen=True)
class _Result:
    done_at: datetime | None
    steps: int
    """Steps done (an ``any_of`` is one step)."""
    have: int
    """For a single step: its distinct matching actions so far, at most its count."""
    hint: str
    """What to do next ("" when done)."""


def _progress(check: Check, me: str, index: LogIndex, since: datetime | None) -> _Result:
    if isinstance(check, Step):
        done_at, have = _step_progress(check, me, index, since)
        return _Result(done_at, int(done_at is not None), have, "" if done_at else check.next_hint(have))
    if check.kind == "any_of":
        results = [_progress(part, me, index, since) for part in check.parts]
        times = [result.done_at for result in results if result.done_at is not None]
        if times:
            return _Result(min(times), 1, 0, "")
        # The hint of the part the person has got furthest with (the first, if none).
        furthest = max(range(len(results)), key=lambda i: (_share(check.parts[i], results[i]), -i))
        return _Result(None, 0, 0, check.hint or results[furthest].hint)
    steps_done = 0
    hint = ""
    latest: datetime | None = None
    complete = True
    for part in check.parts:
        if check.kind == "sequence" and not complete:
            # Later steps of a sequence count only once the earlier ones are done.
            break
        start = (latest or since) if check.kind == "sequence" else since
        result = _progress(part, me, index, start)
        steps_done += result.steps
        if result.done_at is None:
            complete = False
            hint = hint or result.hint
        elif latest is None or result.done_at > latest:
            latest = result.done_at
    if not complete:
        return _Result(None, steps_done, 0, check.hint or hint)
    return _Result(latest, steps_done, 0, "")


def _share(check: Check, result: _Result) -> float:
    """How much of ``check`` is done, 0 to 1 (to pick the most advanced alternative)."""
    if isinstance(check, Step):
        return result.have / check.count
    return result.steps / check.steps()


def _step_progress(step: Step, me: str, index: LogIndex, since: datetime | None) -> tuple[datetime | None, int]:
    """(when the step was done or None, how many distinct matching actions so far, at most its count)."""
    seen: set[Any] = set()
    # Only rows that can match: mine of this verb, or, for "received", others' done to me.
    rows = index.received if step.received else index.by_actor
    for activity in rows.get((me, step.verb), ()):
        if since is not None and activity.at < since:
            continue
        if activity.verb != step.verb or not _matches(step, activity, me, index):
            continue
        key = (activity.actor, activity.object_id) if step.received else (activity.object_id or activity.id)
        seen.add(key)
        if len(seen) >= step.count:
            return activity.at, step.count
    return None, len(seen)


def _subject(activity: Activity) -> str:
    """What a row acts on: a reply acts on its thread (its own id is the reply's);
    everything else on its object_id."""
    return activity.thread() if activity.verb == "post.reply" else activity.object_id


subject_of = _subject  # for mission_records: whose mission a row can finish


def _matches(step: Step, activity: Activity, me: str, index: LogIndex) -> bool:
    subject = _subject(activity)
    creator = index.creators.get((feature(activity.verb), subject)) if subject else None
    if step.received:
        if activity.actor == me:
            return False
        # Done to me: addressed to me, or acting on something I made.
        if activity.target != me and creator != me:
            return False
    elif activity.actor != me:
        return False
    if activity.verb == "idea.vote" and (activity.actor, activity.object_id) in index.withdrawn_votes:
        return False
    replying_to_me = activity.verb == "post.reply" and activity.target == me
    if step.on_own and creator != me and not replying_to_me:
        return False
    if step.on_others and creator == me:
        return False
    if step.with_tag and not activity.tags():
        return False
    if step.with_mention and (activity.actor, activity.object_id) not in index.mentioned_posts:
        return False
    if step.reusing_tags and activity.id not in index.reusing:
        return False
    if step.on_tagged and not set(step.on_tagged.split(",")) & index.post_tags.get(subject, frozenset()):
        return False
    if step.to_first_post and subject not in index.first_posts:
        return False
    if step.in_own_group:
        group = str(activity.detail.get("group") or "")
        if not group or index.creators.get(("group", group)) != me:
            return False
    return True
