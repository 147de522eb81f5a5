"""The numbers community managers use, defined as their sources define them.

Staff who run an internal network at work meet two sets of figures: Microsoft's
Viva Engage analytics and SWOOP Analytics' personas and benchmarks. This module
computes the same figures from the sandbox's activity log, so the debrief speaks
their language. Every result has a ``summary()`` that names its source.

Sources (read for this module in December 2026):

* **Seen by**: Viva Engage conversation analytics count the people who saw a
  post (Microsoft Support, "Track engagement in Viva Engage with analytics");
  SWOOP Analytics explains "Seen" as "the unique number of users who have seen
  your post in their Viva Engage feed" ("Understanding SWOOP Analytics metrics:
  seen, reach & engagement on Viva Engage"). The sandbox records reading as
  ``feed.view`` rows (``detail.posts``: the ids of the posts the page showed) and
  ``post.view`` rows (a thread opened); see :mod:`sandbox.services.reading`.
* **Personas** (SWOOP Analytics, "SWOOP Persona: What and How" and its persona
  pages): *contributions made* are posts, replies and reactions; *responses
  received* are replies and reactions received. An **engager** balances the two;
  a **catalyst** receives a significant surplus of responses over contributions;
  a **responder** makes a significant surplus of contributions, mostly replies
  and reactions; a **broadcaster** also makes a surplus, but mostly new posts;
  an **observer** consumes content but does not post, reply or react. SWOOP does
  not publish its cut-off for "significant": we use twice as many
  (:data:`SURPLUS`), and say so.
* **Benchmark**: SWOOP Analytics' 2022/23 Yammer and Viva Engage Benchmarking
  Report (4.7 million employees, 97 organisations; press release of 10 November
  2022): "While 80-85% of staff are accessing Yammer, almost 60% are reading
  only - they don't post, comment or react."
* **Community health**: SWOOP's Community Health Index is "the number of active
  users each month, as a percentage of all users who have been active at least
  once in the most recent 12 month period" (SWOOP support, "SWOOP for Viva Engage
  Report A-Z"). A workshop is shorter: we use active *this session* over *ever
  active*, where active means a tangible action (:data:`ENGAGED_VERBS`).
* **Leader participation**: SWOOP's "A Practical Guide to Viva Engage" names
  "our leaders are actively contributing to conversations" as a mark of success.
  In the sandbox the leaders are the trainer and the champions.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sandbox.activity import CONTRIBUTING_VERBS, LIGHT_VERBS, READING_VERBS
from sandbox.metrics.records import Activity, Member
from sandbox.metrics.wording import duration, percent, plural, share_of

SWOOP_BENCHMARK = "SWOOP Analytics, Yammer and Viva Engage Benchmarking Report 2022/23"
SWOOP_READ_ONLY_SHARE = 0.60
"""'almost 60% are reading only' (SWOOP's 2022/23 report, press release 10 Nov 2022)."""
SWOOP_PERSONAS_SOURCE = 'SWOOP Analytics, "SWOOP Persona: What and How" (support article)'
SWOOP_HEALTH_SOURCE = 'SWOOP Analytics, "SWOOP for Viva Engage Report A-Z": Community Health Index'
SEEN_BY_SOURCE = ('Microsoft Support, "Track engagement in Viva Engage with analytics"; SWOOP Analytics, '
                  '"Understanding SWOOP Analytics metrics: seen, reach & engagement on Viva Engage"')
LEADERS_SOURCE = 'SWOOP Analytics, "Setting Goals and Measuring Success - A Practical Guide to Viva Engage"'
SURPLUS = 2
"""A 'significant surplus' is at least twice as many (our cut-off; SWOOP publishes none)."""

PERSONAS = ("engager", "catalyst", "responder", "broadcaster", "observer", "not seen")
PERSONA_MEANING = {
    "engager": "balances posts, replies and reactions with the responses they get",
    "catalyst": "gets far more replies and reactions than they give",
    "responder": "gives far more than they get, mostly replies and reactions",
    "broadcaster": "gives far more than they get, mostly new posts",
    "observer": "reads but does not post, reply or react",
    "not seen": "has not opened the feed or done anything yet",
}
# SWOOP's contributions: posts, replies and reactions; its responses: replies and reactions.
SWOOP_CONTRIBUTIONS = frozenset({"post.create", "post.reply", "post.react"})
RESPONSES = frozenset({"post.reply", "post.react"})
# Tangible actions (SWOOP's "active": posting, replying, reacting; and the sandbox's other tools).
ENGAGED_VERBS = CONTRIBUTING_VERBS | LIGHT_VERBS


@dataclass(frozen=True)
class Personas:
    population: int
    counts: dict[str, int]
    """Persona -> number of members, every persona of :data:`PERSONAS` present."""

    def share(self, persona: str) -> float:
        return share_of(self.counts.get(persona, 0), self.population)

    @property
    def read_only(self) -> int:
        """Members who read but did not post, reply or react (SWOOP's observers)."""
        return self.counts["observer"]

    def summary(self) -> str:
        if self.population == 0:
            return "No one has joined yet, so there are no personas to show."
        parts = ", ".join(f"{persona}s {percent(self.share(persona))}" for persona in PERSONAS[:5])
        return (
            f"{self.read_only} of {plural(self.population, 'person', 'people')} ({percent(self.share('observer'))}) "
            f"only read so far; {parts}. {SWOOP_BENCHMARK}: almost 60% of staff only read."
        )


@dataclass(frozen=True)
class Reading:
    population: int
    readers: int
    """Members with at least one recorded view of the feed or a thread."""
    posts: int
    seen_by: dict[str, int]
    """Post id -> number of people (other than its author) who saw it."""

    @property
    def median_seen_by(self) -> float:
        return statistics.median(self.seen_by.values()) if self.seen_by else 0.0

    def summary(self) -> str:
        if self.population == 0:
            return "No one has joined yet, so no one has read anything."
        head = (f"{self.readers} of {plural(self.population, 'person', 'people')} "
                f"({percent(share_of(self.readers, self.population))}) opened the feed or a thread")
        if not self.posts:
            return f"{head}; there are no posts yet."
        median = self.median_seen_by
        return (f"{head}; a post was seen by {median:g} {'person' if median == 1 else 'people'} (median over "
                f"{plural(self.posts, 'post')}), counted as Viva Engage counts 'seen by'.")


@dataclass(frozen=True)
class Responses:
    posts: int
    responded: int
    """Posts with a reply or reaction from someone other than their author."""
    unanswered: tuple[str, ...]
    """Ids of posts no one else has replied to (a reaction is not an answer)."""
    median_seconds: float | None
    """Median time from a post to its first response, over responded posts."""

    @property
    def rate(self) -> float:
        return share_of(self.responded, self.posts)

    def summary(self) -> str:
        if self.posts == 0:
            return "No posts yet, so there are no responses to measure."
        text = (f"{self.responded} of {plural(self.posts, 'post')} ({percent(self.rate)}) got a reply or reaction; "
                f"{plural(len(self.unanswered), 'post')} still {'has' if len(self.unanswered) == 1 else 'have'} "
                "no reply")
        if self.median_seconds is None:
            return text + "."
        return text + f"; the median time to the first response was {duration(self.median_seconds)}."


@dataclass(frozen=True)
class Health:
    active_now: int
    ever_active: int
    session_start: datetime | None

    @property
    def index(self) -> float:
        return share_of(self.active_now, self.ever_active)

    def summary(self) -> str:
        if self.ever_active == 0:
            return "No one has posted, replied, reacted or voted yet, so there is no community health to show."
        if self.session_start is None:
            return (f"{plural(self.ever_active, 'person', 'people')} have taken part so far; the health index "
                    "(active this session over ever active, after SWOOP's Community Health Index) starts "
                    "with the session clock.")
        return (f"Community health {percent(self.index)}: {self.active_now} of the "
                f"{plural(self.ever_active, 'person', 'people')} who ever took part did so this session "
                "(after SWOOP's Community Health Index: active this month over active in the last year).")


@dataclass(frozen=True)
class Leaders:
    leaders: int
    active: int
    """Leaders with at least one post, reply or reaction."""
    share_of_contributions: float
    """Leaders' share of all posts, replies and reactions."""
    room_posts: int
    room_posts_answered_by_leaders: int

    def summary(self) -> str:
        if self.leaders == 0:
            return "There are no leaders (trainer or champions) in this workshop."
        return (f"{self.active} of {plural(self.leaders, 'leader')} (the trainer and the champions) took part; "
                f"they made {percent(self.share_of_contributions)} of posts, replies and reactions and "
                f"responded to {self.room_posts_answered_by_leaders} of {plural(self.room_posts, 'post')} by "
                "the room.")


@dataclass(frozen=True)
class Community:
    personas: Personas
    reading: Reading
    responses: Responses
    health: Health
    leaders: Leaders

    def summaries(self) -> dict[str, str]:
        return {
            "personas": self.personas.summary(),
            "reading": self.reading.summary(),
            "responses": self.responses.summary(),
            "health": self.health.summary(),
            "leaders": self.leaders.summary(),
        }


def persona_of(made: int, received: int, posts: int, replies: int, has_read: bool) -> str:
    """SWOOP's persona of one member from their give-and-receive balance."""
    if made == 0:
        return "observer" if has_read else "not seen"
    if received >= SURPLUS * made:
        return "catalyst"
    if made >= SURPLUS * received:
        return "broadcaster" if posts > replies else "responder"
    return "engager"


def community(
    activities: Sequence[Activity],
    members: Sequence[Member],
    *,
    room_kinds: Sequence[str] = ("learner",),
    session_start: datetime | None = None,
) -> Community:
    """Every community-manager figure over one workshop's log (in log order).

    The room (personas, reading, health) is the members of ``room_kinds``; responses
    count every post but the trainer's; leaders are the trainer and the champions.
    """
    room = {member.handle for member in members if member.kind in room_kinds}
    leaders = {member.handle for member in members if member.kind == "trainer" or member.champion}
    trainers = {member.handle for member in members if member.kind == "trainer"}

    # One pass sorting rows by verb, then a short loop (or a C-speed count) per kind:
    # a 100,000-row log takes a fraction of a second (tests/benchmarks).
    by_verb: defaultdict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_verb[activity.verb].append(activity)
    engaged = [row for verb in ENGAGED_VERBS for row in by_verb.get(verb, ())]
    ever_active = {row.actor for row in engaged}
    active_now = ({row.actor for row in engaged if row.at >= session_start}
                  if session_start is not None else set())
    posts, replies, reactions = by_verb["post.create"], by_verb["post.reply"], by_verb["post.react"]
    made = Counter(row.actor for rows in (posts, replies, reactions) for row in rows)
    posts_by = Counter(row.actor for row in posts)
    replies_by = Counter(row.actor for row in replies)
    received = Counter(row.target for rows in (replies, reactions) for row in rows
                       if row.target and row.target != row.actor)
    post_author = {row.object_id: row.actor for row in posts if row.object_id and row.actor not in trainers}
    post_at = {row.object_id: row.at for row in posts if row.object_id in post_author}
    deleted = {row.object_id for row in by_verb["post.delete"]}

    first_response: dict[str, datetime] = {}
    replied: set[str] = set()
    leader_responded: set[str] = set()
    for rows, is_reply in ((replies, True), (reactions, False)):
        for row in rows:
            thread = row.thread() if is_reply else row.object_id
            author = post_author.get(thread)
            if author is None or author == row.actor:
                continue
            known = first_response.get(thread)
            if known is None or row.at < known:
                first_response[thread] = row.at
            if is_reply:
                replied.add(thread)
            if row.actor in leaders:
                leader_responded.add(thread)

    views = [row for verb in READING_VERBS for row in by_verb.get(verb, ())]
    readers = {row.actor for row in views}
    # Each person's set of posts seen first (their many looks at one post count once),
    # then one count per post. A feed view lists only posts that existed then, so a
    # log cut at any minute stays right.
    seen_by_person: defaultdict[str, set[str]] = defaultdict(set)
    for view in by_verb.get("feed.view", ()):
        seen_by_person[view.actor].update(map(str, view.detail.get("posts") or ()))
    for view in by_verb.get("post.view", ()):
        seen_by_person[view.actor].add(view.object_id)
    seen_count: Counter[str] = Counter()
    known_posts = post_author.keys()
    for posts_seen in seen_by_person.values():
        seen_count.update(posts_seen & known_posts)  # ids of replies or of the trainer's posts count for nothing
    for post_id, author in post_author.items():  # authors do not count among those who saw their post
        if post_id in seen_by_person.get(author, ()):
            seen_count[post_id] -= 1

    live_posts = [post_id for post_id in post_author if post_id not in deleted]
    waits = [(first_response[p] - post_at[p]).total_seconds() for p in live_posts if p in first_response]
    counts = dict.fromkeys(PERSONAS, 0)
    for handle in room:
        counts[persona_of(made[handle], received[handle], posts_by[handle], replies_by[handle],
                          handle in readers or handle in ever_active)] += 1
    room_posts = [p for p in live_posts if post_author[p] in room]
    total_made = sum(made.values())
    return Community(
        personas=Personas(population=len(room), counts=counts),
        reading=Reading(population=len(room), readers=len(readers & room), posts=len(live_posts),
                        seen_by={post_id: seen_count[post_id] for post_id in live_posts}),
        responses=Responses(
            posts=len(live_posts),
            responded=sum(1 for p in live_posts if p in first_response),
            unanswered=tuple(p for p in live_posts if p not in replied),
            median_seconds=statistics.median(waits) if waits else None,
        ),
        health=Health(active_now=len(active_now & room), ever_active=len(ever_active & room),
                      session_start=session_start),
        leaders=Leaders(
            leaders=len(leaders),
            active=sum(1 for handle in leaders if made[handle]),
            share_of_contributions=share_of(sum(made[handle] for handle in leaders), total_made),
            room_posts=len(room_posts),
            room_posts_answered_by_leaders=sum(1 for p in room_posts if p in leader_responded),
        ),
    )
