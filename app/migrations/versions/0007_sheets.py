"""Implementation and push sheets, key-element changes, policy changes, pool letters (Art. 8, 11).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('implementation_sheets',
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('applicants', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('time_limit', sa.Text(), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('special_steps', sa.Text(), nullable=False),
    sa.Column('review_standard', sa.Text(), nullable=False),
    sa.Column('procedure', sa.Text(), nullable=False),
    sa.Column('duties', sa.Text(), nullable=False),
    sa.Column('accountability', sa.Text(), nullable=False),
    sa.Column('planning', sa.Text(), nullable=False),
    sa.Column('prepared_by_office_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('handed_over_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('draft','handed_over','superseded')", name=op.f('ck_implementation_sheets_status')),
    sa.ForeignKeyConstraint(['prepared_by_office_id'], ['offices.id'], name=op.f('fk_implementation_sheets_prepared_by_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_implementation_sheets')),
    sa.UniqueConstraint('item_code', 'version', name=op.f('uq_implementation_sheets_item_code_version'))
    )
    op.create_index(op.f('ix_implementation_sheets_item_code'), 'implementation_sheets', ['item_code'], unique=False)
    op.create_table('policy_changes',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('basis', sa.String(length=512), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('reply_wanted_by', sa.Date(), nullable=True),
    sa.Column('sending_office_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('dispatch_id', sa.Uuid(), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("kind IN ('notice','opinion_request')", name=op.f('ck_policy_changes_kind')),
    sa.ForeignKeyConstraint(['sending_office_id'], ['offices.id'], name=op.f('fk_policy_changes_sending_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_changes'))
    )
    op.create_table('pool_letters',
    sa.Column('letter', sa.Text(), nullable=False),
    sa.Column('sending_office_id', sa.Uuid(), nullable=False),
    sa.Column('letter_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('dispatch_id', sa.Uuid(), nullable=True),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.Column('applied_counts', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['sending_office_id'], ['offices.id'], name=op.f('fk_pool_letters_sending_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_letters'))
    )
    op.create_index(op.f('ix_pool_letters_sending_office_id'), 'pool_letters', ['sending_office_id'], unique=False)
    op.create_table('push_sheets',
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('prepared_by_office_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('handed_over_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('draft','handed_over','superseded')", name=op.f('ck_push_sheets_status')),
    sa.ForeignKeyConstraint(['prepared_by_office_id'], ['offices.id'], name=op.f('fk_push_sheets_prepared_by_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_sheets')),
    sa.UniqueConstraint('item_code', 'version', name=op.f('uq_push_sheets_item_code_version'))
    )
    op.create_index(op.f('ix_push_sheets_item_code'), 'push_sheets', ['item_code'], unique=False)
    op.create_table('sheet_changes',
    sa.Column('sheet_id', sa.Uuid(), nullable=True),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('sheet_version', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_by_office_id', sa.Uuid(), nullable=False),
    sa.Column('proposed_by', sa.String(length=64), nullable=False),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('dispatch_id', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=False),
    sa.Column('new_sheet_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('pending','consented','refused')", name=op.f('ck_sheet_changes_status')),
    sa.ForeignKeyConstraint(['proposed_by_office_id'], ['offices.id'], name=op.f('fk_sheet_changes_proposed_by_office_id_offices')),
    sa.ForeignKeyConstraint(['sheet_id'], ['implementation_sheets.id'], name=op.f('fk_sheet_changes_sheet_id_implementation_sheets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sheet_changes'))
    )
    op.create_index(op.f('ix_sheet_changes_item_code'), 'sheet_changes', ['item_code'], unique=False)
    op.create_index(op.f('ix_sheet_changes_sheet_id'), 'sheet_changes', ['sheet_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sheet_changes_sheet_id'), table_name='sheet_changes')
    op.drop_index(op.f('ix_sheet_changes_item_code'), table_name='sheet_changes')
    op.drop_table('sheet_changes')
    op.drop_index(op.f('ix_push_sheets_item_code'), table_name='push_sheets')
    op.drop_table('push_sheets')
    op.drop_index(op.f('ix_pool_letters_sending_office_id'), table_name='pool_letters')
    op.drop_table('pool_letters')
    op.drop_table('policy_changes')
    op.drop_index(op.f('ix_implementation_sheets_item_code'), table_name='implementation_sheets')
    op.drop_table('implementation_sheets')
