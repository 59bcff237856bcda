"""Alembic environment: runs on the engine handed over by app.db (or sqlalchemy.url)."""

from alembic import context
from sqlalchemy import create_engine

from app.models import Base

config = context.config
target_metadata = Base.metadata

engine = config.attributes.get("engine")
if engine is None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))

with engine.begin() as connection:
    if connection.dialect.name == "sqlite":
        # One transaction for the whole upgrade, so that a crash or a power cut midway leaves the
        # schema at the old revision, never between two. The sqlite3 module opens a transaction
        # only before INSERT/UPDATE/DELETE: without this BEGIN, every CREATE/ALTER/DROP before
        # the first version stamp would be committed on its own (docs/crash-safety.md).
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
