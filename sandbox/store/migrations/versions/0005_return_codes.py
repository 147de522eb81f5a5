"""return codes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

A learner who lost their way (another browser, cleared cookies, a new laptop) comes
back with a personal return code, shown once at joining. Only its salted scrypt hash
is kept, in a new nullable column ``members.return_code_hash``; existing members have
none until the trainer issues one. No existing row is touched.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE (a nullable column): batch mode would copy ``members``, which
    # many tables refer to.
    op.add_column('members', sa.Column('return_code_hash', sa.String(length=300), nullable=True))


def downgrade() -> None:
    op.drop_column('members', 'return_code_hash')  # SQLite 3.35 and later drop a column in place
