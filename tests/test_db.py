"""The database: SQLite pragmas, migrations that match the models (on every backend), upgrade
after a backup."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app.bootstrap import open_app_database
from app.db import (
    SCHEMA_HEAD,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    open_database,
)
from app.models import Base
from app.services.errors import ShenGuanError
from tests.backends import database_url


@pytest.mark.sqlite_only("SQLite's own pragmas")
def test_sqlite_has_wal_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert current_revision(db.engine) == head_revision()


def test_schema_head_constant_names_the_newest_migration():
    assert head_revision() == SCHEMA_HEAD


@pytest.mark.sqlite_only("upgrades a SQLite file and checks the program's copy of the file "
                        "(on a server, backups are the server's job)")
def test_older_database_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO jurisdictions (id, code, name, level) VALUES ('0123456789abcdef0123456789abcdef', '210800', '市本级', 'city')"
        ))
    engine.dispose()

    database = open_database(f"sqlite:///{path}", tmp_path / "backups")
    assert current_revision(database.engine) == head_revision()
    assert database.backup is not None and database.backup.exists()
    copy = sqlite3.connect(database.backup)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert copy.execute("SELECT name FROM jurisdictions").fetchall() == [("市本级",)]
    copy.close()
    with database.engine.connect() as conn:  # the data survived the upgrade
        assert conn.execute(text("SELECT name FROM jurisdictions")).scalar() == "市本级"
        assert conn.execute(text("SELECT count(*) FROM approval_results")).scalar() == 0
    database.engine.dispose()


def test_fresh_database_needs_no_backup(tmp_path):
    database = open_database(database_url(tmp_path / "new.db"), tmp_path / "backups")
    assert database.backup is None
    assert not (tmp_path / "backups").exists()
    database.engine.dispose()


def test_database_newer_than_program_is_refused(tmp_path):
    url = database_url(tmp_path / "future.db")
    engine = open_database(url).engine
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(ShenGuanError, match="比本程序新"):
        open_database(url)


@pytest.mark.sqlite_only("the default database is a SQLite file in the data folder")
def test_default_database_lives_in_the_home_folder(isolated_home):
    home, database = open_app_database()
    assert home == isolated_home.resolve()
    assert (home / "shenguan.db").exists()
    database.engine.dispose()


def test_bad_database_url_is_a_clear_error():
    with pytest.raises(ShenGuanError, match="数据库地址无效"):
        make_engine("not a url")


@pytest.mark.sqlite_only("a damaged SQLite file")
def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ShenGuanError, match="无法打开数据库"):
        open_database(f"sqlite:///{path}")
