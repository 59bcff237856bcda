"""``shenguan audit …`` on a real SQLite file, tampered with by sqlite3 outside the program."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from tests.test_cli import RECORD


def run(capsys, db: Path, *args) -> tuple[int, str, str]:
    rc = main(["--home", str(db.parent / "home"), "--db", f"sqlite:///{db}", *map(str, args)])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


@pytest.fixture
def db(tmp_path, frozen, capsys) -> Path:
    """A bureau that recorded and pushed one result; returns the SQLite file."""
    path = tmp_path / "audit.db"
    assert run(capsys, path, "init", "--code", "YK-SPJ", "--name", "营口市行政审批局", "--role",
               "approval", "--jurisdiction", "市本级", "--operator", "王芳")[0] == 0
    con = sqlite3.connect(path)
    with con:
        con.execute("INSERT INTO offices (id, code, name, role, jurisdiction_id, is_local) "
                    "SELECT '00000000000000000000000000000001', 'YK-ZJJ', '营口市住房和城乡建设局', "
                    "'competent', jurisdiction_id, 0 FROM offices")
        con.execute("INSERT INTO licensing_items (id, code, name, category, competent_office_id, "
                    "active) VALUES ('00000000000000000000000000000002', 'ZJ-001', "
                    "'建筑工程施工许可证核发', '', '00000000000000000000000000000001', 1)")
    con.close()
    return path


def record_and_push(capsys, db: Path) -> str:
    rc, out, err = run(capsys, db, *RECORD)
    assert rc == 0, err
    rid = re.search(r"已登记审批结果：([0-9a-f-]{36})", out).group(1)
    assert run(capsys, db, "results", "push", rid)[0] == 0
    return rid


def count(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT max(seq) FROM audit_events").fetchone()[0]
    finally:
        con.close()


def tamper(db: Path, *sql: str) -> None:
    con = sqlite3.connect(db)
    with con:
        for statement in sql:
            con.execute(statement)
    con.close()


def test_changes_are_listed_with_office_and_operator(capsys, db):
    rid = record_and_push(capsys, db)
    rc, out, _ = run(capsys, db, "audit", "list", "--json")
    rows = json.loads(out)
    mine = [r for r in rows if r["entity_id"] == rid]
    assert mine and {(r["office"], r["operator"]) for r in mine} == {("YK-SPJ", "王芳")}
    assert "（已修改）" in mine[0]["what"] and "13904171234" not in out
    rc, out, _ = run(capsys, db, "audit", "show", "--entity", rid[:8])
    assert rc == 0 and "审批结果" in out and "推送" in out and "登记" in out
    rc, out, _ = run(capsys, db, "audit", "list", "--since", "2026-11-25", "--limit", "3")
    assert rc == 0 and len(out.strip().splitlines()) == 4  # header + 3
    assert "没有审计记录" in run(capsys, db, "audit", "list", "--since", "2030-01-01")[1]


def test_verify_ok_and_against_a_written_down_head(capsys, db):
    record_and_push(capsys, db)
    rc, out, _ = run(capsys, db, "audit", "verify")
    assert rc == 0 and f"共 {count(db)} 条" in out
    head = run(capsys, db, "audit", "head")[1].strip()
    assert head.startswith(f"{count(db)}:")
    assert run(capsys, db, "audit", "verify", "--head", head)[0] == 0
    rc, out, _ = run(capsys, db, "audit", "verify", "--head", "1:" + "ab" * 32, "--json")
    assert rc == 1 and json.loads(out)["kind"] == "external"
    rc, _, err = run(capsys, db, "audit", "verify", "--head", "nonsense")
    assert rc == 2 and err.startswith("错误：链头")


@pytest.mark.parametrize(("kind", "sql", "seq"), [
    ("edited", ["UPDATE audit_events SET what = '{}' WHERE seq = 4"], 4),
    ("deleted", ["DELETE FROM audit_events WHERE seq = 3"], 3),
    ("reordered", ["UPDATE audit_events SET seq = -1 WHERE seq = 5",
                   "UPDATE audit_events SET seq = 5 WHERE seq = 6",
                   "UPDATE audit_events SET seq = 6 WHERE seq = -1"], 5),
    ("truncated", ["DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)"],
     None),
])
def test_tampering_is_reported_at_the_first_broken_link(capsys, db, kind, sql, seq):
    record_and_push(capsys, db)
    last = count(db)
    tamper(db, *sql)
    rc, out, _ = run(capsys, db, "audit", "verify", "--json")
    report = json.loads(out)
    assert rc == 1 and report["ok"] is False and report["kind"] == kind
    assert report["seq"] == (seq if seq is not None else last)
    rc, out, _ = run(capsys, db, "audit", "verify")
    assert rc == 1 and f"第 {report['seq']} 条" in out and "审计日志已被改动" in out


def test_show_needs_a_known_id(capsys, db):
    rc, _, err = run(capsys, db, "audit", "show", "--entity", "abc")
    assert rc == 1 and "太短" in err
    rc, _, err = run(capsys, db, "audit", "show", "--entity", "ffffffff")
    assert rc == 1 and "没有编号" in err
