"""user session_version; drop password counters kept under the old per-username key

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-04 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                      server_default='0'))
    # Password guesses are now counted per account and source address; rows counted per
    # username (one for every made-up name ever tried) are meaningless.
    op.execute("DELETE FROM throttle WHERE kind = 'password'")


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
