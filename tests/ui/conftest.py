"""GUI fixtures: the real main window over a real temporary SQLite database.

Dialogs are driven for real: :func:`on_next_dialog` schedules a handler that runs once the
next modal dialog is open (``exec()`` blocks the test until the handler closes it).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.services import results
from app.services import settings as settings_service
from tests.conftest import a_result_input


@pytest.fixture(scope="session", autouse=True)
def bundled_font(qapp):
    from app.ui.fonts import load_bundled_font

    return load_bundled_font(qapp)


@pytest.fixture(autouse=True)
def no_blocking_message_boxes(monkeypatch):
    """Message boxes would block the run: record them instead."""
    shown: list[tuple[str, str]] = []

    def fake(kind):
        def show(_parent, title, text, *a, **k):
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok

        return show

    for kind in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return shown


def on_next_dialog(handler: Callable[[QDialog], None], timeout_ms: int = 5000) -> dict:
    """Run ``handler(dialog)`` on the next modal dialog; the dialog is closed if it raises."""
    state: dict = {"done": False, "error": None, "dialog": None}
    waited = [0]

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            waited[0] += 10
            if waited[0] < timeout_ms:
                QTimer.singleShot(10, poll)
            return
        state["dialog"] = dialog
        try:
            handler(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised by check()
            state["error"] = exc
            if dialog.isVisible():
                dialog.reject()
        finally:
            state["done"] = True

    QTimer.singleShot(0, poll)
    return state


def check(state: dict) -> QDialog:
    """Fail the test with the handler's own error, if any."""
    if state["error"] is not None:
        raise state["error"]
    assert state["done"], "no modal dialog was opened"
    return state["dialog"]


@pytest.fixture
def ui_city(session, city, frozen):
    """The small city with an operator set; the clock frozen at Wed 2026-11-25 10:00."""
    settings_service.put(session, settings_service.OPERATOR, "王芳")
    session.commit()
    return city


@pytest.fixture
def window(qtbot, db, ui_city):
    from app.ui.wiring import build_main_window

    w = build_main_window(db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def add_results(session, city, n: int, **kw) -> list:
    """Record ``n`` results through the service (committed)."""
    made = []
    for i in range(n):
        data = a_result_input(licence_number=f"LIC-{i:06d}", **kw)
        made.append(results.record(session, data, office=city.approval, operator="王芳"))
    session.commit()
    return made
