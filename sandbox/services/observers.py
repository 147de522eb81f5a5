"""Observers: co-trainers who watch the room with a read-only console and take notes.

The trainer issues each observer a key (shown once; only its SHA-256 is stored,
as for session tokens: the key is 32 random bytes, so a slow hash adds nothing).
Signing in with the join code and that key gives the observer's member (kind
``observer``) a session token. Observers can read the feed and the dashboard but
every command refuses them (``activity_log.record`` is the one check), and they
write timestamped notes tied to a scripted step, a post, or a moment.

A workshop reset removes observers, their keys and their notes with the rest of
the room. Like every service these take a Session and never commit.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.activity import OBSERVER
from sandbox.config import LIMITS
from sandbox.services.errors import InvalidInput, NotAllowed, NotFound, UnknownCodeTried, WrongTrainerKey
from sandbox.services.text import clean_text
from sandbox.services.workshops import (
    SignIn,
    _add_member,
    _check_rate_limit,
    _new_session,
    _record_failed_try,
    _try_keys,
    get_workshop,
    require_trainer,
)
from sandbox.store.models import Member, ObserverKey, ObserverNote, Post, Workshop

KEY_PREFIX = "ioob_"
ABOUT = ("inject", "post", "moment")
NOTE_LIMIT = 2000


@dataclass(frozen=True)
class IssuedKey:
    member: Member
    key: str
    """Shown once to the trainer, who passes it on; never stored."""


@dataclass(frozen=True)
class Note:
    id: int
    author: str
    """The author's display name."""
    written_at: datetime
    about: str
    inject_id: str | None
    post_id: int | None
    moment_at: datetime | None
    body: str


def _hash(key: str) -> str:
    return hashlib.sha256(key.strip().encode()).hexdigest()


def issue_key(session: Session, trainer: Member, name: str, *, now: datetime) -> IssuedKey:
    """Trainer: add an observer called ``name`` and make their key.

    Fails with NotAllowed (not the trainer), InvalidInput (the name), AlreadyTaken
    (someone in the workshop already has that name).
    """
    require_trainer(trainer)
    clean = clean_text(name, "The observer's name", LIMITS.display_name, multiline=False)
    workshop = session.get(Workshop, trainer.workshop_id)
    member = _add_member(session, workshop, clean, "", kind=OBSERVER, now=now)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ObserverKey(workshop_id=workshop.id, member_id=member.id, key_hash=_hash(key), created_at=now))
    session.flush()
    return IssuedKey(member=member, key=key)


def list_observers(session: Session, workshop_id: int) -> list[Member]:
    """The workshop's observers, in the order they were added."""
    return list(session.scalars(select(Member).where(Member.workshop_id == workshop_id, Member.kind == OBSERVER)
                                .order_by(Member.id)))


def observer_sign_in(session: Session, code: str, key: str, *, now: datetime,
                     client_key: str | None = None) -> SignIn:
    """Sign an observer in with the join code and their key; returns a new session token.

    Wrong keys count towards the same limits as wrong trainer keys and join codes.
    Fails with NotFound (unknown code), WrongTrainerKey (a NotAllowed: not an
    observer key of this workshop), TooManyTries.
    """
    tries = _try_keys(client_key, code)
    _check_rate_limit(session, tries, now)
    try:
        workshop = get_workshop(session, code)
    except NotFound as unknown:
        _record_failed_try(session, tries, now)
        raise UnknownCodeTried(str(unknown)) from None
    member = None
    if key and len(key) <= 200:
        member = session.scalar(select(Member).join(ObserverKey, ObserverKey.member_id == Member.id)
                                .where(ObserverKey.key_hash == _hash(key), ObserverKey.workshop_id == workshop.id))
    if member is None:
        _record_failed_try(session, tries, now)
        raise WrongTrainerKey("That observer key is not right for this workshop. Ask the trainer for yours.")
    return SignIn(member=member, session_token=_new_session(session, member, now))


def require_console_viewer(member: Member) -> None:
    """Fails with NotAllowed unless ``member`` is the trainer or an observer."""
    if member.kind not in ("trainer", OBSERVER):
        raise NotAllowed("Only the trainer and observers can do that.")


def add_note(session: Session, author: Member, body: str, *, about: str, now: datetime,
             inject_id: str | None = None, post_id: int | None = None,
             moment_at: datetime | None = None, inject_ids: frozenset[str] | None = None) -> ObserverNote:
    """An observer (or the trainer) notes something about a scripted step, a post or a moment.

    ``about`` is "inject" (give ``inject_id``; ``inject_ids`` are the scenario's,
    to check it), "post" (give ``post_id``) or "moment" (``moment_at``, now if
    not given). The note is stamped with ``now``.
    Fails with NotAllowed (a learner), InvalidInput (empty or too long text, an
    unknown kind or step), NotFound (no such post in this workshop).
    """
    require_console_viewer(author)
    text = clean_text(body, "The note", NOTE_LIMIT)
    if about not in ABOUT:
        raise InvalidInput("A note is about a scripted step, a post or a moment.")
    note = ObserverNote(workshop_id=author.workshop_id, author_id=author.id, written_at=now, about=about,
                        body=text)
    if about == "inject":
        if not inject_id or (inject_ids is not None and inject_id not in inject_ids):
            raise InvalidInput("Choose the scripted step the note is about.")
        note.inject_id = inject_id
    elif about == "post":
        post = session.get(Post, post_id) if post_id is not None else None
        if post is None or post.workshop_id != author.workshop_id or post.deleted:
            raise NotFound("That post is not in this workshop (it may have been deleted).")
        note.post_id = post.id
    else:
        note.moment_at = moment_at or now
    session.add(note)
    session.flush()
    return note


def list_notes(session: Session, workshop_id: int) -> list[Note]:
    """Every note of the workshop, oldest first."""
    rows = session.execute(
        select(ObserverNote, Member.display_name).join(Member, Member.id == ObserverNote.author_id)
        .where(ObserverNote.workshop_id == workshop_id).order_by(ObserverNote.written_at, ObserverNote.id))
    return [Note(id=note.id, author=name, written_at=note.written_at, about=note.about, inject_id=note.inject_id,
                 post_id=note.post_id, moment_at=note.moment_at, body=note.body) for note, name in rows]
