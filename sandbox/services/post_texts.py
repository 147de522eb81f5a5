"""Post texts by id, for views that take which posts existed from the log (the replay).

The log never holds what people wrote (see :mod:`sandbox.activity`), so a replay
asks here for the words. They are the words as they are now: a post edited
later shows its new text, a deleted one has none.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.store.models import Post


def post_texts(session: Session, workshop_id: int, post_ids: Iterable[str]) -> dict[str, str]:
    """Post id (as the log writes it) -> its text now ("" once deleted). Unknown ids are left out."""
    ids = [int(post_id) for post_id in post_ids if str(post_id).isdigit()]
    if not ids:
        return {}
    rows = session.execute(select(Post.id, Post.body, Post.deleted)
                           .where(Post.workshop_id == workshop_id, Post.id.in_(ids)))
    return {str(post_id): "" if deleted else body for post_id, body, deleted in rows}
