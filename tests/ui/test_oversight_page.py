"""督办统计: on-time rates per office, late items, chart when the charts service is installed."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.services import results
from app.ui.workspace import Workspace
from tests.conftest import a_result_input
from tests.ui.conftest import on_next_dialog

pytest.importorskip("app.services.cooperation.oversight")

from app.ui.oversight_page import LateModel, OversightPage, RatesModel, months  # noqa: E402


@pytest.fixture
def pushes(session, ui_city, frozen):
    """One push sent on time, one left unsent past its due date (Nov 2026)."""
    city = ui_city
    on_time = results.record(session, a_result_input(licence_number="A-1"), office=city.approval, operator="王芳")
    results.push(session, on_time, office=city.approval, operator="王芳")
    results.record(session, a_result_input(licence_number="A-2", decided=datetime(2026, 11, 18).date()),
                   office=city.approval, operator="王芳")
    session.commit()
    return city


def _page(qtbot, db) -> OversightPage:
    page = OversightPage(Workspace(db))
    qtbot.addWidget(page)
    return page


def _cells(table):
    m = table.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_own_figures_and_late_items(qtbot, db, pushes, qtmodeltester):
    page = _page(qtbot, db)  # acting as the approval bureau
    assert page.month() == "2026-11" and "营口市行政审批局" in page.scope.text()
    rows = _cells(page.rates)
    assert rows == [["营口市行政审批局", "审批结果推送", "1", "0", "1", "0", "50.0%"]]
    late = _cells(page.late_table)
    assert len(late) == 1 and late[0][0] == "营口市行政审批局" and late[0][5:] == ["未办理", "逾期未办"]
    assert page.late_label.text() == "逾期事项（1 件）："
    qtmodeltester.check(page.rates_model)
    qtmodeltester.check(page.late_model)
    page.month_box.setCurrentIndex(page.month_box.findData("2026-10"))
    assert _cells(page.rates) == [] and page.chart.text() == "本月没有需统计的事项。"


def test_a_failing_figure_service_is_shown_not_raised(qtbot, db, pushes, monkeypatch):
    from app.services.cooperation import oversight

    page = _page(qtbot, db)

    def broken(*a, **k):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(oversight, "figures", broken)
    page.refresh()
    assert "无法计算统计" in page.message_text() and _cells(page.rates) == []


def test_menu_opens_the_page(qtbot, window):
    window.act_oversight.trigger()
    page = window.oversight_page
    assert page.isVisible() and page.windowTitle() == "督办统计（第二十一条）"
    page.close()


def test_models_and_months(qtmodeltester):
    qtmodeltester.check(RatesModel())
    qtmodeltester.check(LateModel())
    assert months(datetime(2026, 1, 5).date(), 3) == ["2026-01", "2025-12", "2025-11"]


def test_the_chart_is_shown_when_the_charts_service_is_installed(qtbot, db, pushes):
    pytest.importorskip("app.services.cooperation.charts")
    page = _page(qtbot, db)
    assert page.chart.pixmap() is not None and not page.chart.pixmap().isNull()


def on_dialog_of(cls, handler, timeout_ms: int = 20000) -> dict:
    """The next modal dialog of class ``cls`` (the progress dialogs before it pass by)."""
    return on_next_dialog(handler, timeout_ms, cls=cls)


def _as_oversight(qtbot, db, session, city) -> OversightPage:
    city.oversight.is_local = True
    session.commit()
    ws = Workspace(db)
    ws.set_office(city.oversight.id)
    page = OversightPage(ws)
    qtbot.addWidget(page)
    return page


def test_circular_is_drafted_edited_kept_and_previewed(qtbot, db, session, pushes, no_blocking_message_boxes):
    from app.models import Circular
    from app.ui.forms_preview import PdfPreviewDialog
    from app.ui.oversight_dialogs import CircularDialog
    from tests.services.forms.pdfcheck import text
    from tests.ui.conftest import check

    assert not _page(qtbot, db).buttons["circular"].isEnabled()  # the bureau drafts no circulars
    page = _as_oversight(qtbot, db, session, pushes)
    assert page.scope.text() == "全市各单位" and page.buttons["circular"].isEnabled()
    seen = {}

    def edit(dlg):
        assert "2026年11月" in dlg.fields["title"].text()
        body = dlg.fields["body"].toPlainText()
        assert "二、逾期事项" in body and "营口市行政审批局：逾期1件" in body
        dlg.fields["number"].setText("营营商通〔2026〕5号")
        dlg.fields["body"].setPlainText(body + "\n特此通报。")
        seen["preview"] = on_dialog_of(PdfPreviewDialog, look)
        dlg.accept()

    def look(dlg):
        seen["pdf"] = dlg.pdf
        dlg.accept()

    state = on_dialog_of(CircularDialog, edit)
    assert page.draft_circular() is not None
    check(state)
    check(seen["preview"])
    flat = text(seen["pdf"]).replace(" ", "").replace("\n", "")
    for value in ("营营商通〔2026〕5号", "特此通报。", "各单位按时率", "营口市行政审批局"):
        assert value in flat, value
    c = session.query(Circular).one()
    assert c.number == "营营商通〔2026〕5号" and c.period == "2026-11" and c.body.endswith("特此通报。")
    assert "已保存2026年11月的通报" in page.message_text() and not no_blocking_message_boxes


def test_cancelled_circular_keeps_nothing(qtbot, db, session, pushes):
    from app.models import Circular
    from app.ui.oversight_dialogs import CircularDialog
    from tests.ui.conftest import check

    page = _as_oversight(qtbot, db, session, pushes)
    state = on_dialog_of(CircularDialog, lambda dlg: dlg.reject())
    assert page.draft_circular() is None
    check(state)
    assert session.query(Circular).count() == 0


def test_monthly_summary_letter_as_pdf_and_xlsx(qtbot, db, pushes, tmp_path, monkeypatch):
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    from app.ui.oversight_dialogs import SummaryDialog
    from tests.services.forms.pdfcheck import text
    from tests.ui.conftest import check

    page = _page(qtbot, db)  # the approval bureau, with the housing department
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (asked.append(a[2]) or str(tmp_path / "汇总"), ""))

    def choose(dlg):
        other = dlg.fields["other"]
        other.setCurrentIndex(other.findText("营口市住房和城乡建设局"))
        assert dlg.fields["month"].currentData() == "2026-11"
        dlg.accept()

    state = on_dialog_of(SummaryDialog, choose)
    n, pdf, xlsx = page.monthly_summary()
    check(state)
    assert asked == ["营口市行政审批局与营口市住房和城乡建设局2026年11月推送签收情况汇总.pdf"]
    assert (pdf, xlsx) == (tmp_path / "汇总.pdf", tmp_path / "汇总.xlsx") and n == 1
    assert "推送签收情况汇总" in text(pdf.read_bytes()).replace(" ", "").replace("\n", "")
    sheet = openpyxl.load_workbook(xlsx).active
    assert any("审批结果信息推送" in str(c.value) for row in sheet.iter_rows() for c in row)
    assert "已生成月度汇总函（1 条）" in page.message_text()
