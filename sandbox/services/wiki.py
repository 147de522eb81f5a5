"""The wiki: pages anyone can edit, every version kept with its author and summary.

Module 3 is about moving "the Word file on the share" into a page colleagues
improve together, so the history matters as much as the page: who edited,
what changed (a side-by-side diff), and a way back (revert makes a new version,
it never deletes one).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sandbox.config import LIMITS
from sandbox.services import activity_log, notifications
from sandbox.services.errors import AlreadyTaken, EditConflict, InvalidInput, NotFound
from sandbox.services.text import clean_text, render_markdown
from sandbox.store.models import Member, WikiPage, WikiRevision


@dataclass(frozen=True)
class PageSummary:
    id: int
    slug: str
    title: str
    updated_at: datetime
    versions: int
    editors: int


@dataclass(frozen=True)
class PageView:
    id: int
    slug: str
    title: str
    body: str  # Markdown, for the edit box
    html: str  # safe HTML to show
    number: int  # current version; pass it back as ``base_number`` when saving
    updated_at: datetime
    updated_by_name: str
    created_by_name: str


@dataclass(frozen=True)
class RevisionView:
    number: int
    author_handle: str
    author_name: str
    summary: str
    created_at: datetime
    reverted_to: int | None
    body: str


@dataclass(frozen=True)
class DiffRow:
    """One line of a side-by-side diff; a side is None where the line does not exist."""

    old_number: int | None
    old_text: str | None
    new_number: int | None
    new_text: str | None
    change: str  # same | changed | added | removed


@dataclass(frozen=True)
class EditorView:
    handle: str
    name: str
    department: str
    edits: int
    last_edit_at: datetime


def slugify(title: str) -> str:
    """``'Booking a room (how-to)'`` -> ``'booking-a-room-how-to'``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:100].strip("-")
    return slug or "page"


def create_page(
    session: Session, author: Member, title: str, body: str, *, now: datetime, summary: str = ""
) -> WikiPage:
    """Create a page with its first version. Records ``wiki.create``.

    Fails with InvalidInput (title or body empty/too long/unsafe) or
    AlreadyTaken (a page with the same title, ignoring case and punctuation).
    """
    title = clean_text(title, "The page title", LIMITS.wiki_title, multiline=False)
    body = clean_text(body, "The page", LIMITS.wiki_body)
    summary = clean_text(summary, "The summary", LIMITS.wiki_summary, multiline=False,
                         required=False) or "First version"
    slug = slugify(title)
    if slug == "page" and session.scalar(_page_query(author.workshop_id).where(WikiPage.slug == slug)):
        slug = f"page-{_page_count(session, author.workshop_id) + 1}"
    existing = session.scalar(_page_query(author.workshop_id).where(WikiPage.slug == slug))
    if existing is not None:
        raise AlreadyTaken(f"There is already a page called '{existing.title}'. Edit that page instead.")
    page = WikiPage(workshop_id=author.workshop_id, slug=slug, title=title, created_by_id=author.id,
                    created_at=now, updated_at=now, current_number=1)
    try:
        with session.begin_nested():
            session.add(page)
            session.flush()
    except IntegrityError:
        raise AlreadyTaken(f"A page called '{title}' was created a moment ago. Edit it instead.") from None
    session.add(WikiRevision(workshop_id=page.workshop_id, page_id=page.id, number=1,
                             author_id=author.id, summary=summary, body=body, created_at=now))
    session.flush()
    activity_log.record(session, author, "wiki.create", now=now, object_type="wiki_page",
                        object_id=page.id)
    return page


def edit_page(
    session: Session,
    editor: Member,
    page_id: int,
    body: str,
    *,
    base_number: int,
    now: datetime,
    summary: str = "",
) -> WikiRevision:
    """Save a new version of a page. Records ``wiki.edit`` (target: the previous author).

    ``base_number`` is the version the editor started from: if someone saved
    since, this fails with EditConflict instead of silently overwriting them.
    Also fails with NotFound, InvalidInput (body empty/too long/unsafe, or
    nothing changed).
    """
    body = clean_text(body, "The page", LIMITS.wiki_body)
    summary = clean_text(summary, "The summary", LIMITS.wiki_summary, multiline=False,
                         required=False)
    page = _page(session, editor.workshop_id, page_id)
    current = _revision(session, page, page.current_number)
    if base_number != page.current_number:
        author = session.get(Member, current.author_id)
        raise EditConflict(
            f"{author.display_name} saved a newer version of this page while you were editing. "
            "Copy your changes, reload the page and add them again."
        )
    if body == current.body:
        raise InvalidInput("Nothing changed: the page is the same as the current version.")
    return _add_revision(session, editor, page, current, body, summary or "Edited", now=now,
                         verb="wiki.edit")


def revert_page(session: Session, member: Member, page_id: int, number: int, *, now: datetime) -> WikiRevision:
    """Make version ``number`` current again, as a new version. Records ``wiki.revert``.

    Fails with NotFound (page or version), InvalidInput (it is already current).
    """
    page = _page(session, member.workshop_id, page_id)
    old = _revision(session, page, number)
    current = _revision(session, page, page.current_number)
    if number == page.current_number or old.body == current.body:
        raise InvalidInput(f"Version {number} is already what the page says.")
    return _add_revision(session, member, page, current, old.body, f"Went back to version {number}",
                         now=now, verb="wiki.revert", reverted_to=number)


def _add_revision(session, member, page, current, body, summary, *, now, verb, reverted_to=None):
    revision = WikiRevision(workshop_id=page.workshop_id, page_id=page.id,
                            number=page.current_number + 1, author_id=member.id, summary=summary,
                            body=body, reverted_to=reverted_to, created_at=now)
    session.add(revision)
    page.current_number = revision.number
    page.updated_at = now
    session.flush()
    previous_author = session.get(Member, current.author_id)
    notifications.notify(session, previous_author, member, "wiki_edit", object_type="wiki_page",
                         object_id=page.id, now=now)
    detail = {"version": revision.number}
    if reverted_to is not None:
        detail["reverted_to"] = reverted_to
    activity_log.record(session, member, verb, now=now, object_type="wiki_page", object_id=page.id,
                        target=previous_author, detail=detail)
    return revision


def _page_query(workshop_id: int):
    return select(WikiPage).where(WikiPage.workshop_id == workshop_id)


def _page_count(session: Session, workshop_id: int) -> int:
    return int(session.scalar(select(func.count(WikiPage.id)).where(WikiPage.workshop_id == workshop_id)))


def _page(session: Session, workshop_id: int, page_id: int) -> WikiPage:
    page = session.get(WikiPage, page_id) if isinstance(page_id, int) else None
    if page is None or page.workshop_id != workshop_id:
        raise NotFound("That wiki page does not exist.")
    return page


def _revision(session: Session, page: WikiPage, number: int) -> WikiRevision:
    revision = session.scalar(select(WikiRevision).where(WikiRevision.page_id == page.id,
                                                         WikiRevision.number == number))
    if revision is None:
        raise NotFound(f"Version {number} of '{page.title}' does not exist.")
    return revision


def list_pages(session: Session, viewer: Member, *, limit: int = 50) -> list[PageSummary]:
    """The workshop's pages, most recently changed first (at most 200)."""
    stats = (
        select(WikiRevision.page_id, func.count(WikiRevision.id).label("versions"),
               func.count(func.distinct(WikiRevision.author_id)).label("editors"))
        .where(WikiRevision.workshop_id == viewer.workshop_id)
        .group_by(WikiRevision.page_id).subquery()
    )
    rows = session.execute(
        select(WikiPage, stats.c.versions, stats.c.editors)
        .join(stats, stats.c.page_id == WikiPage.id)
        .where(WikiPage.workshop_id == viewer.workshop_id)
        .order_by(WikiPage.updated_at.desc(), WikiPage.id.desc())
        .limit(max(1, min(limit, 200)))
    ).all()
    return [PageSummary(id=p.id, slug=p.slug, title=p.title, updated_at=p.updated_at,
                        versions=int(v), editors=int(e)) for p, v, e in rows]


def get_page(session: Session, viewer: Member, slug_or_id: str | int) -> PageView:
    """A page by its slug or id, at its current version. Fails with NotFound."""
    if isinstance(slug_or_id, int):
        page = _page(session, viewer.workshop_id, slug_or_id)
    else:
        page = session.scalar(_page_query(viewer.workshop_id).where(WikiPage.slug == slug_or_id))
        if page is None:
            raise NotFound("That wiki page does not exist.")
    current = _revision(session, page, page.current_number)
    return PageView(
        id=page.id, slug=page.slug, title=page.title, body=current.body,
        html=render_markdown(current.body), number=current.number, updated_at=page.updated_at,
        updated_by_name=session.get(Member, current.author_id).display_name,
        created_by_name=session.get(Member, page.created_by_id).display_name,
    )


def list_revisions(session: Session, viewer: Member, page_id: int) -> list[RevisionView]:
    """Every version of a page, newest first. Fails with NotFound."""
    page = _page(session, viewer.workshop_id, page_id)
    rows = session.execute(
        select(WikiRevision, Member).join(Member, Member.id == WikiRevision.author_id)
        .where(WikiRevision.page_id == page.id).order_by(WikiRevision.number.desc())
    ).all()
    return [RevisionView(number=r.number, author_handle=m.handle, author_name=m.display_name,
                         summary=r.summary, created_at=r.created_at, reverted_to=r.reverted_to,
                         body=r.body) for r, m in rows]


def diff_revisions(session: Session, viewer: Member, page_id: int, old: int, new: int) -> list[DiffRow]:
    """A side-by-side, line-by-line diff of two versions of a page.

    Fails with NotFound (page or either version).
    """
    page = _page(session, viewer.workshop_id, page_id)
    return side_by_side(_revision(session, page, old).body, _revision(session, page, new).body)


def side_by_side(old_text: str, new_text: str) -> list[DiffRow]:
    """Rows pairing old and new lines (difflib opcodes), for a two-column view."""
    old_lines, new_lines = old_text.split("\n"), new_text.split("\n")
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow(i + 1, old_lines[i], j + 1, new_lines[j], "same")
                        for i, j in zip(range(i1, i2), range(j1, j2)))
            continue
        span = max(i2 - i1, j2 - j1)
        for k in range(span):
            i, j = i1 + k, j1 + k
            left = (i + 1, old_lines[i]) if i < i2 else (None, None)
            right = (j + 1, new_lines[j]) if j < j2 else (None, None)
            change = ("changed" if left[0] and right[0] else "removed" if left[0] else "added")
            rows.append(DiffRow(left[0], left[1], right[0], right[1], change))
    return rows


def who_edited(session: Session, viewer: Member, page_id: int) -> list[EditorView]:
    """Everyone who wrote a version of the page, most edits first. Fails with NotFound."""
    page = _page(session, viewer.workshop_id, page_id)
    rows = session.execute(
        select(Member, func.count(WikiRevision.id), func.max(WikiRevision.created_at))
        .join(WikiRevision, WikiRevision.author_id == Member.id)
        .where(WikiRevision.page_id == page.id)
        .group_by(Member.id)
        .order_by(func.count(WikiRevision.id).desc(), func.max(WikiRevision.created_at).desc())
    ).all()
    # func.max keeps the column's type, so times come back as aware UTC.
    return [EditorView(handle=m.handle, name=m.display_name, department=m.department,
                       edits=int(n), last_edit_at=last) for m, n, last in rows]
