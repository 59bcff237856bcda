"""The window offers what the signed-in operator's role allows (operators.allows, the services'
own answer): 管理员 entries hidden or disabled for anyone else, 负责人 steps disabled with the
role named, all following a change of operator; without accounts everything as before."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Office
from app.services import operators, results
from app.services.sheets import consent
from app.ui import accounts as accounts_ui
from tests.conftest import a_result_input
from tests.services.sheets.conftest import prepare
from tests.ui.conftest import on_next_dialog
from tests.ui.test_sign_in import _window, accounts  # noqa: F401 - the fixture

ONLY_HEAD, ONLY_ADMIN = "仅负责人可用", "仅管理员可用"


def _office(session, code):
    return session.scalar(select(Office).where(Office.code == code))


@pytest.fixture
def pushed(session, accounts):  # noqa: F811 - the imported fixture
    """A result pushed by the approval bureau to YK-ZJJ (waiting for 签收 or 退回)."""
    operators.act_as(session, accounts["clerk"])
    spj = _office(session, "YK-SPJ")
    r = results.record(session, a_result_input(), office=spj, operator="张三")
    results.push(session, r, office=spj, operator="张三")
    session.commit()
    operators.act_as(session, None)
    return r


@pytest.fixture
def opened(monkeypatch):
    """Records the accounts dialogs opened instead of showing them."""
    seen = []
    monkeypatch.setattr(accounts_ui.OperatorsDialog, "exec", lambda self: seen.append(self) or 0)
    return seen


def test_the_accounts_entry_follows_the_operator(qtbot, db, accounts, opened):  # noqa: F811
    w = _window(qtbot, db, accounts["clerk"])
    assert not w.act_accounts.isVisible()
    w.act_accounts.trigger()  # a shortcut or a stale menu: nothing opens for a clerk
    assert opened == []
    w.ws.set_account(accounts["admin"])
    assert w.act_accounts.isVisible()
    assert w.operator_label.text().strip() == "操作员：系统管理员（管理员）"
    w.act_accounts.trigger()
    assert len(opened) == 1
    w.ws.set_account(accounts["head"])
    assert not w.act_accounts.isVisible()
    assert w.operator_label.text().strip() == "操作员：李四（负责人）"


def test_the_roster_import_is_the_admins(qtbot, db, accounts, tmp_path):  # noqa: F811
    from app.ui.exchange_page import open_exchange_page

    w = _window(qtbot, db, accounts["clerk"])
    page = open_exchange_page(w.ws, w)
    qtbot.addWidget(page)
    assert not page.rosterButton.isEnabled() and page.rosterButton.toolTip() == ONLY_ADMIN
    assert page.exportButton.isEnabled() and page.importButton.isEnabled()
    assert "尚未生成（请管理员打开本页生成）" in page.identity.text()  # a clerk makes no key
    assert page.import_roster(tmp_path / "roster.json") is False
    assert "须由管理员导入" in page.message_text() and "未导入" not in page.message_text()
    w.ws.set_account(accounts["admin"])
    assert page.rosterButton.isEnabled() and page.rosterButton.toolTip() == ""
    assert "尚未生成" not in page.identity.text()  # the admin's visit made the key
    w.ws.set_account(accounts["clerk"])
    assert not page.rosterButton.isEnabled()
    assert "尚未生成" not in page.identity.text()
    page.close()


def test_a_clerk_sees_the_heads_steps_disabled(qtbot, db, session, accounts, pushed):  # noqa: F811
    w = _window(qtbot, db, accounts["clerk"])
    w.ws.set_office(_office(session, "YK-ZJJ").id)
    w.show_result(pushed.id)
    for action in ("sign_off", "return"):
        button = w.detail.buttons[action]
        assert not button.isEnabled() and button.toolTip() == ONLY_HEAD
        assert not w.result_actions[action].isEnabled()
        assert w.result_actions[action].toolTip() == ONLY_HEAD
    assert w.detail.allowed_actions() == ()
    state = on_next_dialog(lambda dlg: dlg.reject(), timeout_ms=300)
    w.result_actions["sign_off"].trigger()  # Ctrl+K: no dialog opens
    w.area.request("return")
    qtbot.wait(400)
    assert not state["done"]
    w.ws.set_account(accounts["head"])  # the pane follows at once
    for action in ("sign_off", "return"):
        assert w.detail.buttons[action].isEnabled() and w.detail.buttons[action].toolTip() == ""
        assert w.result_actions[action].isEnabled()
    assert set(w.detail.allowed_actions()) == {"sign_off", "return"}


def test_the_dispatch_page_disables_the_heads_steps(qtbot, db, session, accounts, pushed):  # noqa: F811
    from app.ui.dispatch_page import open_dispatch_page

    w = _window(qtbot, db, accounts["clerk"])
    w.ws.set_office(_office(session, "YK-ZJJ").id)
    page = open_dispatch_page(w.ws, w)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    assert page.current.row.kind == results.KIND
    buttons = page.action_buttons
    assert {"sign_off", "return"} <= set(buttons)
    assert all(not buttons[a].isEnabled() and buttons[a].toolTip() == ONLY_HEAD for a in ("sign_off", "return"))
    w.ws.set_account(accounts["head"])
    assert all(page.action_buttons[a].isEnabled() for a in ("sign_off", "return"))
    page.close()


def test_the_consent_answer_is_the_heads(qtbot, db, session, ui_city, accounts):  # noqa: F811
    from app.ui.lists_notices import NoticesTab
    from app.ui.workspace import Workspace

    prepare(session, ui_city.housing)
    operators.act_as(session, accounts["clerk"])
    consent.propose(session, "ZJ-001", "materials", "施工许可申请表", "减少申请材料",
                    office=ui_city.approval, operator="张三")
    session.commit()
    ws = Workspace(db)
    ws.set_account(accounts["clerk"])
    ws.set_office(ui_city.housing.id)
    tab = NoticesTab(ws)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.table.selectRow(next(i for i in range(tab.model.rowCount()) if tab.model.item(i).kind == "consent"))
    for name in ("consentButton", "refuseButton"):
        assert not getattr(tab, name).isEnabled() and getattr(tab, name).toolTip() == ONLY_HEAD
    assert tab.take("consent") is False
    ws.set_account(accounts["head"])
    assert tab.consentButton.isEnabled() and tab.refuseButton.isEnabled()


def test_without_accounts_everything_is_offered(qtbot, window, session, ui_city):
    assert window.ws.account is None and window.ws.may(operators.ADMIN) and window.ws.may(operators.HEAD)
    r = results.record(session, a_result_input(), office=ui_city.approval, operator="王芳")
    results.push(session, r, office=ui_city.approval, operator="王芳")
    session.commit()
    window.ws.set_office(ui_city.housing.id)
    window.show_result(r.id)
    assert set(window.detail.allowed_actions()) == {"sign_off", "return"}
    assert window.detail.buttons["sign_off"].toolTip() == ""
    assert not hasattr(window, "act_accounts")  # no accounts: no accounts entry, as before
