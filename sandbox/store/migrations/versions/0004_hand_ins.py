"""hand-ins and the grading queue

Revision ID: 0004
Revises: 0002 (to be re-pointed at 0003, workshop settings, when both are merged)
Create Date: 2026-12-06

Learners hand in notebooks inside the sandbox: every file is kept (``hand_ins``),
each has one job in the grading queue (``grading_jobs``: queued, grading, graded,
failed, with a lease so a killed grader's job is graded again), the trainer's marks
for written answers (``written_marks``) and a deadline per assignment
(``assignment_settings``). Only new tables: no existing row is touched.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assignment_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('assignment', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_assignment_settings_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_settings')),
    sa.UniqueConstraint('workshop_id', 'assignment', name=op.f('uq_assignment_settings_workshop_id_assignment'))
    )
    with op.batch_alter_table('assignment_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_settings_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('hand_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('assignment', sa.String(length=100), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('notebook', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('handed_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_hand_ins_member_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_hand_ins_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hand_ins'))
    )
    with op.batch_alter_table('hand_ins', schema=None) as batch_op:
        batch_op.create_index('ix_hand_ins_member_assignment', ['member_id', 'assignment', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hand_ins_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('grading_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('hand_in_id', sa.Integer(), nullable=False),
    sa.Column('assignment', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.String(length=120), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['hand_in_id'], ['hand_ins.id'], name=op.f('fk_grading_jobs_hand_in_id_hand_ins')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_grading_jobs_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_jobs')),
    sa.UniqueConstraint('hand_in_id', name=op.f('uq_grading_jobs_hand_in_id'))
    )
    with op.batch_alter_table('grading_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_grading_jobs_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grading_jobs_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('written_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('hand_in_id', sa.Integer(), nullable=False),
    sa.Column('grade_id', sa.String(length=100), nullable=False),
    sa.Column('mark', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('self_assessed', sa.Boolean(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['hand_in_id'], ['hand_ins.id'], name=op.f('fk_written_marks_hand_in_id_hand_ins')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['members.id'], name=op.f('fk_written_marks_marked_by_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_written_marks_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_written_marks')),
    sa.UniqueConstraint('hand_in_id', 'grade_id', name=op.f('uq_written_marks_hand_in_id_grade_id'))
    )
    with op.batch_alter_table('written_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_written_marks_hand_in_id'), ['hand_in_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_written_marks_workshop_id'), ['workshop_id'], unique=False)


def downgrade() -> None:
    op.drop_table('written_marks')
    op.drop_table('grading_jobs')
    op.drop_table('hand_ins')
    op.drop_table('assignment_settings')
