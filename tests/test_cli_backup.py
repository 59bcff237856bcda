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
