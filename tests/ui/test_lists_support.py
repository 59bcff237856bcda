"""Shared pieces of the 清单与名录 window tests: a city with lists in it, the page over it, and
a dialog driver that waits for a dialog of a given class (a progress dialog may come first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.services import liaison, pools
from app.services.catalogue import versions
from app.services.sheets import consent, notices
from tests.conftest import valid_uscc
from tests.services.sheets.conftest import prepare

TITLE = "营口市相对集中行政许可事项清单（2026年版）"


def fill_lists(session, city) -> None:
    """Demo-like lists: version 1 in force, draft 2 changed; a handed-over sheet with a pending
    key-element change; a policy notice; experts and agencies (one expired); liaison officers."""
    n = versions.create_draft(session, city.oversight, TITLE, "items")
    versions.record_opinion(session, n, "YK-SPJ", True, "同意")
    versions.evaluate(session, n)
    versions.approve(session, n, "营政发〔2026〕12号", date(2026, 11, 20))
    versions.put_in_force(session, city.oversight, n, date(2026, 11, 24))
    d = versions.create_draft(session, city.oversight, "营口市相对集中行政许可事项清单（2027年版）", n)
    versions.add_entry(session, d, "ZJ-002", "建设工程消防设计审查", "行政许可", "YK-ZJJ", "county")
    versions.edit_entry(session, d, "SJ-001", name="食品经营许可（含仅销售预包装食品备案）")
    prepare(session, city.housing)
    consent.propose(session, "ZJ-001", "materials", "施工许可申请表；建设工程规划许可证", "减少申请材料",
                    office=city.approval, operator="王芳")
    notices.send(session, notices.NOTICE, office=city.market, operator="赵敏", title="食品经营许可审查细则修订",
                 content="自2027年1月1日起施行新的审查细则。", basis="《食品经营许可和备案管理办法》")
    pools.add(session, pools.EXPERT, {"name": "张伟", "specialty": "建筑结构", "title": "高级工程师",
                                      "employer": "营口市建筑设计院", "phone": "13904170001", "office": "YK-ZJJ",
                                      "valid_until": date(2028, 12, 31)})
    pools.add(session, pools.EXPERT, {"name": "李娜", "specialty": "食品安全", "title": "副研究员",
                                      "employer": "营口市食品检验所", "phone": "13904170002", "office": "YK-SJJ",
                                      "valid_until": date(2026, 10, 31)})
    pools.add(session, pools.EXPERT, {"name": "王强", "specialty": "岩土工程", "phone": "13904170003",
                                      "office": "YK-ZJJ", "valid_until": date(2026, 12, 10)})
    pools.add(session, pools.AGENCY, {"name": "营口诚信工程造价咨询有限公司", "credit_code": valid_uscc(),
                                      "scope": "工程造价咨询", "qualification": "甲级", "contact_name": "刘洋",
                                      "phone": "0417-2345678", "office": "YK-ZJJ",
                                      "valid_until": date(2026, 11, 1)})
    liaison.add(session, "YK-SPJ", "王芳", "13904171111", "审批结果推送")
    liaison.add(session, "YK-SPJ", "陈静", "13904172222", "推送、回执登记")
    liaison.add(session, "YK-ZJJ", "孙磊", "13904173333", "签收、启动监管")
    session.commit()


@pytest.fixture
def lists_city(session, ui_city):
    """The small city with the oversight office local too (the demo plays every office)."""
    ui_city.oversight.is_local = True
    session.commit()
    return ui_city


@pytest.fixture
def make_page(qtbot, db, lists_city):
    """``make_page(code)`` — the 清单与名录 window acting as the office ``code``."""
    from app.ui.lists_page import ListsPage
    from app.ui.workspace import Workspace

    def make(code: str = "YK-YSJ"):
        ws = Workspace(db)
        ws.set_office(next(o.id for o in ws.local_offices if o.code == code))
        page = ListsPage(ws)
        qtbot.addWidget(page)
        return page

    return make


def when_dialog(cls: type, handler: Callable[[QDialog], None], timeout_ms: int = 8000) -> dict:
    """Run ``handler(dialog)`` once a modal dialog of ``cls`` is open (others are waited past)."""
    state: dict = {"done": False, "error": None, "dialog": None}
    waited = [0]

    def poll():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls) or not dialog.isVisible():
            waited[0] += 10
            if waited[0] < timeout_ms:
                QTimer.singleShot(10, poll)
            return
        state["dialog"] = dialog
        try:
            handler(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised by done()
            state["error"] = exc
        finally:
            if dialog.isVisible():
                dialog.reject()
            state["done"] = True

    QTimer.singleShot(0, poll)
    return state


def done(state: dict) -> QDialog:
    if state["error"] is not None:
        raise state["error"]
    assert state["done"], "no such dialog was opened"
    return state["dialog"]


def fill(dialog, **values) -> None:
    """Set form fields by name (line edits, text boxes, combos by data, dates, check boxes)."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit

    for name, value in values.items():
        w = dialog.fields[name]
        if isinstance(w, QLineEdit):
            w.setText(value)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value)
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            assert i >= 0, (name, value)
            w.setCurrentIndex(i)
        elif isinstance(w, QDateEdit):
            w.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(w, QCheckBox):
            w.setChecked(value)


def submit(dialog, **values) -> None:
    """Fill and press OK; the dialog must close (else its error text fails the test)."""
    fill(dialog, **values)
    dialog.ok_button.click()
    assert not dialog.isVisible(), dialog.error_text()


def cells(table, row: int) -> list[str]:
    m = table.model()
    return [m.index(row, c).data() for c in range(m.columnCount())]


def column(table, col: int = 0) -> list[str]:
    m = table.model()
    return [m.index(r, col).data() for r in range(m.rowCount())]
