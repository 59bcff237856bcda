"""The main window: work views with counts, a filtered sortable table, the detail pane.

The window only shows things and emits requests; app.ui.wiring connects the requests to
app.ui.actions and the workspace's ``changed`` signal back to :meth:`refresh`.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.services import queries
from app.ui.counter import RowCounter
from app.ui.detail_pane import DetailPane
from app.ui.nav_list import NavList
from app.ui.result_model import ResultTableModel
from app.ui.workspace import Workspace

APP_TITLE = "审管通"
FILTER_DELAY_MS = 200
RESULT_ACTIONS = (  # (action, toolbar text, shortcut)
    ("send", "推送…", "Ctrl+P"),
    ("sign_off", "签收…", "Ctrl+K"),
    ("return", "退回…", "Ctrl+R"),
    ("start_supervision", "启动监管…", "Ctrl+J"),
)
COLUMN_WIDTHS = (80, 140, 200, 230, 190, 100, 160, 190)
# Work lists open most urgent first; the full list newest first.
VIEW_ORDER = {queries.ALL: ("decided_on", True)}
WORK_ORDER = ("due", False)


class MainWindow(QMainWindow):
    record_requested = Signal()
    result_action_requested = Signal(str, object)  # action, result id
    operator_requested = Signal()
    office_requested = Signal(object)  # office id
    refresh_requested = Signal()

    def __init__(self, ws: Workspace, model: ResultTableModel, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.model = model
        self._shown_id: uuid.UUID | None = None
        self.resize(1360, 820)
        self._build_actions()
        self._build_central()
        self._build_toolbar()
        self._build_menus()
        self._build_status()
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

    # -- construction ------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.act_record = QAction("登记审批结果…", self, shortcut=QKeySequence("Ctrl+N"))
        self.act_record.setObjectName("act_record")
        self.act_record.triggered.connect(self.record_requested)
        self.result_actions: dict[str, QAction] = {}
        for action, text, key in RESULT_ACTIONS:
            a = QAction(text, self, shortcut=QKeySequence(key), enabled=False)
            a.setObjectName(f"act_{action}")
            a.triggered.connect(lambda _=False, name=action: self._request(name))
            self.result_actions[action] = a
        self.act_refresh = QAction("刷新", self, shortcut=QKeySequence("F5"))
        self.act_refresh.triggered.connect(self.refresh_requested)
        self.act_operator = QAction("操作员姓名…", self)
        self.act_operator.triggered.connect(self.operator_requested)
        self.act_quit = QAction("退出", self, shortcut=QKeySequence("Ctrl+Q"))
        self.act_quit.triggered.connect(self.close)
        self.act_find = QAction("查找", self, shortcut=QKeySequence("Ctrl+F"))
        self.act_find.triggered.connect(lambda: self.filter_edit.setFocus())
        self.addAction(self.act_find)

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("办理")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.office_label = QLabel("  当前单位：")
        self.office_combo = QComboBox(objectName="officeCombo")
        self.office_combo.setMinimumWidth(260)
        self.office_combo.activated.connect(
            lambda i: self.office_requested.emit(uuid.UUID(self.office_combo.itemData(i)))
        )
        self._office_widgets = (bar.addWidget(self.office_label), bar.addWidget(self.office_combo))
        bar.addSeparator()
        bar.addAction(self.act_record)
        bar.addSeparator()
        for a in self.result_actions.values():
            bar.addAction(a)
        bar.addSeparator()
        bar.addAction(self.act_refresh)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        m = menu.addMenu("文件(&F)")
        m.addAction(self.act_refresh)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = menu.addMenu("办理(&W)")
        m.addAction(self.act_record)
        m.addSeparator()
        for a in self.result_actions.values():
            m.addAction(a)
        m = menu.addMenu("设置(&S)")
        m.addAction(self.act_operator)

    def _build_central(self) -> None:
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
        self.table.setSortingEnabled(True)  # sorts (queries) once, by the indicator
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(self._double_clicked)

        middle = QWidget()
        box = QVBoxLayout(middle)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.filter_edit)
        box.addWidget(self.table)

        self.detail = DetailPane()
        self.detail.setObjectName("detailPane")
        self.detail.action_requested.connect(self._request)

        split = QSplitter()
        split.addWidget(self.nav)
        split.addWidget(middle)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        split.setSizes([170, 760, 430])
        split.setChildrenCollapsible(False)
        self.setCentralWidget(split)

    def _build_status(self) -> None:
        self.count_label = QLabel(objectName="countLabel")
        self.operator_label = QLabel(objectName="operatorLabel")
        self.today_label = QLabel(objectName="todayLabel")
        bar = self.statusBar()
        bar.addWidget(self.count_label, 1)
        bar.addPermanentWidget(self.operator_label)
        bar.addPermanentWidget(self.today_label)

    # -- state from the workspace ----------------------------------------------------------

    def apply_office(self) -> None:
        """Rebuild what depends on the acting office: title, views, actions; then re-query."""
        ws = self.ws
        office = ws.office
        name = office.name if office else "（未设置本单位）"
        self.setWindowTitle(f"{APP_TITLE} — {name}")
        self.office_combo.blockSignals(True)
        self.office_combo.clear()
        for o in ws.local_offices:
            self.office_combo.addItem(f"{o.name}（{o.role_label}）", str(o.id))
        if office:
            self.office_combo.setCurrentIndex(self.office_combo.findData(str(office.id)))
        self.office_combo.blockSignals(False)
        for w in self._office_widgets:
            w.setVisible(len(ws.local_offices) > 1)
        self.act_record.setEnabled(bool(office and office.role == "approval"))
        self.act_record.setVisible(bool(office and office.role == "approval"))
        self.nav.set_views(ws.views())
        self._configure_view(self.nav.current_view())
        self.set_operator(ws.operator)
        self.refresh(keep_loaded=False)
        if self._shown_id is not None and self.model.row_of(self._shown_id) < 0:
            self.show_result(None)  # a record of the previous office's list

    def set_operator(self, name: str) -> None:
        self.operator_label.setText(f"操作员：{name or '（未设置）'}  ")

    def refresh(self, result_id: uuid.UUID | None = None, keep_loaded: bool = True) -> None:
        """Re-query everything shown; keep (or move to) the given result."""
        keep = result_id or self._shown_id
        self.nav.set_work_counts(self.ws.work_counts())
        self.model.reload(keep_loaded=keep_loaded)
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self._select_row(row)
        if keep is not None:
            self.show_result(keep)
        else:
            self.show_result(None)
        self._update_today()
        self._count_timer.start()

    def show_result(self, result_id: uuid.UUID | None) -> None:
        from app.services.errors import NotFoundError

        self._shown_id = result_id
        detail = None
        if result_id is not None:
            try:
                detail = self.ws.detail(result_id)
            except NotFoundError:
                detail = None
        if detail is None:
            self._shown_id = None
            self.detail.clear()
        else:
            office_id = str(self.ws.office.id) if self.ws.office else None
            self.detail.show_detail(detail, office_id)
        allowed = self.detail.allowed_actions()
        for name, a in self.result_actions.items():
            a.setEnabled(name in allowed)

    def shown_result_id(self) -> uuid.UUID | None:
        return self._shown_id

    # -- internals ---------------------------------------------------------------------

    def _request(self, action: str) -> None:
        if self._shown_id is not None and action in self.detail.allowed_actions():
            self.result_action_requested.emit(action, self._shown_id)

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

    def _double_clicked(self, index) -> None:
        allowed = self.detail.allowed_actions()
        if len(allowed) >= 1:
            self._request(allowed[0])

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
        self.model.reload()
        self._after_requery()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter_edit.text())
        self._after_requery()

    def _after_requery(self) -> None:
        row = self.model.row_of(self._shown_id) if self._shown_id else -1
        if row >= 0:
            self._select_row(row)
        self._count_timer.start()

    def flush_filter(self) -> None:
        """Apply a pending filter now (the debounce timer would do it 200 ms later)."""
        if self._filter_timer.isActive():
            self._filter_timer.stop()
            self._apply_filter()

    def _update_slow_counts(self) -> None:
        """Counts that may scan many rows: asked of a background thread, coalesced."""
        key = (self.ws.office, self.model.view, self.model.text)
        if key != self._counted_key:
            self.count_label.setText(f"  {self._count_prefix()}正在统计…")
        self.counter.request(self.model.view, self.model.text)

    def _count_prefix(self) -> str:
        text = self.model.text
        return queries.VIEW_LABELS.get(self.model.view, "") + (f"（筛选：{text}）" if text else "") + "："

    def _counted(self, generation: int, view: str, text: str, n: int, total: int) -> None:
        if not self.counter.is_current(generation):
            return
        self._counted_key = (self.ws.office, view, text)
        self.count_label.setText(f"  {self._count_prefix()}共 {n if n >= 0 else '?'} 条")
        self.nav.set_count(queries.ALL, total if total >= 0 else None)

    def closeEvent(self, event) -> None:
        self.counter.wait()  # a count still running must not outlive the window
        super().closeEvent(event)

    def _update_today(self) -> None:
        today = clock.today()
        try:
            reason = self.ws.calendar.day_status(today).reason
        except Exception:  # noqa: BLE001 - a calendar problem must not hide the date
            reason = ""
        self.today_label.setText(f"今天：{today.year}年{today.month}月{today.day}日 {reason}  ")

    def _check_day(self) -> None:
        if clock.today() != self._day:  # past midnight: due states change
            self._day = clock.today()
            self.refresh_requested.emit()
