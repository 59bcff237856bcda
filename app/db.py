"""Engine, the one sessionmaker, and upgrading an older database on start (after a backup)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.services import audit, locking
from app.services.errors import ShenGuanError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration. Kept here so that opening an up-to-date database does not import
# Alembic (a third of a second); tests/test_db.py checks it against the migrations folder.
SCHEMA_HEAD = "0012"

audit.install()  # every Session's changes go into the hash-chained audit log


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    url: str
    backup: Path | None = None  # the copy made before an upgrade, if one was made
    backup_folder: Path | None = None  # automatic backups (app.services.backups) go here


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={locking.LOCK_TIMEOUT_SECONDS * 1000}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Lists join and sort hundreds of thousands of rows: give SQLite room to do it in memory.
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ShenGuanError(f"数据库地址无效：{url}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": locking.LOCK_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        return locking.watch(engine)
    try:
        return locking.watch(create_engine(url, pool_pre_ping=True))
    except Exception as exc:  # missing driver, bad options
        raise ShenGuanError(f"无法使用数据库 {parsed.render_as_string()}：{exc}") from exc


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest revision in the migrations folder (imports Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database, None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_sqlite(engine: Engine, folder: Path, reason: str = "before-migration",
                  label: str = "") -> Path:
    """Copy a SQLite database consistently, with its sidecar and rotation (app.services.backups)."""
    from app.services import backups

    return backups.create(Path(engine.url.database), folder, reason, label).path


def upgrade(engine: Engine, backup_folder: Path | None) -> Path | None:
    """Bring the schema to the newest revision; copy an existing SQLite database first."""
    try:
        current = current_revision(engine)
    except DBAPIError as exc:
        hint = (
            "如果是文件损坏，请从 backups 文件夹中的副本恢复。"
            if engine.dialect.name == "sqlite"
            else "请检查数据库服务器是否在运行，以及地址、账号和密码是否正确。"
        )
        raise ShenGuanError(f"无法打开数据库（{exc.orig}）。{hint}") from exc
    if current == SCHEMA_HEAD:
        return None
    from alembic import command

    if current is not None and not _known_revision(current):
        raise ShenGuanError(
            f"数据库结构版本 {current} 比本程序新，请升级审管通后再打开这个数据库。"
        )
    backup = None
    if current is not None and backup_folder is not None and engine.dialect.name == "sqlite":
        backup = backup_sqlite(engine, backup_folder, label=f"从 {current} 升级到 {SCHEMA_HEAD} 前")
    command.upgrade(alembic_config(engine), "head")
    return backup


def _known_revision(rev: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(rev) is not None
    except CommandError:
        return False


def open_database(url: str, backup_folder: Path | None = None) -> Database:
    engine = make_engine(url)
    backup = upgrade(engine, backup_folder)
    # Sessions carry the backup folder: imports back up first (app.services.backups.auto).
    info = {"backup_folder": backup_folder} if backup_folder is not None else {}
    sessions = sessionmaker(engine, expire_on_commit=False, info=info)
    return Database(engine, sessions, url, backup, backup_folder)
