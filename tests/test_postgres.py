"""The test backends themselves (tests/backends.py): each test's database, each home's own
database, and the migrations from an empty database, on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect

from app.cli import main
from app.config import resolve_db_url
from app.db import current_revision, head_revision, open_database
from tests import backends


def test_db_fixture_is_on_the_runs_backend(db, backend):
    assert db.engine.dialect.name == backend.name
    assert current_revision(db.engine) == head_revision()


def test_migrations_from_an_empty_database(tmp_path):
    if backends.is_postgresql():
        url = backends.current().create_database(template="template0")
    else:
        url = backends.database_url(tmp_path / "empty.db")
    database = open_database(url)
    try:
        assert current_revision(database.engine) == head_revision()
        assert "approval_results" in inspect(database.engine).get_table_names()
    finally:
        database.engine.dispose()


def test_every_home_has_its_own_database(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert resolve_db_url(None, a) == backends.home_url(a) != backends.home_url(b)
    assert resolve_db_url("sqlite:///x.db", a) == "sqlite:///x.db"  # --db always wins
    assert main(["--home", str(a), "init", "--code", "YK-SPJ", "--name", "营口市行政审批局",
                 "--role", "approval", "--jurisdiction", "市本级"]) == 0
    capsys.readouterr()
    assert main(["--home", str(b), "offices", "list"]) == 0
    assert "YK-SPJ" not in capsys.readouterr().out
    assert main(["--home", str(a), "offices", "list"]) == 0
    assert "YK-SPJ" in capsys.readouterr().out
