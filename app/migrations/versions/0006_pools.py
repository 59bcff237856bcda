"""The expert pool and agency pool (Art. 11); the current liaison officer (Art. 16).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('scope', sa.String(length=512), nullable=False),
    sa.Column('qualification', sa.String(length=128), nullable=False),
    sa.Column('certificate_number', sa.String(length=64), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('contact_name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('recommending_office_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['recommending_office_id'], ['offices.id'], name=op.f('fk_agencies_recommending_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_agencies_credit_code'))
    )
    op.create_index(op.f('ix_agencies_name'), 'agencies', ['name'], unique=False)
    op.create_index(op.f('ix_agencies_recommending_office_id'), 'agencies', ['recommending_office_id'], unique=False)
    op.create_table('experts',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('specialty', sa.String(length=128), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('employer', sa.String(length=128), nullable=False),
    sa.Column('qualification', sa.String(length=128), nullable=False),
    sa.Column('certificate_number', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('recommending_office_id', sa.Uuid(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['recommending_office_id'], ['offices.id'], name=op.f('fk_experts_recommending_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experts'))
    )
    op.create_index(op.f('ix_experts_name'), 'experts', ['name'], unique=False)
    op.create_index(op.f('ix_experts_recommending_office_id'), 'experts', ['recommending_office_id'], unique=False)
    op.add_column('liaison_officers', sa.Column('is_current', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('liaison_officers') as batch:
        batch.drop_column('is_current')
    op.drop_index(op.f('ix_experts_recommending_office_id'), table_name='experts')
    op.drop_index(op.f('ix_experts_name'), table_name='experts')
    op.drop_table('experts')
    op.drop_index(op.f('ix_agencies_recommending_office_id'), table_name='agencies')
    op.drop_index(op.f('ix_agencies_name'), table_name='agencies')
    op.drop_table('agencies')
