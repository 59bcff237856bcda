"""The window while its list is queried in the background: the old rows stay, the status bar
says "正在查询…", the event loop keeps running; afterwards the shown result is selected again.

Queries are made slow on demand with the ``gate`` fixture (the fetch function waits until the
test opens the gate), so nothing here depends on timing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from sqlalchemy import select

from app.models import ApprovalResult
from app.services import queries
from app.ui.result_model import COLUMNS, PAGE
from app.ui.work_area import BUSY_TEXT
from tests.ui.conftest import add_applicants, add_results, check, on_next_dialog, wait_loaded


def _col(title: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.title == title)


def _names(window) -> list[str]:
    m = window.model
    return [m.row_at(r).applicant_name for r in range(m.rowCount())]


def _all_results(qtbot, window) -> None:
    window.nav.select_view(queries.ALL)
    wait_loaded(qtbot, window.model)


def _select(qtbot, window, row: int) -> None:
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: window.shown_result_id() == window.model.row_at(row).id)


def test_sorting_keeps_the_rows_and_shows_it_is_busy(qtbot, window, session, ui_city, gate):
    add_applicants(session, ui_city)
    _all_results(qtbot, window)
    before = _names(window)
    _select(qtbot, window, 4)
    shown = window.shown_result_id()
    slow = gate(window.model)
    ticks: list[int] = []
    timer = QTimer(window, interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    window.table.sortByColumn(_col("申请人"), Qt.SortOrder.AscendingOrder)  # a header click
    qtbot.waitUntil(lambda: window.area.busy_label.isVisible())
    assert window.area.busy_label.text() == BUSY_TEXT and window.area.busy_bar.isVisible()
    assert slow.started.is_set() and window.model.loading
    assert _names(window) == before  # the old rows stay while the query runs
    qtbot.waitUntil(lambda: len(ticks) >= 5)  # and the event loop keeps running
    assert window.model.loading

    slow.open()
    wait_loaded(qtbot, window.model)
    timer.stop()
    assert _names(window) == sorted(before)
    assert not window.area.busy_label.isVisible() and not window.area.busy_bar.isVisible()
    assert window.shown_result_id() == shown  # the pane kept its result ...
    assert window.table.currentIndex().row() == window.model.row_of(shown)  # ... and its row


def test_a_view_change_clears_the_rows_at_once(qtbot, window, session, ui_city, gate):
    add_applicants(session, ui_city)
    _all_results(qtbot, window)
    assert window.model.rowCount() == 6
    slow = gate(window.model)
    window.nav.select_view(queries.OVERDUE)
    assert window.model.rowCount() == 0  # the rows of 全部结果 are not shown under 已逾期
    slow.open()
    wait_loaded(qtbot, window.model)
    assert window.model.view == queries.OVERDUE and window.model.rowCount() == 0


def test_after_an_action_the_pane_updates_at_once_and_the_row_is_selected_again(
        qtbot, window, session, ui_city, gate):
    add_applicants(session, ui_city)
    _all_results(qtbot, window)
    _select(qtbot, window, 3)
    rid = window.shown_result_id()
    slow = gate(window.model)

    state = on_next_dialog(lambda dlg: dlg.ok_button.click())
    window.result_actions["send"].trigger()
    check(state)
    assert window.detail.status.text() == "状态：待签收"  # the pane does not wait for the list
    assert window.model.loading
    slow.open()
    wait_loaded(qtbot, window.model)
    row = window.model.row_of(rid)
    assert window.table.currentIndex().row() == row
    assert window.model.index(row, _col("状态")).data() == "待签收"
    assert window.shown_result_id() == rid


def test_an_office_switch_forgets_a_result_the_new_office_does_not_list(
        qtbot, window, session, ui_city, gate):
    add_results(session, ui_city, 1)  # pending at the bureau: the housing department sees nothing
    window.refresh_requested.emit()
    wait_loaded(qtbot, window.model)
    _select(qtbot, window, 0)
    slow = gate(window.model)
    combo = window.office_combo
    combo.setCurrentIndex(combo.findData(str(ui_city.housing.id)))
    combo.activated.emit(combo.currentIndex())
    assert window.model.rowCount() == 0 and window.model.loading
    slow.open()
    wait_loaded(qtbot, window.model)
    assert window.shown_result_id() is None
    assert not any(a.isEnabled() for a in window.result_actions.values())


def test_two_quick_filters_show_only_the_last(qtbot, window, session, ui_city, gate):
    add_applicants(session, ui_city)
    _all_results(qtbot, window)
    slow = gate(window.model)
    window.filter_edit.setText("甲")
    window.flush_filter()
    window.filter_edit.setText("丙")
    window.flush_filter()
    slow.open()
    wait_loaded(qtbot, window.model)
    assert _names(window) == ["营口丙商贸有限公司"]
    qtbot.waitUntil(lambda: "（筛选：丙）：共 1 条" in window.count_label.text())


def test_scrolling_down_fetches_the_next_page_in_the_background(qtbot, window, session, ui_city):
    add_results(session, ui_city, PAGE + 50)
    _all_results(qtbot, window)
    assert window.model.rowCount() == PAGE
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == PAGE + 50)
    ids = {window.model.row_at(r).id for r in range(window.model.rowCount())}
    assert ids == set(session.scalars(select(ApprovalResult.id)))


def test_a_failed_query_is_explained_and_the_rows_stay(qtbot, window, session, ui_city):
    add_applicants(session, ui_city)
    _all_results(qtbot, window)

    def broken(*_args):
        raise RuntimeError("database is locked")

    real, window.model.fetch = window.model.fetch, broken
    window.table.sortByColumn(_col("申请人"), Qt.SortOrder.AscendingOrder)
    wait_loaded(qtbot, window.model)
    assert window.model.rowCount() == 6
    label = window.area.busy_label
    assert label.isVisible() and label.text().startswith("查询失败：")
    assert "database is locked" in label.toolTip()
    window.model.fetch = real
    window.refresh_requested.emit()  # F5: it works again and the message goes
    wait_loaded(qtbot, window.model)
    assert not label.isVisible()
    assert _names(window) == sorted(_names(window))


def test_closing_the_window_waits_for_a_running_query(qtbot, window, session, ui_city, gate):
    add_applicants(session, ui_city)
    slow = gate(window.model)
    window.refresh_requested.emit()
    qtbot.waitUntil(slow.started.is_set)
    slow.open()
    window.close()
    assert window.model.wait(0)  # nothing is left running against the database
