"""督办统计: on-time rates per office, late items, chart when the charts service is installed."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.services import results
from app.ui.workspace import Workspace
from tests.conftest import a_result_input

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
