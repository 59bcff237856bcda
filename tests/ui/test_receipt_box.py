"""登记回执 in the window: a scanner types the code and Enter; the sign-off is recorded."""

from __future__ import annotations

from datetime import date

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
