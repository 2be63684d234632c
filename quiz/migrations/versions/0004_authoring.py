"""item writers in the browser: version status, pending versions, reviewers, item history

Revision ID: 0004
Revises: 0008
Create Date: 2026-12-02 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import quiz.db


revision = '0004'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns are only added, never altered, so SQLite needs no table rebuilt: rebuilding item or
    # item_version, which point at each other, would trip their foreign keys on a loaded bank.
    op.add_column('user_account', sa.Column('can_review', sa.Boolean(), server_default=sa.false(),
                                            nullable=False))
    op.add_column('audit_event', sa.Column('item_pk', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_audit_event_item_pk'), 'audit_event', ['item_pk'], unique=False)
    op.add_column('blueprint', sa.Column('source_text', sa.Text(), nullable=True))

    # Filled in below; the server defaults only serve rows written before this migration.
    op.add_column('item_version', sa.Column('status', sa.String(length=20),
                                            server_default='draft', nullable=False))
    op.add_column('item_version', sa.Column('criterion', sa.String(length=20), server_default='',
                                            nullable=False))
    op.add_column('item_version', sa.Column('search_text', sa.Text(), server_default='',
                                            nullable=False))
    _add_reference('item_version', 'created_by_id', 'user_account',
                   'fk_item_version_created_by_id_user_account')
    _add_reference('item', 'pending_version_id', 'item_version', 'fk_item_pending_version')
    op.add_column('item', sa.Column('source_ref', sa.String(length=300), nullable=True))
    op.add_column('item', sa.Column('app_changed_at', quiz.db.UTCDateTime(), nullable=True))
    op.create_index(op.f('ix_item_updated_at'), 'item', ['updated_at'], unique=False)
    op.create_index('uq_item_bank_source_ref', 'item', ['bank', 'source_ref'], unique=True)

    _fill_versions()


def _add_reference(table: str, column: str, target: str, name: str) -> None:
    """Add a nullable column referring to target.id; SQLite takes it in ADD COLUMN itself."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER '
                   f'CONSTRAINT {name} REFERENCES {target} (id)')
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, target, [column], ['id'])


def _fill_versions() -> None:
    """Give every existing version its status, criterion and search text.

    Until now only the current version had a status (its item's); older ones were replaced.
    """
    connection = op.get_bind()
    item = sa.table('item', sa.column('id'), sa.column('item_id'), sa.column('status'),
                    sa.column('criterion'), sa.column('current_version_id'))
    version = sa.table('item_version', sa.column('id'), sa.column('item_pk'),
                       sa.column('stem'), sa.column('options', sa.JSON()),
                       sa.column('rationale'), sa.column('status'), sa.column('criterion'),
                       sa.column('search_text'))
    items = {row.id: row for row in connection.execute(sa.select(item))}
    for row in connection.execute(sa.select(version)).all():
        owner = items[row.item_pk]
        status = owner.status if owner.current_version_id == row.id else 'superseded'
        text = " ".join([owner.item_id, row.stem, *(row.options or {}).values(),
                         row.rationale]).lower()
        connection.execute(version.update().where(version.c.id == row.id).values(
            status=status, criterion=owner.criterion, search_text=text))


def downgrade() -> None:
    op.drop_index('uq_item_bank_source_ref', table_name='item')
    op.drop_index(op.f('ix_item_updated_at'), table_name='item')
    for column in ('app_changed_at', 'source_ref', 'pending_version_id'):
        _drop('item', column)
    for column in ('created_by_id', 'search_text', 'criterion', 'status'):
        _drop('item_version', column)
    _drop('blueprint', 'source_text')
    op.drop_index(op.f('ix_audit_event_item_pk'), table_name='audit_event')
    _drop('audit_event', 'item_pk')
    _drop('user_account', 'can_review')


def _drop(table: str, column: str) -> None:
    """Drop a column; SQLite (3.35+) does it in place rather than rebuilding the table."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    else:
        op.drop_column(table, column)
