"""The projector view's key: a read-only, revocable way to show a workshop's live dashboard.

The trainer opens the projector view from the console through a link that carries
this key, never the trainer's own sign-in: whoever has the key can see the
dashboard (what the room sees on the projector anyway) and nothing else. The
workshop keeps only a SHA-256 hash of the one key in use; a new link replaces it,
and closing the view clears it, so a key copied from an old link stops working.
"""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.services.workshops import require_trainer
from sandbox.store.models import Member, Workshop

# Longer than any key we make; anything longer is not worth hashing.
MAX_KEY_LENGTH = 100


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open_view(session: Session, trainer: Member) -> str:
    """Trainer: a new view key for their workshop's projector view (the old one stops working).

    Fails with NotAllowed for anyone but the trainer.
    """
    require_trainer(trainer)
    key = secrets.token_urlsafe(24)
    workshop = session.get(Workshop, trainer.workshop_id)
    workshop.projector_key_hash = _hash(key)
    session.flush()
    return key


def close_view(session: Session, trainer: Member) -> None:
    """Trainer: end every projector view of their workshop. Fails with NotAllowed for others."""
    require_trainer(trainer)
    session.get(Workshop, trainer.workshop_id).projector_key_hash = None
    session.flush()


def is_open(session: Session, workshop_id: int) -> bool:
    """Whether a projector link of the workshop works now."""
    return session.scalar(select(Workshop.projector_key_hash).where(Workshop.id == workshop_id)) is not None


def workshop_for_key(session: Session, key: str | None) -> Workshop | None:
    """The workshop whose projector view ``key`` opens, or None for a missing, closed or unknown key."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    return session.scalar(select(Workshop).where(Workshop.projector_key_hash == _hash(key)))
