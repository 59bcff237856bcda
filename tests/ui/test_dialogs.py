"""Dialogs refuse bad input with the service's message, focus the field, and write nothing;
the return-with-reason path and the re-push to a corrected addressee."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.models import ApprovalResult, Dispatch, DispatchEvent, Setting
from app.services import queries, rules
from tests.conftest import a_result_input, valid_uscc
from tests.ui.conftest import add_results, check, on_next_dialog, timeline_rows
from tests.ui.test_flow import _select_first_row, _switch


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _focused(dlg, widget) -> bool:
    """The field has the dialog's focus (the window itself may be inactive offscreen)."""
    fw = dlg.focusWidget()
    return fw is not None and (fw is widget or widget.isAncestorOf(fw))


def _snapshot(session) -> tuple[int, int, int]:
    return (_count(session, ApprovalResult), _count(session, Dispatch), _count(session, DispatchEvent))


def test_record_refuses_wrong_id_checksum_and_writes_nothing(qtbot, window, session):
    good = valid_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    seen = {}

    def fill(dlg):
        dlg.fill(a_result_input(applicant_id=bad))
        dlg.ok_button.click()
        assert dlg.isVisible(), "the dialog must stay open on bad input"
        seen["error"] = dlg.error_text()
        seen["focus"] = _focused(dlg, dlg.applicant_id)
        # Correct a second field wrong: the phone. The message moves to it.
        dlg.applicant_id.setText(good)
        dlg.contact_phone.setText("12345")
        dlg.ok_button.click()
        seen["phone_error"] = dlg.error_text()
        seen["phone_focus"] = _focused(dlg, dlg.contact_phone)
        dlg.reject()

    before = _snapshot(session)
    state = on_next_dialog(fill)
    window.act_record.trigger()
    check(state)
    assert "校验位不符" in seen["error"]
    assert seen["focus"]
    assert "联系电话格式不对" in seen["phone_error"] and seen["phone_focus"]
    assert _snapshot(session) == before
    assert window.model.rowCount() == 0


def test_record_refuses_unknown_item_and_future_date(qtbot, window, session):
    seen = []

    def fill(dlg):
        dlg.fill(a_result_input())
        dlg.item.setCurrentIndex(-1)
        dlg.item.setEditText("没有这个事项")
        dlg.ok_button.click()
        seen.append((dlg.error_text(), _focused(dlg, dlg.item)))
        dlg.item.select_code("ZJ-001")
        dlg.fill(a_result_input(licence_issued_on=date(2026, 11, 20)))  # before the decision
        dlg.ok_button.click()
        seen.append((dlg.error_text(), _focused(dlg, dlg.licence_issued_on)))
        dlg.reject()

    before = _snapshot(session)
    state = on_next_dialog(fill)
    window.act_record.trigger()
    check(state)
    assert "没有编码为" in seen[0][0] and seen[0][1]
    assert "证照颁发日期不能早于审批决定日期" in seen[1][0] and seen[1][1]
    assert _snapshot(session) == before


def test_paper_push_needs_agreed_limit(qtbot, window, session, ui_city):
    add_results(session, ui_city, 1)
    window.refresh_requested.emit()
    _select_first_row(qtbot, window)
    seen = {}

    def push(dlg):
        dlg.channel.setCurrentIndex(dlg.channel.findData("fax"))
        assert dlg.agreed_due.isEnabled()
        dlg.ok_button.click()
        seen["error"] = dlg.error_text()
        seen["open"] = dlg.isVisible()
        seen["focus"] = _focused(dlg, dlg.agreed_due)
        dlg.reject()

    before = _snapshot(session)
    state = on_next_dialog(push)
    window.result_actions["send"].trigger()
    check(state)
    assert "商定的完成时限" in seen["error"] and seen["open"] and seen["focus"]
    assert _snapshot(session) == before
    d = session.scalar(select(Dispatch))
    assert d.status == rules.PENDING and d.channel is None
    assert window.detail.holder_name.text() == ui_city.approval.name

    # With the agreed limit the fax push goes through and the limit becomes the due date.
    def push_ok(dlg):
        dlg.channel.setCurrentIndex(dlg.channel.findData("fax"))
        dlg.agreed_due.set_value(date(2026, 12, 4))
        dlg.ok_button.click()

    state = on_next_dialog(push_ok)
    window.result_actions["send"].trigger()
    check(state)
    assert window.detail.values["channel"].text() == "传真"
    assert window.detail.values["reply_due"].text() == "2026-12-04"
    assert window.detail.holder_name.text() == ui_city.housing.name


def test_return_with_reason_then_repush_to_the_right_department(qtbot, window, session, ui_city):
    city = ui_city
    add_results(session, city, 1)
    window.refresh_requested.emit()
    _select_first_row(qtbot, window)
    state = on_next_dialog(lambda dlg: dlg.ok_button.click())
    window.result_actions["send"].trigger()
    check(state)

    _switch(qtbot, window, city.housing)
    _select_first_row(qtbot, window)
    seen = {}

    def give_back(dlg):
        dlg.ok_button.click()  # no reason yet
        seen["empty"] = dlg.error_text()
        seen["focus"] = _focused(dlg, dlg.reason)
        dlg.reason.insertPlainText("该许可由市场监督管理局监管，请改推")  # QTest types ASCII only
        dlg.ok_button.click()

    events_before = _count(session, DispatchEvent)
    state = on_next_dialog(give_back)
    window.detail.buttons["return"].click()
    check(state)
    assert "请填写退回的理由" in seen["empty"] and seen["focus"]
    assert _count(session, DispatchEvent) == events_before + 1  # only the successful return
    assert window.detail.status.text() == "状态：已退回"
    assert window.detail.holder_name.text() == city.approval.name  # responsibility goes back
    assert window.nav.count_of(queries.TO_SIGN) == 0
    notes = [row[4] for row in timeline_rows(window)]
    assert "该许可由市场监督管理局监管，请改推" in notes

    # The bureau re-pushes, choosing the addressee; without a choice it is refused.
    _switch(qtbot, window, city.approval)
    window.nav.select_view(queries.ALL)
    _select_first_row(qtbot, window)
    assert window.detail.allowed_actions() == ("send",)
    assert window.detail.buttons["send"].text().startswith("重新推送")

    def repush(dlg):
        assert "退回" in dlg.intro.text() and "请改推" in dlg.intro.text()
        dlg.ok_button.click()
        seen["no_addressee"] = dlg.error_text()
        dlg.addressee.setCurrentIndex(dlg.addressee.findText(city.market.name))
        dlg.ok_button.click()

    state = on_next_dialog(repush)
    window.detail.buttons["send"].click()
    assert check(state).windowTitle() == "重新推送审批结果"
    assert "请选择正确的接收部门" in seen["no_addressee"]
    assert window.detail.holder_name.text() == city.market.name
    assert window.detail.values["route"].text().endswith(city.market.name)

    _switch(qtbot, window, city.market)
    assert window.nav.count_of(queries.TO_SIGN) == 1


def test_operator_is_asked_once_when_missing(qtbot, window, session):
    session.execute(Setting.__table__.delete())
    session.commit()
    window.ws.load()
    assert window.ws.operator == ""

    def name_then_cancel_record(dlg):
        dlg.ok_button.click()
        assert "请填写操作员姓名" in dlg.error_text()
        dlg.name.setText("  李 雷 ")
        dlg.ok_button.click()
        seen.append(on_next_dialog(lambda d: d.reject()))  # then the record form: cancel it

    seen = []
    state = on_next_dialog(name_then_cancel_record)
    window.act_record.trigger()
    check(state)
    assert check(seen[0]).windowTitle() == "登记审批结果"
    assert window.ws.operator == "李 雷"
    assert "李 雷" in window.operator_label.text()

