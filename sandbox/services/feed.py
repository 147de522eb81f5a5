"""The feed: posts, threaded replies, reactions, @mentions, #hashtags, questions,
praise, polls, pinning and moderation, read in pages.

Writes take the acting member and ``now``; each records its activity row(s) and
notifications in the caller's transaction. Reads return plain view objects
(:class:`PostView`) with the body already rendered to safe HTML, so the UI
never touches the store or renders learner text itself.

Who sees what: deleted posts are gone for everyone; hidden posts (trainer
moderation) are shown only to the trainer and to their author, with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from sandbox import activity as activity_vocabulary
from sandbox.config import LIMITS
from sandbox.services import activity_log, groups, notifications, tags
from sandbox.services.errors import InvalidInput, NotAllowed, NotFound
from sandbox.services.text import clean_text, extract_hashtags, extract_mentions, render_markdown
from sandbox.services.workshops import get_member, require_trainer
from sandbox.store.models import (
    Group,
    Member,
    Mention,
    PollOption,
    PollVote,
    Post,
    PostTag,
    Reaction,
    Tag,
)

# reaction name -> the emoji shown for it.
_REACTION_EMOJI = {"like": "👍", "thanks": "🙏", "celebrate": "🎉", "insightful": "💡"}
# Names come from the activity vocabulary (scenarios are checked against it); name -> emoji.
REACTIONS = {name: _REACTION_EMOJI[name] for name in activity_vocabulary.REACTIONS}
MAX_MENTIONS_PER_POST = 20
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class PollOptionView:
    id: int
    label: str
    votes: int


@dataclass(frozen=True)
class PollView:
    options: list[PollOptionView]
    total_votes: int
    my_option_id: int | None


@dataclass(frozen=True)
class PostView:
    id: int
    author_handle: str
    author_name: str
    author_department: str
    author_kind: str
    body: str  # the stored Markdown (for the edit box)
    html: str  # safe HTML to show
    kind: str  # normal | question | praise | poll
    created_at: datetime
    edited_at: datetime | None
    parent_id: int | None
    root_id: int | None
    group_id: int | None
    group_name: str | None
    tags: list[str]
    reactions: dict[str, int]  # reaction name -> count (only those used)
    my_reactions: list[str]
    reply_count: int
    pinned: bool
    answered: bool
    answer_id: int | None
    hidden: bool
    hidden_reason: str
    is_mine: bool
    praised_handle: str | None = None
    praised_name: str | None = None
    poll: PollView | None = None


@dataclass(frozen=True)
class FeedPage:
    items: list[PostView]
    # Pass as ``before_id`` to get the next (older) page; None when there is no more.
    next_before_id: int | None


@dataclass(frozen=True)
class Thread:
    root: PostView
    replies: list[PostView] = field(default_factory=list)  # oldest first
    more_replies: bool = False


# --- writing ----------------------------------------------------------------------


def create_post(
    session: Session,
    author: Member,
    body: str,
    *,
    now: datetime,
    group_id: int | None = None,
    question: bool = False,
) -> Post:
    """Write a top-level post (a question if ``question``), optionally in a group.

    #hashtags become tags, @mentions notify the people mentioned. Records
    ``post.create`` and one ``post.mention`` per person mentioned.

    Fails with InvalidInput (empty, too long, unsafe characters), NotFound (no
    such group), NotAllowed (not a member of the group).
    """
    body = clean_text(body, "Your post", LIMITS.post_body)
    if group_id is not None:
        groups.require_membership(session, author, group_id)
    post = _insert_post(session, author, body, now=now, kind="question" if question else "normal",
                        group_id=group_id)
    _after_write(session, author, post, verb="post.create", now=now)
    return post


def reply(session: Session, author: Member, parent_id: int, body: str, *, now: datetime) -> Post:
    """Reply to a post or to a reply (threads nest). Notifies the parent's author.

    Records ``post.reply`` (target: the parent's author) and ``post.mention``s.
    Fails with InvalidInput for the text, NotFound for a missing or deleted parent,
    NotAllowed for a hidden parent or a group the author is not in.
    """
    body = clean_text(body, "Your reply", LIMITS.post_body)
    parent = _visible_post(session, author, parent_id)
    if parent.hidden:
        raise NotAllowed("This post was hidden by the trainer; it cannot get replies.")
    if parent.group_id is not None:
        groups.require_membership(session, author, parent.group_id)
    post = _insert_post(session, author, body, now=now, kind="normal", group_id=parent.group_id,
                        parent=parent)
    parent_author = session.get(Member, parent.author_id)
    notifications.notify(session, parent_author, author, "reply", object_type="post",
                         object_id=post.id, now=now)
    _after_write(session, author, post, verb="post.reply", now=now, target=parent_author)
    return post


def create_praise(
    session: Session, author: Member, praised_handle: str, body: str, *, now: datetime
) -> Post:
    """Praise a colleague publicly. Records ``post.create`` and ``post.praise``.

    Fails with InvalidInput (text; praising yourself), NotFound (no such member).
    """
    body = clean_text(body, "Your praise", LIMITS.post_body)
    praised = get_member(session, author.workshop_id, praised_handle)
    if praised.id == author.id:
        raise InvalidInput("Praise is for a colleague. Pick someone other than yourself.")
    post = _insert_post(session, author, body, now=now, kind="praise", praised=praised)
    _after_write(session, author, post, verb="post.create", now=now)
    notifications.notify(session, praised, author, "praise", object_type="post", object_id=post.id,
                         now=now)
    activity_log.record(session, author, "post.praise", now=now, object_type="post",
                        object_id=post.id, target=praised)
    return post


def create_poll(
    session: Session,
    author: Member,
    question: str,
    options: list[str],
    *,
    now: datetime,
    group_id: int | None = None,
) -> Post:
    """Ask the room with a poll (one choice each). Records ``post.create`` and ``poll.create``.

    Fails with InvalidInput: question or an option empty/too long, fewer than 2 or
    more than 8 options, the same option twice; NotFound/NotAllowed for the group.
    """
    question = clean_text(question, "The poll question", LIMITS.post_body)
    labels = [clean_text(o, f"Option {i}", LIMITS.poll_option, multiline=False, required=False)
              for i, o in enumerate(options or [], start=1)]
    labels = [label for label in labels if label]
    if not LIMITS.poll_options_min <= len(labels) <= LIMITS.poll_options_max:
        raise InvalidInput(
            f"A poll needs {LIMITS.poll_options_min} to {LIMITS.poll_options_max} options; "
            f"you gave {len(labels)}."
        )
    if len({label.casefold() for label in labels}) != len(labels):
        raise InvalidInput("Two options are the same. Please make each option different.")
    if group_id is not None:
        groups.require_membership(session, author, group_id)
    post = _insert_post(session, author, question, now=now, kind="poll", group_id=group_id)
    for position, label in enumerate(labels):
        session.add(PollOption(workshop_id=author.workshop_id, post_id=post.id, position=position,
                               label=label))
    session.flush()
    _after_write(session, author, post, verb="post.create", now=now)
    activity_log.record(session, author, "poll.create", now=now, object_type="poll",
                        object_id=post.id, detail={"options": len(labels)})
    return post


def vote_poll(session: Session, member: Member, post_id: int, option_id: int, *, now: datetime) -> None:
    """Vote in a poll, or change your vote. Records ``poll.vote`` (target: poll author).

    Fails with NotFound (no such poll or option in this workshop).
    """
    post = _visible_post(session, member, post_id)
    option = session.get(PollOption, option_id)
    if post.kind != "poll" or option is None or option.post_id != post.id:
        raise NotFound("That poll option does not exist.")
    vote = session.scalar(select(PollVote).where(PollVote.post_id == post.id,
                                                 PollVote.member_id == member.id))
    if vote is not None and vote.option_id == option.id:
        return
    if vote is None:
        session.add(PollVote(workshop_id=member.workshop_id, post_id=post.id, option_id=option.id,
                             member_id=member.id, created_at=now))
        notifications.notify(session, session.get(Member, post.author_id), member, "poll_vote",
                             object_type="post", object_id=post.id, now=now)
    else:
        vote.option_id = option.id
        vote.created_at = now
    session.flush()
    activity_log.record(session, member, "poll.vote", now=now, object_type="poll",
                        object_id=post.id, target=session.get(Member, post.author_id),
                        detail={"changed": vote is not None})


def react(session: Session, member: Member, post_id: int, reaction: str, *, now: datetime) -> bool:
    """Toggle a reaction: adds it (returns True) or takes it back (returns False).

    Adding records ``post.react`` (target: the post's author) and notifies them.
    Fails with InvalidInput (unknown reaction), NotFound (no such post).
    """
    if reaction not in REACTIONS:
        raise InvalidInput(f"Unknown reaction; choose one of: {', '.join(REACTIONS)}.")
    post = _visible_post(session, member, post_id)
    existing = session.scalar(select(Reaction).where(
        Reaction.post_id == post.id, Reaction.member_id == member.id, Reaction.reaction == reaction))
    if existing is not None:
        session.delete(existing)
        session.flush()
        return False
    session.add(Reaction(workshop_id=member.workshop_id, post_id=post.id, member_id=member.id,
                         reaction=reaction, created_at=now))
    session.flush()
    author = session.get(Member, post.author_id)
    notifications.notify(session, author, member, "reaction", object_type="post",
                         object_id=post.id, now=now)
    activity_log.record(session, member, "post.react", now=now, object_type="post",
                        object_id=post.id, target=author, detail={"reaction": reaction})
    return True


def edit_post(session: Session, member: Member, post_id: int, body: str, *, now: datetime) -> Post:
    """Change the text of your own post; tags follow, newly mentioned people are notified.

    Records ``post.edit``. Fails with InvalidInput (text), NotFound, NotAllowed
    (not your post).
    """
    body = clean_text(body, "Your post", LIMITS.post_body)
    post = _visible_post(session, member, post_id)
    if post.author_id != member.id:
        raise NotAllowed("You can only edit your own posts.")
    post.body = body
    post.edited_at = now
    session.execute(delete(PostTag).where(PostTag.post_id == post.id))
    session.flush()
    _link_tags(session, post)
    new_mentions = _link_mentions(session, member, post, now=now)
    activity_log.record(session, member, "post.edit", now=now, object_type="post", object_id=post.id)
    for mentioned in new_mentions:
        activity_log.record(session, member, "post.mention", now=now, object_type="post",
                            object_id=post.id, target=mentioned)
    return post


def delete_post(session: Session, member: Member, post_id: int, *, now: datetime) -> None:
    """Delete your own post (the trainer may delete any). Its text is erased.

    Deleting a post that started a thread takes the whole conversation out of
    view (as in most enterprise networks); deleting a reply removes just that
    reply. Records ``post.delete``.
    Fails with NotFound, NotAllowed (not yours).
    """
    post = _visible_post(session, member, post_id)
    if post.author_id != member.id and member.kind != "trainer":
        raise NotAllowed("You can only delete your own posts.")
    post.deleted = True
    post.body = ""
    post.pinned = False
    session.execute(delete(PostTag).where(PostTag.post_id == post.id))
    session.flush()
    activity_log.record(session, member, "post.delete", now=now, object_type="post",
                        object_id=post.id)


def mark_answered(
    session: Session, member: Member, question_id: int, reply_id: int, *, now: datetime
) -> Post:
    """Mark ``reply_id`` as the answer to your question (the trainer may too).

    Records ``post.answer`` (target: the reply's author), notifies them.
    Fails with NotFound, NotAllowed (not your question), InvalidInput (not a
    question, or the reply is not in its thread).
    """
    question = _visible_post(session, member, question_id)
    if question.kind != "question":
        raise InvalidInput("Only a question can be marked as answered.")
    if question.author_id != member.id and member.kind != "trainer":
        raise NotAllowed("Only the person who asked can mark the answer.")
    answer = _visible_post(session, member, reply_id)
    if answer.root_id != question.id:
        raise InvalidInput("That reply is not in this question's thread.")
    question.answered = True
    question.answer_id = answer.id
    session.flush()
    answer_author = session.get(Member, answer.author_id)
    notifications.notify(session, answer_author, member, "answer", object_type="post",
                         object_id=question.id, now=now)
    activity_log.record(session, member, "post.answer", now=now, object_type="post",
                        object_id=question.id, target=answer_author)
    return question


def pin_post(session: Session, trainer: Member, post_id: int, pinned: bool, *, now: datetime) -> Post:
    """Trainer: pin a top-level post to the top of the feed, or unpin it. Records ``post.pin``.

    Fails with NotAllowed (not the trainer), NotFound, InvalidInput (a reply).
    """
    require_trainer(trainer)
    post = _visible_post(session, trainer, post_id)
    if post.parent_id is not None:
        raise InvalidInput("Only a post, not a reply, can be pinned.")
    post.pinned = bool(pinned)
    session.flush()
    activity_log.record(session, trainer, "post.pin", now=now, object_type="post",
                        object_id=post.id, detail={"pinned": post.pinned})
    return post


def hide_post(
    session: Session, trainer: Member, post_id: int, reason: str, *, now: datetime, hidden: bool = True
) -> Post:
    """Trainer moderation: hide a post with a reason (or show it again with ``hidden=False``).

    Records ``post.hide``. Fails with NotAllowed (not the trainer), NotFound,
    InvalidInput (no reason given when hiding).
    """
    require_trainer(trainer)
    post = _visible_post(session, trainer, post_id)
    post.hidden = bool(hidden)
    post.hidden_reason = (clean_text(reason, "The reason", LIMITS.hide_reason, multiline=False)
                          if hidden else "")
    if hidden:
        post.pinned = False
    session.flush()
    activity_log.record(session, trainer, "post.hide", now=now, object_type="post",
                        object_id=post.id, detail={"hidden": post.hidden})
    return post


def _insert_post(session, author, body, *, now, kind, group_id=None, parent=None, praised=None) -> Post:
    post = Post(
        workshop_id=author.workshop_id,
        author_id=author.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        group_id=group_id,
        body=body,
        kind=kind,
        praised_member_id=praised.id if praised else None,
        created_at=now,
    )
    session.add(post)
    session.flush()
    return post


def _after_write(session, author, post, *, verb, now, target=None) -> None:
    tag_names = _link_tags(session, post)
    mentioned = _link_mentions(session, author, post, now=now)
    detail = {"kind": post.kind, "tags": tag_names, "mentions": len(mentioned)}
    if post.group_id is not None:
        detail["group"] = post.group_id
    if post.root_id is not None:
        detail["thread"] = post.root_id
    activity_log.record(session, author, verb, now=now, object_type="post", object_id=post.id,
                        target=target, detail=detail)
    for member in mentioned:
        activity_log.record(session, author, "post.mention", now=now, object_type="post",
                            object_id=post.id, target=member)


def _link_tags(session: Session, post: Post) -> list[str]:
    names = extract_hashtags(post.body)[: LIMITS.tags_per_item * 2]
    for tag in tags.tags_for_names(session, post.workshop_id, names):
        session.add(PostTag(workshop_id=post.workshop_id, post_id=post.id, tag_id=tag.id))
    session.flush()
    return names


def _link_mentions(session: Session, author: Member, post: Post, *, now: datetime) -> list[Member]:
    """Mention rows for @handles that exist; returns the members newly mentioned."""
    handles = extract_mentions(post.body)[:MAX_MENTIONS_PER_POST]
    if not handles:
        return []
    members = session.scalars(select(Member).where(Member.workshop_id == post.workshop_id,
                                                   Member.handle.in_(handles))).all()
    already = set(session.scalars(select(Mention.member_id).where(Mention.post_id == post.id)))
    new = [m for m in members if m.id not in already and m.id != author.id]
    for member in new:
        session.add(Mention(workshop_id=post.workshop_id, post_id=post.id, member_id=member.id))
        notifications.notify(session, member, author, "mention", object_type="post",
                             object_id=post.id, now=now)
    session.flush()
    return new


def _visible_post(session: Session, viewer: Member, post_id: int) -> Post:
    post = session.get(Post, post_id) if isinstance(post_id, int) else None
    if post is None or post.workshop_id != viewer.workshop_id or post.deleted:
        raise NotFound("That post does not exist (any more).")
    if post.hidden and viewer.kind != "trainer" and post.author_id != viewer.id:
        raise NotFound("That post does not exist (any more).")
    return post


# --- reading --------------------------------------------------------------------


def latest_post_id(session: Session, workshop_id: int) -> int | None:
    """The newest post or reply id in the workshop (one index lookup; poll it).

    The live feed compares it with the id it last showed to know when to refresh.
    """
    return session.scalar(select(func.max(Post.id)).where(Post.workshop_id == workshop_id))


def _visibility(viewer: Member):
    conditions = [Post.workshop_id == viewer.workshop_id, Post.deleted.is_(False)]
    if viewer.kind != "trainer":
        conditions.append(or_(Post.hidden.is_(False), Post.author_id == viewer.id))
    return and_(*conditions)


def list_feed(
    session: Session,
    viewer: Member,
    *,
    tag: str | None = None,
    group_id: int | None = None,
    author_handle: str | None = None,
    kind: str | None = None,
    before_id: int | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
) -> FeedPage:
    """One page of top-level posts, newest first, optionally filtered.

    Filters: ``tag`` (a hashtag, with or without '#'), ``group_id``,
    ``author_handle``, ``kind`` ("question", "praise", "poll", "normal").
    Paging is by id: pass the previous page's ``next_before_id`` as ``before_id``.
    ``limit`` is capped at 50 so no page renders thousands of items.
    Pinned posts appear in their place here; :func:`pinned_posts` lists them for the top.
    """
    limit = max(1, min(int(limit), LIMITS.page_size_max))
    query = select(Post.id).where(_visibility(viewer), Post.parent_id.is_(None))
    if tag:
        tag_name = tag.strip().lstrip("#").lower()
        query = query.join(PostTag, PostTag.post_id == Post.id).join(Tag, Tag.id == PostTag.tag_id)
        query = query.where(Tag.name == tag_name)
    if group_id is not None:
        query = query.where(Post.group_id == group_id)
    if author_handle:
        author = aliased(Member)
        query = query.join(author, author.id == Post.author_id).where(
            author.handle == author_handle.lower())
    if kind:
        query = query.where(Post.kind == kind)
    if before_id is not None:
        query = query.where(Post.id < before_id)
    ids = list(session.scalars(query.order_by(Post.id.desc()).limit(limit + 1)))
    more = len(ids) > limit
    ids = ids[:limit]
    items = _views(session, viewer, ids)
    return FeedPage(items=items, next_before_id=ids[-1] if more and ids else None)


def pinned_posts(session: Session, viewer: Member) -> list[PostView]:
    """The trainer's pinned posts, newest first (at most 5)."""
    ids = list(session.scalars(
        select(Post.id).where(_visibility(viewer), Post.pinned.is_(True), Post.parent_id.is_(None))
        .order_by(Post.id.desc()).limit(5)))
    return _views(session, viewer, ids)


def get_post(session: Session, viewer: Member, post_id: int) -> PostView:
    """One post as ``viewer`` sees it. Fails with NotFound."""
    post = _visible_post(session, viewer, post_id)
    return _views(session, viewer, [post.id])[0]


def get_thread(session: Session, viewer: Member, post_id: int, *, limit: int = 200) -> Thread:
    """A post and its replies (oldest first; ``parent_id`` gives the nesting).

    ``post_id`` may be the root or any reply in it. At most ``limit`` replies
    (``more_replies`` says if there are more). Fails with NotFound.
    """
    post = _visible_post(session, viewer, post_id)
    root_id = post.root_id or post.id
    root = _visible_post(session, viewer, root_id)
    limit = max(1, min(int(limit), 500))
    reply_ids = list(session.scalars(
        select(Post.id).where(_visibility(viewer), Post.root_id == root.id)
        .order_by(Post.id).limit(limit + 1)))
    more = len(reply_ids) > limit
    views = _views(session, viewer, [root.id] + reply_ids[:limit])
    return Thread(root=views[0], replies=views[1:], more_replies=more)


def count_new_posts(session: Session, viewer: Member, after_id: int) -> int:
    """How many top-level posts by others arrived after ``after_id`` ("3 new posts")."""
    return int(session.scalar(
        select(func.count(Post.id)).where(_visibility(viewer), Post.parent_id.is_(None),
                                          Post.id > after_id, Post.author_id != viewer.id)))


def _views(session: Session, viewer: Member, ids: list[int]) -> list[PostView]:
    """Build PostViews for ``ids`` (order kept) with a fixed number of queries."""
    if not ids:
        return []
    praised = aliased(Member)
    rows = session.execute(
        select(Post, Member, Group.name, praised)
        .join(Member, Member.id == Post.author_id)
        .outerjoin(Group, Group.id == Post.group_id)
        .outerjoin(praised, praised.id == Post.praised_member_id)
        .where(Post.id.in_(ids))
    ).all()
    by_id = {row[0].id: row for row in rows}

    tag_rows = session.execute(
        select(PostTag.post_id, Tag.name).join(Tag, Tag.id == PostTag.tag_id)
        .where(PostTag.post_id.in_(ids)).order_by(PostTag.id)).all()
    tags_by_post: dict[int, list[str]] = {}
    for post_id, name in tag_rows:
        tags_by_post.setdefault(post_id, []).append(name)

    reaction_counts: dict[int, dict[str, int]] = {}
    for post_id, name, n in session.execute(
        select(Reaction.post_id, Reaction.reaction, func.count(Reaction.id))
        .where(Reaction.post_id.in_(ids)).group_by(Reaction.post_id, Reaction.reaction)
    ).all():
        reaction_counts.setdefault(post_id, {})[name] = int(n)
    mine: dict[int, list[str]] = {}
    for post_id, name in session.execute(
        select(Reaction.post_id, Reaction.reaction)
        .where(Reaction.post_id.in_(ids), Reaction.member_id == viewer.id)
    ).all():
        mine.setdefault(post_id, []).append(name)

    reply_counts = dict(session.execute(
        select(Post.root_id, func.count(Post.id))
        .where(_visibility(viewer), Post.root_id.in_(ids)).group_by(Post.root_id)).all())

    poll_ids = [i for i in ids if i in by_id and by_id[i][0].kind == "poll"]
    polls = _poll_views(session, viewer, poll_ids)

    views = []
    for post_id in ids:
        if post_id not in by_id:
            continue
        post, author, group_name, praised_member = by_id[post_id]
        views.append(PostView(
            id=post.id,
            author_handle=author.handle,
            author_name=author.display_name,
            author_department=author.department,
            author_kind=author.kind,
            body=post.body,
            html=render_markdown(post.body),
            kind=post.kind,
            created_at=post.created_at,
            edited_at=post.edited_at,
            parent_id=post.parent_id,
            root_id=post.root_id,
            group_id=post.group_id,
            group_name=group_name,
            tags=tags_by_post.get(post.id, []),
            reactions={name: reaction_counts.get(post.id, {}).get(name, 0) for name in REACTIONS
                       if reaction_counts.get(post.id, {}).get(name)},
            my_reactions=sorted(mine.get(post.id, [])),
            reply_count=int(reply_counts.get(post.id, 0)),
            pinned=post.pinned,
            answered=post.answered,
            answer_id=post.answer_id,
            hidden=post.hidden,
            hidden_reason=post.hidden_reason,
            is_mine=post.author_id == viewer.id,
            praised_handle=praised_member.handle if praised_member else None,
            praised_name=praised_member.display_name if praised_member else None,
            poll=polls.get(post.id),
        ))
    return views


def _poll_views(session: Session, viewer: Member, poll_ids: list[int]) -> dict[int, PollView]:
    if not poll_ids:
        return {}
    counts = dict(session.execute(
        select(PollVote.option_id, func.count(PollVote.id))
        .where(PollVote.post_id.in_(poll_ids)).group_by(PollVote.option_id)).all())
    my_votes = dict(session.execute(
        select(PollVote.post_id, PollVote.option_id)
        .where(PollVote.post_id.in_(poll_ids), PollVote.member_id == viewer.id)).all())
    options: dict[int, list[PollOptionView]] = {}
    for option in session.scalars(select(PollOption).where(PollOption.post_id.in_(poll_ids))
                                  .order_by(PollOption.post_id, PollOption.position)):
        options.setdefault(option.post_id, []).append(
            PollOptionView(id=option.id, label=option.label, votes=int(counts.get(option.id, 0))))
    return {
        post_id: PollView(options=opts, total_votes=sum(o.votes for o in opts),
                          my_option_id=my_votes.get(post_id))
        for post_id, opts in options.items()
    }
