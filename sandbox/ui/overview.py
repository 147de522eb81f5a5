"""What every signed-in page needs to know, read in one short transaction."""
from __future__ import annotations

from dataclasses import dataclass

from sandbox.services import assessment, notifications
from sandbox.store.models import Member, Workshop
from sandbox.ui.db import reading, room


@dataclass(frozen=True)
class Overview:
    workshop_title: str
    unread: int
    assessment_due: str | None = None  # "before" or "after" while that round waits for the learner


def workshop_overview(member: Member) -> Overview:
    with reading() as session:
        workshop = session.get(Workshop, member.workshop_id)
        unread = notifications.unread_count(session, member)
        due = assessment_rounds(session, member, workshop).due() if workshop else None
    return Overview(workshop_title=workshop.title if workshop else "", unread=unread, assessment_due=due)


def assessment_rounds(session, member: Member, workshop: Workshop) -> assessment.MemberRounds:
    """The member's self-assessment rounds; in self-study "after" waits for the scenario's missions."""
    missions = [mission.id for mission in room(workshop).scenario.missions] if workshop.mode == "self-study" else ()
    return assessment.member_rounds(session, member, missions)
