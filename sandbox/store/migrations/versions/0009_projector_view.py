"""projector view key

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

The trainer can show the live dashboard on a projector through a link that carries a
read-only view key, not the trainer's own sign-in. The workshop keeps a hash of the
one key in use (``projector_key_hash``); making a new link or closing the view
replaces or clears it, which ends any projector view opened with the old key.
Only a new nullable column: no existing row is touched.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('workshops', sa.Column('projector_key_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column('workshops', 'projector_key_hash')  # SQLite 3.35 and later drop a column in place
