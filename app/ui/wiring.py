"""The one place where the window is built from a Database and everything is connected.

``build_main_window(database)`` shows no dialog: app.gui calls it after start-up questions
are settled, and a benchmark or a test can call it directly on any database.
"""

from __future__ import annotations

from app.db import Database
from app.ui import actions
from app.ui.main_window import MainWindow
from app.ui.result_model import ResultTableModel
from app.ui.workspace import Workspace


def build_main_window(database: Database, *, show: bool = False) -> MainWindow:
    """Build the main window over ``database``, wired to the actions, and load its first page."""
    ws = Workspace(database)
    model = ResultTableModel(ws.fetch_rows, ws.due_state)
    window = MainWindow(ws, model)
    ws.setParent(window)
    model.setParent(window)

    window.record_requested.connect(lambda: actions.record_result(ws, window))
    window.result_action_requested.connect(
        lambda action, rid: actions.run_result_action(ws, action, rid, window)
    )
    window.operator_requested.connect(lambda: actions.change_operator(ws, window))
    window.office_requested.connect(lambda oid: actions.switch_office(ws, oid))
    window.refresh_requested.connect(ws.reload)

    ws.changed.connect(lambda rid: window.refresh(rid))
    ws.office_changed.connect(window.apply_office)
    ws.operator_changed.connect(window.set_operator)

    window.apply_office()
    if show:
        window.show()
    return window


def workspace_of(window: MainWindow) -> Workspace:
    return window.ws

