"""The Art. 17 loop through the real window: record → push → sign-off → start supervision,
switching the acting office between the approval bureau and the housing department."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models import ApprovalResult, Dispatch, DispatchEvent
from app.services import queries, rules
from tests.conftest import a_result_input, valid_resident_id
from tests.ui.conftest import check, on_next_dialog, timeline_rows, wait_loaded


def _switch(qtbot, window, office) -> None:
    combo = window.office_combo
    i = combo.findData(str(office.id))
    assert i >= 0, f"{office.name} not in the office combobox"
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    assert window.ws.office.id == office.id
    wait_loaded(qtbot, window.model)


def _select_first_row(qtbot, window) -> None:
    wait_loaded(qtbot, window.model)
    assert window.model.rowCount() > 0
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.shown_result_id() == window.model.row_at(0).id)


def _table_texts(window, column_title: str) -> list[str]:
    from app.ui.result_model import COLUMNS

    col = next(i for i, c in enumerate(COLUMNS) if c.title == column_title)
    return [window.model.index(r, col).data() for r in range(window.model.rowCount())]


def test_record_push_sign_off_supervise(qtbot, window, ui_city, session, frozen):
    city = ui_city
    assert window.office_combo.isVisibleTo(window)  # three local offices: the combobox shows
    assert window.ws.office.id == city.approval.id  # the approval bureau comes first
    assert window.nav.views() == (queries.TO_PUSH, queries.DUE_SOON, queries.OVERDUE, queries.ALL)
    assert window.nav.count_of(queries.TO_PUSH) == 0
    assert window.model.rowCount() == 0

    # 1. Record a result through the dialog (typing the applicant's ID).
    def fill_record(dlg):
        dlg.fill(a_result_input(applicant_id=""))
        qtbot.keyClicks(dlg.applicant_id, valid_resident_id())
        assert dlg.addressee.text() == city.housing.name  # where it will be pushed
        dlg.ok_button.click()

    state = on_next_dialog(fill_record)
    window.act_record.trigger()
    check(state)
    rid = session.scalar(select(ApprovalResult.id))
    assert rid is not None
    assert window.shown_result_id() == rid  # the detail pane at once; the list follows
    wait_loaded(qtbot, window.model)
    assert window.model.rowCount() == 1
    assert window.table.currentIndex().row() == 0  # the new result's row is selected
    assert window.nav.count_of(queries.TO_PUSH) == 1
    assert window.detail.holder_name.text() == city.approval.name
    assert window.detail.status.text() == "状态：待推送"
    assert window.result_actions["send"].isEnabled()
    assert not window.result_actions["sign_off"].isEnabled()

    # 2. Push it the next morning by the exchange platform: responsibility moves (Art. 17).
    frozen(datetime(2026, 11, 26, 9, 15))

    def push(dlg):
        assert dlg.channel.currentData() == rules.EXCHANGE
        assert not dlg.agreed_due.isEnabled()
        dlg.ok_button.click()

    state = on_next_dialog(push)
    window.detail.buttons["send"].click()
    check(state)
    assert window.detail.holder_name.text() == city.housing.name
    assert "2026-11-26 09:15" in window.detail.holder_since.text()
    assert window.detail.status.text() == "状态：待签收"
    assert window.nav.count_of(queries.TO_PUSH) == 0
    wait_loaded(qtbot, window.model)
    assert window.model.rowCount() == 0  # no longer in 待推送
    assert window.shown_result_id() == rid  # the pane keeps it though it left the list
    assert window.detail.allowed_actions() == ()  # the bureau has nothing to do now

    # 3. Act as the housing department: it sees the result waiting for its sign-off.
    _switch(qtbot, window, city.housing)
    assert window.nav.views()[0] == queries.TO_SIGN
    assert window.nav.count_of(queries.TO_SIGN) == 1
    assert not window.act_record.isVisible()
    assert _table_texts(window, "状态") == ["待签收"]
    assert _table_texts(window, "责任单位") == [city.housing.name]
    _select_first_row(qtbot, window)
    assert set(window.detail.allowed_actions()) == {"sign_off", "return"}

    frozen(datetime(2026, 11, 27, 8, 40))
    state = on_next_dialog(lambda dlg: dlg.ok_button.click())
    window.result_actions["sign_off"].trigger()
    assert "确认签收" in check(state).windowTitle()
    assert window.detail.status.text() == "状态：已签收"
    assert window.nav.count_of(queries.TO_SIGN) == 0
    assert window.detail.allowed_actions() == ("start_supervision",)

    state = on_next_dialog(lambda dlg: dlg.ok_button.click())
    window.detail.buttons["start_supervision"].click()
    check(state)
    assert window.detail.status.text() == "状态：已启动监管"
    assert window.detail.allowed_actions() == ()

    # 4. The whole history, with office and operator, in the pane and in the database.
    rows = [row[:4] for row in timeline_rows(window)]
    assert [r[3] for r in rows] == ["登记", "推送", "签收", "启动监管"]
    assert rows[1][:2] == ["2026-11-26 09:15", city.approval.name]
    assert rows[2][:2] == ["2026-11-27 08:40", city.housing.name]
    assert {r[2] for r in rows} == {"王芳"}
    d = session.scalar(select(Dispatch).where(Dispatch.subject_id == rid))
    session.refresh(d)
    assert d.status == rules.SUPERVISING
    assert session.scalar(select(DispatchEvent).where(DispatchEvent.action == "sign_off")).office_id == city.housing.id

    # 5. Back as the bureau: the full list shows it supervised, held by housing.
    _switch(qtbot, window, city.approval)
    window.nav.select_view(queries.ALL)
    wait_loaded(qtbot, window.model)
    assert _table_texts(window, "状态") == ["已启动监管"]
    assert _table_texts(window, "责任单位") == [city.housing.name]
    qtbot.waitUntil(lambda: "共 1 条" in window.count_label.text())


def test_current_office_is_remembered(qtbot, db, ui_city):
    from app.ui.wiring import build_main_window

    w = build_main_window(db)
    qtbot.addWidget(w)
    _switch(qtbot, w, ui_city.market)
    w2 = build_main_window(db)
    qtbot.addWidget(w2)
    assert w2.ws.office.id == ui_city.market.id
    assert w2.windowTitle().endswith(ui_city.market.name)
    for window in (w, w2):
        window.close()  # before the database goes: waits for queries still running


def test_status_bar_shows_count_and_today(qtbot, window):
    assert "2026年11月25日" in window.today_label.text()
    assert "工作日" in window.today_label.text()
    qtbot.waitUntil(lambda: "共 0 条" in window.count_label.text())
    assert "王芳" in window.operator_label.text()


def test_double_click_runs_the_first_allowed_action(qtbot, window, ui_city, session):
    from tests.ui.conftest import add_results

    add_results(session, ui_city, 1)
    window.refresh_requested.emit()
    _select_first_row(qtbot, window)
    state = on_next_dialog(lambda dlg: dlg.reject())
    index = window.model.index(0, 0)
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert check(state).windowTitle() == "推送审批结果"


def test_operator_menu_and_about(qtbot, window, session, no_blocking_message_boxes):
    from app.services import settings as settings_service

    def rename(dlg):
        dlg.name.setText("刘晓燕")
        dlg.ok_button.click()

    state = on_next_dialog(rename)
    window.act_operator.trigger()
    check(state)
    assert "刘晓燕" in window.operator_label.text()
    session.expire_all()
    assert settings_service.get(session, settings_service.OPERATOR) == "刘晓燕"

    help_menu = window.menuBar().actions()[-1].menu()
    help_menu.actions()[0].trigger()
    [(kind, text)] = no_blocking_message_boxes
    assert kind == "about" and "营政办发〔2020〕25号" in text
