"""Sign-in at start, the first 管理员, role rules in the window, the accounts dialog."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from app.models import Operator
from app.services import operators, results
from tests.conftest import a_result_input
from tests.ui.conftest import check, on_next_dialog

PW = "geheim12345"


@pytest.fixture
def accounts(session, ui_city):
    admin = operators.create(session, "admin", "系统管理员", PW, operators.ADMIN)
    operators.act_as(session, admin)
    clerk = operators.create(session, "zhang", "张三", PW, operators.CLERK)
    head = operators.create(session, "li", "李四", PW, operators.HEAD)
    session.commit()
    operators.act_as(session, None)
    return {"admin": admin, "clerk": clerk, "head": head}


def _sign_in_dialog(qtbot, db):
    from app.ui.sign_in import SignInDialog

    dlg = SignInDialog(db)
    qtbot.addWidget(dlg)
    return dlg


def _try(dlg, user, password):
    dlg.username.setText(user)
    dlg.password.setText(password)
    dlg.ok_button.click()
    return dlg.error_text()


def test_sign_in_refuses_locks_and_unlocks(qtbot, db, accounts, frozen):
    frozen(datetime(2026, 11, 25, 10, 0))
    dlg = _sign_in_dialog(qtbot, db)
    assert dlg.buttons.button(dlg.buttons.StandardButton.Cancel).text() == "退出"
    assert _try(dlg, "zhang", "wrong-password-1") == "用户名或密码不正确。"
    assert dlg.password.text() == ""  # typed again
    assert _try(dlg, "nobody", PW) == "用户名或密码不正确。"
    for _ in range(3):
        _try(dlg, "zhang", "wrong-password-1")
    assert "账户已锁定，请于 10:15 后再试或请管理员解锁" in _try(dlg, "zhang", "wrong-password-1")
    frozen(datetime(2026, 11, 25, 10, 10))
    assert "账户已锁定" in _try(dlg, "zhang", PW)
    assert dlg.result() != QDialog.DialogCode.Accepted
    frozen(datetime(2026, 11, 25, 10, 15))
    _try(dlg, "zhang", PW)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.result_value.display_name == "张三"


def test_start_asks_an_upgraded_database_for_its_admin(qtbot, db, ui_city):
    from app.ui.sign_in import CreateAdminDialog, sign_in_at_start

    def fill(dlg):
        assert isinstance(dlg, CreateAdminDialog)
        dlg.admin_user.setText("wangfang")
        dlg.admin_name.setText("王芳")
        dlg.admin_password.setText(PW)
        dlg.admin_again.setText(PW + "x")
        dlg.ok_button.click()
        assert "不一致" in dlg.error_text()
        dlg.admin_again.setText(PW)
        dlg.ok_button.click()

    state = on_next_dialog(fill)
    account = sign_in_at_start(db)
    check(state)
    assert (account.username, account.role) == ("wangfang", "admin")
    with db.sessions() as s:
        stored = s.scalar(select(Operator.password_hash))
    assert stored.startswith("scrypt$") and PW not in stored
    state = on_next_dialog(lambda dlg: dlg.reject())
    assert sign_in_at_start(db, demo=True) is False  # accounts exist now: even the demo signs in
    assert "登录" in check(state).windowTitle()


def test_exit_on_the_sign_in_dialog(qtbot, db, accounts):
    from app.ui.sign_in import sign_in_at_start

    state = on_next_dialog(lambda dlg: dlg.reject())
    assert sign_in_at_start(db) is False
    check(state)


def test_demo_without_accounts_needs_no_sign_in(qtbot, db, ui_city):
    from app.ui.sign_in import sign_in_at_start

    assert sign_in_at_start(db, demo=True) is None


def _window(qtbot, db, account):
    from app.ui.accounts import wire_accounts
    from app.ui.wiring import build_main_window

    w = build_main_window(db)
    qtbot.addWidget(w)
    wire_accounts(w, w.ws, account)
    return w


def test_a_clerk_cannot_sign_off(qtbot, db, session, accounts, frozen):
    from app.ui import actions

    operators.act_as(session, accounts["clerk"])
    r = results.record(session, a_result_input(), office=_office(session, "YK-SPJ"), operator="张三")
    results.push(session, r, office=_office(session, "YK-SPJ"), operator="张三")
    session.commit()
    w = _window(qtbot, db, accounts["clerk"])
    assert w.operator_label.text().strip() == "操作员：张三（经办人）"
    w.ws.set_office(_office(session, "YK-ZJJ").id)
    seen = []

    def confirm(dlg):
        dlg.ok_button.click()
        seen.append(dlg.error_text())
        dlg.reject()

    state = on_next_dialog(confirm)
    assert not actions.sign_off(w.ws, r.id, w)
    check(state)
    assert seen == ["只有负责人可以签收（当前操作员：张三，经办人）。"]
    w.ws.set_account(accounts["head"])
    state = on_next_dialog(lambda dlg: dlg.ok_button.click())
    assert actions.sign_off(w.ws, r.id, w)
    check(state)
    session.expire_all()
    events = results.current_push(session, session.merge(r)).events
    assert [e.operator for e in events] == ["张三", "张三", "李四"]


def _office(session, code):
    from app.models import Office

    return session.scalar(select(Office).where(Office.code == code))


def test_admin_sees_the_accounts_dialog_a_clerk_does_not(qtbot, db, accounts,
                                                         no_blocking_message_boxes):
    clerk_window = _window(qtbot, db, accounts["clerk"])
    assert not clerk_window.act_accounts.isVisible() and clerk_window.act_password.isVisible()
    assert not clerk_window.act_operator.isVisible()  # no free-text name with accounts
    w = _window(qtbot, db, accounts["admin"])
    assert w.act_accounts.isVisible()
    from app.ui.accounts import OperatorsDialog

    dlg = OperatorsDialog(w.ws, w)
    qtbot.addWidget(dlg)
    assert [dlg.table.item(i, 0).text() for i in range(dlg.table.rowCount())] == ["admin", "li", "zhang"]

    def add(form):
        form.username.setText("zhao")
        form.display_name.setText("赵强")
        form.role.setCurrentIndex(form.role.findData("head"))
        form.password.setText(PW)
        form.again.setText(PW)
        form.ok_button.click()

    state = on_next_dialog(add)
    dlg.add()
    check(state)
    assert "zhao" in [dlg.table.item(i, 0).text() for i in range(dlg.table.rowCount())]
    dlg.table.selectRow(0)  # admin: the only one
    dlg.deactivate()
    [(kind, message)] = no_blocking_message_boxes
    assert kind == "warning" and "唯一的管理员" in message
