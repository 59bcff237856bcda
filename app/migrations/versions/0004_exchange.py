"""Offline exchange: office keys, roster keys, channels, outbox, inbox, bundle history.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bundle_records',
    sa.Column('bundle_id', sa.Uuid(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('sender_office_id', sa.Uuid(), nullable=False),
    sa.Column('addressee_office_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=False),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=512), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['addressee_office_id'], ['offices.id'], name=op.f('fk_bundle_records_addressee_office_id_offices')),
    sa.ForeignKeyConstraint(['sender_office_id'], ['offices.id'], name=op.f('fk_bundle_records_sender_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bundle_records')),
    sa.UniqueConstraint('direction', 'bundle_id', name=op.f('uq_bundle_records_direction_bundle_id'))
    )
    op.create_table('exchange_channels',
    sa.Column('sender_office_id', sa.Uuid(), nullable=False),
    sa.Column('addressee_office_id', sa.Uuid(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('acked_seq', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['addressee_office_id'], ['offices.id'], name=op.f('fk_exchange_channels_addressee_office_id_offices')),
    sa.ForeignKeyConstraint(['sender_office_id'], ['offices.id'], name=op.f('fk_exchange_channels_sender_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_channels')),
    sa.UniqueConstraint('sender_office_id', 'addressee_office_id', name=op.f('uq_exchange_channels_sender_office_id_addressee_office_id'))
    )
    op.create_table('inbox_messages',
    sa.Column('sender_office_id', sa.Uuid(), nullable=False),
    sa.Column('bundle_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['sender_office_id'], ['offices.id'], name=op.f('fk_inbox_messages_sender_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_messages'))
    )
    op.create_table('office_keys',
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('sign_private', sa.LargeBinary(length=32), nullable=False),
    sa.Column('sign_public', sa.LargeBinary(length=32), nullable=False),
    sa.Column('encrypt_private', sa.LargeBinary(length=32), nullable=False),
    sa.Column('encrypt_public', sa.LargeBinary(length=32), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_office_keys_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_keys')),
    sa.UniqueConstraint('office_id', name=op.f('uq_office_keys_office_id'))
    )
    op.create_table('outbox_messages',
    sa.Column('sender_office_id', sa.Uuid(), nullable=False),
    sa.Column('addressee_office_id', sa.Uuid(), nullable=False),
    sa.Column('dispatch_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('first_seq', sa.Integer(), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=True),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['addressee_office_id'], ['offices.id'], name=op.f('fk_outbox_messages_addressee_office_id_offices')),
    sa.ForeignKeyConstraint(['sender_office_id'], ['offices.id'], name=op.f('fk_outbox_messages_sender_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_channel_pending', ['sender_office_id', 'addressee_office_id', 'acked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_dispatch_id'), ['dispatch_id'], unique=False)

    op.create_table('roster_keys',
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('sign_public', sa.LargeBinary(length=32), nullable=False),
    sa.Column('encrypt_public', sa.LargeBinary(length=32), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_roster_keys_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_keys')),
    sa.UniqueConstraint('office_id', name=op.f('uq_roster_keys_office_id'))
    )


def downgrade() -> None:
    op.drop_table('roster_keys')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_dispatch_id'))
        batch_op.drop_index('ix_outbox_messages_channel_pending')

    op.drop_table('outbox_messages')
    op.drop_table('office_keys')
    op.drop_table('inbox_messages')
    op.drop_table('exchange_channels')
    op.drop_table('bundle_records')
