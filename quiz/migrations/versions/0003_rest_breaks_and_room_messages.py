"""rest breaks and room messages

Rest breaks: the candidate's allowance (user_account.rest_break_minutes), and on each attempt the
allowance copied at start, the break time used and the running break. Room messages: room_message.
Existing rows get no allowance and no break time (server default 0).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 07:27:57.883195
"""
from alembic import op
import sqlalchemy as sa
import quiz.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('room_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('sender_name', sa.String(length=200), nullable=False),
    sa.Column('sent_at', quiz.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_room_message_attempt_id_attempt')),
    sa.ForeignKeyConstraint(['sender_id'], ['user_account.id'], name=op.f('fk_room_message_sender_id_user_account')),
    sa.ForeignKeyConstraint(['sitting_id'], ['sitting.id'], name=op.f('fk_room_message_sitting_id_sitting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_message'))
    )
    with op.batch_alter_table('room_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_message_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_message_sitting_id'), ['sitting_id'], unique=False)

    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('break_allowance_seconds', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('break_used_seconds', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('on_break_since', quiz.db.UTCDateTime(), nullable=True))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rest_break_minutes', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('rest_break_minutes')

    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('on_break_since')
        batch_op.drop_column('break_used_seconds')
        batch_op.drop_column('break_allowance_seconds')

    with op.batch_alter_table('room_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_message_sitting_id'))
        batch_op.drop_index(batch_op.f('ix_room_message_attempt_id'))

    op.drop_table('room_message')
