"""Search across posts, wiki pages and bookmarks ("search before you ask", module 8).

Matching is a case-insensitive substring match with every term required,
done in SQL with bound parameters (wildcards typed by people are escaped).
SQLite's own LIKE folds ASCII letters only, so a term with other letters ("ZOË",
"Şule") is matched there through ``io_fold`` (Python's ``str.casefold``, which the
store registers on every SQLite connection); ASCII terms keep the plain, faster LIKE.
PostgreSQL's ILIKE folds every letter itself.
Each search writes a ``search.run`` activity with the number of results,
never the query text, so run it inside a write session.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from sandbox.config import LIMITS
from sandbox.services import activity_log
from sandbox.services.errors import InvalidInput
from sandbox.services.text import clean_text
from sandbox.store.models import Bookmark, BookmarkSave, Member, Post, WikiPage, WikiRevision


@dataclass(frozen=True)
class SearchHit:
    kind: str  # post | wiki_page | bookmark
    id: int  # the post id (root of the thread for replies), page id or bookmark id
    title: str
    snippet: str  # plain text around the first match (render it as text, not HTML)
    created_at: datetime
    url: str = ""  # for bookmarks: the link
    slug: str = ""  # for wiki pages


@dataclass(frozen=True)
class SearchResults:
    query: str
    posts: list[SearchHit]
    pages: list[SearchHit]
    bookmarks: list[SearchHit]

    @property
    def total(self) -> int:
        return len(self.posts) + len(self.pages) + len(self.bookmarks)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _all_terms(columns, terms, dialect: str = ""):
    return and_(*[or_(*[_matches(c, t, dialect) for c in columns]) for t in terms])


def _matches(column, term: str, dialect: str):
    if dialect == "sqlite" and not term.isascii():
        return func.io_fold(column).like(_like(term.casefold()), escape="\\")
    return column.ilike(_like(term), escape="\\")


def snippet(text: str, terms: list[str], width: int = 140) -> str:
    """Plain text around the first matching term, with ellipses where cut."""
    flat = " ".join(text.split())
    lower = flat.lower()  # lower(), not casefold(): it keeps positions in step with flat
    hit = min((lower.find(t.lower()) for t in terms if t.lower() in lower), default=0)
    start = max(0, hit - width // 3)
    piece = flat[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def search(
    session: Session, member: Member, query: str, *, now: datetime, limit: int = 10
) -> SearchResults:
    """Find posts, wiki pages and bookmarks containing every word of ``query``.

    Records ``search.run`` (detail: results). Fails with InvalidInput for a
    query that is empty, shorter than 2 characters or too long.
    """
    query = clean_text(query, "The search", LIMITS.search_query, multiline=False)
    terms = [t for t in query.split() if t][:8]
    if len(query) < 2:
        raise InvalidInput("Please type at least 2 characters to search.")
    limit = max(1, min(limit, LIMITS.page_size_max))
    workshop_id = member.workshop_id
    dialect = session.get_bind().dialect.name

    visible = [Post.workshop_id == workshop_id, Post.deleted.is_(False)]
    if member.kind != "trainer":
        visible.append(or_(Post.hidden.is_(False), Post.author_id == member.id))
    posts = session.execute(
        select(Post, Member).join(Member, Member.id == Post.author_id)
        .where(*visible, _all_terms([Post.body], terms, dialect))
        .order_by(Post.id.desc()).limit(limit)).all()
    post_hits = [SearchHit(kind="post", id=p.root_id or p.id, title=f"{m.display_name} wrote",
                           snippet=snippet(p.body, terms), created_at=p.created_at)
                 for p, m in posts]

    pages = session.execute(
        select(WikiPage, WikiRevision)
        .join(WikiRevision, and_(WikiRevision.page_id == WikiPage.id,
                                 WikiRevision.number == WikiPage.current_number))
        .where(WikiPage.workshop_id == workshop_id,
               _all_terms([WikiPage.title, WikiRevision.body], terms, dialect))
        .order_by(WikiPage.updated_at.desc()).limit(limit)).all()
    page_hits = [SearchHit(kind="wiki_page", id=p.id, title=p.title, slug=p.slug,
                           snippet=snippet(r.body, terms), created_at=p.updated_at)
                 for p, r in pages]

    notes = select(BookmarkSave.bookmark_id).where(
        BookmarkSave.workshop_id == workshop_id, _all_terms([BookmarkSave.note], terms, dialect))
    bookmarks = session.scalars(
        select(Bookmark).where(Bookmark.workshop_id == workshop_id,
                               or_(_all_terms([Bookmark.title, Bookmark.url], terms, dialect),
                                   Bookmark.id.in_(notes)))
        .order_by(Bookmark.id.desc()).limit(limit)).all()
    bookmark_hits = [SearchHit(kind="bookmark", id=b.id, title=b.title, url=b.url,
                               snippet=b.url, created_at=b.created_at) for b in bookmarks]

    results = SearchResults(query=query, posts=post_hits, pages=page_hits, bookmarks=bookmark_hits)
    activity_log.record(session, member, "search.run", now=now,
                        detail={"results": results.total})
    return results
