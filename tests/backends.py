"""The database backends the suite runs on: SQLite files and a throw-away PostgreSQL server.

Every test is parametrized over the chosen backends (``--backend``, or ``SHENGUAN_TEST_BACKEND``:
``sqlite``, ``postgresql`` or ``all``; default ``all``), through the autouse fixture chain
``isolated_home`` → ``backend``. The SQLite tests run first, then the PostgreSQL ones.

On PostgreSQL one server serves the whole session (:class:`tests.pg_server.PgServer`). A
template database is migrated once; every database a test asks for is created from it
(``CREATE DATABASE … TEMPLATE``) and dropped when the test ends.

Tests get their databases through one helper, :func:`database_url` (the URL for what would be
the SQLite file at a path), and installations ("homes") through :func:`home_url`, which the
program's own ``resolve_db_url`` also uses during a test: ``--home DIR`` with neither ``--db``
nor ``SHENGUAN_DB`` opens that home's own PostgreSQL database. A child process gets it through
:func:`child_env`.

Tests that are SQLite by nature are marked ``@pytest.mark.sqlite_only("why")`` and skipped on
PostgreSQL with that reason.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from app import config

SQLITE, POSTGRESQL = "sqlite", "postgresql"
CHOICES = {"sqlite": (SQLITE,), "postgresql": (POSTGRESQL,), "all": (SQLITE, POSTGRESQL)}
TEMPLATE = "shenguan_template"


class SqliteBackend:
    name = SQLITE

    def url_for(self, path: Path) -> str:
        return f"sqlite:///{path}"

    def end_test(self) -> None:
        pass


class PostgresBackend:
    """One server per session; a migrated template; a database per path per test."""

    name = POSTGRESQL

    def __init__(self) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        from app.db import open_database
        from tests.pg_server import PgServer

        self.server = PgServer()
        self.admin = create_engine(self.server.start(), isolation_level="AUTOCOMMIT",
                                   poolclass=NullPool)
        self._names = itertools.count(1)
        self._made: dict[Path, str] = {}
        with self.admin.connect() as conn:
            version = int(conn.exec_driver_sql("SHOW server_version_num").scalar())
        # Copying the template's files is several times faster than the WAL_LOG default of
        # PostgreSQL 15 for a small database (and the only strategy before 15).
        self._strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
        self._execute(f'CREATE DATABASE "{TEMPLATE}"')
        template = open_database(self.server.url(TEMPLATE))
        template.engine.dispose()

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def create_database(self, template: str = TEMPLATE) -> str:
        """A new database (migrated, from the template; ``template0`` gives an empty one)."""
        name = self._create(template)
        self._made[Path(f"/unnamed/{name}")] = name
        return self.server.url(name)

    def _create(self, template: str) -> str:
        name = f"t{next(self._names)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{self._strategy}')
        return name

    def url_for(self, path: Path) -> str:
        path = Path(path).resolve()
        if path not in self._made:
            self._made[path] = self._create(TEMPLATE)
        return self.server.url(self._made[path])

    def end_test(self) -> None:
        made, self._made = self._made, {}
        for name in made.values():
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.admin.dispose()
        self.server.stop()


_current: SqliteBackend | PostgresBackend | None = None
_original_resolve_db_url = config.resolve_db_url


def current():
    """The backend of the running test."""
    return _current or SqliteBackend()


def is_postgresql() -> bool:
    return current().name == POSTGRESQL


def database_url(path: Path) -> str:
    """The URL of the test's database that on SQLite would be the file ``path``."""
    return current().url_for(Path(path))


def home_url(home: Path) -> str:
    """The database URL of the installation in the data folder ``home``."""
    return database_url(Path(home) / config.DB_FILENAME)


def child_env(home: Path | None = None, env: dict | None = None) -> dict:
    """Environment for a child process running the program on ``home`` (default SHENGUAN_HOME)."""
    env = dict(os.environ if env is None else env)
    if is_postgresql():
        env["SHENGUAN_DB"] = home_url(Path(home or env["SHENGUAN_HOME"]))
    return env


def resolve_db_url(db: str | None = None, home: Path | None = None) -> str:
    """``app.config.resolve_db_url`` during tests: a home's own database on PostgreSQL."""
    if db or os.environ.get("SHENGUAN_DB") or not is_postgresql():
        return _original_resolve_db_url(db, home)
    return home_url(home or config.resolve_home())


def _install_resolver() -> None:
    """Replace ``resolve_db_url`` wherever the program imported it."""
    import app.bootstrap
    import app.cli_common

    for module in (config, app.bootstrap, app.cli_common):
        if getattr(module, "resolve_db_url", None) is _original_resolve_db_url:
            module.resolve_db_url = resolve_db_url


# -- pytest hooks (imported into tests/conftest.py) ----------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--backend", choices=sorted(CHOICES), default=None,
        help="database backend(s) to run the tests on (default: $SHENGUAN_TEST_BACKEND or all)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test is about SQLite itself; skipped on PostgreSQL")
    _install_resolver()


def selected_backends(config) -> tuple[str, ...]:
    choice = config.getoption("--backend") or os.environ.get("SHENGUAN_TEST_BACKEND") or "all"
    if choice not in CHOICES:
        raise pytest.UsageError(f"SHENGUAN_TEST_BACKEND={choice!r}: use one of {sorted(CHOICES)}")
    return CHOICES[choice]


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        names = selected_backends(metafunc.config)
        metafunc.parametrize("backend", names, indirect=True, scope="session", ids=names)


def _on_postgresql(item) -> bool:
    spec = getattr(item, "callspec", None)
    return spec is not None and spec.params.get("backend") == POSTGRESQL


def pytest_collection_modifyitems(config, items):
    on_pg = [item for item in items if _on_postgresql(item)]
    why = postgresql_unavailable() if on_pg else None
    if why:  # not run, with one reason (in the header and at the end), instead of N skips
        items[:] = [item for item in items if not _on_postgresql(item)]
        config.hook.pytest_deselected(items=on_pg)
        config.stash[_not_run] = (len(on_pg), why)
        return
    for item in on_pg:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


_not_run = pytest.StashKey[tuple[int, str]]()


def pytest_report_header(config):
    names = selected_backends(config)
    if POSTGRESQL in names and (why := postgresql_unavailable()):
        return f"database backends: {', '.join(names)} (PostgreSQL tests will not run: {why})"
    return f"database backends: {', '.join(names)}"


_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report):
    """Add up each backend's time (setup, call and teardown) for the summary."""
    params = report.nodeid.rpartition("[")[2].rstrip("]").split("-")
    name = POSTGRESQL if POSTGRESQL in params else SQLITE
    _seconds[name] = _seconds.get(name, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _seconds:
        spent = ", ".join(f"{name} {seconds / 60:.1f} min" for name, seconds in _seconds.items())
        terminalreporter.write_line(f"time per database backend: {spent}")
    if _not_run in config.stash:
        count, why = config.stash[_not_run]
        terminalreporter.write_sep("=", f"PostgreSQL: {count} tests skipped (deselected): {why}",
                                   yellow=True)


def postgresql_unavailable() -> str | None:
    from tests.pg_server import pg_bin

    if pg_bin() is None:
        return ("PostgreSQL server binaries not installed (Debian package postgresql; "
                ".ci/run installs it)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "PostgreSQL driver not installed (pip install -e '.[postgres]')"
    return None


@pytest.fixture(scope="session")
def backend(request):
    """The backend object for this part of the run (a session-wide PostgreSQL server)."""
    if request.param == SQLITE:
        yield SqliteBackend()
        return
    why = postgresql_unavailable()
    if why:
        pytest.skip(why)
    server = PostgresBackend()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _backend_for_test(backend):
    global _current
    _current = backend
    try:
        yield backend
    finally:
        _current = None
        backend.end_test()
