"""What every signed-in page needs to know, read in one short transaction."""
from __future__ import annotations

from dataclasses import dataclass

from sandbox.services import notifications
from sandbox.store.models import Member, Workshop
from sandbox.ui.db import reading


@dataclass(frozen=True)
class Overview:
    workshop_title: str
    unread: int


def workshop_overview(member: Member) -> Overview:
    with reading() as session:
        workshop = session.get(Workshop, member.workshop_id)
        unread = notifications.unread_count(session, member)
    return Overview(workshop_title=workshop.title if workshop else "", unread=unread)
