"""Penalty decisions and licence changes (Art. 19), referrals (Art. 20).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('licence_changes',
    sa.Column('deciding_office_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('decision_number', sa.String(length=64), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('penalty_decision_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('approval_result_id', sa.Uuid(), nullable=True),
    sa.Column('licence_number', sa.String(length=64), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=256), nullable=False),
    sa.Column('holder_name', sa.String(length=128), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("kind IN ('amend','withdraw','revoke','cancel')", name=op.f('ck_licence_changes_kind')),
    sa.ForeignKeyConstraint(['deciding_office_id'], ['offices.id'], name=op.f('fk_licence_changes_deciding_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_changes'))
    )
    with op.batch_alter_table('licence_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_changes_approval_result_id'), ['approval_result_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_licence_changes_deciding_office_id'), ['deciding_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_licence_changes_licence_number'), ['licence_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_licence_changes_penalty_decision_id'), ['penalty_decision_id'], unique=False)

    op.create_table('penalty_decisions',
    sa.Column('deciding_office_id', sa.Uuid(), nullable=False),
    sa.Column('decision_number', sa.String(length=64), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('measure', sa.String(length=16), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.String(length=512), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('dispatch_id', sa.Uuid(), nullable=True),
    sa.Column('licence_decided_at', sa.DateTime(), nullable=True),
    sa.Column('approval_result_id', sa.Uuid(), nullable=True),
    sa.Column('licence_number', sa.String(length=64), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=256), nullable=False),
    sa.Column('holder_name', sa.String(length=128), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("measure IN ('amend','withdraw','revoke','cancel')", name=op.f('ck_penalty_decisions_measure')),
    sa.ForeignKeyConstraint(['deciding_office_id'], ['offices.id'], name=op.f('fk_penalty_decisions_deciding_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_decisions'))
    )
    with op.batch_alter_table('penalty_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_penalty_decisions_approval_result_id'), ['approval_result_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penalty_decisions_deciding_office_id'), ['deciding_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penalty_decisions_dispatch_id'), ['dispatch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penalty_decisions_licence_number'), ['licence_number'], unique=False)

    op.create_table('referrals',
    sa.Column('referring_office_id', sa.Uuid(), nullable=False),
    sa.Column('receiving_office_id', sa.Uuid(), nullable=False),
    sa.Column('party_name', sa.String(length=128), nullable=False),
    sa.Column('licence_number', sa.String(length=64), nullable=False),
    sa.Column('case_summary', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('dispatch_id', sa.Uuid(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('case_number', sa.String(length=64), nullable=False),
    sa.Column('case_filed_on', sa.Date(), nullable=True),
    sa.Column('result_text', sa.Text(), nullable=False),
    sa.Column('result_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("decision IS NULL OR decision IN ('accepted','declined')", name=op.f('ck_referrals_decision')),
    sa.ForeignKeyConstraint(['receiving_office_id'], ['offices.id'], name=op.f('fk_referrals_receiving_office_id_offices')),
    sa.ForeignKeyConstraint(['referring_office_id'], ['offices.id'], name=op.f('fk_referrals_referring_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_dispatch_id'), ['dispatch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_receiving_office_id'), ['receiving_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_referring_office_id'), ['referring_office_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrals_referring_office_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_receiving_office_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_dispatch_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('penalty_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_penalty_decisions_licence_number'))
        batch_op.drop_index(batch_op.f('ix_penalty_decisions_dispatch_id'))
        batch_op.drop_index(batch_op.f('ix_penalty_decisions_deciding_office_id'))
        batch_op.drop_index(batch_op.f('ix_penalty_decisions_approval_result_id'))

    op.drop_table('penalty_decisions')
    with op.batch_alter_table('licence_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_changes_penalty_decision_id'))
        batch_op.drop_index(batch_op.f('ix_licence_changes_licence_number'))
        batch_op.drop_index(batch_op.f('ix_licence_changes_deciding_office_id'))
        batch_op.drop_index(batch_op.f('ix_licence_changes_approval_result_id'))

    op.drop_table('licence_changes')
