"""Institutional sign-in: a member of staff signed in with their organisation's account
(OpenID Connect, Streamlit's ``st.login``) joins a workshop without typing a name, and
comes back as themselves from any device.

The identity is the provider's issuer and subject (``iss`` and ``sub``, stable for a
person at that provider; an e-mail address can change hands), kept on the member row
(``members.identity_subject``, migration 0008): the first sign-in to a workshop makes the
member, every later one, from any browser, finds it and starts a new session.

Trainers come from a configured list (``INSIDEOUT_OIDC_TRAINERS``: e-mail addresses or
subjects, comma-separated) or a group claim (``INSIDEOUT_OIDC_TRAINER_GROUP``: a group
named in the ID token's ``groups`` claim); they sign in as the workshop's trainer
without the trainer key. Join codes and display names keep working where no provider
is configured: this module only adds a way in.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.services import workshops
from sandbox.services.errors import AlreadyTaken, InvalidInput
from sandbox.store.models import Member

TRAINERS_ENV = "INSIDEOUT_OIDC_TRAINERS"
TRAINER_GROUP_ENV = "INSIDEOUT_OIDC_TRAINER_GROUP"


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in."""

    issuer: str
    subject: str
    name: str = ""
    email: str = ""
    groups: tuple[str, ...] = ()

    @classmethod
    def from_claims(cls, claims: Mapping) -> Identity:
        """From the ID token's claims (``st.user``). Fails with InvalidInput without ``sub``."""
        subject = str(claims.get("sub") or "").strip()
        if not subject:
            raise InvalidInput("Your organisation's sign-in did not say who you are. Join with the code instead.")
        groups = claims.get("groups") or ()
        if isinstance(groups, str):
            groups = (groups,)
        return cls(issuer=str(claims.get("iss") or ""), subject=subject,
                   name=str(claims.get("name") or "").strip(), email=str(claims.get("email") or "").strip(),
                   groups=tuple(str(g) for g in groups))

    @property
    def key(self) -> str:
        """The stored identity: issuer and subject (a subject is unique only at its issuer)."""
        return f"{self.issuer} {self.subject}"[-400:]

    def display_name(self) -> str:
        """The name to show: the ``name`` claim, else the e-mail address's local part."""
        if self.name:
            return self.name
        local = self.email.split("@", 1)[0].replace(".", " ").replace("_", " ").strip()
        return local.title() if local else "Colleague"


@dataclass(frozen=True)
class TrainerRule:
    """Who is a trainer: listed e-mail addresses or subjects, or members of one group."""

    people: frozenset[str] = frozenset()
    group: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> TrainerRule:
        people = frozenset(p.strip().casefold() for p in environ.get(TRAINERS_ENV, "").split(",") if p.strip())
        return cls(people=people, group=environ.get(TRAINER_GROUP_ENV, "").strip())

    def is_trainer(self, identity: Identity) -> bool:
        if identity.subject.casefold() in self.people or (identity.email and identity.email.casefold() in self.people):
            return True
        return bool(self.group) and self.group in identity.groups


def member_for_identity(session: Session, workshop_id: int, identity: Identity) -> Member | None:
    """The learner this identity already is in the workshop, if they joined before."""
    return session.scalar(select(Member).where(Member.workshop_id == workshop_id,
                                               Member.identity_subject == identity.key))


def sign_in(
    session: Session,
    code: str,
    identity: Identity,
    *,
    rule: TrainerRule,
    department: str = "",
    accept_policy: bool = False,
    client_key: str,
    now: datetime,
) -> workshops.SignIn:
    """Sign ``identity`` in to workshop ``code``: as the trainer if ``rule`` says so, as the
    learner they already are, or as a new learner named by the provider.

    A new learner must accept the usage policy and give a department (unless the provider
    sends one), as anyone joining does. Fails like :func:`workshops.join` (wrong code, rate
    limit, policy not accepted, bad department).
    """
    workshop = workshops.get_workshop_for_join(session, code, client_key=client_key, now=now)
    if rule.is_trainer(identity):
        trainer = session.scalar(select(Member).where(Member.workshop_id == workshop.id, Member.kind == "trainer"))
        return workshops.start_session(session, trainer, now)
    known = member_for_identity(session, workshop.id, identity)
    if known is not None:
        return workshops.start_session(session, known, now)
    name = identity.display_name()
    for attempt in range(1, 20):
        try:
            with session.begin_nested():
                joined = workshops.join(session, workshop.code, name if attempt == 1 else f"{name} ({attempt})",
                                        department, accept_policy=accept_policy, client_key=client_key, now=now)
        except AlreadyTaken:
            continue  # a namesake is already in the room: the provider's name, numbered
        joined.member.identity_subject = identity.key
        session.flush()
        return joined
    raise AlreadyTaken(f"Too many people called '{name}' are in this workshop. Join with the code instead.")
