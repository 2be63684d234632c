"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 17:36:29.173353
"""
from alembic import op
import sqlalchemy as sa
import quiz.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blueprint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=False),
    sa.Column('pass_mark_percent', sa.Double(), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('updated_at', quiz.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blueprint')),
    sa.UniqueConstraint('code', name=op.f('uq_blueprint_code'))
    )
    op.create_table('centre',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centre')),
    sa.UniqueConstraint('code', name=op.f('uq_centre_code'))
    )
    op.create_table('item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank', sa.String(length=60), nullable=False),
    sa.Column('item_id', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('source_path', sa.String(length=300), nullable=True),
    sa.Column('needs_review', sa.Text(), nullable=True),
    sa.Column('updated_at', quiz.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item')),
    sa.UniqueConstraint('bank', 'item_id', name=op.f('uq_item_bank'))
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_bank'), ['bank'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_status'), ['status'], unique=False)

    op.create_table('throttle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', quiz.db.UTCDateTime(), nullable=True),
    sa.Column('blocked_until', quiz.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle')),
    sa.UniqueConstraint('kind', 'target', name=op.f('uq_throttle_kind'))
    )
    op.create_table('item_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_pk', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('stem', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('key', sa.String(length=4), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('difficulty', sa.String(length=10), nullable=False),
    sa.Column('enemies', sa.JSON(), nullable=False),
    sa.Column('created_at', quiz.db.UTCDateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['item_pk'], ['item.id'], name=op.f('fk_item_version_item_pk_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_version')),
    sa.UniqueConstraint('item_pk', 'version', name=op.f('uq_item_version_item_pk'))
    )
    # item and item_version point at each other; the second link is added once both exist.
    with op.batch_alter_table('item') as batch_op:
        batch_op.create_foreign_key('fk_item_current_version', 'item_version',
                                    ['current_version_id'], ['id'])
    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_version_item_pk'), ['item_pk'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=True),
    sa.Column('candidate_number', sa.String(length=20), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('extra_time_percent', sa.Integer(), nullable=False),
    sa.Column('large_text', sa.Boolean(), nullable=False),
    sa.Column('high_contrast', sa.Boolean(), nullable=False),
    sa.Column('created_at', quiz.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_user_account_centre_id_centre')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('centre_id', 'candidate_number', name=op.f('uq_user_account_centre_id')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', quiz.db.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=True),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_sitting_id'), ['sitting_id'], unique=False)

    op.create_table('sitting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('blueprint_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', quiz.db.UTCDateTime(), nullable=False),
    sa.Column('ends_at', quiz.db.UTCDateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('keycode', sa.String(length=12), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('results_policy', sa.String(length=20), nullable=False),
    sa.Column('results_released_at', quiz.db.UTCDateTime(), nullable=True),
    sa.Column('opened_at', quiz.db.UTCDateTime(), nullable=True),
    sa.Column('closed_at', quiz.db.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['blueprint_id'], ['blueprint.id'], name=op.f('fk_sitting_blueprint_id_blueprint')),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_sitting_centre_id_centre')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_sitting_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sitting'))
    )
    with op.batch_alter_table('sitting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sitting_centre_id'), ['centre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sitting_keycode'), ['keycode'], unique=False)

    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('blueprint_code', sa.String(length=60), nullable=False),
    sa.Column('started_at', quiz.db.UTCDateTime(), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=False),
    sa.Column('pass_mark_percent', sa.Float(), nullable=False),
    sa.Column('extra_seconds', sa.Integer(), nullable=False),
    sa.Column('paused_seconds', sa.Float(), nullable=False),
    sa.Column('paused_since', quiz.db.UTCDateTime(), nullable=True),
    sa.Column('last_seen_at', quiz.db.UTCDateTime(), nullable=True),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('submitted_at', quiz.db.UTCDateTime(), nullable=True),
    sa.Column('submitted_reason', sa.String(length=20), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('score_raw', sa.Integer(), nullable=True),
    sa.Column('score_max', sa.Integer(), nullable=True),
    sa.Column('score_percent', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['user_account.id'], name=op.f('fk_attempt_candidate_id_user_account')),
    sa.ForeignKeyConstraint(['sitting_id'], ['sitting.id'], name=op.f('fk_attempt_sitting_id_sitting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt')),
    sa.UniqueConstraint('sitting_id', 'candidate_id', name=op.f('uq_attempt_sitting_id'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempt_sitting_id'), ['sitting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempt_status'), ['status'], unique=False)

    op.create_table('booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['user_account.id'], name=op.f('fk_booking_candidate_id_user_account')),
    sa.ForeignKeyConstraint(['sitting_id'], ['sitting.id'], name=op.f('fk_booking_sitting_id_sitting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking')),
    sa.UniqueConstraint('sitting_id', 'candidate_id', name=op.f('uq_booking_sitting_id'))
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_sitting_id'), ['sitting_id'], unique=False)

    op.create_table('attempt_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_version_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=20), nullable=False),
    sa.Column('option_order', sa.JSON(), nullable=False),
    sa.Column('chosen', sa.String(length=4), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('answered_at', quiz.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_attempt_question_attempt_id_attempt')),
    sa.ForeignKeyConstraint(['item_version_id'], ['item_version.id'], name=op.f('fk_attempt_question_item_version_id_item_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_question')),
    sa.UniqueConstraint('attempt_id', 'position', name=op.f('uq_attempt_question_attempt_id'))
    )
    with op.batch_alter_table('attempt_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_question_attempt_id'), ['attempt_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attempt_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_question_attempt_id'))

    op.drop_table('attempt_question')
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_sitting_id'))
        batch_op.drop_index(batch_op.f('ix_booking_candidate_id'))

    op.drop_table('booking')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_status'))
        batch_op.drop_index(batch_op.f('ix_attempt_sitting_id'))
        batch_op.drop_index(batch_op.f('ix_attempt_candidate_id'))

    op.drop_table('attempt')
    with op.batch_alter_table('sitting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sitting_keycode'))
        batch_op.drop_index(batch_op.f('ix_sitting_centre_id'))

    op.drop_table('sitting')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_sitting_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_attempt_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    op.drop_table('user_account')
    with op.batch_alter_table('item') as batch_op:
        batch_op.drop_constraint('fk_item_current_version', type_='foreignkey')
    with op.batch_alter_table('item_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_version_item_pk'))

    op.drop_table('item_version')
    op.drop_table('throttle')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_status'))
        batch_op.drop_index(batch_op.f('ix_item_bank'))

    op.drop_table('item')
    op.drop_table('centre')
    op.drop_table('blueprint')
