"""Backups of a SQLite database: consistent copies in ``<home>/backups`` with a sidecar, rotation.

Each backup is two files: ``2026-11-26_093012_before-import.db`` (a consistent copy made with
the sqlite3 backup API, so it is safe while the program works in WAL mode; the copy itself is a
plain rollback-journal file that needs nothing beside it) and ``….json`` (the sidecar: schema
revision, local offices, created, reason, label, size, SHA-256), so a list can show them without
opening them and a restore can verify the file first.

Automatic backups (:func:`auto`) are made before every import that changes the database and
before every migration, when the session's database was opened with a backup folder
(``open_database(url, backup_folder)``). Rotation after each new backup: per reason the newest
:data:`KEEP_AUTOMATIC` automatic ones are kept; manual ones are kept until deleted; the only
backup made today is never deleted. A PostgreSQL database is backed up by its server
(``pg_dump``): automatic backups skip it, the commands refuse it with that advice.

A backup killed midway leaves a ``.part`` file, a ``.db`` without its sidecar or a sidecar
without its ``.db`` (never listed, never restored); the next backup in the folder removes such leftovers once they are
:data:`LEFTOVER_AGE` old (younger ones may belong to a backup another process is making).

No Qt here; restoring is :mod:`app.services.restore`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from app import __version__, clock
from app.services.errors import NotFoundError, ShenGuanError

FOLDER_NAME = "backups"
KEEP_AUTOMATIC = 20
MANUAL = "manual"
REASONS = {
    MANUAL: "手动备份",
    "before-import": "导入数据包前",
    "before-roster": "导入单位名录前",
    "before-catalogue": "导入事项清单前",
    "before-calendar": "导入节假日安排前",
    "before-xlsx": "导入 Excel 表格前",
    "before-migration": "升级数据库结构前",
    "before-restore": "恢复备份前",
}
INFO_KEY = "backup_folder"  # Session.info key set by app.db.open_database
PG_ADVICE = ("当前数据库是 PostgreSQL 服务器数据库，其备份与恢复由数据库服务器负责"
             "（请数据库管理员用 pg_dump / pg_restore 定期备份），本程序的备份命令只适用于单机 SQLite 数据库。")
_PAGES_PER_STEP = 1024
_LEGACY = re.compile(r"^shenguan-(\d{8}-\d{6})-before-(\w+)\.db$")
_OURS = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{6}_[a-z-]+?(?:-\d+)?\.(?:db|json|db\.part|json\.part)$")
LEFTOVER_AGE = timedelta(minutes=10)


@dataclass(frozen=True)
class Backup:
    name: str  # the .db file name
    path: Path
    reason: str
    label: str
    created: datetime
    size: int
    sha256: str  # "" for a file without sidecar (made by an older version)
    schema_revision: str
    offices: list[str]
    program: str = ""

    @property
    def automatic(self) -> bool:
        return self.reason != MANUAL

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["path"] = str(self.path)
        d["created"] = self.created.isoformat(sep=" ")
        d["reason_label"] = self.reason_label
        d["automatic"] = self.automatic
        return d


def sqlite_file(url: str) -> Path:
    """The database file behind ``url``; a clear refusal for a server database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise ShenGuanError(PG_ADVICE)
    if not parsed.database or parsed.database == ":memory:":
        raise ShenGuanError("内存数据库没有可备份的文件。")
    return Path(parsed.database)


def sidecar(path: Path) -> Path:
    return path.with_suffix(".json")


def _target(folder: Path, reason: str) -> Path:
    stem = f"{clock.now():%Y-%m-%d_%H%M%S}_{reason}"
    path, n = folder / f"{stem}.db", 1
    while path.exists() or sidecar(path).exists():
        n += 1
        path = folder / f"{stem}-{n}.db"
    return path


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_facts(path: Path) -> tuple[str, list[str]]:
    """(schema revision, local office codes) of a database file, opened read-only."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables or "offices" not in tables:
            raise ShenGuanError(f"{path.name} 不是审管通的数据库。")
        rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        codes = [r[0] for r in conn.execute("SELECT code FROM offices WHERE is_local ORDER BY code")]
        return (rev[0] if rev else ""), codes
    except sqlite3.DatabaseError as exc:
        raise ShenGuanError(f"{path.name} 无法作为数据库打开（{exc}）。") from exc
    finally:
        conn.close()


def create(db_file: Path, folder: Path, reason: str = MANUAL, label: str = "",
           progress: Callable[[int, int], None] | None = None) -> Backup:
    """Copy ``db_file`` consistently into ``folder``; then rotate the folder."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_file = Path(db_file)
    if not db_file.exists():
        raise NotFoundError(f"数据库文件 {db_file} 不存在，无法备份。")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    clean_leftovers(folder)
    target = _target(folder, reason)
    part = target.with_name(target.name + ".part")
    try:
        _copy(db_file, part, progress)
        os.replace(part, target)
        revision, codes = read_facts(target)
        backup = Backup(target.name, target, reason, " ".join(label.split())[:200], clock.now(),
                        target.stat().st_size, sha256_of(target), revision, codes, __version__)
        _write_sidecar(backup)
    except BaseException:
        for p in (part, target, sidecar(target)):
            with contextlib.suppress(OSError):
                p.unlink()
        raise
    rotate(folder)
    return backup


def clean_leftovers(folder: Path, age: timedelta = LEFTOVER_AGE) -> list[str]:
    """Remove what killed backups left in ``folder``: ``.part`` files, backups without their
    sidecar and sidecars without their backup, named as this program names them and older than
    ``age``. Returns their names."""
    removed = []
    cutoff = time.time() - age.total_seconds()
    for path in sorted(Path(folder).iterdir()):
        if not _OURS.match(path.name):
            continue
        if path.suffix == ".db" and sidecar(path).exists():
            continue
        if path.suffix == ".json" and path.with_suffix(".db").exists():
            continue
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path.name)
        except OSError:  # gone meanwhile, or not ours to delete: leave it
            continue
    return removed


def _copy(source: Path, target: Path, progress) -> None:
    def step(_status, remaining, total):
        if progress:
            progress(total - remaining, total)

    try:
        src = sqlite3.connect(source)
        try:
            dest = sqlite3.connect(target)
            try:
                src.backup(dest, pages=_PAGES_PER_STEP, progress=step)
                dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                dest.commit()
            finally:
                dest.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise ShenGuanError(f"备份失败：{exc}") from exc
    with open(target, "rb") as f:
        os.fsync(f.fileno())


def _write_sidecar(b: Backup) -> None:
    data = {"format": "shenguan-backup", "version": 1, "file": b.name, "reason": b.reason,
            "label": b.label, "created": b.created.isoformat(), "size": b.size, "sha256": b.sha256,
            "schema_revision": b.schema_revision, "offices": b.offices, "program": b.program}
    path = sidecar(b.path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def _read(path: Path) -> Backup | None:
    side = sidecar(path)
    if side.exists():
        try:
            d = json.loads(side.read_text(encoding="utf-8"))
            return Backup(path.name, path, str(d["reason"]), str(d.get("label", "")),
                          datetime.fromisoformat(d["created"]), int(d["size"]), str(d["sha256"]),
                          str(d.get("schema_revision", "")), list(d.get("offices", [])),
                          str(d.get("program", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
    m = _LEGACY.match(path.name)  # made before a migration by an older version
    if m is None:
        return None
    return Backup(path.name, path, "before-migration", f"升级到 {m.group(2)} 前（旧版本的备份）",
                  datetime.strptime(m.group(1), "%Y%m%d-%H%M%S"), path.stat().st_size, "", "", [])


def list_backups(folder: Path) -> list[Backup]:
    """Every backup in ``folder``, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [b for p in folder.glob("*.db") if (b := _read(p)) is not None]
    return sorted(found, key=lambda b: (b.created, _nth(b.name), b.name), reverse=True)


def _nth(name: str) -> int:
    """2 for ``…_manual-2.db`` (the second made in the same second), else 1."""
    m = re.search(r"-(\d+)\.db$", name)
    return int(m.group(1)) if m else 1


def find(folder: Path, name: str) -> Backup:
    wanted = (name or "").strip()
    for b in list_backups(folder):
        if wanted in (b.name, b.path.stem):
            return b
    raise NotFoundError(f"备份文件夹 {folder} 中没有名为 {wanted} 的备份（用 shenguan backup list 查看）。")


def delete(folder: Path, name: str) -> Backup:
    b = find(folder, name)
    for p in (b.path, sidecar(b.path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    return b


def rotate(folder: Path, keep: int = KEEP_AUTOMATIC) -> list[Backup]:
    """Delete automatic backups beyond the newest ``keep`` of their reason; returns the deleted."""
    backups = [b for b in list_backups(folder) if b.sha256]  # legacy files are left alone
    today = clock.today()
    seen: dict[str, int] = {}
    doomed = []
    for b in backups:  # newest first
        if not b.automatic:
            continue
        seen[b.reason] = seen.get(b.reason, 0) + 1
        if seen[b.reason] > keep:
            doomed.append(b)
    kept_today = [b for b in backups if b.created.date() == today and b not in doomed]
    deleted = []
    for b in doomed:
        if b.created.date() == today and not kept_today:
            kept_today.append(b)  # never delete the only backup made today
            continue
        delete(folder, b.name)
        deleted.append(b)
    return deleted


def auto(session, reason: str) -> Backup | None:
    """The automatic backup before an import or a migration; None when it does not apply
    (no backup folder configured, a server or in-memory database)."""
    folder = session.info.get(INFO_KEY)
    if folder is None:
        return None
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return create(Path(url.database), Path(folder), reason)
