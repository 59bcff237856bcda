"""The item catalogue in versions (Art. 7): versions, their entries and the offices' opinions.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalogue_versions',
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('based_on_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('evaluated_at', sa.DateTime(), nullable=True),
    sa.Column('approved_doc_number', sa.String(length=64), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('in_force_from', sa.Date(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('filed_with', sa.String(length=128), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("status IN ('draft','evaluated','approved','in_force','filed','superseded')", name=op.f('ck_catalogue_versions_status')),
    sa.ForeignKeyConstraint(['based_on_id'], ['catalogue_versions.id'], name=op.f('fk_catalogue_versions_based_on_id_catalogue_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_versions')),
    sa.UniqueConstraint('number', name=op.f('uq_catalogue_versions_number'))
    )
    op.create_table('catalogue_entries',
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=256), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('competent_office_code', sa.String(length=32), nullable=False),
    sa.Column('competent_office_name', sa.String(length=128), nullable=False),
    sa.Column('jurisdiction_level', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['catalogue_versions.id'], name=op.f('fk_catalogue_entries_version_id_catalogue_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_entries')),
    sa.UniqueConstraint('version_id', 'code', name=op.f('uq_catalogue_entries_version_id_code'))
    )
    op.create_table('catalogue_opinions',
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('office_code', sa.String(length=32), nullable=False),
    sa.Column('office_name', sa.String(length=128), nullable=False),
    sa.Column('office_role', sa.String(length=16), nullable=False),
    sa.Column('agrees', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['catalogue_versions.id'], name=op.f('fk_catalogue_opinions_version_id_catalogue_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_opinions'))
    )
    op.create_index(op.f('ix_catalogue_opinions_version_id'), 'catalogue_opinions', ['version_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_catalogue_opinions_version_id'), table_name='catalogue_opinions')
    op.drop_table('catalogue_opinions')
    op.drop_table('catalogue_entries')
    op.drop_table('catalogue_versions')
