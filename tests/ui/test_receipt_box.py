"""登记回执 in the window: a scanner types the code and Enter; the sign-off is recorded."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.models import PaperReceipt
from app.services import results, rules
from app.services.forms import transmittal
from tests.conftest import a_result_input
from tests.ui.conftest import check, on_next_dialog


def _faxed(session, city):
    r = results.record(session, a_result_input(applicant_name="䶮𠮷科技有限公司"), office=city.approval,
                       operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳", channel="fax",
                 agreed_due=date(2026, 11, 27))
    session.commit()
    return r, transmittal.for_result(session, r).code


def test_scanner_types_code_then_sign_off_is_recorded(qtbot, window, ui_city, session):
    r, code = _faxed(session, ui_city)

    def scan(dlg):
        field = dlg.fields["code"]
        qtbot.keyClicks(field, "SG1:NOT-A-CODE")
        qtbot.keyClick(field, "\r")
        assert "不是审管通的回执码" in dlg.error_text() and not dlg.ok_button.isEnabled()
        assert dlg.isVisible()  # Enter never submits the dialog
        field.clear()
        qtbot.keyClicks(field, code.lower())  # Caps Lock off on the scanner: still found
        qtbot.keyClick(field, "\r")
        assert dlg.error_text() == ""
        assert "䶮𠮷科技有限公司" in dlg.summary.text() and "待签收" in dlg.summary.text()
        assert dlg.ok_button.isEnabled()
        dlg.fields["signer"].setText("赵强")  # (QTest cannot type Chinese)
        dlg.ok_button.click()
        # The box stays open for the next slip of the stack, showing what was recorded.
        assert dlg.isVisible() and dlg.error_text() == ""
        assert "已登记" in dlg.done_label.text() and "䶮𠮷科技有限公司" in dlg.done_label.text()
        assert "赵强" in dlg.done_label.text()
        assert field.text() == "" and dlg.fields["signer"].text() == "" and dlg.summary.text() == ""
        assert not dlg.ok_button.isEnabled() and dlg.focusWidget() is field
        qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # Esc (关闭) closes
        assert not dlg.isVisible()

    state = on_next_dialog(scan)
    window.act_receipt.trigger()
    check(state)
    session.expire_all()
    d = results.current_push(session, r)
    assert d.status == rules.SIGNED_OFF and d.events[-1].operator == "赵强"
    assert session.scalars(select(PaperReceipt)).one().signer == "赵强"


def test_stale_code_is_refused_in_place(qtbot, window, ui_city, session):
    r, code = _faxed(session, ui_city)
    r.result = "准予变更许可"
    session.commit()

    def scan(dlg):
        qtbot.keyClicks(dlg.fields["code"], code)
        qtbot.keyClick(dlg.fields["code"], "\r")
        assert "二维码与记录不符" in dlg.error_text() and not dlg.ok_button.isEnabled()
        dlg.reject()

    state = on_next_dialog(scan)
    window.act_receipt.trigger()
    check(state)
    assert results.current_push(session, r).status == rules.SENT
    assert session.scalars(select(PaperReceipt)).all() == []


def test_a_stack_of_slips_is_scanned_in_a_row(qtbot, window, ui_city, session):
    first, code1 = _faxed(session, ui_city)
    r2 = results.record(session, a_result_input(applicant_name="营口港务商贸有限公司"),
                        office=ui_city.approval, operator="王芳")
    results.push(session, r2, office=ui_city.approval, operator="王芳", channel="fax",
                 agreed_due=date(2026, 11, 27))
    session.commit()
    code2 = transmittal.for_result(session, r2).code
    changed = []
    window.ws.changed.connect(changed.append)

    def scan(dlg):
        field = dlg.fields["code"]
        for code, signer in ((code1, "赵强"), (code2, "孙丽")):
            qtbot.keyClicks(field, code)
            qtbot.keyClick(field, "\r")
            assert dlg.ok_button.isEnabled()
            dlg.fields["signer"].setText(signer)
            dlg.ok_button.click()
            assert dlg.isVisible() and field.text() == "" and dlg.focusWidget() is field
        shown = dlg.done_label.text()
        assert shown.index("营口港务商贸有限公司") < shown.index("䶮𠮷科技有限公司")  # latest first
        qtbot.keyClicks(field, code1)  # the same slip again: already done, nothing to sign
        qtbot.keyClick(field, "\r")
        assert not dlg.ok_button.isEnabled()
        dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()  # 关闭
        assert not dlg.isVisible()

    state = on_next_dialog(scan)
    window.act_receipt.trigger()
    check(state)
    session.expire_all()
    assert results.current_push(session, first).status == rules.SIGNED_OFF
    assert results.current_push(session, r2).status == rules.SIGNED_OFF
    assert sorted(p.signer for p in session.scalars(select(PaperReceipt))) == sorted(["赵强", "孙丽"])
    assert changed == [first.id, r2.id]


def test_a_penalty_notice_slip_in_the_box(qtbot, window, ui_city, session):
    from app.services.enforcement import penalties
    from app.services.forms import enforcement_forms as ef
    from tests.services.enforcement.test_flows import a_penalty

    r = results.record(session, a_result_input(), office=ui_city.approval, operator="王芳")
    pd = penalties.record(session, a_penalty(r.licence_number), office=ui_city.housing, operator="赵强")
    session.commit()
    code = ef.penalty_form(session, pd).code
    changed = []
    window.ws.changed.connect(changed.append)

    def scan(dlg):
        qtbot.keyClicks(dlg.fields["code"], code)
        qtbot.keyClick(dlg.fields["code"], "\r")
        assert dlg.error_text() == ""
        text = dlg.summary.text()
        assert "行政处罚信息推送单" in text and r.applicant_name in text and "待签收" in text
        dlg.fields["signer"].setText("王芳")
        dlg.ok_button.click()
        assert "已登记" in dlg.done_label.text()
        dlg.reject()

    state = on_next_dialog(scan)
    window.act_receipt.trigger()
    check(state)
    session.expire_all()
    assert penalties.notice(session, pd).status == rules.SIGNED_OFF
    assert session.scalars(select(PaperReceipt)).one().signer == "王芳"
    assert changed == [r.id]


def test_a_stale_licence_change_slip_is_refused_in_the_box(qtbot, window, ui_city, session):
    from app.services.enforcement import licences, penalties
    from app.services.forms import enforcement_forms as ef
    from tests.services.enforcement.test_flows import a_decision, a_penalty

    r = results.record(session, a_result_input(), office=ui_city.approval, operator="王芳")
    pd = penalties.record(session, a_penalty(r.licence_number), office=ui_city.housing, operator="赵强")
    lc = licences.decide(session, pd, a_decision(), office=ui_city.approval, operator="王芳")
    session.commit()
    [form] = ef.licence_forms(session, lc)
    lc.content = "改过的决定内容。"
    session.commit()

    def scan(dlg):
        qtbot.keyClicks(dlg.fields["code"], form.code)
        qtbot.keyClick(dlg.fields["code"], "\r")
        assert "二维码与记录不符" in dlg.error_text() and not dlg.ok_button.isEnabled()
        dlg.reject()

    state = on_next_dialog(scan)
    window.act_receipt.trigger()
    check(state)
    session.expire_all()
    assert licences.pushes(session, lc)[0].status == rules.SENT
    assert session.scalars(select(PaperReceipt)).all() == []
