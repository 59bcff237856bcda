"""The window's content once the database is open: views with counts, the filtered sortable
table and the detail pane, and everything that re-queries them.

It lives in the frame built by app.ui.main_window, whose actions, office switcher and status
labels it keeps up to date.

The list and the slow counts are queried in the background (app.ui.counter): a re-query
returns at once, the status bar says "正在查询…" while it runs, and when the newest rows
are in (``ResultTableModel.reloaded``) the row of the result in the detail pane is selected
again. The detail pane itself is one indexed query and updates at once.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.services import queries, rules
from app.ui.audit_model import audit_rows
from app.ui.counter import RowCounter
from app.ui.detail_pane import DetailPane
from app.ui.nav_list import NavList
from app.ui.result_model import ResultTableModel
from app.ui.workspace import Workspace

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

FILTER_DELAY_MS = 200
BUSY_DELAY_MS = 150  # a quick query ends before the busy indicator would flicker
BUSY_TEXT = "正在查询…"
COLUMN_WIDTHS = (80, 140, 200, 230, 190, 100, 160, 190)
# Work lists open most urgent first; the full list newest first.
VIEW_ORDER = {queries.ALL: ("decided_on", True)}
WORK_ORDER = ("due", False)


class WorkArea(QSplitter):
    def __init__(self, window: MainWindow, ws: Workspace, model: ResultTableModel):
        super().__init__()
        self.window_, self.ws, self.model = window, ws, model
        self._shown_id: uuid.UUID | None = None
        self._forget_unlisted = False  # after an office switch: clear the pane if not listed
        self._build()
        self._build_busy()
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.counter = RowCounter(ws.count_rows, self)
        self.counter.counted.connect(self._counted)
        self._counted_key = None
        self._count_timer = QTimer(self, singleShot=True, interval=0)
        self._count_timer.timeout.connect(self._update_slow_counts)
        self._day = clock.today()
        self._day_timer = QTimer(self, interval=10 * 60 * 1000)
        self._day_timer.timeout.connect(self._check_day)
        self._day_timer.start()

    def _build(self) -> None:
        self.nav = NavList()
        self.nav.setObjectName("navList")
        self.nav.view_selected.connect(self._view_selected)

        self.filter_edit = QLineEdit(objectName="filterEdit")
        self.filter_edit.setPlaceholderText("筛选：申请人、证照编号、事项名称或接收部门（Ctrl+F）")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())

        self.table = QTableView(objectName="resultTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, w in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(i, w)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # the model skips this first, unchanged order
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(self._double_clicked)

        middle = QWidget()
        box = QVBoxLayout(middle)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.filter_edit)
        box.addWidget(self.table)

        self.detail = DetailPane()
        self.detail.setObjectName("detailPane")
        self.detail.action_requested.connect(self.request)
        self.detail.audit.loader = lambda record_id: audit_rows(self.ws, record_id)

        self.addWidget(self.nav)
        self.addWidget(middle)
        self.addWidget(self.detail)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 3)
        self.setStretchFactor(2, 2)
        self.setSizes([170, 760, 430])
        self.setChildrenCollapsible(False)

    def _build_busy(self) -> None:
        """"正在查询…" in the status bar while the list is queried (left of the operator)."""
        self.busy_bar = QProgressBar(objectName="busyBar")
        self.busy_bar.setRange(0, 0)  # indeterminate: it moves, the window is alive
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedSize(64, 12)
        self.busy_label = QLabel(objectName="busyLabel")
        self.busy_label.setMaximumWidth(420)
        bar = self.window_.statusBar()
        bar.addWidget(self.busy_bar)
        bar.addWidget(self.busy_label)
        self.busy_bar.hide()
        self.busy_label.hide()
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self.model.loading_changed.connect(self._loading_changed)
        self.model.failed.connect(self._load_failed)
        self.model.reloaded.connect(self._reloaded)

    # -- what the window shows ---------------------------------------------------------

    def apply_office(self) -> None:
        """Rebuild what depends on the acting office: title, views, actions; then re-query."""
        ws, win = self.ws, self.window_
        office = ws.office
        win.set_office_choices(ws.local_offices, office)
        is_approval = bool(office and office.role == "approval")
        win.act_record.setEnabled(is_approval)
        win.act_record.setVisible(is_approval)
        self.nav.set_views(ws.views())
        self._configure_view(self.nav.current_view())
        win.set_operator(ws.operator_text())
        self._forget_unlisted = True  # the pane may show a record of the previous office's list
        self.refresh(keep_loaded=False, clear=True)

    def refresh(self, result_id: uuid.UUID | None = None, keep_loaded: bool = True,
                *, clear: bool = False) -> None:
        """Re-query everything shown; keep (or move to) the given result.

        The detail pane and the work counts update at once; the list is re-queried in the
        background and the result's row is selected when the rows are in (``_reloaded``)."""
        keep = result_id or self._shown_id
        self.nav.set_work_counts(self.ws.work_counts())
        self.show_result(keep)
        self.model.reload(keep_loaded=keep_loaded, clear=clear)
        self._update_today()
        self._count_timer.start()

    def show_result(self, result_id: uuid.UUID | None) -> None:
        from app.services.errors import NotFoundError

        detail = None
        if result_id is not None:
            try:
                detail = self.ws.detail(result_id)
            except NotFoundError:
                detail = None
        self._shown_id = result_id if detail is not None else None
        if detail is None:
            self.detail.clear()
        else:
            office_id = str(self.ws.office.id) if self.ws.office else None
            self.detail.show_detail(detail, office_id, lambda action: self.ws.step_refusal(
                rules.APPROVAL_PUSH.kind, detail.status, action))
        allowed = self.detail.allowed_actions()
        offered = self.detail.buttons
        for name, a in self.window_.result_actions.items():
            a.setEnabled(name in allowed)
            a.setToolTip(offered[name].toolTip() if name in offered else "")  # '': its text

    def shown_result_id(self) -> uuid.UUID | None:
        return self._shown_id

    def request(self, action: str) -> None:
        if self._shown_id is not None and action in self.detail.allowed_actions():
            self.window_.result_action_requested.emit(action, self._shown_id)

    def flush_filter(self) -> None:
        """Apply a pending filter now (the debounce timer would do it 200 ms later)."""
        if self._filter_timer.isActive():
            self._filter_timer.stop()
            self._apply_filter()

    def shutdown(self) -> None:
        self._day_timer.stop()
        self._busy_timer.stop()
        self.counter.wait()  # a count or a list query still running must not outlive the window
        self.model.wait()

    # -- internals ---------------------------------------------------------------------

    def _select_row(self, row: int) -> None:
        sm = self.table.selectionModel()
        index = self.model.index(row, 0)
        sm.blockSignals(True)
        sm.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        sm.blockSignals(False)
        self.table.scrollTo(index)

    def _row_changed(self, current, _previous) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.show_result(row.id if row else None)

    def _double_clicked(self, _index) -> None:
        allowed = self.detail.allowed_actions()
        if allowed:
            self.request(allowed[0])

    def _configure_view(self, view: str) -> None:
        key, descending = VIEW_ORDER.get(view, WORK_ORDER)
        self.model.configure(view, key, descending)
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # the indicator only; the model re-queries once, below
        header.setSortIndicator(
            self.model.sort_column(),
            Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder,
        )
        header.blockSignals(False)
        header.viewport().update()

    def _view_selected(self, view: str) -> None:
        self._configure_view(view)
        self.model.reload(clear=True)  # the old rows belong to another list
        self._count_timer.start()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter_edit.text())
        self._count_timer.start()

    def _reloaded(self) -> None:
        """The newest rows are in (the reset cleared the selection): select the shown result."""
        row = self.model.row_of(self._shown_id) if self._shown_id else -1
        if row >= 0:
            self._select_row(row)
        elif self._forget_unlisted and self._shown_id is not None:
            self.show_result(None)  # a record of the previous office's list
        self._forget_unlisted = False

    def _loading_changed(self, busy: bool) -> None:
        if busy:
            self.busy_label.hide()  # also an earlier failure: this query may well succeed
            self._busy_timer.start()
            self.table.viewport().setCursor(Qt.CursorShape.BusyCursor)  # works on, unlike WaitCursor
        else:
            self._busy_timer.stop()
            self.busy_bar.hide()
            self.busy_label.hide()
            self.table.viewport().unsetCursor()

    def _show_busy(self) -> None:
        self.busy_label.setStyleSheet("")
        self.busy_label.setText(BUSY_TEXT)
        self.busy_label.setToolTip("")
        self.busy_bar.show()
        self.busy_label.show()

    def _load_failed(self, message: str) -> None:
        self.busy_label.setStyleSheet("color:#B00020;")
        text = f"查询失败：{message}"
        metrics = self.busy_label.fontMetrics()
        self.busy_label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, 420))
        self.busy_label.setToolTip(message)
        self.busy_label.show()

    def _update_slow_counts(self) -> None:
        """Counts that may scan many rows: asked of a background thread, coalesced."""
        key = (self.ws.office, self.model.view, self.model.text)
        if key != self._counted_key:
            self.window_.count_label.setText(f"  {self._count_prefix()}正在统计…")
        self.counter.request(self.model.view, self.model.text)

    def _count_prefix(self) -> str:
        text = self.model.text
        return queries.VIEW_LABELS.get(self.model.view, "") + (f"（筛选：{text}）" if text else "") + "："

    def _counted(self, generation: int, view: str, text: str, n: int, total: int) -> None:
        if not self.counter.is_current(generation):
            return
        self._counted_key = (self.ws.office, view, text)
        self.window_.count_label.setText(f"  {self._count_prefix()}共 {n if n >= 0 else '?'} 条")
        self.nav.set_count(queries.ALL, total if total >= 0 else None)

    def _update_today(self) -> None:
        today = clock.today()
        try:
            reason = self.ws.calendar.day_status(today).reason
        except Exception:  # noqa: BLE001 - a calendar problem must not hide the date
            reason = ""
        self.window_.today_label.setText(f"今天：{today.year}年{today.month}月{today.day}日 {reason}  ")

    def _check_day(self) -> None:
        if clock.today() != self._day:  # past midnight: due states change
            self._day = clock.today()
            self.window_.refresh_requested.emit()
