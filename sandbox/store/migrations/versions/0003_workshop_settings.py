"""workshop settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

A workshop's settings become columns of ``workshops``, typed and owned by the row
they describe. The first is the idea-vote budget. Until now it was a simulation mark
``seed:setting:idea_votes=N`` that the idea board parsed back by its prefix; this
migration copies each such mark into the new column and removes the mark, so the
budget has one owner. A workshop without the mark had the kit's default of the time,
5 votes, and keeps it (that is also the column's server default).

Columns rather than a ``workshop_settings`` table: there is exactly one value per
workshop, a column keeps its type (no more strings parsed back), a reset keeps the
workshop row and so keeps its settings, and nothing needs a join to read it.
Settings that are per assignment (hand-in deadlines) belong in their own table.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration must keep meaning what it meant when written.
BUDGET_MARK = 'seed:setting:idea_votes='
DEFAULT_BUDGET = 5

workshops = sa.table('workshops', sa.column('id', sa.Integer), sa.column('idea_vote_budget', sa.Integer),
                     sa.column('created_at', sa.DateTime))
marks = sa.table('simulation_marks', sa.column('id', sa.Integer), sa.column('workshop_id', sa.Integer),
                 sa.column('key', sa.String), sa.column('at', sa.DateTime))


def upgrade() -> None:
    # A plain ALTER TABLE, not batch mode: SQLite adds a NOT NULL column with a default in
    # place, whereas batch mode would copy and drop ``workshops``, which every table refers to.
    op.add_column('workshops', sa.Column('idea_vote_budget', sa.Integer(), nullable=False,
                                         server_default=sa.text(str(DEFAULT_BUDGET))))
    connection = op.get_bind()
    rows = connection.execute(sa.select(marks.c.workshop_id, marks.c.key)
                              .where(marks.c.key.startswith(BUDGET_MARK))).all()
    for workshop_id, key in rows:
        try:
            votes = int(key[len(BUDGET_MARK):])
        except ValueError:  # a mark written by hand: the idea board used the default, so do we
            continue
        if votes >= 1:
            connection.execute(sa.update(workshops).where(workshops.c.id == workshop_id)
                               .values(idea_vote_budget=votes))
    connection.execute(sa.delete(marks).where(marks.c.key.startswith(BUDGET_MARK)))


def downgrade() -> None:
    # Back to a mark for every budget that is not the old default (as the seed wrote it).
    connection = op.get_bind()
    budgets = sa.select(workshops.c.id, workshops.c.idea_vote_budget, workshops.c.created_at)
    for workshop_id, votes, created_at in connection.execute(budgets).all():
        if votes != DEFAULT_BUDGET:
            connection.execute(sa.insert(marks).values(workshop_id=workshop_id, key=f'{BUDGET_MARK}{votes}',
                                                       at=created_at))
    op.drop_column('workshops', 'idea_vote_budget')  # SQLite 3.35 and later drop a column in place
