"""Backups of a real SQLite database: create with sidecar, list, rotation, delete, verify and
restore (records as at the backup), refusals, automatic backups before imports."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import func, select

from app.db import SCHEMA_HEAD, alembic_config, make_engine, open_database
from app.models import ApprovalResult, Setting
from app.services import backups, offices, restore, results
from app.services.errors import NotFoundError, ShenGuanError
from app.services.exchange import resync
from tests.conftest import a_result_input

pytestmark = pytest.mark.sqlite_only("backups copy a SQLite file (a server is backed up by pg_dump)")


@pytest.fixture
def home(tmp_path, frozen):
    """A real installation: SQLite file, backup folder, the approval bureau and one item."""
    path = tmp_path / "home"
    db = open_database(f"sqlite:///{path / 'shenguan.db'}", path / "backups")
    with db.sessions() as s:
        ap = offices.init_local_office(s, "YK-SPJ", "营口市行政审批局", "approval", "市本级")
        zj = offices.add_office(s, "YK-ZJJ", "营口市住房和城乡建设局", "competent", "市本级")
        import uuid

        from app.models import LicensingItem

        s.add(LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发",
                            competent_office_id=zj.id))
        s.commit()
        assert ap.is_local
    yield path, db
    db.engine.dispose()


def record(db, name: str) -> None:
    with db.sessions() as s:
        ap = offices.local_offices(s)[0]
        results.record(s, a_result_input(applicant_name=name), office=ap, operator="王芳")
        s.commit()


def names(db) -> list[str]:
    with db.sessions() as s:
        return sorted(s.scalars(select(ApprovalResult.applicant_name)))


def test_create_writes_a_consistent_copy_and_a_sidecar(home):
    path, db = home
    record(db, "营口甲公司")
    b = backups.create(path / "shenguan.db", path / "backups", backups.MANUAL, "年底结账前")
    assert b.name == "2026-11-25_100000_manual.db"
    side = json.loads(backups.sidecar(b.path).read_text(encoding="utf-8"))
    assert side["reason"] == "manual" and side["label"] == "年底结账前"
    assert side["schema_revision"] == SCHEMA_HEAD and side["offices"] == ["YK-SPJ"]
    assert side["size"] == b.path.stat().st_size and side["sha256"] == backups.sha256_of(b.path)
    conn = sqlite3.connect(b.path)  # a self-contained file: no WAL beside it
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert conn.execute("SELECT applicant_name FROM approval_results").fetchall() == [("营口甲公司",)]
    conn.close()
    second = backups.create(path / "shenguan.db", path / "backups")  # same second: a new name
    assert second.name == "2026-11-25_100000_manual-2.db"
    assert [x.name for x in backups.list_backups(path / "backups")] == [second.name, b.name]
    assert backups.find(path / "backups", b.path.stem).name == b.name


def test_rotation_keeps_newest_automatic_per_reason_and_every_manual(home, frozen):
    path, _ = home
    folder, db_file = path / "backups", path / "shenguan.db"
    backups.create(db_file, folder, backups.MANUAL, "保留")
    start = datetime(2026, 11, 1, 9, 0)
    for i in range(backups.KEEP_AUTOMATIC + 3):
        frozen(start + timedelta(hours=i))
        backups.create(db_file, folder, "before-import")
    backups.create(db_file, folder, "before-roster")
    found = backups.list_backups(folder)
    imports = [b for b in found if b.reason == "before-import"]
    assert len(imports) == backups.KEEP_AUTOMATIC
    assert min(b.created for b in imports) == start + timedelta(hours=3)  # the oldest three went
    assert [b.label for b in found if b.reason == backups.MANUAL] == ["保留"]
    assert len([b for b in found if b.reason == "before-roster"]) == 1
    assert len(list(folder.glob("*.json"))) == len(found)  # sidecars went with their files


def test_rotation_never_deletes_the_only_backup_made_today(home, frozen):
    path, _ = home
    folder, db_file = path / "backups", path / "shenguan.db"
    frozen(datetime(2026, 11, 25, 9, 0))
    today = backups.create(db_file, folder, "before-calendar")
    frozen(datetime(2026, 11, 26, 9, 0))  # the clock of this machine went forward…
    later = backups.create(db_file, folder, "before-calendar")
    frozen(datetime(2026, 11, 25, 12, 0))  # …and back: today's is the oldest of its reason
    assert backups.rotate(folder, keep=1) == []
    assert {b.name for b in backups.list_backups(folder)} == {today.name, later.name}


def test_leftovers_of_a_killed_backup_are_removed_by_the_next_one(home):
    """A kill during a backup leaves a .part file, a .db without its sidecar or a sidecar
    without its .db; the next backup removes those that are old enough, nothing else."""
    path, _ = home
    folder, db_file = path / "backups", path / "shenguan.db"
    kept = backups.create(db_file, folder, "before-import")
    old = time.time() - backups.LEFTOVER_AGE.total_seconds() - 60
    leftovers = ["2026-11-24_090000_before-import.db.part",  # killed while copying
                 "2026-11-24_091500_manual.db",              # killed before its sidecar
                 "2026-11-24_091500_manual.json.part",
                 "2026-11-24_093000_before-xlsx-2.json"]     # killed while cleaning up
    others = ["2026-11-24_100000_manual.db.part",  # young: another process may be writing it
              "说明.txt", "shenguan-20250101-120000-before-0004.db",  # not ours / legacy
              "copy.db.part"]
    for name in leftovers + others:
        (folder / name).write_bytes(b"x" * 10)
    for name in leftovers + others[1:]:
        os.utime(folder / name, (old, old))
    os.utime(kept.path, (old, old))  # a complete backup is never a leftover, however old
    os.utime(backups.sidecar(kept.path), (old, old))

    new = backups.create(db_file, folder, backups.MANUAL)
    present = {p.name for p in folder.iterdir()}
    assert not present & set(leftovers)
    assert set(others) <= present
    assert {kept.name, new.name, backups.sidecar(kept.path).name} <= present
    assert {b.name for b in backups.list_backups(folder)} >= {kept.name, new.name}
    assert backups.clean_leftovers(folder) == []  # nothing more to do


def test_delete_and_unknown_names(home):
    path, _ = home
    b = backups.create(path / "shenguan.db", path / "backups")
    backups.delete(path / "backups", b.name)
    assert backups.list_backups(path / "backups") == []
    with pytest.raises(NotFoundError, match="没有名为"):
        backups.delete(path / "backups", b.name)


def test_restore_brings_back_the_records_as_at_the_backup(home):
    path, db = home
    record(db, "营口甲公司")
    b = backups.create(path / "shenguan.db", path / "backups", label="甲之后")
    record(db, "营口乙公司")
    with db.sessions() as s:
        s.scalar(select(ApprovalResult)).applicant_name = "营口甲公司（已改名）"
        s.commit()
    db.engine.dispose()

    result = restore.restore(path / "shenguan.db", path / "backups", b.name)
    assert result.safety is not None and result.safety.reason == "before-restore"
    assert not result.migrated
    again = open_database(f"sqlite:///{path / 'shenguan.db'}", path / "backups")
    try:
        assert names(again) == ["营口甲公司"]
        with again.sessions() as s:
            assert s.scalar(select(Setting.value).where(Setting.key == resync.KEY))  # marked restored
            assert s.execute(select(func.count()).select_from(ApprovalResult)).scalar() == 1
        with again.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        again.engine.dispose()
    safety = sqlite3.connect(result.safety.path)  # the state before the restore is kept
    assert sorted(r[0] for r in safety.execute("SELECT applicant_name FROM approval_results")) == [
        "营口乙公司", "营口甲公司（已改名）"]
    safety.close()


def test_restore_refuses_a_changed_file_and_leaves_the_database(home):
    path, db = home
    b = backups.create(path / "shenguan.db", path / "backups")
    record(db, "营口甲公司")
    with open(b.path, "r+b") as f:
        f.seek(5000)
        f.write(b"\xff")
    db.engine.dispose()
    with pytest.raises(ShenGuanError, match="校验信息不符"):
        restore.restore(path / "shenguan.db", path / "backups", b.name)
    again = open_database(f"sqlite:///{path / 'shenguan.db'}")
    assert names(again) == ["营口甲公司"]
    again.engine.dispose()
    assert [x.reason for x in backups.list_backups(path / "backups")] == ["manual"]  # no safety copy


def _rewrite(b: backups.Backup, sql: str) -> None:
    """Change a backup and its sidecar consistently (as a newer program would have made it)."""
    conn = sqlite3.connect(b.path)
    conn.execute(sql)
    conn.commit()
    conn.close()
    side = backups.sidecar(b.path)
    data = json.loads(side.read_text(encoding="utf-8"))
    data.update(size=b.path.stat().st_size, sha256=backups.sha256_of(b.path))
    side.write_text(json.dumps(data), encoding="utf-8")


def test_restore_refuses_a_newer_schema_and_a_foreign_database(home):
    path, _ = home
    b = backups.create(path / "shenguan.db", path / "backups")
    _rewrite(b, "UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(ShenGuanError, match="比本程序新"):
        restore.verify(path / "backups", b.name)
    c = backups.create(path / "shenguan.db", path / "backups")
    _rewrite(c, "DROP TABLE alembic_version")
    with pytest.raises(ShenGuanError, match="不是审管通的数据库"):
        restore.verify(path / "backups", c.name)


def test_an_older_backup_is_migrated_on_restore(tmp_path, frozen):
    old = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    command.upgrade(alembic_config(engine), "0001")
    engine.dispose()
    b = backups.create(old, tmp_path / "backups", label="旧版本")
    assert b.schema_revision == "0001"
    current = tmp_path / "shenguan.db"
    open_database(f"sqlite:///{current}").engine.dispose()
    result = restore.restore(current, tmp_path / "backups", b.name)
    assert result.migrated
    conn = sqlite3.connect(current)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
    conn.close()


def test_a_server_database_is_the_servers_job():
    with pytest.raises(ShenGuanError, match="pg_dump"):
        backups.sqlite_file("postgresql+psycopg://u:p@server/shenguan")


def test_automatic_backup_only_with_a_backup_folder(home, tmp_path):
    path, db = home
    with db.sessions() as s:
        made = backups.auto(s, "before-xlsx")
    assert made is not None and made.reason == "before-xlsx" and made.automatic
    bare = open_database(f"sqlite:///{path / 'shenguan.db'}")  # benchmarks, tools: no folder
    with bare.sessions() as s:
        assert backups.auto(s, "before-xlsx") is None
    bare.engine.dispose()


def test_calendar_import_backs_up_first(home, tmp_path):
    from app.services.calendar_import import import_calendar

    path, db = home
    data = {"format": "shenguan-calendar", "version": 1, "year": 2027,
            "source": "国务院办公厅关于2027年部分节假日安排的通知",
            "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-01"}], "workdays": []}
    f = tmp_path / "2027.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with db.sessions() as s:
        import_calendar(s, f)
        s.commit()
    assert [b.reason for b in backups.list_backups(path / "backups")] == ["before-calendar"]
