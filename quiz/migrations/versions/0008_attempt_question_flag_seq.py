"""attempt_question flag_seq: flags saved from the page's outbox are ordered like answers

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-14 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attempt_question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flag_seq', sa.BigInteger(), server_default='0',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('attempt_question', schema=None) as batch_op:
        batch_op.drop_column('flag_seq')
