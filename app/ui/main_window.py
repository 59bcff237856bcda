"""The main window's frame: menus, toolbar, office switcher, status bar.

The frame imports nothing from the database layer, so app.gui can paint it at once and
open the database afterwards (no heavy work before the first paint). ``attach`` then puts
the work area (views, table, detail pane: app.ui.work_area) into it.

The window only shows things and emits requests; app.ui.wiring connects the requests to
app.ui.actions and the workspace's ``changed`` signal back to :meth:`refresh`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow

if TYPE_CHECKING:
    from app.ui.result_model import ResultTableModel
    from app.ui.work_area import WorkArea
    from app.ui.workspace import OfficeInfo, Workspace

APP_TITLE = "审管通"
RESULT_ACTIONS = (  # (action, toolbar text, shortcut)
    ("send", "推送…", "Ctrl+P"),
    ("sign_off", "签收…", "Ctrl+K"),
    ("return", "退回…", "Ctrl+R"),
    ("start_supervision", "启动监管…", "Ctrl+J"),
)


class MainWindow(QMainWindow):
    record_requested = Signal()
    result_action_requested = Signal(str, object)  # action, result id
    operator_requested = Signal()
    office_requested = Signal(object)  # office id
    refresh_requested = Signal()
    form_requested = Signal(str)  # printed forms: transmittal, batch, keyform, fonts
    receipt_requested = Signal()  # 登记回执 (scan a returned slip)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.model: ResultTableModel | None = None
        self.area: WorkArea | None = None
        self.setWindowTitle(APP_TITLE)
        self._initial_size()
        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_status()
        self.placeholder = QLabel("正在打开数据库…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color:#555; font-size:13pt;")
        self.setCentralWidget(self.placeholder)

    # -- the frame ----------------------------------------------------------------------

    def _initial_size(self) -> None:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1360, 820)
            return
        g = screen.availableGeometry()
        self.resize(min(1600, int(g.width() * 0.92)), min(960, int(g.height() * 0.9)))

    def _build_actions(self) -> None:
        self.act_record = QAction("登记审批结果…", self, shortcut=QKeySequence("Ctrl+N"),
                                  enabled=False)
        self.act_record.setObjectName("act_record")
        self.act_record.triggered.connect(self.record_requested)
        self.result_actions: dict[str, QAction] = {}
        for action, text, key in RESULT_ACTIONS:
            a = QAction(text, self, shortcut=QKeySequence(key), enabled=False)
            a.setObjectName(f"act_{action}")
            a.triggered.connect(lambda _=False, name=action: self.area and self.area.request(name))
            self.result_actions[action] = a
        self.form_actions: dict[str, QAction] = {}
        for name, text, key in (("transmittal", "打印推送单…", "Ctrl+Shift+P"),
                                ("batch", "打印移交清单…", ""), ("keyform", "打印密钥登记表…", ""),
                                ("fonts", "打印字体…", "")):
            a = QAction(text, self, shortcut=QKeySequence(key), enabled=False)
            a.setObjectName(f"act_print_{name}")
            a.triggered.connect(lambda _=False, n=name: self.form_requested.emit(n))
            self.form_actions[name] = a
        self.act_receipt = QAction("登记回执（扫码）…", self, shortcut=QKeySequence("Ctrl+E"),
                                   enabled=False)
        self.act_receipt.setObjectName("act_receipt")
        self.act_receipt.triggered.connect(self.receipt_requested)
        self.act_refresh = QAction("刷新", self, shortcut=QKeySequence("F5"), enabled=False)
        self.act_refresh.triggered.connect(self.refresh_requested)
        self.act_operator = QAction("操作员姓名…", self, enabled=False)
        self.act_operator.triggered.connect(self.operator_requested)
        self.act_quit = QAction("退出", self, shortcut=QKeySequence("Ctrl+Q"))
        self.act_quit.triggered.connect(self.close)
        self.act_find = QAction("查找", self, shortcut=QKeySequence("Ctrl+F"))
        self.act_find.triggered.connect(lambda: self.area and self.area.filter_edit.setFocus())
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
        for w in self._office_widgets:
            w.setVisible(False)
        bar.addSeparator()
        bar.addAction(self.act_record)
        bar.addSeparator()
        for a in self.result_actions.values():
            bar.addAction(a)
        bar.addSeparator()
        bar.addAction(self.form_actions["transmittal"])
        bar.addAction(self.act_receipt)
        bar.addSeparator()
        bar.addAction(self.act_refresh)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        m = menu.addMenu("文件(&F)")
        m.addAction(self.act_refresh)
        m.addSeparator()
        for name in ("transmittal", "batch"):
            m.addAction(self.form_actions[name])
        m.addSeparator()
        m.addAction(self.act_quit)
        m = menu.addMenu("办理(&W)")
        m.addAction(self.act_record)
        m.addSeparator()
        for a in self.result_actions.values():
            m.addAction(a)
        m.addSeparator()
        m.addAction(self.act_receipt)
        m = menu.addMenu("设置(&S)")
        m.addAction(self.act_operator)
        m.addAction(self.form_actions["fonts"])
        m.addAction(self.form_actions["keyform"])
        m = menu.addMenu("帮助(&H)")
        m.addAction("关于审管通", self._about)

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from app import __version__

        QMessageBox.about(
            self, "关于审管通",
            f"审管通 {__version__}\n\n相对集中行政许可审批与监管协同（离线桌面程序）。\n"
            "依据《营口市相对集中行政许可权实施办法（试行）》（营政办发〔2020〕25号）。\n\n"
            "界面字体：文泉驿微米黑（Apache-2.0 / GPL-3.0 with font exception）。",
        )

    def _build_status(self) -> None:
        self.count_label = QLabel(objectName="countLabel")
        self.operator_label = QLabel(objectName="operatorLabel")
        self.today_label = QLabel(objectName="todayLabel")
        bar = self.statusBar()
        bar.addWidget(self.count_label, 1)
        bar.addPermanentWidget(self.operator_label)
        bar.addPermanentWidget(self.today_label)

    def show_placeholder(self, text: str) -> None:
        """A message in the empty frame (before the database is attached)."""
        if self.placeholder is not None:
            self.placeholder.setText(text)

    # -- the content ----------------------------------------------------------------------

    def attach(self, ws: Workspace, model: ResultTableModel) -> None:
        """Put the work area for this workspace into the frame."""
        from app.ui.work_area import WorkArea

        self.ws, self.model = ws, model
        self.area = WorkArea(self, ws, model)
        self.nav, self.table = self.area.nav, self.area.table
        self.detail, self.filter_edit = self.area.detail, self.area.filter_edit
        self.setCentralWidget(self.area)  # the placeholder is deleted
        self.placeholder = None
        for a in (self.act_refresh, self.act_operator, self.act_receipt, *self.form_actions.values()):
            a.setEnabled(True)

    def set_office_choices(self, offices: list[OfficeInfo], current: OfficeInfo | None) -> None:
        self.setWindowTitle(f"{APP_TITLE} — {current.name if current else '（未设置本单位）'}")
        self.office_combo.blockSignals(True)
        self.office_combo.clear()
        for o in offices:
            self.office_combo.addItem(f"{o.name}（{o.role_label}）", str(o.id))
        if current:
            self.office_combo.setCurrentIndex(self.office_combo.findData(str(current.id)))
        self.office_combo.blockSignals(False)
        for w in self._office_widgets:
            w.setVisible(len(offices) > 1)

    def set_operator(self, name: str) -> None:
        self.operator_label.setText(f"操作员：{name or '（未设置）'}  ")

    # Delegates to the work area (wiring and tests talk to the window).

    def apply_office(self) -> None:
        self.area.apply_office()

    def refresh(self, result_id: uuid.UUID | None = None, keep_loaded: bool = True) -> None:
        self.area.refresh(result_id, keep_loaded)

    def show_result(self, result_id: uuid.UUID | None) -> None:
        self.area.show_result(result_id)

    def shown_result_id(self) -> uuid.UUID | None:
        return self.area.shown_result_id() if self.area else None

    def flush_filter(self) -> None:
        self.area.flush_filter()

    def closeEvent(self, event) -> None:
        if self.area is not None:
            self.area.shutdown()
        super().closeEvent(event)
