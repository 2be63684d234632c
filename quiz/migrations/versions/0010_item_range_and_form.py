"""items name the Range points they test and their question form; blueprints keep the Range

Revision ID: 0010
Revises: 0003
Create Date: 2026-12-04 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('blueprint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('range_points', sa.JSON(), nullable=True))
    # Versions written before this have no Range ids and no form: NULL, read as none.
    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('range_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('form', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.drop_column('form')
        batch_op.drop_column('range_ids')
    with op.batch_alter_table('blueprint', schema=None) as batch_op:
        batch_op.drop_column('range_points')
