"""Groups: a place for a team or a pilot to talk (module 12's "start a group")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sandbox.config import LIMITS
from sandbox.services import activity_log
from sandbox.services.errors import AlreadyTaken, NotAllowed, NotFound
from sandbox.services.text import clean_text
from sandbox.store.models import Group, GroupMembership, Member


@dataclass(frozen=True)
class GroupView:
    id: int
    name: str
    description: str
    members: int
    is_member: bool
    created_at: datetime


def create_group(
    session: Session, creator: Member, name: str, description: str = "", *, now: datetime
) -> Group:
    """Create a group; the creator joins it. Records ``group.create``.

    Fails with InvalidInput (name empty/too long, description too long) or
    AlreadyTaken (a group with that name, in any letter case, exists).
    """
    name = clean_text(name, "The group name", LIMITS.group_name, multiline=False)
    description = clean_text(description, "The description", LIMITS.group_description,
                             required=False)
    key = name.casefold()
    if session.scalar(select(Group.id).where(Group.workshop_id == creator.workshop_id,
                                            Group.name_key == key)) is not None:
        raise AlreadyTaken(f"There is already a group called '{name}'. Join it, or pick another name.")
    group = Group(workshop_id=creator.workshop_id, name=name, name_key=key,
                  description=description, created_by_id=creator.id, created_at=now)
    try:
        with session.begin_nested():
            session.add(group)
            session.flush()
    except IntegrityError:
        raise AlreadyTaken(f"A group called '{name}' was created a moment ago.") from None
    session.add(GroupMembership(workshop_id=group.workshop_id, group_id=group.id,
                                member_id=creator.id, joined_at=now))
    session.flush()
    activity_log.record(session, creator, "group.create", now=now, object_type="group",
                        object_id=group.id)
    return group


def get_group(session: Session, workshop_id: int, group_id: int) -> Group:
    """The group ``group_id`` of this workshop. Fails with NotFound."""
    group = session.get(Group, group_id)
    if group is None or group.workshop_id != workshop_id:
        raise NotFound("That group does not exist (any more).")
    return group


def is_member(session: Session, member: Member, group_id: int) -> bool:
    return session.scalar(
        select(GroupMembership.id).where(GroupMembership.group_id == group_id,
                                         GroupMembership.member_id == member.id)
    ) is not None


def join_group(session: Session, member: Member, group_id: int, *, now: datetime) -> Group:
    """Join a group (no-op if already in it). Records ``group.join`` when new.

    Fails with NotFound for a group not in the member's workshop.
    """
    group = get_group(session, member.workshop_id, group_id)
    if not is_member(session, member, group_id):
        session.add(GroupMembership(workshop_id=group.workshop_id, group_id=group.id,
                                    member_id=member.id, joined_at=now))
        session.flush()
        activity_log.record(session, member, "group.join", now=now, object_type="group",
                            object_id=group.id)
    return group


def require_membership(session: Session, member: Member, group_id: int) -> Group:
    """The group, if ``member`` may post in it. Fails with NotFound or NotAllowed."""
    group = get_group(session, member.workshop_id, group_id)
    if not is_member(session, member, group_id):
        raise NotAllowed(f"Join the group '{group.name}' first, then you can post in it.")
    return group


def list_groups(session: Session, viewer: Member) -> list[GroupView]:
    """The workshop's groups, biggest first, saying whether ``viewer`` is in each."""
    counts = (
        select(GroupMembership.group_id, func.count(GroupMembership.id).label("n"))
        .where(GroupMembership.workshop_id == viewer.workshop_id)
        .group_by(GroupMembership.group_id)
        .subquery()
    )
    mine = set(session.scalars(select(GroupMembership.group_id)
                               .where(GroupMembership.member_id == viewer.id)))
    rows = session.execute(
        select(Group, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.group_id == Group.id)
        .where(Group.workshop_id == viewer.workshop_id)
        .order_by(func.coalesce(counts.c.n, 0).desc(), Group.name)
    ).all()
    return [GroupView(id=g.id, name=g.name, description=g.description, members=int(n),
                      is_member=g.id in mine, created_at=g.created_at) for g, n in rows]
