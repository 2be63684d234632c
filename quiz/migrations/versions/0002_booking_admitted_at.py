"""booking admitted_at

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 17:48:01.177780
"""
from alembic import op
import sqlalchemy as sa
import quiz.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admitted_at', quiz.db.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_column('admitted_at')

