"""people's data: a retention period per workshop, and erased members

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

``workshops.retention_days``: how many days a learner's data is kept after their
last activity in the workshop; empty means "until someone erases it" (the kit's
behaviour before this revision, so existing workshops keep it).
``insideout workshop apply-retention`` erases everyone past it.

``members.erased_at``: when a learner's data was erased at their request (or by
the retention period). The row stays, under a pseudonym, so the activity log and
every figure computed from it still add up; see ``sandbox/services/people.py``.

``members.identity_subject``: the provider's issuer and subject for a member who signed
in with their organisation's account (OpenID Connect), so they come back as themselves
from any device; one member per identity per workshop (a unique index: NULLs, members
who joined by name, never clash).

The columns are nullable and added in place (no batch copy of ``workshops``, which
every table refers to).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('workshops', sa.Column('retention_days', sa.Integer(), nullable=True))
    op.add_column('members', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('members', sa.Column('identity_subject', sa.String(400), nullable=True))
    op.create_index('uq_members_workshop_identity', 'members', ['workshop_id', 'identity_subject'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_members_workshop_identity', table_name='members')
    op.drop_column('members', 'identity_subject')
    op.drop_column('members', 'erased_at')  # SQLite 3.35 and later drop a column in place
    op.drop_column('workshops', 'retention_days')
