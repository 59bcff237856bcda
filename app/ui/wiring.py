"""The one place where the window is built from a Database and everything is connected.

``build_main_window(database)`` shows no dialog: a benchmark or a test calls it on any
database. app.gui paints the bare frame first (``MainWindow()``), opens the database, and
then calls ``attach_database(window, database)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.ui.main_window import MainWindow

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenuBar

    from app.db import Database

# The menu bar as a clerk reads it, left to right; the one place that decides the order (the
# pages only add their menus). A menu not named here goes just before 帮助.
MENU_ORDER = ("文件", "办理", "办件", "清单与名录", "数据交换", "设置", "帮助")


def order_menus(bar: QMenuBar) -> list[str]:
    """Put the menu bar's menus in :data:`MENU_ORDER`; returns their titles in the new order."""
    last = len(MENU_ORDER) - 1

    def rank(action) -> float:
        title = action.text().split("(")[0]
        return MENU_ORDER.index(title) if title in MENU_ORDER else last - 0.5

    for action in sorted(bar.actions(), key=rank):  # stable: unknown menus keep their order
        bar.removeAction(action)
        bar.addAction(action)
    return [a.text() for a in bar.actions()]


def attach_database(window: MainWindow, database: Database) -> MainWindow:
    """Fill ``window`` with the work over ``database``, wired to the actions; first page requested (it arrives from a background query)."""
    from app.ui import actions
    from app.ui.result_model import ResultTableModel
    from app.ui.workspace import Workspace

    ws = Workspace(database, window)
    model = ResultTableModel(ws.fetch_rows, ws.due_state, window)
    window.attach(ws, model)

    window.record_requested.connect(lambda: actions.record_result(ws, window))
    window.result_action_requested.connect(
        lambda action, rid: actions.run_result_action(ws, action, rid, window)
    )
    window.operator_requested.connect(lambda: actions.change_operator(ws, window))
    window.office_requested.connect(lambda oid: actions.switch_office(ws, oid))
    window.refresh_requested.connect(ws.reload)
    _wire_exchange(window, ws)
    _wire_lists(window, ws)
    _wire_dispatches(window, ws)
    _wire_forms(window, ws)
    _wire_backups(window, ws)
    order_menus(window.menuBar())

    ws.changed.connect(lambda rid: window.refresh(rid))
    ws.office_changed.connect(window.apply_office)
    ws.operator_changed.connect(window.set_operator)
    # The step buttons follow the operator's role (operators.allows, as the services check).
    ws.operator_changed.connect(lambda _text: window.show_result(window.shown_result_id()))

    window.apply_office()
    return window


def _wire_forms(window: MainWindow, ws) -> None:
    """Printed forms and the 登记回执 box (app.ui.forms_actions, app.ui.receipt_box)."""

    def form(name: str) -> None:
        from app.ui import forms_actions

        if name == "transmittal":
            forms_actions.print_transmittal(ws, window.shown_result_id(), window)
        elif name == "batch":
            forms_actions.print_batch(ws, window)
        elif name == "keyform":
            forms_actions.print_keyform(ws, window)
        else:
            forms_actions.font_settings(ws, window)

    def receipt() -> None:
        from app.ui.receipt_box import scan_receipt

        scan_receipt(ws, window)

    window.form_requested.connect(form)
    window.detail.print_requested.connect(lambda: form("transmittal"))
    window.receipt_requested.connect(receipt)


def _wire_exchange(window: MainWindow, ws) -> None:
    """数据交换 (app.ui.exchange_page): a menu of its own, opening the page."""
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMenu

    def open_page() -> None:
        from app.ui.exchange_page import open_exchange_page

        open_exchange_page(ws, window)

    window.act_exchange = QAction("数据交换（导出、导入、单位名录）…", window,
                                  shortcut=QKeySequence("Ctrl+Shift+X"), objectName="act_exchange")
    window.act_exchange.triggered.connect(open_page)
    menu = QMenu("数据交换(&X)", window)
    menu.addAction(window.act_exchange)
    window.menuBar().addMenu(menu)  # placed by order_menus


def _wire_dispatches(window: MainWindow, ws) -> None:
    """办件 (app.ui.dispatch_page, app.ui.oversight_page): a menu of its own."""
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMenu

    def open_page() -> None:
        from app.ui.dispatch_page import open_dispatch_page

        open_dispatch_page(ws, window)

    def open_oversight() -> None:
        from app.ui.oversight_page import open_oversight_page

        open_oversight_page(ws, window)

    window.act_dispatches = QAction("办件（全部事项）…", window, shortcut=QKeySequence("Ctrl+Shift+D"),
                                    objectName="act_dispatches")
    window.act_dispatches.triggered.connect(open_page)
    window.act_oversight = QAction("督办统计（按时率、通报、月度汇总）…", window, objectName="act_oversight")
    window.act_oversight.triggered.connect(open_oversight)
    menu = QMenu("办件(&D)", window)
    menu.addAction(window.act_dispatches)
    menu.addAction(window.act_oversight)
    window.menuBar().addMenu(menu)  # placed by order_menus


def _wire_lists(window: MainWindow, ws) -> None:
    """清单与名录 (app.ui.lists_page): a menu of its own, opening the page."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    def open_page() -> None:
        from app.ui.lists_page import open_lists_page

        open_lists_page(ws, window)

    window.act_lists = QAction("事项清单、实施清单、专家库、联络员…", window, objectName="act_lists")
    window.act_lists.triggered.connect(open_page)
    menu = QMenu("清单与名录(&L)", window)
    menu.addAction(window.act_lists)
    window.menuBar().addMenu(menu)  # placed by order_menus


def _wire_backups(window: MainWindow, ws) -> None:
    """备份与恢复 (app.ui.backup_page): an entry at the end of the 设置 menu."""
    from PySide6.QtGui import QAction

    def open_page() -> None:
        from app.ui.backup_page import open_backup_page

        open_backup_page(ws, window)

    window.act_backups = QAction("备份与恢复…", window, objectName="act_backups")
    window.act_backups.triggered.connect(open_page)
    for action in window.menuBar().actions():
        if action.text().split("(")[0] == "设置" and action.menu() is not None:
            action.menu().addSeparator()
            action.menu().addAction(window.act_backups)


def build_main_window(database: Database, *, show: bool = False) -> MainWindow:
    """Build the main window over ``database`` with no dialog at all."""
    window = attach_database(MainWindow(), database)
    if show:
        window.show()
    return window
