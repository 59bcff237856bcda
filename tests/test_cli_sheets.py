"""``shenguan sheets|consent|policy|letters …`` in one database acting for the bureau and the
housing department (as the demo does); the two-installation loop is tested with bundles in
tests/services/sheets/test_sheets_loop.py."""

from __future__ import annotations

import json

from tests.services.forms.pdfcheck import text
from tests.services.sheets.conftest import FIELDS
from tests.test_cli import bureau, cli, home, make_local, ok  # noqa: F401  (the bureau fixture)

ZJ = ("--as", "YK-ZJJ")
AP = ("--as", "YK-SPJ")


def handed_over(capsys, where) -> None:
    make_local(where, "YK-ZJJ")
    for key, value in FIELDS.items():
        ok(capsys, where, "sheets", "edit", "ZJ-001", "--field", key, "--value", value, *ZJ)
    ok(capsys, where, "sheets", "edit", "ZJ-001", "--field", "push_fields", "--value", "申请人,审批结果", *ZJ)
    assert "已移交实施清单第 1 版、推送清单第 1 版" in ok(capsys, where, "sheets", "hand-over", "ZJ-001", *ZJ)


def test_sheets_consent_and_print(bureau, capsys, tmp_path):  # noqa: F811
    handed_over(capsys, bureau)
    shown = ok(capsys, bureau, "sheets", "show", "ZJ-001")
    assert "第 1 版（已移交（现行））" in shown and "申请材料［关键要素］：施工许可申请表" in shown
    assert "推送 申请人、审批结果" in shown
    rc, _, err = cli(capsys, bureau, "sheets", "edit", "ZJ-001", "--field", "申请材料", "--value", "x", *AP)
    assert rc == 1 and err.startswith("错误：") and "sheets propose" in err and err.count("\n") == 1
    out = ok(capsys, bureau, "sheets", "edit", "ZJ-001", "--field", "办理流程", "--value", "网上办理", *AP)
    assert "第 2 版" in out
    out = ok(capsys, bureau, "sheets", "propose", "ZJ-001", "--field", "materials", "--value", "施工许可申请表",
             "--reason", "规划许可证已共享", *AP)
    assert "已向主管部门征求同意" in out and "答复期限：无" in out
    rc, _, err = cli(capsys, bureau, "sheets", "propose", "ZJ-001", "--field", "materials", "--value", "y",
                     "--reason", "z", *AP)
    assert rc == 1 and "正在征求主管部门同意" in err
    rows = json.loads(ok(capsys, bureau, "consent", "list", "--json"))
    assert [(r["status"], r["field"]) for r in rows] == [("pending", "materials")]
    cid = rows[0]["id"][:8]
    ok(capsys, bureau, "consent", "print", cid, "--out", tmp_path / "letter.pdf")
    assert "关键要素调整征求意见函" in text((tmp_path / "letter.pdf").read_bytes())
    rc, _, err = cli(capsys, bureau, "consent", "answer", cid, "--refuse", *ZJ)
    assert rc == 2 and "请填写不同意的理由" in err
    assert "已同意" in ok(capsys, bureau, "consent", "answer", cid, "--consent", *ZJ)
    data = json.loads(ok(capsys, bureau, "sheets", "show", "ZJ-001", "--json"))
    assert (data["version"], data["fields"][5]["value"]) == (3, "施工许可申请表")
    assert "第 1 版（已被替代）" in ok(capsys, bureau, "sheets", "show", "ZJ-001", "--version", "1")
    ok(capsys, bureau, "sheets", "print", "ZJ-001", "--out", tmp_path / "sheet.pdf")
    page = text((tmp_path / "sheet.pdf").read_bytes()).replace(" ", "")
    assert "相对集中行政许可事项实施清单" in page and "ZJ-001第3版" in page
    rc, _, err = cli(capsys, bureau, "sheets", "show", "XX-9")
    assert rc == 1 and "事项 XX-9 还没有实施清单" in err


def test_policy_and_letters(bureau, capsys, tmp_path):  # noqa: F811
    make_local(bureau, "YK-ZJJ")
    out = ok(capsys, bureau, "policy", "notify", "--title", "限额调整", "--content", "调整为100万元",
             "--basis", "住建部令第52号", "--effective", "2027-01-01", *ZJ)
    assert "发送及时（无固定工作日期限）" in out
    ok(capsys, bureau, "policy", "ask", "--title", "办法修订", "--content", "请提出意见", "--due", "2026-12-04", *ZJ)
    rows = json.loads(ok(capsys, bureau, "policy", "list", "--json"))
    ids = {r["kind"]: r["id"][:8] for r in rows}
    rc, _, err = cli(capsys, bureau, "policy", "ack", ids["opinion_request"], *AP)
    assert rc == 1 and "反馈意见" in err
    assert "已确认收到" in ok(capsys, bureau, "policy", "ack", ids["notice"], *AP)
    ok(capsys, bureau, "policy", "reply", ids["opinion_request"], "--text", "同意修订", *AP)
    assert "同意修订" in ok(capsys, bureau, "policy", "list")

    path = tmp_path / "letter.json"
    path.write_text(json.dumps({"experts": [{"action": "add", "name": "张三", "specialty": "建筑结构"}]},
                               ensure_ascii=False), encoding="utf-8")
    assert "专家 1 条" in ok(capsys, bureau, "letters", "send", "--file", path, *ZJ)
    lid = json.loads(ok(capsys, bureau, "letters", "list", "--json"))[0]["id"][:8]
    assert "已更新：专家新增 1 条" in ok(capsys, bureau, "letters", "ack", lid, *AP)
    path.write_text("{not json", encoding="utf-8")
    rc, _, err = cli(capsys, bureau, "letters", "send", "--file", path, *ZJ)
    assert rc == 1 and "不是有效的 JSON" in err
    rc, _, err = cli(capsys, bureau, "letters", "send", "--file", tmp_path / "missing.json", *ZJ)
    assert rc == 1 and "无法读取函告文件" in err
