"""The foreign key approval_results.current_dispatch_id → dispatches.id on servers.

Migration 0002 declared it with ``use_alter=True`` inside ``create_table`` (the two tables point
at each other). SQLite writes such a key inline, but on PostgreSQL Alembic leaves it out of
CREATE TABLE and never adds it afterwards, so a server database lacked it. Added here where it
is missing; SQLite databases already have it.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NAME = "fk_approval_results_current_dispatch_id_dispatches"


def _has_key(bind) -> bool:
    keys = sa.inspect(bind).get_foreign_keys("approval_results")
    return any(k.get("constrained_columns") == ["current_dispatch_id"] for k in keys)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" and not _has_key(bind):
        op.create_foreign_key(NAME, "approval_results", "dispatches", ["current_dispatch_id"], ["id"])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" and _has_key(bind):
        op.drop_constraint(NAME, "approval_results", type_="foreignkey")
