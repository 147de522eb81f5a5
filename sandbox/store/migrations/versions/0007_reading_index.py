"""an index for recording reading

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Reading is recorded as activity rows (``feed.view``, ``post.view``), throttled so
a page rerun does not write a row each time: before writing, the reading service
asks for the member's latest view of the same thing (:mod:`sandbox.services.reading`).
This index on ``activities (actor_id, verb, object_id, at)`` keeps that question
one short index lookup on a log of 100,000 rows. Only an index is added: no row
is touched.
"""
from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_actor_verb', ['actor_id', 'verb', 'object_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_actor_verb')
