"""The circular drafted from October's late items, the charts, and the monthly summary letter."""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import load_workbook

from app.services import results
from app.services.cooperation import charts, circular, oversight, summary
from app.services.errors import ValidationError, WorkflowError
from tests.conftest import a_result_input


def test_the_draft_names_the_offices_and_their_late_items(session, city, october):
    c = circular.draft(session, city.oversight, "2026-10", number="营商通〔2026〕3号")
    session.commit()
    assert c.title == "关于2026年10月相对集中行政许可审管衔接工作情况的通报"
    body = c.body
    assert "第二十一条" in body and body.index("一、总体情况") < body.index("二、逾期事项") < body.index("三、工作要求")
    assert "审批结果推送应办4件，按时2件，逾期办结1件，逾期未办1件，按时率50.0%。" in body
    assert "（一）营口市住房和城乡建设局：逾期2件。" in body
    assert "签收（审批结果信息推送，对方单位营口市行政审批局）应于2026年10月13日前完成，2026年10月14日办结" in body
    assert "应于2026年10月22日前完成，截至通报时仍未办理" in body
    assert "营口市市场监督管理局：逾期1件。移送受理决定" in body
    got = circular.circular_dict(session, c)
    assert len(got["items"]) == 5 and got["number"] == "营商通〔2026〕3号"
    circular.update(session, c, body=body + "\n特此通报。", title="关于10月审管衔接情况的通报")
    assert circular.get(session, str(c.id)[:8]).body.endswith("特此通报。")


def test_only_the_oversight_office_drafts_and_a_quiet_month_says_so(session, city, frozen):
    with pytest.raises(WorkflowError, match="第二十一条"):
        circular.draft(session, city.approval, "2026-10")
    c = circular.draft(session, city.oversight, "2026-09")
    assert "本月没有应办事项。" in c.body and "没有逾期事项" in c.body


def test_charts_render_as_png_with_the_figures(session, city, october):
    figures = oversight.figures(session, city.oversight, month="2026-10")
    image = charts.png(charts.by_office(figures))
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) > 5000
    assert charts.png(charts.by_month(figures))[:4] == b"\x89PNG"
    assert charts.png(charts.by_office({"by_office": []}))[:4] == b"\x89PNG"
    assert charts.short_name("营口市住房和城乡建设局") == "住房和城乡建设局"


@pytest.fixture
def november(session, city, frozen):
    """Two results pushed to the housing department; one signed off late. Committed."""
    r1 = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    r2 = results.record(session, a_result_input(applicant_name="营口港华燃气有限公司"), office=city.approval,
                        operator="王芳")
    session.flush()
    results.push(session, r1, office=city.approval, operator="王芳")
    results.push(session, r2, office=city.approval, operator="王芳")
    frozen(datetime(2026, 11, 30, 9, 0))
    results.act(session, r1, "sign_off", office=city.housing, operator="赵强")
    session.commit()


def test_monthly_summary_lists_pushes_and_sign_offs_between_the_pair(session, city, november, tmp_path):
    rows = summary.rows(session, city.approval, city.housing, "2026-11")
    assert sorted((r["kind"], r["status"], r["on_time"], r["subject"][:4]) for r in rows) == [
        ("审批结果信息推送", "已签收", "签收/答复逾期", "营口市鲅"), ("审批结果信息推送", "待签收", "按时", "营口港华")]
    assert [r["no"] for r in rows] == [1, 2]
    assert summary.rows(session, city.approval, city.market, "2026-11") == []
    assert summary.rows(session, city.approval, city.housing, "2026-10") == []
    path = tmp_path / "汇总.xlsx"
    assert summary.write_xlsx_file(session, city.approval, city.housing, "2026-11", path) == 2
    ws = load_workbook(path).active
    assert ws["A1"].value == "营口市行政审批局与营口市住房和城乡建设局2026年11月推送签收情况汇总"
    assert [c.value for c in ws[2]][:4] == ["序号", "类型", "依据", "事项"]
    assert sorted((ws["K3"].value, ws["K4"].value)) == ["已签收", "待签收"]
    with pytest.raises(ValidationError):
        summary.rows(session, city.approval, city.approval, "2026-11")
