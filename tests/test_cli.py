"""The command line, in process: ``app.cli.main([...])`` against a data folder in tmp_path."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from app.bootstrap import open_app_database
from app.cli import main
from app.models import LicensingItem, Office
from app.services import offices
from tests.conftest import valid_resident_id, valid_uscc

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_2027 = ROOT / "resources" / "calendars" / "example-2027.json"


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "sg"


def cli(capsys, home: Path, *args) -> tuple[int, str, str]:
    rc = main(["--home", str(home), *map(str, args)])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def ok(capsys, home: Path, *args) -> str:
    rc, out, err = cli(capsys, home, *args)
    assert (rc, err) == (0, ""), err
    return out


def with_db(home: Path, fn):
    _, database = open_app_database(home)
    try:
        with database.sessions() as s:
            value = fn(s)
            s.commit()
            return value
    finally:
        database.engine.dispose()


@pytest.fixture
def bureau(home, frozen, capsys) -> Path:
    """The approval bureau's installation; two competent departments and two items known."""
    ok(capsys, home, "init", "--code", "YK-SPJ", "--name", "营口市行政审批局", "--role", "approval",
       "--jurisdiction", "市本级", "--operator", "王芳")

    def setup(s):
        zj = offices.add_office(s, "YK-ZJJ", "营口市住房和城乡建设局", "competent", "市本级")
        sj = offices.add_office(s, "YK-SJJ", "营口市市场监督管理局", "competent", "市本级")
        s.add_all([
            LicensingItem(code="ZJ-001", name="建筑工程施工许可证核发", competent_office_id=zj.id),
            LicensingItem(code="SJ-001", name="食品经营许可", competent_office_id=sj.id),
        ])

    with_db(home, setup)
    return home


def make_local(home: Path, *codes: str) -> None:
    """Let this database act for more offices too (as the demo does)."""
    with_db(home, lambda s: s.execute(update(Office).where(Office.code.in_(codes)).values(is_local=True)))


RECORD = ("results", "record", "--item", "ZJ-001", "--applicant", "营口市鲅鱼圈区海兴建筑有限公司",
          "--applicant-id", valid_uscc(), "--contact", "李明", "--phone", "139 0417 1234",
          "--result", "准予许可", "--decided", "2026-11-24", "--licence-number", "210800202611240101",
          "--issued", "2026-11-24", "--materials", "施工许可申请表；施工合同")


def record(capsys, home: Path, *extra) -> str:
    out = ok(capsys, home, *RECORD, *extra)
    return re.search(r"已登记审批结果：([0-9a-f-]{36})", out).group(1)


def show(capsys, home: Path, rid: str) -> dict:
    return json.loads(ok(capsys, home, "results", "show", rid, "--json"))


def ids(capsys, home: Path, *args) -> list[str]:
    return [r["id"] for r in json.loads(ok(capsys, home, *args, "--json"))]


# -- init and offices -------------------------------------------------------------------


def test_init_sets_up_the_local_office(home, capsys):
    out = ok(capsys, home, "init", "--code", "YK-ZJJ", "--name", "营口市住房和城乡建设局",
             "--role", "competent", "--jurisdiction", "市本级")
    assert "本机单位已设置为：营口市住房和城乡建设局" in out and "行政主管部门" in out
    assert "本机单位已是" in ok(capsys, home, "init", "--code", "YK-ZJJ", "--name", "营口市住房和城乡建设局",
                               "--role", "competent", "--jurisdiction", "市本级")
    rows = json.loads(ok(capsys, home, "offices", "list", "--json"))
    assert [(r["code"], r["local"], r["role"]) for r in rows] == [("YK-ZJJ", True, "competent")]
    assert "共 1 个单位" in ok(capsys, home, "offices", "list")


def test_help_is_chinese(home, capsys):
    assert main(["-h"]) == 0
    out = capsys.readouterr().out
    assert "用法：" in out and "命令" in out and "显示本帮助并退出" in out
    assert main(["results", "push", "--help"]) == 0
    assert "--agreed-due" in capsys.readouterr().out


# -- the Art. 17 loop ---------------------------------------------------------------------


def test_record_push_sign_off_supervise(bureau, capsys, frozen):
    make_local(bureau, "YK-ZJJ")
    rid = record(capsys, bureau, "--as", "YK-SPJ")
    assert rid in ids(capsys, bureau, "results", "list", "--as", "YK-SPJ", "--view", "to_push")
    detail = show(capsys, bureau, rid)
    assert detail["status"] == "pending" and detail["send_due"] == "2026-11-26"
    assert detail["holder_name"] == "营口市行政审批局" and detail["recorded_by"] == "王芳"
    assert detail["contact_phone"] == "13904171234"

    frozen(datetime(2026, 11, 25, 15, 0))
    out = ok(capsys, bureau, "results", "push", rid[:8], "--as", "YK-SPJ")
    assert "已推送至 营口市住房和城乡建设局" in out and "签收期限：2026-11-27" in out
    assert rid in ids(capsys, bureau, "results", "list", "--as", "YK-ZJJ", "--view", "to_sign")
    assert ids(capsys, bureau, "results", "list", "--as", "YK-SPJ", "--view", "to_push") == []

    frozen(datetime(2026, 11, 26, 9, 0))
    assert "已签收" in ok(capsys, bureau, "--operator", "赵强", "results", "sign-off", rid, "--as", "YK-ZJJ")
    assert "已启动监管" in ok(capsys, bureau, "results", "supervise", rid[:12], "--as", "YK-ZJJ",
                               "--operator", "赵强")
    detail = show(capsys, bureau, rid)
    assert detail["status"] == "supervising" and detail["status_label"] == "已启动监管"
    assert detail["holder_name"] == "营口市住房和城乡建设局"
    assert detail["holder_since"] == "2026-11-25 15:00:00"
    assert [(e["action"], e["operator"]) for e in detail["timeline"]] == [
        ("create", "王芳"), ("send", "王芳"), ("sign_off", "赵强"), ("start_supervision", "赵强")]
    text = ok(capsys, bureau, "results", "show", rid)
    assert "责任单位：营口市住房和城乡建设局（自 2026-11-25 15:00 起" in text
    assert "办理记录：" in text and "启动监管" in text


def test_return_and_push_again_to_the_right_department(bureau, capsys, frozen):
    make_local(bureau, "YK-ZJJ", "YK-SJJ")
    rid = record(capsys, bureau, "--as", "YK-SPJ")
    frozen(datetime(2026, 11, 25, 11, 0))
    ok(capsys, bureau, "results", "push", rid, "--as", "YK-SPJ")
    frozen(datetime(2026, 11, 25, 14, 0))
    out = ok(capsys, bureau, "results", "return", rid, "--as", "YK-ZJJ", "--reason", "不属于本部门监管")
    assert "已退回 营口市行政审批局" in out
    assert show(capsys, bureau, rid)["holder_name"] == "营口市行政审批局"
    rc, _, err = cli(capsys, bureau, "results", "push", rid, "--as", "YK-SPJ")
    assert rc == 2 and "请选择正确的接收部门" in err
    frozen(datetime(2026, 11, 25, 16, 0))
    ok(capsys, bureau, "results", "push", rid, "--as", "YK-SPJ", "--to", "YK-SJJ")
    detail = show(capsys, bureau, rid)
    assert detail["addressee_name"] == "营口市市场监督管理局" and detail["status"] == "sent"
    assert [e["action"] for e in detail["timeline"]] == ["create", "send", "return", "create", "send"]


def test_paper_push_with_agreed_limit(bureau, capsys):
    rid = record(capsys, bureau)
    out = ok(capsys, bureau, "results", "push", rid, "--channel", "fax", "--agreed-due", "2026-12-04")
    assert "传真" in out and "商定时限：2026-12-04" in out
    assert show(capsys, bureau, rid)["reply_due"] == "2026-12-04"


def test_single_local_office_is_the_default_and_others_are_refused(bureau, capsys):
    rid = record(capsys, bureau)  # no --as: the only local office
    rc, out, err = cli(capsys, bureau, "results", "sign-off", rid, "--as", "YK-ZJJ")
    assert rc == 1 and out == "" and "不是本机的单位" in err


def test_several_local_offices_need_as(bureau, capsys):
    make_local(bureau, "YK-ZJJ")
    rc, _, err = cli(capsys, bureau, "results", "list")
    assert rc == 2 and "--as" in err and "YK-SPJ" in err and "YK-ZJJ" in err


def test_list_filter_limit_and_overdue(bureau, capsys):
    record(capsys, bureau)
    old = list(RECORD)
    old[old.index("--decided") + 1] = old[old.index("--issued") + 1] = "2026-11-18"
    old[old.index("--applicant") + 1] = "营口港城物流有限公司"
    old[old.index("--item") + 1] = "SJ-001"
    ok(capsys, bureau, *old)
    assert len(ids(capsys, bureau, "results", "list")) == 2
    assert len(ids(capsys, bureau, "results", "list", "--limit", "1")) == 1
    rows = json.loads(ok(capsys, bureau, "results", "list", "--filter", "港城", "--json"))
    assert [r["applicant"] for r in rows] == ["营口港城物流有限公司"]
    rows = json.loads(ok(capsys, bureau, "overdue", "--json"))
    assert [(r["due"], r["overdue_workdays"], r["due_state"]) for r in rows] == [("2026-11-20", 3, "overdue")]
    out = ok(capsys, bureau, "overdue")
    assert "逾期未办 1 条" in out and "3个工作日" in out
    out = ok(capsys, bureau, "results", "list", "--limit", "1")
    assert "共 2 条，显示前 1 条" in out


def test_person_applicant_and_prefix_lookup(bureau, capsys):
    args = list(RECORD)
    args[args.index("--applicant-id") + 1] = valid_resident_id()
    args[args.index("--applicant") + 1] = "李明"
    rid = re.search(r"：([0-9a-f-]{36})", ok(capsys, bureau, *args)).group(1)
    assert show(capsys, bureau, rid[:8])["applicant_id_type"] == "resident_id"
    assert show(capsys, bureau, rid.upper())["id"] == rid


def test_ambiguous_prefix(bureau, capsys, monkeypatch):
    import uuid

    counter = iter(range(1, 10_000))
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(f"abcdef01{next(counter):04x}{0:020x}"))
    first, second = record(capsys, bureau), record(capsys, bureau)
    rc, _, err = cli(capsys, bureau, "results", "show", "abcdef01")
    assert rc == 1 and "不止一条" in err
    assert first.startswith("abcdef01-0001") and show(capsys, bureau, first[:13])["id"] == first
    assert show(capsys, bureau, second)["id"] == second


def test_operator_comes_from_option_env_setting(bureau, capsys, monkeypatch):
    monkeypatch.setenv("SHENGUAN_OPERATOR", "孙丽娜")
    rid = record(capsys, bureau)
    assert show(capsys, bureau, rid)["recorded_by"] == "孙丽娜"
    monkeypatch.delenv("SHENGUAN_OPERATOR")
    assert show(capsys, bureau, record(capsys, bureau))["recorded_by"] == "王芳"  # saved at init
    rid = re.search(r"：([0-9a-f-]{36})", ok(capsys, bureau, *RECORD, "--operator", "陈立新")).group(1)
    assert show(capsys, bureau, rid)["recorded_by"] == "陈立新"


# -- working days and the calendar --------------------------------------------------------


def test_workdays_add_plain_and_json(home, capsys):
    assert ok(capsys, home, "workdays", "add", "2026-02-13", "2") == "2026-02-24\n"
    out = ok(capsys, home, "workdays", "add", "2026-02-13", "2", "--json")
    data = json.loads(out)
    assert data == {"start": "2026-02-13", "days": 2, "due": "2026-02-24", "provisional": False}
    assert list(data) == ["start", "days", "due", "provisional"]
    data = json.loads(ok(capsys, home, "workdays", "add", "2026-12-30", "3", "--json"))
    assert data == {"start": "2026-12-30", "days": 3, "due": "2027-01-05", "provisional": True}
    out = ok(capsys, home, "workdays", "add", "2026-12-30", "3")
    assert out.splitlines()[0] == "2027-01-05" and "暂定" in out


def test_workdays_check(home, capsys):
    data = json.loads(ok(capsys, home, "workdays", "check", "2026-02-14", "--json"))
    assert data == {"date": "2026-02-14", "workday": True, "reason": "周六，调休上班（春节）",
                    "provisional": False}
    assert list(data) == ["date", "workday", "reason", "provisional"]
    assert ok(capsys, home, "workdays", "check", "2026-02-17") == "2026-02-17（周二）不是工作日（休息日）：春节\n"
    out = ok(capsys, home, "workdays", "check", "2027-10-04")
    assert "不是工作日" in out and "国庆节" in out and "暂定" in out
    assert json.loads(ok(capsys, home, "workdays", "check", "2027-10-04", "--json"))["provisional"] is True


def test_global_options_after_the_command(home, capsys):
    assert main(["workdays", "add", "2026-02-13", "2", "--home", str(home)]) == 0
    assert capsys.readouterr().out == "2026-02-24\n"


def test_calendar_import_recomputes_provisional_due_dates(bureau, capsys, frozen):
    frozen(datetime(2026, 12, 30, 10, 0))
    args = list(RECORD)
    args[args.index("--decided") + 1] = args[args.index("--issued") + 1] = "2026-12-30"
    rid = re.search(r"：([0-9a-f-]{36})", ok(capsys, bureau, *args)).group(1)
    assert show(capsys, bureau, rid)["due_provisional"] is True
    out = ok(capsys, bureau, "calendar", "import", EXAMPLE_2027)
    assert "已导入 2027 年节假日安排" in out and "放假" in out and "调休上班 6 天" in out
    assert "已重新计算暂定期限 1 条" in out
    assert show(capsys, bureau, rid)["due_provisional"] is False
    data = json.loads(ok(capsys, bureau, "workdays", "check", "2027-01-31", "--json"))
    assert data["workday"] is True and data["provisional"] is False


# -- demo ---------------------------------------------------------------------------------


def test_demo_then_work_as_any_office(home, capsys, frozen):
    out = ok(capsys, home, "demo", "--results", "80", "--seed", "3")
    assert "已生成营口市演示数据" in out and "单位 13 个" in out and "审批结果 80 条" in out
    rc, _, err = cli(capsys, home, "demo")
    assert rc == 1 and "已经是演示数据库" in err
    rc, _, err = cli(capsys, home, "overdue")
    assert rc == 2 and "YK-SPJ" in err and "YK-ZJJ" in err
    rows = json.loads(ok(capsys, home, "overdue", "--as", "YK-SPJ", "--json"))
    assert rows and all(r["status"] == "pending" and r["overdue_workdays"] > 0 for r in rows)
    assert len(json.loads(ok(capsys, home, "offices", "list", "--json"))) == 13
    pending = ids(capsys, home, "results", "list", "--as", "YK-SPJ", "--view", "to_push")
    out = ok(capsys, home, "results", "push", pending[0][:8], "--as", "YK-SPJ")
    assert "已推送至" in out
