"""Social bookmarks: save a link with a title, a note and tags; see who else saved it.

One bookmark per URL per workshop; each person who saves it adds their own note
and tags. "Saved by N" and a shared tag vocabulary (module 5) come from that.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sandbox.config import LIMITS
from sandbox.services import activity_log, tags as tag_service
from sandbox.services.errors import InvalidInput, NotFound
from sandbox.services.text import clean_text, render_markdown
from sandbox.store.models import Bookmark, BookmarkSave, BookmarkTag, Member, Tag


@dataclass(frozen=True)
class SaverNote:
    handle: str
    name: str
    note_html: str
    tags: list[str]
    saved_at: datetime


@dataclass(frozen=True)
class BookmarkView:
    id: int
    url: str
    title: str
    saved_by: int  # "saved by N"
    tags: list[str]  # all savers' tags, most used first
    savers: list[SaverNote]  # oldest first
    saved_by_me: bool
    created_at: datetime


@dataclass(frozen=True)
class BookmarkPage:
    items: list[BookmarkView]
    next_before_id: int | None


def clean_url(raw: str) -> str:
    """A web address we accept: http(s) only, with a host; scheme and host lower-cased.

    Fails with InvalidInput (empty, too long, another scheme such as
    ``javascript:``, no host, spaces).
    """
    url = clean_text(raw, "The link", LIMITS.bookmark_url, multiline=False)
    if " " in url:
        raise InvalidInput("The link has spaces in it. Please copy it again from the browser.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidInput("The link must be a web address starting with http:// or https://.")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query,
                       parts.fragment))


def save_bookmark(
    session: Session,
    member: Member,
    url: str,
    title: str,
    *,
    now: datetime,
    note: str = "",
    tags: list[str] | str | None = None,
) -> BookmarkSave:
    """Save a link (or update your note and tags if you saved it before).

    The first save records ``bookmark.save`` (detail: tags; target: the first
    saver when someone saved it before you). Fails with InvalidInput: bad link,
    title empty/too long, note too long, bad or too many tags.
    """
    url = clean_url(url)
    title = clean_text(title, "The title", LIMITS.bookmark_title, multiline=False)
    note = clean_text(note, "Your note", LIMITS.bookmark_note, required=False)
    tag_names = tag_service.clean_tags(tags, LIMITS.tags_per_item)
    bookmark = session.scalar(select(Bookmark).where(Bookmark.workshop_id == member.workshop_id,
                                                     Bookmark.url == url))
    if bookmark is None:
        bookmark = Bookmark(workshop_id=member.workshop_id, url=url, title=title,
                            first_saved_by_id=member.id, created_at=now)
        try:
            with session.begin_nested():
                session.add(bookmark)
                session.flush()
        except IntegrityError:
            bookmark = session.scalar(select(Bookmark).where(
                Bookmark.workshop_id == member.workshop_id, Bookmark.url == url))
    saved = session.scalar(select(BookmarkSave).where(BookmarkSave.bookmark_id == bookmark.id,
                                                      BookmarkSave.member_id == member.id))
    first_time = saved is None
    if first_time:
        saved = BookmarkSave(workshop_id=member.workshop_id, bookmark_id=bookmark.id,
                             member_id=member.id, note=note, created_at=now)
        session.add(saved)
    else:
        saved.note = note
        session.execute(delete(BookmarkTag).where(BookmarkTag.save_id == saved.id))
    session.flush()
    for tag in tag_service.tags_for_names(session, member.workshop_id, tag_names):
        session.add(BookmarkTag(workshop_id=member.workshop_id, save_id=saved.id, tag_id=tag.id))
    session.flush()
    if first_time:
        first_saver = (session.get(Member, bookmark.first_saved_by_id)
                       if bookmark.first_saved_by_id != member.id else None)
        activity_log.record(session, member, "bookmark.save", now=now, object_type="bookmark",
                            object_id=bookmark.id, target=first_saver, detail={"tags": tag_names})
    return saved


def list_bookmarks(
    session: Session,
    viewer: Member,
    *,
    tag: str | None = None,
    saved_by_handle: str | None = None,
    before_id: int | None = None,
    limit: int = 20,
) -> BookmarkPage:
    """Bookmarks, newest first; filter by ``tag`` or by who saved them. Paged like the feed."""
    limit = max(1, min(int(limit), LIMITS.page_size_max))
    query = select(Bookmark.id).where(Bookmark.workshop_id == viewer.workshop_id)
    if tag:
        name = tag.strip().lstrip("#").lower()
        query = query.where(Bookmark.id.in_(
            select(BookmarkSave.bookmark_id).join(BookmarkTag, BookmarkTag.save_id == BookmarkSave.id)
            .join(Tag, Tag.id == BookmarkTag.tag_id)
            .where(Tag.workshop_id == viewer.workshop_id, Tag.name == name)))
    if saved_by_handle:
        query = query.where(Bookmark.id.in_(
            select(BookmarkSave.bookmark_id).join(Member, Member.id == BookmarkSave.member_id)
            .where(Member.workshop_id == viewer.workshop_id,
                   Member.handle == saved_by_handle.lower())))
    if before_id is not None:
        query = query.where(Bookmark.id < before_id)
    ids = list(session.scalars(query.order_by(Bookmark.id.desc()).limit(limit + 1)))
    more = len(ids) > limit
    ids = ids[:limit]
    return BookmarkPage(items=_views(session, viewer, ids), next_before_id=ids[-1] if more else None)


def get_bookmark(session: Session, viewer: Member, bookmark_id: int) -> BookmarkView:
    """One bookmark with every saver's note. Fails with NotFound."""
    bookmark = session.get(Bookmark, bookmark_id) if isinstance(bookmark_id, int) else None
    if bookmark is None or bookmark.workshop_id != viewer.workshop_id:
        raise NotFound("That bookmark does not exist.")
    return _views(session, viewer, [bookmark.id])[0]


def _views(session: Session, viewer: Member, ids: list[int]) -> list[BookmarkView]:
    if not ids:
        return []
    bookmarks = {b.id: b for b in session.scalars(select(Bookmark).where(Bookmark.id.in_(ids)))}
    saves = session.execute(
        select(BookmarkSave, Member).join(Member, Member.id == BookmarkSave.member_id)
        .where(BookmarkSave.bookmark_id.in_(ids)).order_by(BookmarkSave.id)).all()
    tag_rows = session.execute(
        select(BookmarkTag.save_id, Tag.name).join(Tag, Tag.id == BookmarkTag.tag_id)
        .where(BookmarkTag.save_id.in_([s.id for s, _ in saves] or [-1]))
        .order_by(BookmarkTag.id)).all()
    tags_by_save: dict[int, list[str]] = {}
    for save_id, name in tag_rows:
        tags_by_save.setdefault(save_id, []).append(name)
    savers: dict[int, list[SaverNote]] = {}
    tag_counts: dict[int, dict[str, int]] = {}
    mine: set[int] = set()
    for saved, member in saves:
        its_tags = tags_by_save.get(saved.id, [])
        savers.setdefault(saved.bookmark_id, []).append(SaverNote(
            handle=member.handle, name=member.display_name,
            note_html=render_markdown(saved.note) if saved.note else "", tags=its_tags,
            saved_at=saved.created_at))
        counts = tag_counts.setdefault(saved.bookmark_id, {})
        for name in its_tags:
            counts[name] = counts.get(name, 0) + 1
        if member.id == viewer.id:
            mine.add(saved.bookmark_id)
    views = []
    for bookmark_id in ids:
        b = bookmarks[bookmark_id]
        counts = tag_counts.get(b.id, {})
        views.append(BookmarkView(
            id=b.id, url=b.url, title=b.title, saved_by=len(savers.get(b.id, [])),
            tags=sorted(counts, key=lambda n: (-counts[n], n)), savers=savers.get(b.id, []),
            saved_by_me=b.id in mine, created_at=b.created_at))
    return views


def saved_count(session: Session, workshop_id: int, url: str) -> int:
    """How many people saved ``url`` (after normalising it); 0 if nobody."""
    try:
        url = clean_url(url)
    except InvalidInput:
        return 0
    return int(session.scalar(
        select(func.count(BookmarkSave.id)).join(Bookmark, Bookmark.id == BookmarkSave.bookmark_id)
        .where(Bookmark.workshop_id == workshop_id, Bookmark.url == url)))
