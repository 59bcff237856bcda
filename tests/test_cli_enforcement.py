"""``shenguan penalty|licence|referral …`` and the enforcement printouts under ``forms``, in one
database acting for the bureau and two departments (as the demo does); the two-installation
loops are tested with bundles in tests/services/enforcement/test_loops.py."""

from __future__ import annotations

import json

from tests.services.forms.pdfcheck import text
from tests.test_cli import RECORD, bureau, cli, home, make_local, ok  # noqa: F401  (the bureau fixture)

ZJ = ("--as", "YK-ZJJ")
AP = ("--as", "YK-SPJ")
SJ = ("--as", "YK-SJJ")


def test_penalty_licence_change_and_licence_history(bureau, capsys, tmp_path):  # noqa: F811
    make_local(bureau, "YK-ZJJ")
    ok(capsys, bureau, *RECORD, *AP)
    out = ok(capsys, bureau, "penalty", "record", "--licence", "210800202611240101", "--number", "营住建罚〔2026〕15号",
             "--date", "2026-11-25", "--measure", "撤销", "--facts", "以欺骗手段取得许可", "--basis", "《建筑法》",
             *ZJ)
    assert "待签收" in out and "推送期限 2026-11-27" in out
    [row] = json.loads(ok(capsys, bureau, "penalty", "list", "--json"))
    pid = row["id"][:8]
    assert "行政处罚信息推送：营口市住房和城乡建设局 → 营口市行政审批局" in ok(capsys, bureau, "penalty", "show", pid)
    rc, _, err = cli(capsys, bureau, "licence", "decide", pid, "--kind", "罚款", "--number", "x", "--date",
                     "2026-11-25", "--content", "y", *AP)
    assert rc == 2 and err.startswith("错误：") and err.count("\n") == 1 and "不是许可处理方式" in err
    out = ok(capsys, bureau, "licence", "decide", pid, "--kind", "撤销", "--number", "营审批撤〔2026〕3号",
             "--date", "2026-11-25", "--content", "撤销施工许可证", *AP)
    assert "已推送：营口市住房和城乡建设局（期限 2026-11-27）" in out
    ok(capsys, bureau, "forms", "penalty", "--id", pid, "--out", tmp_path / "p.pdf")
    assert "行政处罚信息推送单" in text((tmp_path / "p.pdf").read_bytes())
    lid = out.split("编号 ")[1][:8]
    ok(capsys, bureau, "forms", "licence-change", "--id", lid, "--out", tmp_path / "l.pdf")
    assert "许可变更信息签收回执" in text((tmp_path / "l.pdf").read_bytes())
    assert "已签收" in ok(capsys, bureau, "licence", "sign-off", lid, *ZJ)
    shown = ok(capsys, bureau, "licence", "show", "210800202611240101")
    assert "当前状态：已撤销" in shown and "颁发许可" in shown and "撤销许可" in shown
    data = json.loads(ok(capsys, bureau, "licence", "show", "210800202611240101", "--json"))
    assert data["state"] == "revoke" and len(data["history"]) == 3
    rc, _, err = cli(capsys, bureau, "licence", "show", "NO-SUCH")
    assert rc == 1 and "没有许可证号或审批结果编号为“NO-SUCH”的许可" in err


def test_referral_commands(bureau, capsys, tmp_path):  # noqa: F811
    make_local(bureau, "YK-ZJJ", "YK-SJJ")
    out = ok(capsys, bureau, "referral", "send", "--to", "YK-SJJ", "--party", "营口市某食品店", "--summary",
             "工地食堂无证经营", "--evidence", "现场检查笔录", "--evidence", "照片12张", "--found", "2026-11-25", *ZJ)
    assert "材料 2 项" in out and "2026-12-02" in out
    rid = out.split("编号 ")[1][:8]
    ok(capsys, bureau, "forms", "referral", "--id", rid, "--out", tmp_path / "r.pdf")
    assert "移送材料清单" in text((tmp_path / "r.pdf").read_bytes())
    rc, _, err = cli(capsys, bureau, "referral", "file-case", rid, "--date", "2026-11-25", *SJ)
    assert rc == 1 and "尚未受理" in err
    rc, _, err = cli(capsys, bureau, "referral", "accept", rid, *ZJ)
    assert rc == 1 and "只有营口市市场监督管理局可以受理" in err
    ok(capsys, bureau, "referral", "accept", rid, *SJ)
    ok(capsys, bureau, "referral", "file-case", rid, "--date", "2026-11-25", "--number", "立〔2026〕1号", *SJ)
    out = ok(capsys, bureau, "referral", "result", rid, "--text", "罚款5000元", "--date", "2026-11-25", *SJ)
    assert "营口市住房和城乡建设局、营口市行政审批局" in out
    ok(capsys, bureau, "referral", "ack", rid, *AP)
    shown = ok(capsys, bureau, "referral", "show", rid)
    assert "受理决定：受理" in shown and "材料2：照片12张" in shown and "案件处理结果反馈" in shown
    ok(capsys, bureau, "forms", "acceptance", "--id", rid, "--out", tmp_path / "a.pdf")
    assert "受理决定回复函" in text((tmp_path / "a.pdf").read_bytes())
    [row] = json.loads(ok(capsys, bureau, "referral", "list", "--json"))
    assert row["status"] == "accepted"
    rc, _, err = cli(capsys, bureau, "referral", "decline", rid, "--reason", "x", *SJ)
    assert rc == 1 and "不能不予受理" in err
