"""GUI fixtures: the real main window over a real temporary SQLite database.

Dialogs are driven for real: :func:`on_next_dialog` schedules a handler that runs once the
next modal dialog is open (``exec()`` blocks the test until the handler closes it).

The table model queries in a background thread: after anything that re-queries the list,
:func:`wait_loaded` waits (running the event loop) until the newest rows are in.
"""

from __future__ import annotations

import threading
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


def on_next_dialog(handler: Callable[[QDialog], None], timeout_ms: int = 5000, *,
                   cls: type | None = None) -> dict:
    """Run ``handler(dialog)`` on the next modal dialog (of class ``cls`` if given: progress
    dialogs pass by); the dialog is closed if it raises."""
    state: dict = {"done": False, "error": None, "dialog": None}
    waited = [0]

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None or (cls is not None and not isinstance(dialog, cls)):
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


class Gate:
    """A fetch function that waits until :meth:`open`: a slow query whenever a test wants one.

    ``calls`` records the arguments of every query that started (in the worker thread)."""

    def __init__(self, fetch: Callable):
        self.fetch = fetch
        self.calls: list[tuple] = []
        self.started = threading.Event()
        self._open = threading.Event()

    def __call__(self, *args):
        self.calls.append(args)
        self.started.set()
        self._open.wait(10)  # never forever, should a test fail before opening
        return self.fetch(*args)

    def open(self) -> None:
        self._open.set()


@pytest.fixture
def gate():
    """``gate(model)`` makes the model's queries wait until ``.open()``; opened at the end."""
    made: list[Gate] = []

    def install(model) -> Gate:
        made.append(Gate(model.fetch))
        model.fetch = made[-1]
        return made[-1]

    yield install
    for g in made:
        g.open()


def timeline_rows(window) -> list[list[str]]:
    """The detail pane's 办理记录 as text, read through the view's model (any item view)."""
    m = window.detail.timeline.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def wait_loaded(qtbot, model, timeout: int = 5000) -> None:
    """Let the event loop run until the model's newest query has been answered and applied."""
    qtbot.waitUntil(lambda: not model.loading, timeout=timeout)


@pytest.fixture
def window(qtbot, db, ui_city):
    from app.ui.wiring import build_main_window

    w = build_main_window(db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    wait_loaded(qtbot, w.model)
    yield w
    w.close()  # waits for a query still running in the background before the database goes


def add_results(session, city, n: int, **kw) -> list:
    """Record ``n`` results through the service (committed)."""
    made = []
    for i in range(n):
        data = a_result_input(licence_number=f"LIC-{i:06d}", **kw)
        made.append(results.record(session, data, office=city.approval, operator="王芳"))
    session.commit()
    return made


APPLICANTS = ["丁", "甲", "戊", "乙", "己", "丙"]


def add_applicants(session, city) -> list:
    """Six results whose applicants, licence numbers and record order all sort differently."""
    made = []
    for i, name in enumerate(APPLICANTS):
        data = a_result_input(licence_number=f"LIC-{(7 * i) % 6}", applicant_name=f"营口{name}商贸有限公司")
        made.append(results.record(session, data, office=city.approval, operator="王芳"))
    session.commit()
    return made
