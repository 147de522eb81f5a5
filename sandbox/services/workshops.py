"""Workshops and identity: create a workshop, join it, stay signed in.

A workshop has a join code (shared with the room) and a trainer key (given once
to the trainer; only a salted scrypt hash is stored). Learners join with the
code, a display name and a department, and accept the usage policy; they get a
random session token (only its SHA-256 is stored) that keeps them signed in
across page reloads. Wrong codes and trainer keys are rate-limited per client and
per code tried, so neither a reload (a new client) nor a shared address (a room
behind one proxy, each with their own typo) gets round it or locks the room out.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sandbox import config
from sandbox.config import LIMITS
from sandbox.services import activity_log
from sandbox.services.errors import (
    AlreadyTaken,
    InvalidInput,
    NotAllowed,
    NotFound,
    TooManyTries,
    UnknownCodeTried,
    WrongJoinCode,
    WrongReturnCode,
    WrongTrainerKey,
)
from sandbox.services.text import clean_choice, clean_text
from sandbox.store.models import JoinAttempt, Member, SessionToken, Workshop

MODES = ("live", "self-study")
MEMBER_KINDS = ("learner", "simulated", "trainer")
TRAINER_HANDLE = "trainer"
# Letters and digits that cannot be confused when read aloud or off a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
TRAINER_KEY_PREFIX = "iotk_"
CREATE_COMMAND = 'insideout workshop create --title "My workshop"'
NO_WORKSHOP_YET = (
    "There is no workshop in this sandbox yet. The trainer creates one on the computer that "
    f"runs the sandbox with the command  {CREATE_COMMAND}  (or starts the sandbox with "
    "insideout serve --demo for a demo workshop), and then gives you its join code."
)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

USAGE_POLICY = (
    "This is a practice space for the Inside-Out course. Please:\n"
    "- be kind and constructive; treat colleagues here as you would at work;\n"
    "- do not share real personal, student or confidential information;\n"
    "- remember the trainer can see everything posted here and may hide posts;\n"
    "- know that what you do here is recorded (without your words) to show the "
    "group how adoption grows, and may be exported for the course exercises."
)


@dataclass(frozen=True)
class CreatedWorkshop:
    workshop: Workshop
    trainer_key: str  # shown once; only its hash is stored


@dataclass(frozen=True)
class SignIn:
    member: Member
    session_token: str  # keep it in the browser; only its hash is stored
    return_code: str | None = None  # a learner's, at joining: shown once; only its hash is stored


@dataclass(frozen=True)
class WorkshopSummary:
    code: str
    title: str
    mode: str
    scenario: str
    phase: str
    created_at: datetime
    learners: int


# --- workshops ----------------------------------------------------------------


def create_workshop(
    session: Session,
    title: str,
    *,
    now: datetime,
    mode: str = "live",
    scenario: str = "college",
) -> CreatedWorkshop:
    """Create a workshop with a fresh join code and trainer key.

    Also creates the workshop's trainer member (handle ``trainer``).
    Fails with InvalidInput for an empty or too long title or an unknown mode.
    """
    title = clean_text(title, "The workshop title", LIMITS.workshop_title, multiline=False)
    clean_choice(mode, "The mode", MODES)
    scenario = clean_text(scenario, "The scenario name", 100, multiline=False)
    trainer_key = TRAINER_KEY_PREFIX + secrets.token_urlsafe(24)
    workshop = Workshop(
        code=_unused_code(session),
        title=title,
        scenario=scenario,
        mode=mode,
        phase="open",
        clock_offset_seconds=0,
        trainer_key_hash=hash_trainer_key(trainer_key),
        pseudonym_secret=secrets.token_hex(16),
        created_at=now,
        idea_vote_budget=LIMITS.idea_vote_budget,
    )
    session.add(workshop)
    session.flush()
    session.add(
        Member(
            workshop_id=workshop.id,
            handle=TRAINER_HANDLE,
            display_name="Trainer",
            display_name_key="trainer",
            department="",
            kind="trainer",
            policy_accepted_at=now,
            joined_at=now,
        )
    )
    session.flush()
    return CreatedWorkshop(workshop=workshop, trainer_key=trainer_key)


def _unused_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(Workshop.id).where(Workshop.code == code)) is None:
            return code


def normalise_code(raw: str) -> str:
    """A join code as stored: upper case, without spaces or dashes."""
    return re.sub(r"[\s-]+", "", raw or "").upper()


def get_workshop(session: Session, code: str) -> Workshop:
    """The workshop with join code ``code`` (any case, spaces and dashes ignored).

    Fails with NotFound when there is none.
    """
    workshop = session.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        raise NotFound(f"There is no workshop with the code '{code.strip()}'.")
    return workshop


def has_workshops(session: Session) -> bool:
    """True once the store holds at least one workshop."""
    return session.scalar(select(Workshop.id).limit(1)) is not None


def list_workshops(session: Session) -> list[WorkshopSummary]:
    """Every workshop in the store, newest first, with its number of learners."""
    learners = (
        select(Member.workshop_id, func.count(Member.id).label("n"))
        .where(Member.kind == "learner")
        .group_by(Member.workshop_id)
        .subquery()
    )
    rows = session.execute(
        select(Workshop, func.coalesce(learners.c.n, 0))
        .outerjoin(learners, learners.c.workshop_id == Workshop.id)
        .order_by(Workshop.created_at.desc(), Workshop.id.desc())
    ).all()
    return [
        WorkshopSummary(
            code=w.code,
            title=w.title,
            mode=w.mode,
            scenario=w.scenario,
            phase=w.phase,
            created_at=w.created_at,
            learners=int(n),
        )
        for w, n in rows
    ]


def set_phase(session: Session, trainer: Member, phase: str) -> Workshop:
    """Trainer: move the workshop to ``phase`` (a short name chosen by the UI).

    Fails with NotAllowed for a non-trainer, InvalidInput for an empty phase.
    """
    require_trainer(trainer)
    workshop = session.get(Workshop, trainer.workshop_id)
    workshop.phase = clean_text(phase, "The phase", 40, multiline=False)
    session.flush()
    return workshop


# The trainer's own settings, which a reset keeps: they hold nothing a learner did.
KEPT_ON_RESET = frozenset({"assignment_settings"})


def reset_workshop(session: Session, code: str) -> dict[str, int]:
    """Remove everything done in workshop ``code``; keep the workshop itself.

    Kept: the workshop, its code, title, scenario, mode and trainer key, the
    trainer (still signed in) and the trainer's settings for exercises (deadlines,
    in ``KEPT_ON_RESET``). Removed: every learner and simulated colleague, their
    sign-ins, every post, page, bookmark, idea, event, vote and notification, every
    hand-in with its grading and marks, the activity log and the simulation's
    marks. The phase and the clock start again. Returns how many rows were removed per table.
    Fails with NotFound for an unknown code.
    """
    from sandbox.store.models import Base

    workshop = get_workshop(session, code)
    trainer_ids = select(Member.id).where(Member.workshop_id == workshop.id, Member.kind == "trainer")
    removed: dict[str, int] = {}
    # Children before parents, so foreign keys hold after every statement.
    for table in reversed(Base.metadata.sorted_tables):
        if "workshop_id" not in table.c or table.name in KEPT_ON_RESET:
            continue
        statement = delete(table).where(table.c.workshop_id == workshop.id)
        if table.name == "members":
            statement = statement.where(table.c.kind != "trainer")
        elif table.name == "session_tokens":
            statement = statement.where(table.c.member_id.not_in(trainer_ids))
        removed[table.name] = session.execute(statement).rowcount or 0
    workshop.phase = "open"
    workshop.clock_started_at = None
    workshop.clock_paused_at = None
    workshop.clock_offset_seconds = 0
    session.flush()
    return removed


def apply_settings(session: Session, workshop: Workshop, *, idea_vote_budget: int) -> None:
    """Give ``workshop`` its settings (a scenario's, at create and reset).

    Fails with InvalidInput for a budget that is not a whole number of 1 or more.
    """
    if isinstance(idea_vote_budget, bool) or not isinstance(idea_vote_budget, int) or idea_vote_budget < 1:
        raise InvalidInput(f"The idea-vote budget must be a whole number, 1 or more (got {idea_vote_budget!r}).")
    workshop.idea_vote_budget = idea_vote_budget
    session.flush()


# --- trainer key ----------------------------------------------------------------


def hash_trainer_key(key: str) -> str:
    """``scrypt$n$r$p$salt$hash`` for ``key``, with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(key.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_trainer_key(workshop: Workshop, key: str) -> bool:
    """True if ``key`` is this workshop's trainer key (constant-time comparison)."""
    return _matches(workshop.trainer_key_hash, (key or "").strip())


def _matches(stored: str | None, secret: str) -> bool:
    """True if ``secret`` hashes to ``stored`` (a :func:`hash_trainer_key` string)."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = (stored or "").split("$")
    except ValueError:
        return False
    if scheme != "scrypt" or not secret or len(secret) > 200:
        return False
    digest = hashlib.scrypt(
        secret.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p),
        dklen=len(digest_hex) // 2,
    )
    return hmac.compare_digest(digest.hex(), digest_hex)


# --- return codes -------------------------------------------------------------------

RETURN_CODE_LENGTH = 8  # two groups of four, from the same unmistakable letters and digits


def _new_return_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(RETURN_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def _give_return_code(member: Member) -> str:
    code = _new_return_code()
    member.return_code_hash = hash_trainer_key(normalise_code(code))
    return code


def come_back(
    session: Session,
    code: str,
    display_name: str,
    return_code: str,
    *,
    client_key: str,
    now: datetime,
) -> SignIn:
    """Sign a learner in again with the join code, their display name and return code.

    For someone whose browser forgot them (another device, cleared cookies). Wrong
    codes count towards the same limits as wrong join codes.
    Fails with TooManyTries; InvalidInput (a field left empty); WrongJoinCode (no
    such workshop); WrongReturnCode (no learner of that name, or not their code).
    """
    tries = _try_keys(client_key or "unknown", code)
    _check_rate_limit(session, tries, now)
    if not normalise_code(code):
        raise InvalidInput("Please type the join code your trainer gave you, for example K7M2QX.")
    if not (display_name or "").strip():
        raise InvalidInput("Please type the display name you joined with, for example Anna Smith.")
    if not normalise_code(return_code):
        raise InvalidInput("Please type your return code: the eight letters and digits shown when "
                           "you joined, for example ABCD-2345.")
    workshop = session.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        _record_failed_try(session, tries, now)
        raise WrongJoinCode("That join code is not right. Please type the six letters and digits "
                            "your trainer gave you (for example K7M2QX).")
    member = session.scalar(select(Member).where(
        Member.workshop_id == workshop.id, Member.kind == "learner",
        Member.display_name_key == display_name.strip().casefold()))
    if member is None or not _matches(member.return_code_hash, normalise_code(return_code)[:64]):
        _record_failed_try(session, tries, now)
        raise WrongReturnCode(
            "That name and return code do not match. Please type the display name you joined "
            "with and the return code you were shown then (like ABCD-2345); if it is lost, "
            "your trainer can give you a new one."
        )
    return SignIn(member=member, session_token=_new_session(session, member, now))


def new_return_code(session: Session, trainer: Member, handle: str, *, now: datetime) -> str:
    """Trainer: give the learner ``handle`` a new return code (the old one stops working).

    Returns the code, to read out to the learner; only its hash is stored.
    Fails with NotAllowed for a non-trainer, NotFound for an unknown handle,
    InvalidInput for someone who is not a learner.
    """
    require_trainer(trainer)
    member = get_member(session, trainer.workshop_id, handle)
    if member.kind != "learner":
        raise InvalidInput("Only learners have return codes.")
    code = _give_return_code(member)
    session.flush()
    return code


def trainer_sign_in(
    session: Session,
    code: str,
    trainer_key: str,
    *,
    now: datetime,
    client_key: str | None = None,
) -> SignIn:
    """Sign the trainer in: returns the trainer member and a new session token.

    Wrong keys (and unknown codes) count towards the limit of the code tried and,
    with ``client_key``, towards the same per-client limit as wrong join codes (each
    check costs a deliberate ~50 ms of scrypt).
    Fails with NotFound for an unknown code, WrongTrainerKey (a NotAllowed) for
    a wrong key, TooManyTries when the client has failed too often.
    """
    tries = _try_keys(client_key, code)
    _check_rate_limit(session, tries, now)
    if not normalise_code(code):
        raise InvalidInput(
            "Please type the workshop's join code: the six letters and digits that "
            "insideout workshop create printed (for example K7M2QX)."
        )
    if not (trainer_key or "").strip():
        raise InvalidInput(
            f"Please type the trainer key: the long code starting with {TRAINER_KEY_PREFIX} "
            "that insideout workshop create printed beside the join code."
        )
    try:
        workshop = get_workshop(session, code)
    except NotFound:
        _record_failed_try(session, tries, now)
        raise UnknownCodeTried(
            f"There is no workshop with the code '{code.strip()}'. Please type the join code "
            "that insideout workshop create printed (insideout workshop list shows every "
            "workshop's code)." if has_workshops(session) else NO_WORKSHOP_YET
        ) from None
    if not verify_trainer_key(workshop, trainer_key or ""):
        _record_failed_try(session, tries, now)
        raise WrongTrainerKey(
            "That trainer key is not right for this workshop. Please type the key that "
            f"insideout workshop create printed with this join code (it starts with {TRAINER_KEY_PREFIX})."
        )
    trainer = session.scalar(
        select(Member).where(Member.workshop_id == workshop.id, Member.kind == "trainer")
    )
    return SignIn(member=trainer, session_token=_new_session(session, trainer, now))


def require_trainer(member: Member) -> None:
    """Fails with NotAllowed unless ``member`` is the workshop's trainer."""
    if member.kind != "trainer":
        raise NotAllowed("Only the trainer can do that.")


# --- joining ----------------------------------------------------------------------


def join(
    session: Session,
    code: str,
    display_name: str,
    department: str,
    *,
    accept_policy: bool,
    client_key: str,
    now: datetime,
) -> SignIn:
    """Join the workshop ``code`` as a learner; returns the member and a session token.

    ``client_key`` identifies the client for the rate limit (e.g. a hash of the
    browser session or address). Records ``member.join``.

    Fails with: TooManyTries (too many wrong codes from this client recently,
    with how long to wait); InvalidInput (name or department empty, too long or
    unsafe; policy not accepted); WrongJoinCode (no such workshop; the try is
    kept and counts towards the limit); AlreadyTaken (someone in the workshop
    already uses this display name, in any letter case).
    """
    tries = _try_keys(client_key or "unknown", code)
    _check_rate_limit(session, tries, now)
    name = clean_text(display_name, "Your display name", LIMITS.display_name, multiline=False)
    department = clean_text(department, "Your department", LIMITS.department, multiline=False)
    if not accept_policy:
        raise InvalidInput("Please read and accept the usage policy to join.")
    if not normalise_code(code):
        raise InvalidInput(
            "Please type the join code your trainer gave you: six letters and digits, "
            "for example K7M2QX."
        )
    workshop = session.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        _record_failed_try(session, tries, now)
        if not has_workshops(session):
            raise WrongJoinCode(NO_WORKSHOP_YET)
        raise WrongJoinCode(
            "That join code is not right. Please type the six letters and digits your "
            "trainer gave you (for example K7M2QX), or check them with your trainer."
        )
    member = _add_member(
        session, workshop, name, department, kind="learner", now=now, policy_accepted_at=now
    )
    return_code = _give_return_code(member)
    activity_log.record(session, member, "member.join", now=now, object_type="member",
                        object_id=member.id)
    return SignIn(member=member, session_token=_new_session(session, member, now), return_code=return_code)


def _try_keys(client_key: str | None, code: str) -> list[str]:
    """The keys a failed try counts under: the client (when known) and the code tried."""
    code_key = "code:" + hashlib.sha256(normalise_code(code)[:64].encode()).hexdigest()[:32]
    return [code_key] if client_key is None else [client_key[:128], code_key]


def _record_failed_try(session: Session, keys: list[str], now: datetime) -> None:
    # Forget these keys' tries that no longer count, so the table stays small.
    session.execute(delete(JoinAttempt).where(
        JoinAttempt.client_key.in_(keys),
        JoinAttempt.at <= now - timedelta(seconds=LIMITS.join_window_seconds)))
    session.add_all(JoinAttempt(client_key=key, at=now) for key in keys)
    session.flush()


def _check_rate_limit(session: Session, keys: list[str], now: datetime) -> None:
    """Fails with TooManyTries when any of ``keys`` has failed too often lately."""
    window_start = now - timedelta(seconds=LIMITS.join_window_seconds)
    wait = 0
    for key in keys:
        recent = session.scalars(
            select(JoinAttempt.at)
            .where(JoinAttempt.client_key == key, JoinAttempt.at > window_start)
            .order_by(JoinAttempt.at.desc())
            .limit(LIMITS.join_attempts)
        ).all()
        if len(recent) >= LIMITS.join_attempts:
            # Allowed again once the oldest of the last N tries leaves the window.
            frees_at = recent[-1] + timedelta(seconds=LIMITS.join_window_seconds)
            wait = max(wait, 1, math.ceil((frees_at - now).total_seconds()))
    if wait:
        raise TooManyTries(
            f"Too many tries with a wrong code. Please wait {wait} seconds and try again.",
            wait_seconds=wait,
        )


def _add_member(
    session: Session,
    workshop: Workshop,
    display_name: str,
    department: str,
    *,
    kind: str,
    now: datetime,
    policy_accepted_at: datetime | None = None,
    persona: str | None = None,
    champion: bool = False,
    threshold: int | None = None,
) -> Member:
    key = display_name.casefold()
    taken = session.scalar(
        select(Member.id).where(Member.workshop_id == workshop.id, Member.display_name_key == key)
    )
    if taken is not None:
        raise AlreadyTaken(
            f"Someone in this workshop is already called '{display_name}'. If that is you, "
            "come back with your return code (under \"Been here before?\" below; your "
            "trainer can give you a new one). Otherwise, please add an initial or your surname."
            if kind == "learner" else
            f"Someone in this workshop is already called '{display_name}'. "
            "Please add an initial or your surname."
        )
    member = Member(
        workshop_id=workshop.id,
        handle=_unused_handle(session, workshop.id, display_name),
        display_name=display_name,
        display_name_key=key,
        department=department,
        kind=kind,
        persona=persona,
        champion=champion,
        threshold=threshold,
        policy_accepted_at=policy_accepted_at,
        joined_at=now,
    )
    try:
        # Two people may pick the same name at the same moment (PostgreSQL has no
        # global write lock); the unique constraint decides, the loser gets a message.
        with session.begin_nested():
            session.add(member)
            session.flush()
    except IntegrityError:
        raise AlreadyTaken(
            f"Someone joined as '{display_name}' a moment ago. Please pick another name."
        ) from None
    return member


def handle_from_name(display_name: str) -> str:
    """A short, URL- and mention-friendly handle: 'Zoë O'Neil' -> 'zoe-oneil'."""
    ascii_name = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace("'", "").replace("\u2019", "")
    handle = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:30].strip("-")
    return handle or "member"


def _unused_handle(session: Session, workshop_id: int, display_name: str) -> str:
    base = handle_from_name(display_name)
    taken = set(
        session.scalars(
            select(Member.handle).where(
                Member.workshop_id == workshop_id,
                (Member.handle == base) | Member.handle.like(f"{base}-%"),
            )
        )
    )
    if base not in taken and base != TRAINER_HANDLE:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# --- sessions -------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_session(session: Session, member: Member, now: datetime) -> str:
    lifetime = session_lifetime(member)
    if lifetime is not None:  # the member's expired sign-ins go now, so only live ones stay
        session.execute(delete(SessionToken).where(
            SessionToken.member_id == member.id, SessionToken.created_at <= now - lifetime))
    token = secrets.token_urlsafe(32)
    session.add(
        SessionToken(
            workshop_id=member.workshop_id,
            member_id=member.id,
            token_hash=_token_hash(token),
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    return token


def session_lifetime(member: Member) -> timedelta | None:
    """How long a sign-in of ``member`` lasts from the moment it was made: the trainer's
    :func:`sandbox.config.trainer_session_hours` (12 by default); None (until signed
    out) for everyone else."""
    if member.kind != "trainer":
        return None
    return timedelta(hours=config.trainer_session_hours())


def member_for_token(session: Session, token: str | None, *, now: datetime | None = None) -> Member | None:
    """The member signed in with ``token``, or None for a missing, unknown or expired token.

    With ``now``, a sign-in older than its lifetime (:func:`session_lifetime`) has
    expired and None is returned (the row goes at the member's next sign-in).
    """
    if not token or len(token) > 200:
        return None
    row = session.execute(
        select(Member, SessionToken.created_at)
        .join(SessionToken, SessionToken.member_id == Member.id)
        .where(SessionToken.token_hash == _token_hash(token))
    ).first()
    if row is None:
        return None
    member, created_at = row
    lifetime = session_lifetime(member)
    if now is not None and lifetime is not None and created_at + lifetime <= now:
        return None
    return member


def sign_out(session: Session, token: str) -> None:
    """Forget ``token`` (this browser only; other devices stay signed in)."""
    session.execute(delete(SessionToken).where(SessionToken.token_hash == _token_hash(token or "")))


def sign_out_everywhere(session: Session, member: Member, *, now: datetime | None = None) -> int:
    """Forget every sign-in of ``member`` (every browser and device); returns how many.

    ``now`` is accepted for the UI's action runner and not used.
    """
    return session.execute(delete(SessionToken).where(SessionToken.member_id == member.id)).rowcount or 0


# --- members ------------------------------------------------------------------------


def list_members(session: Session, workshop_id: int, *, kind: str | None = None) -> list[Member]:
    """The workshop's members in joining order, optionally only one ``kind``."""
    query = select(Member).where(Member.workshop_id == workshop_id)
    if kind is not None:
        query = query.where(Member.kind == kind)
    return list(session.scalars(query.order_by(Member.id)))


def get_member(session: Session, workshop_id: int, handle: str) -> Member:
    """The member with ``handle`` in this workshop. Fails with NotFound."""
    member = session.scalar(
        select(Member).where(Member.workshop_id == workshop_id, Member.handle == (handle or "").lower())
    )
    if member is None:
        raise NotFound(f"Nobody called @{handle} is in this workshop.")
    return member


def add_simulated_member(
    session: Session,
    workshop: Workshop,
    *,
    persona: str,
    display_name: str,
    department: str,
    champion: bool = False,
    threshold: int | None = None,
    now: datetime,
) -> Member:
    """Add a simulated colleague for scenario persona ``persona`` (idempotent).

    Returns the existing member if the persona was added before. No activity row:
    simulated colleagues are part of the room, not participants joining it.
    Fails with InvalidInput/AlreadyTaken like ``join``.
    """
    existing = session.scalar(
        select(Member).where(Member.workshop_id == workshop.id, Member.persona == persona)
    )
    if existing is not None:
        return existing
    name = clean_text(display_name, "The persona's name", LIMITS.display_name, multiline=False)
    department = clean_text(department, "The persona's department", LIMITS.department,
                            multiline=False, required=False)
    return _add_member(
        session, workshop, name, department, kind="simulated", now=now,
        policy_accepted_at=now, persona=persona, champion=champion, threshold=threshold,
    )


def set_threshold(session: Session, member: Member, threshold: int, *, now: datetime) -> Member:
    """Record the member's answer in the threshold game (0-100: "I join when N% have").

    Records ``member.threshold``. Fails with InvalidInput outside 0-100.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 0 <= threshold <= 100:
        raise InvalidInput("Your threshold must be a whole number from 0 to 100.")
    # The caller's Member may come from another session; change the row in this one.
    member = session.get(Member, member.id)
    member.threshold = threshold
    session.flush()
    activity_log.record(session, member, "member.threshold", now=now, object_type="threshold",
                        object_id=member.id, detail={"threshold": threshold})
    return member


# --- institutional sign-in (sandbox/services/accounts.py) --------------------------


def get_workshop_for_join(session: Session, code: str, *, client_key: str, now: datetime) -> Workshop:
    """The workshop ``code`` names, looked up as a join does (rate limit, wrong tries counted).

    Fails with TooManyTries or WrongJoinCode, like :func:`join`.
    """
    tries = _try_keys(client_key or "unknown", code)
    _check_rate_limit(session, tries, now)
    workshop = session.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        _record_failed_try(session, tries, now)
        raise WrongJoinCode("That join code is not right. Check it with your trainer and try again.")
    return workshop


def start_session(session: Session, member: Member, now: datetime) -> SignIn:
    """A new signed-in browser for ``member`` (someone the caller has already identified)."""
    return SignIn(member=member, session_token=_new_session(session, member, now))
