"""Tags shared by #hashtags in posts and bookmark tags: lookup, cloud, suggestions."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sandbox.services.text import normalise_tag
from sandbox.store.models import BookmarkTag, Post, PostTag, Tag


@dataclass(frozen=True)
class TagCount:
    name: str
    count: int  # posts and bookmark saves using it


def tags_for_names(session: Session, workshop_id: int, names: list[str]) -> list[Tag]:
    """Tag rows for ``names`` (already normalised), created when new. Order kept."""
    tags: list[Tag] = []
    for name in dict.fromkeys(names):
        tag = session.scalar(select(Tag).where(Tag.workshop_id == workshop_id, Tag.name == name))
        if tag is None:
            tag = Tag(workshop_id=workshop_id, name=name)
            try:
                # Another server may create the same tag at the same moment.
                with session.begin_nested():
                    session.add(tag)
                    session.flush()
            except IntegrityError:
                tag = session.scalar(
                    select(Tag).where(Tag.workshop_id == workshop_id, Tag.name == name)
                )
        tags.append(tag)
    return tags


def clean_tags(raw: list[str] | str | None, max_tags: int) -> list[str]:
    """Normalise a list (or a comma/space separated string) of tags; drop repeats.

    Fails with InvalidInput for a bad tag or more than ``max_tags`` tags.
    """
    from sandbox.services.errors import InvalidInput

    if raw is None:
        return []
    if isinstance(raw, str):
        if len(raw) > 2000:
            raise InvalidInput("The tags are too long; please use a few short words.")
        raw = [part for part in raw.replace(",", " ").split() if part.strip()]
    names = list(dict.fromkeys(normalise_tag(item) for item in raw if item and item.strip()))
    if len(names) > max_tags:
        raise InvalidInput(f"Please use at most {max_tags} tags.")
    return names


def _usage(workshop_id: int):
    """One row per use of a tag: on a visible post, or by a bookmark saver."""
    post_uses = (
        select(PostTag.tag_id.label("tag_id"))
        .join(Post, Post.id == PostTag.post_id)
        .where(PostTag.workshop_id == workshop_id, Post.deleted.is_(False), Post.hidden.is_(False))
    )
    bookmark_uses = select(BookmarkTag.tag_id.label("tag_id")).where(
        BookmarkTag.workshop_id == workshop_id
    )
    return union_all(post_uses, bookmark_uses).subquery()


def tag_cloud(session: Session, workshop_id: int, *, limit: int = 40) -> list[TagCount]:
    """The most used tags of the workshop (posts and bookmarks), most used first."""
    uses = _usage(workshop_id)
    rows = session.execute(
        select(Tag.name, func.count().label("n"))
        .join(uses, uses.c.tag_id == Tag.id)
        .group_by(Tag.name)
        .order_by(func.count().desc(), Tag.name)
        .limit(max(1, min(limit, 200)))
    ).all()
    return [TagCount(name=name, count=int(n)) for name, n in rows]


def suggest_tags(session: Session, workshop_id: int, prefix: str = "", *, limit: int = 10) -> list[str]:
    """Tags already in use that start with ``prefix``, most used first.

    Reusing tags is what makes a shared vocabulary (module 5); the UI offers these.
    """
    prefix = (prefix or "").strip().lstrip("#").lower()[:40]
    uses = _usage(workshop_id)
    query = (
        select(Tag.name)
        .join(uses, uses.c.tag_id == Tag.id)
        .group_by(Tag.name)
        .order_by(func.count().desc(), Tag.name)
        .limit(max(1, min(limit, 50)))
    )
    if prefix:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Tag.name.like(f"{escaped}%", escape="\\"))
    return list(session.scalars(query))
