"""``shenguan consult|support|oversight|circular|summary …`` in one database acting for several
offices (as the demo does); the two-installation loops are tested with bundles in
tests/services/cooperation/."""

from __future__ import annotations

import json
from datetime import datetime

from app.services import offices
from tests.services.forms.pdfcheck import text
from tests.test_cli import bureau, cli, home, make_local, ok, record, with_db  # noqa: F401

ZJ = ("--as", "YK-ZJJ")
AP = ("--as", "YK-SPJ")
YS = ("--as", "YK-YSJ")


def flat(path) -> str:
    return "".join(text(path.read_bytes()).split())


def one_line_error(capsys, where, code, *args) -> str:
    rc, _, err = cli(capsys, where, *args)
    assert rc == code and err.startswith("错误：") and err.count("\n") == 1, err
    return err


def test_consultation_send_reply_minutes_ack_print(bureau, capsys, tmp_path):  # noqa: F811
    make_local(bureau, "YK-ZJJ")
    out = ok(capsys, bureau, "consult", "send", "--mode", "meeting", "--topic", "联合踏勘安排", "--agenda",
             "一、踏勘范围", "--participants", "王芳、赵强", "--meeting-date", "2026-11-30", "--to", "YK-ZJJ,YK-SJJ", *AP)
    assert "已发出工作会议会商“联合踏勘安排”" in out and "发往 2 个单位" in out and "第九条" in out
    [row] = json.loads(ok(capsys, bureau, "consult", "list", "--json"))
    cid = row["id"][:8]
    assert [r["status"] for r in row["replies"]] == ["sent", "sent"]
    assert "已反馈会商意见" in ok(capsys, bureau, "consult", "reply", cid, "--text", "派两人参加", *ZJ)
    err = one_line_error(capsys, bureau, 1, "consult", "reply", cid, "--text", "x", "--as", "YK-SJJ")
    assert "不是本机的单位" in err
    assert "请填写会议召开日期" in one_line_error(capsys, bureau, 2, "consult", "minutes", cid, "--outcome", "同意", *AP)
    out = ok(capsys, bureau, "consult", "minutes", cid, "--outcome", "12月3日踏勘", "--minutes", "议定分工",
             "--held", "2026-11-25", *AP)
    assert "送达 2 个单位" in out
    assert "已确认收到会商纪要" in ok(capsys, bureau, "consult", "ack", cid, *ZJ)
    listed = ok(capsys, bureau, "consult", "list")
    assert "YK-ZJJ 已办结" in listed and "12月3日踏勘" in listed
    ok(capsys, bureau, "consult", "print", cid, "--out", tmp_path / "c.pdf")
    assert "会议纪要" in flat(tmp_path / "c.pdf")


def test_letter_consultation_minutes_have_no_meeting_date(bureau, capsys):  # noqa: F811
    make_local(bureau, "YK-ZJJ")
    ok(capsys, bureau, "consult", "send", "--mode", "letter", "--topic", "标准调整", "--agenda", "调整验收标准",
       "--to", "YK-ZJJ", *AP)
    [row] = json.loads(ok(capsys, bureau, "consult", "list", "--json"))
    cid = row["id"][:8]
    err = one_line_error(capsys, bureau, 2, "consult", "minutes", cid, "--outcome", "同意调整", "--held",
                         "2026-11-25", *AP)
    assert "函告方式" in err and "不要填写会议召开日期" in err
    assert "送达 1 个单位" in ok(capsys, bureau, "consult", "minutes", cid, "--outcome", "同意调整", *AP)


def test_support_request_reply_list_print(bureau, capsys, tmp_path):  # noqa: F811
    make_local(bureau, "YK-ZJJ")
    base = ("support", "request", "--kind", "certificate_stock", "--to", "YK-ZJJ", "--title", "申领施工许可证",
            "--content", "请协助申领。")
    assert "数量" in one_line_error(capsys, bureau, 2, *base, *AP)
    err = one_line_error(capsys, bureau, 1, "support", "request", "--kind", "training", "--to", "YK-SPJ",
                         "--title", "t", "--content", "c", *ZJ)
    assert "不能发起商请业务培训（第十二条）" in err
    out = ok(capsys, bureau, *base, "--quantity", "200", *AP)
    assert "已商请协助申领制式证照“申领施工许可证”" in out and "第十三条" in out
    sid = json.loads(ok(capsys, bureau, "support", "list", "--json"))[0]["id"][:8]
    assert "已答复" in ok(capsys, bureau, "support", "reply", sid, "--text", "月底送达", *ZJ)
    assert "月底送达" in ok(capsys, bureau, "support", "list", "--kind", "certificate_stock")
    ok(capsys, bureau, "support", "print", sid, "--out", tmp_path / "s.pdf")
    assert "200份" in flat(tmp_path / "s.pdf")


def test_figures_late_report_circular_and_summary(bureau, capsys, tmp_path, frozen):  # noqa: F811
    with_db(bureau, lambda s: offices.add_office(s, "YK-YSJ", "营口市营商环境建设局", "oversight", "市本级"))
    rid = record(capsys, bureau)
    ok(capsys, bureau, "results", "push", rid)
    frozen(datetime(2026, 11, 30, 9, 0))
    assert "没有逾期事项" in ok(capsys, bureau, "oversight", "late")
    f = json.loads(ok(capsys, bureau, "oversight", "figures", "--month", "2026-11", "--json",
                      "--chart", tmp_path / "c.png"))
    assert [(r["office"], r["measure"], r["on_time"]) for r in f["by_office"]] == [("YK-SPJ", "push", 1)]
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert "YYYY-MM" in one_line_error(capsys, bureau, 2, "oversight", "figures", "--month", "11/2026")
    assert "按时率" in ok(capsys, bureau, "oversight", "figures")
    late = json.loads(ok(capsys, bureau, "oversight", "late", "--office", "YK-ZJJ", "--json"))
    assert [(r["measure"], r["state"]) for r in late] == [("sign_off", "overdue")]
    assert "已生成报送 1 件" in ok(capsys, bureau, "oversight", "report", "--to-oversight")
    assert "无需报送" in one_line_error(capsys, bureau, 2, "oversight", "report", "--to-oversight")

    make_local(bureau, "YK-YSJ")
    pdf = tmp_path / "通报.pdf"
    out = ok(capsys, bureau, "circular", "draft", "--month", "2026-11", "--number", "营商通〔2026〕9号", "--out", pdf, *YS)
    assert "已起草通报" in out and "营口市住房和城乡建设局：逾期1件" in flat(pdf)
    assert "第二十一条" in one_line_error(capsys, bureau, 1, "circular", "draft", "--month", "2026-11", "--out", pdf,
                                         *AP)
    cid = json.loads(ok(capsys, bureau, "circular", "list", "--json"))[0]["id"][:8]
    body = tmp_path / "body.txt"
    body.write_text("经核查，住建局已整改。\n特此通报。", encoding="utf-8")
    ok(capsys, bureau, "circular", "print", cid, "--body-file", body, "--out", pdf, *YS)
    assert "经核查，住建局已整改。" in flat(pdf)
    assert "无法读取正文文件" in one_line_error(capsys, bureau, 1, "circular", "print", cid, "--body-file",
                                              tmp_path / "none.txt", "--out", pdf, *YS)

    xlsx, letter = tmp_path / "汇总.xlsx", tmp_path / "汇总.pdf"
    out = ok(capsys, bureau, "summary", "--with", "YK-ZJJ", "--month", "2026-11", "--pdf", letter, "--xlsx", xlsx,
             *AP)
    assert "（1 条）" in out and xlsx.stat().st_size > 0 and "推送签收情况汇总" in flat(letter)
    assert "--pdf" in one_line_error(capsys, bureau, 2, "summary", "--with", "YK-ZJJ", "--month", "2026-11", *AP)
