"""items name the Range points they test and their question form; blueprints keep the Range

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-04 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns are only added, as in 0004, so SQLite rebuilds no table.
    op.add_column('blueprint', sa.Column('range_points', sa.JSON(), nullable=True))
    op.add_column('blueprint', sa.Column('range_text', sa.Text(), nullable=True))
    # Versions written before this have no Range ids and no form: NULL, read as none given.
    op.add_column('item_version', sa.Column('range_ids', sa.JSON(), nullable=True))
    op.add_column('item_version', sa.Column('form', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.drop_column('form')
        batch_op.drop_column('range_ids')
    with op.batch_alter_table('blueprint', schema=None) as batch_op:
        batch_op.drop_column('range_text')
        batch_op.drop_column('range_points')
