"""Paper loop (Art. 17 ¶2): printed hand-over lists and signed receipt slips scanned back.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('paper_batches',
    sa.Column('sender_office_id', sa.Uuid(), nullable=False),
    sa.Column('addressee_office_id', sa.Uuid(), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['addressee_office_id'], ['offices.id'], name=op.f('fk_paper_batches_addressee_office_id_offices')),
    sa.ForeignKeyConstraint(['sender_office_id'], ['offices.id'], name=op.f('fk_paper_batches_sender_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_batches'))
    )
    with op.batch_alter_table('paper_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_batches_addressee_office_id'), ['addressee_office_id'], unique=False)

    op.create_table('paper_batch_items',
    sa.Column('batch_id', sa.Uuid(), nullable=False),
    sa.Column('dispatch_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['paper_batches.id'], name=op.f('fk_paper_batch_items_batch_id_paper_batches')),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_paper_batch_items_dispatch_id_dispatches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_batch_items'))
    )
    with op.batch_alter_table('paper_batch_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_batch_items_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_batch_items_dispatch_id'), ['dispatch_id'], unique=False)

    op.create_table('paper_receipts',
    sa.Column('dispatch_id', sa.Uuid(), nullable=False),
    sa.Column('batch_id', sa.Uuid(), nullable=True),
    sa.Column('event_id', sa.Uuid(), nullable=True),
    sa.Column('code', sa.String(length=160), nullable=False),
    sa.Column('signer', sa.String(length=64), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('scan_path', sa.String(length=1024), nullable=True),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['paper_batches.id'], name=op.f('fk_paper_receipts_batch_id_paper_batches')),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_paper_receipts_dispatch_id_dispatches')),
    sa.ForeignKeyConstraint(['event_id'], ['dispatch_events.id'], name=op.f('fk_paper_receipts_event_id_dispatch_events')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_paper_receipts_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_receipts'))
    )
    with op.batch_alter_table('paper_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_receipts_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_receipts_dispatch_id'), ['dispatch_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('paper_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_receipts_dispatch_id'))
        batch_op.drop_index(batch_op.f('ix_paper_receipts_batch_id'))

    op.drop_table('paper_receipts')
    with op.batch_alter_table('paper_batch_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_batch_items_dispatch_id'))
        batch_op.drop_index(batch_op.f('ix_paper_batch_items_batch_id'))

    op.drop_table('paper_batch_items')
    with op.batch_alter_table('paper_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_batches_addressee_office_id'))

    op.drop_table('paper_batches')
