"""Bad input on the command line: one Chinese line on stderr, non-zero exit, nothing changed.

Also runs the real entry point (``python -m app.cli``) in a subprocess to prove that no
traceback ever reaches the user.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest
from sqlalchemy.exc import OperationalError

from app import cli_workdays
from app.cli import main
from app.models import Base
from tests import test_cli as base
from tests.backends import child_env
from tests.test_cli import RECORD, ROOT, cli, make_local, ok, record, with_db

home, bureau = base.home, base.bureau  # fixtures shared with test_cli.py


def changed(args: tuple, **values) -> tuple:
    args = list(args)
    for option, value in values.items():
        flag = "--" + option.replace("_", "-")
        if value is None:
            i = args.index(flag)
            del args[i:i + 2]
        else:
            args[args.index(flag) + 1] = value
    return tuple(args)


RECORD_AS = (*RECORD, "--as", "YK-SPJ")
BAD_INPUT = [
    (("workdays", "add", "2026-13-01", "2"), 2, "日期“2026-13-01”无效"),
    (("workdays", "add", "2026-01-01", "两天"), 2, "不是整数"),
    (("workdays", "add", "2026-01-01", "0"), 2, "1 到 3650"),
    (("workdays", "check", "昨天"), 2, "请写成 YYYY-MM-DD"),
    (("results", "show", "deadbeef"), 1, "没有编号以 deadbeef 开头"),
    (("results", "show", "abc"), 1, "太短"),
    (("results", "show", "not-an-id"), 1, "不是有效的记录编号"),
    (("results", "show", "{pending}", "--bogus"), 2, "无法识别的参数：--bogus"),
    (("results", "sign-off", "{sent}", "--as", "YK-SPJ"), 1, "只有营口市住房和城乡建设局可以签收"),
    (("results", "supervise", "{sent}", "--as", "YK-ZJJ"), 1, "不能启动监管"),
    (("results", "push", "{pending}", "--as", "YK-ZJJ"), 1, "只有营口市行政审批局可以推送"),
    (("results", "push", "{pending}", "--as", "YK-SJJ"), 1, "不是本机的单位"),
    (("results", "push", "{pending}", "--as", "YK-NOPE"), 1, "没有代码为 YK-NOPE 的单位"),
    (("results", "push", "{pending}", "--as", "YK-SPJ", "--to", "YK-NOPE"), 1, "没有代码为 YK-NOPE"),
    (("results", "push", "{pending}", "--as", "YK-SPJ", "--channel", "fax"), 2, "商定"),
    (("results", "push", "{pending}", "--as", "YK-SPJ", "--channel", "pigeon"), 2, "可选"),
    (("results", "push", "{pending}", "--as", "YK-SPJ", "--agreed-due", "2026-02-30"), 2, "无效"),
    (("results", "return", "{sent}", "--as", "YK-ZJJ", "--reason", "  "), 2, "请填写退回的理由"),
    (("results", "return", "{sent}", "--as", "YK-ZJJ"), 2, "缺少必填参数：--reason"),
    (("results", "list"), 2, "请用 --as 指定"),
    (("results", "list", "--as", "YK-SPJ", "--view", "late"), 2, "可选"),
    (changed(RECORD_AS, applicant_id="91210800MA0TEXT01X"), 2, "校验位"),
    (changed(RECORD_AS, applicant_id="1234"), 2, "应为18位"),
    (changed(RECORD_AS, decided="2026-12-01", issued=None), 2, "不能晚于今天"),
    (changed(RECORD_AS, decided="2026-11-31"), 2, "日期“2026-11-31”无效"),
    (changed(RECORD_AS, item="NOPE-1"), 2, "没有编码为“NOPE-1”的许可事项"),
    (changed(RECORD_AS, phone="12345"), 2, "联系电话格式不对"),
    (changed(RECORD_AS, result=None), 2, "缺少必填参数：--result"),
    (changed(RECORD_AS, applicant=" "), 2, "请填写申请人名称"),
    (("calendar", "import", "{missing}"), 1, "文件不存在"),
    (("calendar", "import", "{bad_json}"), 1, "不是有效的 JSON"),
    (("init", "--code", "YK-ZJJ", "--name", "营口市住房和城乡建设局", "--role", "competent",
      "--jurisdiction", "市本级"), 2, "不能再初始化为其他单位"),
    (("init", "--code", "YK-X", "--name", "x", "--role", "mayor", "--jurisdiction", "市本级"), 2, "可选"),
    (("demo",), 1, "已有单位"),
    (("demo", "--results", "-5"), 2, "不能为负数"),
    (("demo", "--seed", "9" * 5000), 2, "“99999999999999999999…”过大"),  # not echoed in full
    (("nonsense",), 2, "参数 命令 的值 'nonsense' 无效"),
    ((), 2, "缺少必填参数：命令"),
    (("--operator",), 2, "后面需要填写一个值"),
]


@pytest.fixture
def world(bureau, capsys, frozen, tmp_path):
    """A bureau with one pending and one sent result; ZJJ also local (two desks, one DB)."""
    make_local(bureau, "YK-ZJJ")
    pending = record(capsys, bureau, "--as", "YK-SPJ")
    sent = record(capsys, bureau, "--as", "YK-SPJ")
    frozen(datetime(2026, 11, 25, 11, 0))
    ok(capsys, bureau, "results", "push", sent, "--as", "YK-SPJ")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    return {"pending": pending, "sent": sent, "missing": str(tmp_path / "missing.json"), "bad_json": str(bad)}


def snapshot(folder) -> dict:
    def read(s):
        return {t.name: sorted(repr(tuple(r)) for r in s.execute(t.select())) for t in Base.metadata.sorted_tables}

    return with_db(folder, read)


@pytest.mark.parametrize(("args", "status", "message"), BAD_INPUT,
                         ids=[" ".join(a[:3]) + f"-{i}" for i, (a, _, _) in enumerate(BAD_INPUT)])
def test_bad_input_is_one_line_and_changes_nothing(world, bureau, capsys, args, status, message):
    before = snapshot(bureau)
    args = [a.format(**world) for a in args]
    rc, out, err = cli(capsys, bureau, *args)
    assert rc == status
    assert out == ""
    assert err.startswith("错误：") and err.endswith("\n") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err
    assert snapshot(bureau) == before


def test_unexpected_exception_is_one_line(home, capsys, monkeypatch):
    def boom(ctx):
        raise RuntimeError("出了点问题\n第二行")

    monkeypatch.setattr(cli_workdays, "cmd_add", boom)
    rc, out, err = cli(capsys, home, "workdays", "add", "2026-02-13", "2")
    assert rc == 1 and out == ""
    assert err == "错误：程序内部错误（RuntimeError：出了点问题 第二行），未做任何更改。请把这行信息告知技术支持。\n"


def test_database_error_during_a_command_is_one_line(home, capsys, monkeypatch):
    def locked(ctx):
        raise OperationalError("UPDATE x", {}, Exception("database is locked"))

    monkeypatch.setattr(cli_workdays, "cmd_check", locked)
    rc, _, err = cli(capsys, home, "workdays", "check", "2026-02-13")
    assert rc == 1 and err == "错误：数据库操作失败，未做任何更改：database is locked\n"


@pytest.mark.parametrize("url", ["nosuchdriver://x/y", "sqlite:///{tmp}/garbage.db",
                                 "sqlite:///{tmp}/a-file/x.db", "not a url at all"])
def test_database_that_does_not_work(tmp_path, capsys, url):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    (tmp_path / "a-file").write_text("x")
    rc = main(["--db", url.format(tmp=tmp_path), "offices", "list"])
    err = capsys.readouterr().err
    assert rc == 1 and err.startswith("错误：") and err.count("\n") == 1, err
    assert "数据库" in err
    assert garbage.read_bytes() == b"this is not a database" * 100


def test_database_password_is_not_printed(capsys):
    rc = main(["--db", "nosuchdriver://clerk:s3cret@server/db", "offices", "list"])
    err = capsys.readouterr().err
    assert rc == 1 and "s3cret" not in err


# -- the real entry point -----------------------------------------------------------------


def run(tmp_path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, SHENGUAN_HOME=str(tmp_path / "sub"), PYTHONPATH=str(ROOT),
               PYTHONIOENCODING="utf-8")
    env.pop("SHENGUAN_DB", None)
    env = child_env(tmp_path / "sub", env)
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_console_entry_point_never_shows_a_traceback(tmp_path):
    good = run(tmp_path, "workdays", "add", "2026-02-13", "2", "--json")
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout) == {"start": "2026-02-13", "days": 2, "due": "2026-02-24",
                                       "provisional": False}
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\0garbage" * 64)
    for args, status in (
        (("workdays", "add", "2026-02-30", "2"), 2),
        (("results", "show", "0123456789abcdef"), 1),
        (("results", "list"), 1),  # no office set up yet
        (("calendar", "import", str(tmp_path / "nowhere.json")), 1),
        (("--db", f"sqlite:///{garbage}", "offices", "list"), 1),
        (("frobnicate",), 2),
    ):
        proc = run(tmp_path, *args)
        assert proc.returncode == status, (args, proc.stderr)
        assert proc.stdout == ""
        assert proc.stderr.startswith("错误：") and proc.stderr.count("\n") == 1, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
