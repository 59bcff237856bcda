"""Consultations, support requests, oversight report rows and circulars (Art. 9, 10, 12, 13, 21).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('oversight_reports',
    sa.Column('dispatch_id', sa.Uuid(), nullable=False),
    sa.Column('report_id', sa.Uuid(), nullable=False),
    sa.Column('reporting_office', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('sender_code', sa.String(length=32), nullable=False),
    sa.Column('addressee_code', sa.String(length=32), nullable=False),
    sa.Column('clock_start', sa.Date(), nullable=False),
    sa.Column('send_due', sa.Date(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('reply_due', sa.Date(), nullable=True),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oversight_reports')),
    sa.UniqueConstraint('dispatch_id', name=op.f('uq_oversight_reports_dispatch_id'))
    )
    with op.batch_alter_table('oversight_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oversight_reports_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_oversight_reports_report_id'), ['report_id'], unique=False)

    op.create_table('circulars',
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_circulars_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circulars'))
    )
    with op.batch_alter_table('circulars', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circulars_period'), ['period'], unique=False)

    op.create_table('consultations',
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=256), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('requesting_office_id', sa.Uuid(), nullable=False),
    sa.Column('responding_offices', sa.String(length=1024), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('minutes_office_id', sa.Uuid(), nullable=True),
    sa.Column('minutes_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("mode IN ('letter','meeting')", name=op.f('ck_consultations_mode')),
    sa.ForeignKeyConstraint(['requesting_office_id'], ['offices.id'], name=op.f('fk_consultations_requesting_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_requesting_office_id'), ['requesting_office_id'], unique=False)

    op.create_table('support_requests',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('wanted_by', sa.Date(), nullable=True),
    sa.Column('requesting_office_id', sa.Uuid(), nullable=False),
    sa.Column('responding_office_id', sa.Uuid(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('dispatch_id', sa.Uuid(), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("kind IN ('technical_support','training','field_guidance','certificate_stock')", name=op.f('ck_support_requests_kind')),
    sa.ForeignKeyConstraint(['requesting_office_id'], ['offices.id'], name=op.f('fk_support_requests_requesting_office_id_offices')),
    sa.ForeignKeyConstraint(['responding_office_id'], ['offices.id'], name=op.f('fk_support_requests_responding_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_requests'))
    )
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_requests_requesting_office_id'), ['requesting_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_requests_responding_office_id'), ['responding_office_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_requests_responding_office_id'))
        batch_op.drop_index(batch_op.f('ix_support_requests_requesting_office_id'))

    op.drop_table('support_requests')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_requesting_office_id'))

    op.drop_table('consultations')
    with op.batch_alter_table('circulars', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circulars_period'))

    op.drop_table('circulars')
    with op.batch_alter_table('oversight_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oversight_reports_report_id'))
        batch_op.drop_index(batch_op.f('ix_oversight_reports_kind'))

    op.drop_table('oversight_reports')
