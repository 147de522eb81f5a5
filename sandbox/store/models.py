"""The sandbox's tables (SQLAlchemy 2 declarative models).

Every row carries ``workshop_id`` and every query filters by it: nobody sees
another workshop's content. The store knows no feature rules; those live in
``sandbox.services``. Schema changes go through Alembic migrations
(``sandbox/store/migrations``), never ``create_all`` on a live database.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database.

    SQLite has no time zones, so values are stored as naive UTC and handed back
    with ``tzinfo=UTC``; a naive value passed in is refused (a bug, not input).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _workshop_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("workshops.id"), index=True)


# --- workshops and identity -------------------------------------------------


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    scenario: Mapped[str] = mapped_column(String(100), default="college")
    mode: Mapped[str] = mapped_column(String(20), default="live")  # live | self-study
    phase: Mapped[str] = mapped_column(String(40), default="open")
    # The simulation's clock: scenario time = (now - clock_started_at) - paused time.
    clock_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    clock_paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    clock_offset_seconds: Mapped[int] = mapped_column(Integer, default=0)
    trainer_key_hash: Mapped[str] = mapped_column(String(300))
    # Secret salt for stable pseudonyms in exports; never shown.
    pseudonym_secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Settings: one typed column each (migration 0003 says why columns, not a table).
    # Idea votes each person may spend; a scenario's ``settings.idea_votes`` at create
    # and reset, else the kit default (rows older than the column got 5, then the default).
    idea_vote_budget: Mapped[int] = mapped_column(Integer, server_default=text("5"))
    # SHA-256 of the projector view's read-only key, or None when no projector link is
    # open (migration 0009; sandbox.services.projector).
    projector_key_hash: Mapped[str | None] = mapped_column(String(64))
    # Days a learner's data is kept after their last activity; None: until erased by hand
    # (migration 0008; applied by ``insideout workshop apply-retention``).
    retention_days: Mapped[int | None] = mapped_column(Integer)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("workshop_id", "handle"),
        UniqueConstraint("workshop_id", "display_name_key"),
        # One member per institutional identity per workshop (migration 0008).
        Index("uq_members_workshop_identity", "workshop_id", "identity_subject", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    handle: Mapped[str] = mapped_column(String(80))
    display_name: Mapped[str] = mapped_column(String(120))
    # casefolded display name: display names are unique regardless of case.
    display_name_key: Mapped[str] = mapped_column(String(120))
    department: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(20), default="learner")  # learner|simulated|trainer
    persona: Mapped[str | None] = mapped_column(String(80))  # scenario persona id (simulated)
    champion: Mapped[bool] = mapped_column(Boolean, default=False)
    threshold: Mapped[int | None] = mapped_column(Integer)
    policy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Salted scrypt hash of the learner's return code (shown once); None: none issued.
    return_code_hash: Mapped[str | None] = mapped_column(String(300))
    # Set when this person's data was erased (migration 0008): the row stays under a
    # pseudonym so the log's figures add up; sandbox/services/people.py.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "<issuer> <subject>" of an institutional sign-in (OIDC); None for a join by name.
    identity_subject: Mapped[str | None] = mapped_column(String(400))


class SessionToken(Base):
    """A signed-in browser: only the token's SHA-256 is stored."""

    __tablename__ = "session_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship()


class JoinAttempt(Base):
    """A wrong join code from one client (for rate limiting); not per workshop."""

    __tablename__ = "join_attempts"
    __table_args__ = (Index("ix_join_attempts_client_at", "client_key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- feed -------------------------------------------------------------------


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("workshop_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupMembership(Base):
    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("group_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        # The feed: newest top-level posts of a workshop; latest_post_id.
        Index("ix_posts_workshop_parent_id", "workshop_id", "parent_id", "id"),
        Index("ix_posts_workshop_id_desc", "workshop_id", "id"),
        Index("ix_posts_root", "root_id"),
        # Reply counts for a page of posts, and the pinned posts (migration 0002).
        Index("ix_posts_workshop_root", "workshop_id", "root_id"),
        Index("ix_posts_workshop_pinned", "workshop_id", "pinned", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="normal")  # normal|question|praise|poll
    praised_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author: Mapped[Member] = relationship(foreign_keys=[author_id])


class Reaction(Base):
    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("post_id", "member_id", "reaction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    reaction: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Mention(Base):
    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("post_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)


class Tag(Base):
    """A tag name used in a workshop, shared by posts (#hashtags) and bookmarks."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("workshop_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    name: Mapped[str] = mapped_column(String(80))


class PostTag(Base):
    __tablename__ = "post_tags"
    __table_args__ = (UniqueConstraint("post_id", "tag_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), index=True)


class PollOption(Base):
    __tablename__ = "poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))


class PollVote(Base):
    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("post_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_options.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_member_read", "member_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # mention | reply | reaction | praise | answer | wiki_edit | idea_vote
    kind: Mapped[str] = mapped_column(String(30))
    object_type: Mapped[str] = mapped_column(String(30), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# --- wiki -------------------------------------------------------------------


class WikiPage(Base):
    __tablename__ = "wiki_pages"
    __table_args__ = (UniqueConstraint("workshop_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    slug: Mapped[str] = mapped_column(String(160))
    title: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    current_number: Mapped[int] = mapped_column(Integer, default=1)


class WikiRevision(Base):
    __tablename__ = "wiki_revisions"
    __table_args__ = (UniqueConstraint("page_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    reverted_to: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- bookmarks --------------------------------------------------------------


class Bookmark(Base):
    """A resource (one per URL per workshop); each saver has their own note and tags."""

    __tablename__ = "bookmarks"
    __table_args__ = (UniqueConstraint("workshop_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    url: Mapped[str] = mapped_column(String(2100))
    title: Mapped[str] = mapped_column(String(300))
    first_saved_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BookmarkSave(Base):
    __tablename__ = "bookmark_saves"
    __table_args__ = (UniqueConstraint("bookmark_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    bookmark_id: Mapped[int] = mapped_column(ForeignKey("bookmarks.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BookmarkTag(Base):
    __tablename__ = "bookmark_tags"
    __table_args__ = (UniqueConstraint("save_id", "tag_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    save_id: Mapped[int] = mapped_column(ForeignKey("bookmark_saves.id"), index=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), index=True)


# --- ideas ------------------------------------------------------------------


class Idea(Base):
    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default="new")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IdeaVote(Base):
    __tablename__ = "idea_votes"
    __table_args__ = (UniqueConstraint("idea_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- events and scheduling --------------------------------------------------


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    created_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Rsvp(Base):
    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("event_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    answer: Mapped[str] = mapped_column(String(20))  # going | maybe | not_going
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SchedulePoll(Base):
    __tablename__ = "schedule_polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    created_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ScheduleSlot(Base):
    __tablename__ = "schedule_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    poll_id: Mapped[int] = mapped_column(ForeignKey("schedule_polls.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SchedulePick(Base):
    __tablename__ = "schedule_picks"
    __table_args__ = (UniqueConstraint("slot_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    poll_id: Mapped[int] = mapped_column(ForeignKey("schedule_polls.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("schedule_slots.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))


# --- the activity log and the simulation's marks ----------------------------


class Activity(Base):
    """Append-only: one row per thing someone did (columns: sandbox/activity.py)."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_workshop_id", "workshop_id", "id"),
        # Migration 0007: the reading service's "viewed this lately?" lookup.
        Index("ix_activities_actor_verb", "actor_id", "verb", "object_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    actor_kind: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(120), default="")
    verb: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(30), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    # What made this row happen when no person did it themselves (migration 0006):
    # "trainer" when the trainer spoke as a colleague, a scripted step's mark key
    # ("inject:<id>") when the timeline did; None for a person's own action.
    driven_by: Mapped[str | None] = mapped_column(String(200))  # as long as a mark's key


class SimulationMark(Base):
    """Something the simulation released once (an inject, a reaction rule firing).

    ``tick`` is idempotent because it records a mark in the same transaction as
    what it released, and skips keys already marked.
    """

    __tablename__ = "simulation_marks"
    __table_args__ = (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- hand-ins and grading (migration 0004) ----------------------------------


class AssignmentSetting(Base):
    """The trainer's settings for one assignment in one workshop (its deadline)."""

    __tablename__ = "assignment_settings"
    __table_args__ = (UniqueConstraint("workshop_id", "assignment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    assignment: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HandIn(Base):
    """One notebook a learner handed in. Never changed or overwritten: a new file is a new row."""

    __tablename__ = "hand_ins"
    __table_args__ = (Index("ix_hand_ins_member_assignment", "member_id", "assignment", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    assignment: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))
    notebook: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    handed_in_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GradingJob(Base):
    """The queue: one job per hand-in, worked by grader processes.

    ``state`` is queued, grading, graded or failed. A grader holds a job while its
    ``heartbeat_at`` is fresh; a job whose grader stopped beating (killed, machine
    lost) is claimed again by another (sandbox/services/grading_jobs.py).
    """

    __tablename__ = "grading_jobs"
    __table_args__ = (Index("ix_grading_jobs_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    hand_in_id: Mapped[int] = mapped_column(ForeignKey("hand_ins.id"), unique=True)
    assignment: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(120))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    # What the autograder found (JSON: status, reason, each check's outcome and
    # message, written answers); never the learner's code or a hidden test.
    result: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")  # why it failed, in plain words


class WrittenMark(Base):
    """The trainer's mark (or a self-study learner's own) for one written answer of one hand-in."""

    __tablename__ = "written_marks"
    __table_args__ = (UniqueConstraint("hand_in_id", "grade_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    hand_in_id: Mapped[int] = mapped_column(ForeignKey("hand_ins.id"), index=True)
    grade_id: Mapped[str] = mapped_column(String(100))
    mark: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    self_assessed: Mapped[bool] = mapped_column(Boolean, default=False)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- observers and their notes (migration 0006) --------------------------------


class ObserverKey(Base):
    """A co-trainer's key, issued by the trainer: only its SHA-256 is stored.

    Each key belongs to one observer member (kind "observer"), who signs in with it
    and gets a read-only console.
    """

    __tablename__ = "observer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ObserverNote(Base):
    """A timestamped note an observer (or the trainer) wrote about a scripted step,
    a post, or a moment of the session."""

    __tablename__ = "observer_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = _workshop_fk()
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    about: Mapped[str] = mapped_column(String(20))  # inject | post | moment
    inject_id: Mapped[str | None] = mapped_column(String(80))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    moment_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    body: Mapped[str] = mapped_column(Text)
