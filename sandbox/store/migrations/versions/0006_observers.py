"""trainer-driven activity, observers' keys and notes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

The trainer can speak as any colleague of the scenario: the activity rows that
writes carry ``driven_by = 'trainer'`` (a scripted step's rows carry its mark
key), so the debrief and the export tell them apart from learners' own activity.
Co-trainers (observers) sign in with their own key (``observer_keys``, hashed)
and write timestamped notes (``observer_notes``). One nullable column and two
new tables: no existing row is touched.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('driven_by', sa.String(length=200), nullable=True))

    op.create_table('observer_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_observer_keys_member_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_observer_keys_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observer_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_observer_keys_key_hash')),
    sa.UniqueConstraint('member_id', name=op.f('uq_observer_keys_member_id'))
    )
    with op.batch_alter_table('observer_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observer_keys_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('observer_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('about', sa.String(length=20), nullable=False),
    sa.Column('inject_id', sa.String(length=80), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('moment_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['members.id'], name=op.f('fk_observer_notes_author_id_members')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_observer_notes_post_id_posts')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_observer_notes_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observer_notes'))
    )
    with op.batch_alter_table('observer_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observer_notes_workshop_id'), ['workshop_id'], unique=False)


def downgrade() -> None:
    op.drop_table('observer_notes')
    op.drop_table('observer_keys')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('driven_by')
