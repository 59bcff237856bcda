"""Operator accounts on the command line: init --admin, operators …, --user on writes."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import RECORD, bureau, cli, home, make_local, ok, show  # noqa: F401

PW = "geheim12345"


@pytest.fixture
def pwfile(tmp_path):
    def make(text: str = PW):
        path = tmp_path / f"pw-{abs(hash(text))}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        return path
    return make


@pytest.fixture
def accounts(bureau, capsys, pwfile, monkeypatch):  # noqa: F811
    """The bureau with an admin, a clerk and a head; SHENGUAN_PASSWORD set."""
    out = ok(capsys, bureau, "operators", "add", "admin", "--name", "系统管理员", "--role", "admin",
             "--password-file", pwfile())
    assert "已新建操作员账户：admin（系统管理员，管理员）" in out
    monkeypatch.setenv("SHENGUAN_PASSWORD", PW)
    for user, name, role in (("zhang", "张三", "clerk"), ("li", "李四", "head")):
        ok(capsys, bureau, "--user", "admin", "operators", "add", user, "--name", name, "--role", role,
           "--password-file", pwfile())
    return bureau


def test_init_with_admin_enables_accounts(home, capsys, pwfile, monkeypatch):  # noqa: F811
    out = ok(capsys, home, "init", "--code", "YK-SPJ", "--name", "营口市行政审批局", "--role", "approval",
             "--jurisdiction", "市本级", "--admin", "Wang", "--admin-name", "王芳",
             "--admin-password-file", pwfile())
    assert "管理员账户：wang（王芳）" in out
    rc, _, err = cli(capsys, home, "operators", "list")
    assert rc == 1 and "请先登录" in err
    monkeypatch.setenv("SHENGUAN_PASSWORD", PW)
    assert "王芳" in ok(capsys, home, "--user", "wang", "operators", "list")


def test_init_with_a_weak_admin_password_changes_nothing(home, capsys, pwfile):  # noqa: F811
    rc, _, err = cli(capsys, home, "init", "--code", "YK-SPJ", "--name", "营口市行政审批局", "--role",
                     "approval", "--jurisdiction", "市本级", "--admin", "wang",
                     "--admin-password-file", pwfile("short"))
    assert rc == 2 and "密码太短" in err
    assert "还没有任何单位" in ok(capsys, home, "offices", "list")


def test_writes_need_a_signed_in_user_reads_do_not(accounts, capsys, monkeypatch):
    rc, out, err = cli(capsys, accounts, *RECORD)
    assert rc == 1 and err.strip() == (
        "错误：本数据库已启用操作员账户：修改数据的命令须用 --user 用户名（或环境变量 SHENGUAN_USER）登录，"
        "密码取自环境变量 SHENGUAN_PASSWORD 或在终端中输入。")
    ok(capsys, accounts, "results", "list")  # read-only: no account needed
    ok(capsys, accounts, "workdays", "add", "2026-02-13", "2")
    monkeypatch.setenv("SHENGUAN_USER", "zhang")
    out = ok(capsys, accounts, *RECORD)
    rid = out.split("已登记审批结果：")[1][:36]
    assert show(capsys, accounts, rid)["recorded_by"] == "张三"  # the account's name, not --operator


def test_wrong_password_is_refused_and_counted(accounts, capsys, monkeypatch):
    monkeypatch.setenv("SHENGUAN_PASSWORD", "wrong-password-1")
    for _ in range(4):
        rc, _, err = cli(capsys, accounts, "--user", "zhang", *RECORD)
        assert rc == 1 and err.strip() == "错误：用户名或密码不正确。"
    rc, _, err = cli(capsys, accounts, "--user", "zhang", *RECORD)
    assert "账户已锁定" in err
    monkeypatch.setenv("SHENGUAN_PASSWORD", PW)
    ok(capsys, accounts, "--user", "admin", "operators", "unlock", "zhang")
    ok(capsys, accounts, "--user", "zhang", *RECORD)


def test_without_a_terminal_the_password_must_come_from_the_environment(accounts, capsys,
                                                                        monkeypatch):
    monkeypatch.delenv("SHENGUAN_PASSWORD")
    rc, _, err = cli(capsys, accounts, "--user", "zhang", *RECORD)
    assert rc == 2 and "SHENGUAN_PASSWORD" in err


def test_a_clerk_cannot_sign_off_a_head_can(accounts, capsys):
    make_local(accounts, "YK-ZJJ")
    out = ok(capsys, accounts, "--user", "zhang", *RECORD, "--as", "YK-SPJ")
    rid = out.split("已登记审批结果：")[1][:36]
    ok(capsys, accounts, "--user", "zhang", "results", "push", rid, "--as", "YK-SPJ")
    rc, _, err = cli(capsys, accounts, "--user", "zhang", "results", "sign-off", rid, "--as", "YK-ZJJ")
    assert rc == 1 and "只有负责人可以签收（当前操作员：张三，经办人）。" in err
    assert "已签收" in ok(capsys, accounts, "--user", "li", "results", "sign-off", rid, "--as", "YK-ZJJ")


def test_operators_commands_are_for_admins(accounts, capsys, pwfile):
    rc, _, err = cli(capsys, accounts, "--user", "zhang", "operators", "list")
    assert rc == 1 and "只有管理员可以查看操作员账户（当前操作员：张三，经办人）" in err
    rows = json.loads(ok(capsys, accounts, "--user", "admin", "operators", "list", "--json"))
    assert [(r["username"], r["role"]) for r in rows] == [
        ("admin", "admin"), ("li", "head"), ("zhang", "clerk")]
    assert "负责人" in ok(capsys, accounts, "--user", "admin", "operators", "role", "zhang", "head")
    ok(capsys, accounts, "--user", "admin", "operators", "passwd", "li", "--password-file",
       pwfile("newpass12345"))
    ok(capsys, accounts, "--user", "admin", "operators", "deactivate", "li")
    rc, _, err = cli(capsys, accounts, "--user", "admin", "operators", "deactivate", "admin")
    assert rc == 1 and "唯一的管理员" in err
    rc, _, err = cli(capsys, accounts, "--user", "admin", "operators", "add", "x1", "--name", "某",
                     "--role", "boss", "--password-file", pwfile())
    assert rc == 2 and "boss" in err


def test_own_password_change(accounts, capsys, pwfile, monkeypatch):
    ok(capsys, accounts, "--user", "zhang", "operators", "passwd", "--password-file", pwfile("newpass12345"))
    monkeypatch.setenv("SHENGUAN_PASSWORD", "newpass12345")
    ok(capsys, accounts, "--user", "zhang", *RECORD)


def test_results_list_masks_ids_show_does_not(bureau, capsys):  # noqa: F811
    from tests.conftest import valid_resident_id

    number = valid_resident_id()
    args = list(RECORD)
    args[args.index("--applicant") + 1] = f"张三 {number}"
    out = ok(capsys, bureau, *args)
    rid = out.split("已登记审批结果：")[1][:36]
    listed = ok(capsys, bureau, "results", "list")
    assert number not in listed and f"{number[:6]}********{number[-4:]}" in listed
    [row] = json.loads(ok(capsys, bureau, "results", "list", "--json"))
    assert number not in json.dumps(row, ensure_ascii=False)
    detail = show(capsys, bureau, rid)
    assert detail["applicant_name"].endswith(number) and detail["contact_phone"] == "13904171234"
