"""Approval results, dispatches and their status history (Art. 17).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dispatches',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('sender_office_id', sa.Uuid(), nullable=False),
    sa.Column('addressee_office_id', sa.Uuid(), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('clock_start', sa.Date(), nullable=False),
    sa.Column('send_due', sa.Date(), nullable=True),
    sa.Column('send_due_provisional', sa.Boolean(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('agreed_due', sa.Date(), nullable=True),
    sa.Column('reply_due', sa.Date(), nullable=True),
    sa.Column('reply_due_provisional', sa.Boolean(), nullable=False),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('current_due', sa.Date(), nullable=True),
    sa.Column('current_due_provisional', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('previous_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['addressee_office_id'], ['offices.id'], name=op.f('fk_dispatches_addressee_office_id_offices')),
    sa.ForeignKeyConstraint(['previous_id'], ['dispatches.id'], name=op.f('fk_dispatches_previous_id_dispatches')),
    sa.ForeignKeyConstraint(['sender_office_id'], ['offices.id'], name=op.f('fk_dispatches_sender_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatches'))
    )
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.create_index('ix_dispatches_addressee_status', ['addressee_office_id', 'status'], unique=False)
        batch_op.create_index('ix_dispatches_sender_status', ['sender_office_id', 'status'], unique=False)
        batch_op.create_index('ix_dispatches_status_current_due', ['status', 'current_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispatches_subject_id'), ['subject_id'], unique=False)

    op.create_table('approval_results',
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('approval_office_id', sa.Uuid(), nullable=False),
    sa.Column('applicant_name', sa.String(length=128), nullable=False),
    sa.Column('applicant_id_type', sa.String(length=16), nullable=False),
    sa.Column('applicant_id', sa.String(length=18), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=256), nullable=False),
    sa.Column('licence_number', sa.String(length=64), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('licence_issued_on', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('responsible_office_id', sa.Uuid(), nullable=False),
    sa.Column('responsible_since', sa.DateTime(), nullable=False),
    sa.Column('current_dispatch_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['approval_office_id'], ['offices.id'], name=op.f('fk_approval_results_approval_office_id_offices')),
    sa.ForeignKeyConstraint(['current_dispatch_id'], ['dispatches.id'], name=op.f('fk_approval_results_current_dispatch_id_dispatches'), use_alter=True),
    sa.ForeignKeyConstraint(['item_id'], ['licensing_items.id'], name=op.f('fk_approval_results_item_id_licensing_items')),
    sa.ForeignKeyConstraint(['responsible_office_id'], ['offices.id'], name=op.f('fk_approval_results_responsible_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_results'))
    )
    with op.batch_alter_table('approval_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_results_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_results_current_dispatch_id'), ['current_dispatch_id'], unique=False)
        batch_op.create_index('ix_approval_results_decided_on_id', ['decided_on', 'id'], unique=False)
        batch_op.create_index('ix_approval_results_office_decided', ['approval_office_id', 'decided_on', 'id'], unique=False)
        batch_op.create_index('ix_approval_results_office_applicant', ['approval_office_id', 'applicant_name', 'id'], unique=False)
        batch_op.create_index('ix_approval_results_office_licence', ['approval_office_id', 'licence_number', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_results_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_results_licence_number'), ['licence_number'], unique=False)

    op.create_table('dispatch_events',
    sa.Column('dispatch_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=64), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_dispatch_events_dispatch_id_dispatches')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_dispatch_events_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_events'))
    )
    with op.batch_alter_table('dispatch_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_events_dispatch_id'), ['dispatch_id'], unique=False)



def downgrade() -> None:
    op.drop_table('dispatch_events')
    op.drop_table('approval_results')
    op.drop_table('dispatches')
