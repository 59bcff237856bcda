"""``shenguan backup create|list|restore|delete`` on a real SQLite home; one-line refusals."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.db import SCHEMA_HEAD

pytestmark = pytest.mark.sqlite_only("backs up and restores a SQLite file")


def run(capsys, home: Path, *args) -> tuple[int, str, str]:
    rc = main(["--home", str(home), "--db", f"sqlite:///{home / 'shenguan.db'}", *map(str, args)])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


@pytest.fixture
def home(tmp_path, frozen, capsys) -> Path:
    home = tmp_path / "home"
    assert run(capsys, home, "init", "--code", "YK-SPJ", "--name", "营口市行政审批局", "--role",
               "approval", "--jurisdiction", "市本级")[0] == 0
    return home


def office_names(home: Path) -> list[str]:
    con = sqlite3.connect(home / "shenguan.db")
    try:
        return [r[0] for r in con.execute("SELECT name FROM offices ORDER BY name")]
    finally:
        con.close()


def rename(home: Path, name: str) -> None:
    con = sqlite3.connect(home / "shenguan.db")
    with con:
        con.execute("UPDATE offices SET name = ?", (name,))
    con.close()


def test_create_list_restore_delete(home, capsys, monkeypatch):
    rc, out, err = run(capsys, home, "backup", "create", "--label", "改名前")
    assert rc == 0 and err == "" and "已备份：2026-11-25_100000_manual.db" in out
    rc, out, _ = run(capsys, home, "backup", "list", "--json")
    listed = json.loads(out)
    assert [(b["name"], b["reason"], b["label"], b["schema_revision"]) for b in listed] == [
        ("2026-11-25_100000_manual.db", "manual", "改名前", SCHEMA_HEAD)]
    rc, out, _ = run(capsys, home, "backup", "list")
    assert rc == 0 and "手动备份" in out and "改名前" in out

    rename(home, "改过的名称")
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    rc, out, err = run(capsys, home, "backup", "restore", "2026-11-25_100000_manual")
    assert rc == 1 and "都将丢失" in out and err.strip() == "错误：已取消恢复，未做任何更改。"
    assert office_names(home) == ["改过的名称"]

    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    rc, out, err = run(capsys, home, "backup", "restore", "2026-11-25_100000_manual.db")
    assert rc == 0 and err == "" and "已从备份" in out and "before-restore" in out
    assert office_names(home) == ["营口市行政审批局"]
    rc, out, _ = run(capsys, home, "offices", "list")
    assert rc == 0 and "营口市行政审批局" in out  # the program opens the restored database

    rc, out, _ = run(capsys, home, "backup", "delete", "2026-11-25_100000_manual.db")
    assert rc == 0 and "已删除" in out
    rc, out, _ = run(capsys, home, "backup", "list", "--json")
    assert [b["reason"] for b in json.loads(out)] == ["before-restore"]


def test_restore_with_yes_asks_nothing(home, capsys, monkeypatch):
    run(capsys, home, "backup", "create")
    rename(home, "改过的名称")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    rc, out, _ = run(capsys, home, "backup", "restore", "2026-11-25_100000_manual", "--yes")
    assert rc == 0 and "确认" not in out
    assert office_names(home) == ["营口市行政审批局"]


def test_refusals_are_one_line(home, capsys, tmp_path):
    rc, _, err = run(capsys, home, "backup", "restore", "nope", "--yes")
    assert rc == 1 and err.startswith("错误：") and "没有名为 nope 的备份" in err and err.count("\n") == 1
    run(capsys, home, "backup", "create")
    b = next((home / "backups").glob("*.db"))
    b.write_bytes(b.read_bytes()[:-10])
    rc, _, err = run(capsys, home, "backup", "restore", b.name, "--yes")
    assert rc == 1 and "校验信息不符" in err and "Traceback" not in err
    rc, _, err = main_pg(capsys, tmp_path)
    assert rc == 1 and "pg_dump" in err and err.count("\n") == 1


def main_pg(capsys, tmp_path):
    rc = main(["--home", str(tmp_path / "pg"), "--db", "postgresql+psycopg://u:p@127.0.0.1:1/x",
               "backup", "create"])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def test_restore_and_delete_need_an_administrator(home, capsys, monkeypatch, tmp_path):
    pw = tmp_path / "pw.txt"
    pw.write_text("correct-horse-9\n", encoding="utf-8")
    assert run(capsys, home, "operators", "add", "admin", "--name", "系统管理员", "--role", "admin",
               "--password-file", pw)[0] == 0
    monkeypatch.setenv("SHENGUAN_PASSWORD", "correct-horse-9")
    assert run(capsys, home, "--user", "admin", "operators", "add", "zhang", "--name", "张三", "--role",
               "clerk", "--password-file", pw)[0] == 0
    rc, out, _ = run(capsys, home, "backup", "create")  # anyone may make a backup
    assert rc == 0
    name = out.split("已备份：")[1].split("（")[0].strip()
    rename(home, "改过的名称")
    for who in ([], ["--user", "zhang"]):
        for args in (("restore", name, "--yes"), ("delete", name)):
            rc, _, err = run(capsys, home, *who, "backup", *args)
            assert rc == 1 and err.count("\n") == 1, err
            assert ("请先登录" if not who else "只有管理员可以") in err
    assert office_names(home) == ["改过的名称"] and (home / "backups" / name).exists()
    rc, out, err = run(capsys, home, "--user", "admin", "backup", "restore", name, "--yes")
    assert rc == 0, err
    assert office_names(home) == ["营口市行政审批局"]
    assert run(capsys, home, "--user", "admin", "backup", "delete", name)[0] == 0


def test_a_database_that_does_not_open_can_still_be_restored(home, capsys):
    """What a restore is for: the damaged database cannot say who may, the files decide."""
    rc, out, _ = run(capsys, home, "backup", "create")
    name = out.split("已备份：")[1].split("（")[0].strip()
    (home / "shenguan.db").write_bytes(b"\0" * 4096)  # damaged beyond opening
    rc, out, err = run(capsys, home, "backup", "restore", name, "--yes")
    assert rc == 0, err
    assert office_names(home) == ["营口市行政审批局"]
