"""会商函 / 会议通知, 商请函, 通报 and the monthly summary letter: PDFs checked by their text."""

from __future__ import annotations

from datetime import date, datetime

from app.services import results
from app.services.cooperation import circular, requests
from app.services.forms import cooperation_forms as forms
from tests.conftest import a_result_input
from tests.services.cooperation.conftest import october  # noqa: F401  (the constructed month)
from tests.services.forms.pdfcheck import fonts, text


def flat(pdf: bytes) -> str:
    return "".join(text(pdf).split())


def test_meeting_notice_and_minutes(session, city, frozen):
    c = requests.send_consultation(session, office=city.approval, operator="王芳", mode="meeting",
                                   topic="食品经营许可联合踏勘", agenda="一、踏勘范围\n二、分工",
                                   participants="王芳、赵强", to=[city.housing, city.market],
                                   meeting_on=date(2026, 11, 30))
    r = forms.render_consultation(session, c)
    got = flat(r.data)
    assert "会商工作会议通知" in got and "第九条" in got and "2026年11月30日" in got
    assert "营口市住房和城乡建设局、营口市市场监督管理局：" in got and "食品经营许可联合踏勘" in got
    assert "反馈意见" in got and all(f["embedded"] for f in fonts(r.data))
    frozen(datetime(2026, 11, 30, 17, 0))
    requests.record_minutes(session, c, office=city.approval, operator="王芳", minutes="确定12月3日踏勘。",
                            outcome="两局派员参加", held_on=date(2026, 11, 30))
    got = flat(forms.render_consultation(session, c).data)
    assert "会议纪要" in got and "确定12月3日踏勘。" in got and "两局派员参加" in got


def test_letter_consultation_and_support_request_letters(session, city, frozen):
    c = requests.send_consultation(session, office=city.housing, operator="赵强", mode="letter",
                                   topic="施工许可告知承诺制", agenda="拟对部分工程实行告知承诺制，请提出意见。",
                                   to=[city.approval])
    got = flat(forms.render_consultation(session, c).data)
    assert got.startswith("会商函") or "会商函" in got
    assert "请研究并函复意见" in got and "营口市住房和城乡建设局（盖章）" in got
    sr = requests.send_support(session, "certificate_stock", office=city.approval, operator="王芳", to=city.housing,
                               title="申领施工许可证", content="请协助向省住建厅申领。", quantity=300)
    got = flat(forms.render_support(session, sr).data)
    assert "关于商请制式证照申领的函" in got and "第十三条" in got and "300份" in got
    requests.reply_support(session, sr, "已申领，月底送达。", office=city.housing, operator="赵强")
    got = flat(forms.render_support(session, sr).data)
    assert "已申领，月底送达。" in got and "2026年11月25日" in got


def test_circular_prints_title_paragraphs_chart_and_figures(session, city, october):  # noqa: F811
    c = circular.draft(session, city.oversight, "2026-10", number="营商通〔2026〕3号")
    r = forms.render_circular(session, c, city.oversight)
    got = flat(r.data)
    assert "关于2026年10月相对集中行政许可审管衔接工作情况的通报" in got and "营商通〔2026〕3号" in got
    assert "二、逾期事项" in got and "（一）营口市住房和城乡建设局：逾期2件。" in got
    assert "各单位按时率" in got and "住房和城乡建设局" in got and "50.0%" in got
    assert "营口市营商环境建设局（盖章）" in got and not r.missing


def test_monthly_summary_letter(session, city, frozen):
    r1 = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    session.flush()
    results.push(session, r1, office=city.approval, operator="王芳")
    got = flat(forms.render_summary(session, city.approval, city.housing, "2026-11").data)
    assert "营口市行政审批局与营口市住房和城乡建设局2026年11月推送签收情况汇总" in got
    assert "共1条" in got and "审批结果信息推送" in got and "2026-11-2510:00" in got
    empty = flat(forms.render_summary(session, city.approval, city.market, "2026-11").data)
    assert "本月没有推送、签收或答复记录。" in empty
