"""Restoring a backup made by :mod:`app.services.backups`.

:func:`verify` checks the backup before anything is touched: the sidecar's size and SHA-256,
SQLite's ``quick_check``, that it is a ShenGuan database, and that its schema revision is one
this program knows (an older one is migrated right after the restore; a newer one is refused).
:func:`restore` then makes a safety backup of the current database (reason ``before-restore``),
replaces the database file atomically (``os.replace`` of a fsynced copy in the same folder, the
old WAL checkpointed and gone first), migrates it if it is older, and marks every exchange
channel as restored (:mod:`app.services.exchange.resync`) so that no bundle message is lost.

Every connection to the database must be closed first: the CLI runs a restore alone, the GUI
closes its workspace and asks for a restart.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import clock
from app.services import backups
from app.services.backups import Backup
from app.services.errors import ShenGuanError


@dataclass(frozen=True)
class RestoreResult:
    restored: Backup
    safety: Backup | None  # the copy of the database as it was before the restore
    migrated: bool


def _known(revision: str) -> str:
    """'current', 'older' or 'unknown' (newer than this program, or not ShenGuan's)."""
    from app.db import SCHEMA_HEAD, _known_revision

    if revision == SCHEMA_HEAD:
        return "current"
    return "older" if revision and _known_revision(revision) else "unknown"


def verify(folder: Path, name: str) -> Backup:
    """The backup ``name`` if it is intact and usable here; ShenGuanError naming what is wrong."""
    b = backups.find(folder, name)
    if not b.path.exists():
        raise ShenGuanError(f"备份文件 {b.name} 已不存在。")
    if b.sha256 and (b.path.stat().st_size != b.size or backups.sha256_of(b.path) != b.sha256):
        raise ShenGuanError(f"备份 {b.name} 的内容与其校验信息不符（文件已损坏或被改动），不能用于恢复。")
    conn = sqlite3.connect(f"{b.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ShenGuanError(f"备份 {b.name} 无法作为数据库打开（{exc}），不能用于恢复。") from exc
    finally:
        conn.close()
    if check != "ok":
        raise ShenGuanError(f"备份 {b.name} 未通过数据库完整性检查（{check}），不能用于恢复。")
    revision, _ = backups.read_facts(b.path)
    state = _known(revision)
    if state == "unknown":
        raise ShenGuanError(f"备份 {b.name} 的数据库结构版本 {revision or '（无）'} 比本程序新或无法识别，"
                            "请用更新版本的审管通恢复。")
    return b


def restore(db_file: Path, folder: Path, name: str,
            progress: Callable[[int, int], None] | None = None) -> RestoreResult:
    """Replace the database at ``db_file`` with the backup ``name`` (see the module text)."""
    db_file = Path(db_file)
    b = verify(folder, name)
    safety = None
    if db_file.exists():
        safety = _safety_copy(db_file, Path(folder), progress)
    _checkpoint(db_file)
    tmp = db_file.with_name(db_file.name + ".restoring")
    try:
        shutil.copyfile(b.path, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        for extra in (Path(f"{db_file}-wal"), Path(f"{db_file}-shm"), Path(f"{db_file}-journal")):
            if extra.exists():
                extra.unlink()
        os.replace(tmp, db_file)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ShenGuanError(f"无法替换数据库文件 {db_file}（{exc.strerror or exc}）。"
                            "请关闭所有正在使用该数据库的审管通窗口后重试；当前数据库未被改动。") from exc
    migrated = _known(backups.read_facts(db_file)[0]) == "older"
    _mark(db_file, Path(folder))
    return RestoreResult(b, safety, migrated)


def _safety_copy(db_file: Path, folder: Path, progress) -> Backup | None:
    try:
        return backups.create(db_file, folder, "before-restore", progress=progress)
    except ShenGuanError:
        # The current file is damaged (the usual reason to restore): keep its raw bytes instead.
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{clock.now():%Y-%m-%d_%H%M%S}_damaged"
        for src in (db_file, Path(f"{db_file}-wal")):
            if src.exists():
                shutil.copyfile(src, folder / (stem + src.name[len(db_file.stem):]))
        return None


def _checkpoint(db_file: Path) -> None:
    """Fold the WAL into the file so nothing of the old database is left beside it."""
    if not db_file.exists():
        return
    with contextlib.suppress(sqlite3.DatabaseError):
        conn = sqlite3.connect(db_file)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def _mark(db_file: Path, folder: Path) -> None:
    """Open (and if older, migrate) the restored database; mark its exchange channels."""
    from app.db import open_database
    from app.services.exchange import resync

    db = open_database(f"sqlite:///{db_file}", folder)
    try:
        with db.sessions() as s:
            resync.mark_restored(s)
            s.commit()
    finally:
        db.engine.dispose()
