"""数据交换: per peer office what waits in the outbox and what is unacknowledged, 导出 to a
chosen folder (a USB drive), the import wizard, the roster import, and the history of bundles
with their reports (including held and quarantined files)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import operators
from app.ui import exchange_actions
from app.ui.exchange_models import HISTORY_COLUMNS, PEER_COLUMNS, HistoryModel, PeerModel
from app.ui.pages import show_once
from app.ui.workers import run_with_progress
from app.ui.workspace import Workspace

__all__ = ["HISTORY_COLUMNS", "PEER_COLUMNS", "ExchangePage", "open_exchange_page"]


def _table(model, name: str) -> QTableView:
    t = QTableView(objectName=name)
    t.setModel(model)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class ExchangePage(QDialog):
    """A window of its own beside the main window (not modal)."""

    def __init__(self, ws: Workspace, home: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.home = ws, home
        self.setWindowTitle("数据交换")
        self.resize(1000, 640)
        self.peer_ids: list = []
        self.history_rows: list[exchange_actions.HistoryRow] = []
        self.peer_model = PeerModel(self)
        self.history_model = HistoryModel(self)
        layout = QVBoxLayout(self)
        self.identity = QLabel(objectName="identity")
        self.identity.setWordWrap(True)
        layout.addWidget(self.identity)
        self.message = QLabel(objectName="exchangeMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addWidget(QLabel("对方单位（发件箱中的消息对方确认收到后才移除，未确认的每次导出都会重发）："))
        self.peers = _table(self.peer_model, "peerTable")
        self.peers.doubleClicked.connect(lambda _i: self.export_selected())
        layout.addWidget(self.peers, 2)
        row = QHBoxLayout()
        for text, name, slot in (("导出数据包…", "exportButton", self.export_selected),
                                 ("导入数据包…", "importButton", self.open_import),
                                 ("导入单位名录…", "rosterButton", self.import_roster),
                                 ("刷新", "refreshButton", self.refresh)):
            b = QPushButton(text, objectName=name)
            b.clicked.connect(slot)
            row.addWidget(b)
            setattr(self, name, b)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel("数据包记录（双击查看报告）："))
        self.history = _table(self.history_model, "historyTable")
        self.history.doubleClicked.connect(lambda i: self.show_report(i.row()))
        layout.addWidget(self.history, 2)
        ws.office_changed.connect(self.refresh)
        ws.operator_changed.connect(lambda *_: self.refresh())
        self.refresh()

    # -- content --------------------------------------------------------------------------

    def refresh(self) -> None:
        office = self.ws.office
        if office is None:
            self.identity.setText("本数据库尚未设置本单位。")
            return
        fp = exchange_actions.own_fingerprint(self.ws) or "尚未生成（请管理员打开本页生成）"
        self.identity.setText(f"本单位：{office.name}（{office.code}）　密钥指纹：{fp}")
        why = self.ws.refusal(operators.ADMIN)  # the roster import is the 管理员's
        self.rosterButton.setEnabled(not why)
        self.rosterButton.setToolTip(why)
        states = exchange_actions.peers(self.ws)
        chosen = self.peer_model.peer_id(self.peers.currentIndex().row())
        self.peer_model.set_rows(states)  # a reset clears the selection: keep the chosen peer
        self.peer_ids = self.peer_model.peer_ids()
        if chosen in self.peer_ids:
            self.peers.selectRow(self.peer_ids.index(chosen))
        if not states:
            who = "须由管理员" if why else "请先"
            self.say(f"还没有可交换的单位：{who}导入营商环境建设主管部门发布的单位名录（演示模式下各单位在同一数据库中，无需交换）。")
        self.history_rows = exchange_actions.history(self.ws, self.home)
        self.history_model.set_rows(self.history_rows)

    def say(self, text: str, bad: bool = False) -> None:
        color = "#A40000" if bad else "#1B5E20"
        self.message.setStyleSheet(f"QLabel {{ color:{color}; padding:4px; }}")
        self.message.setText(text)
        self.message.show()

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    # -- actions --------------------------------------------------------------------------

    def export_selected(self, folder: Path | None = None) -> bool:
        row = self.peers.currentIndex().row()
        if row < 0 or row >= len(self.peer_ids):
            self.say("请先在上表中选择要导出给哪个单位。", bad=True)
            return False
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, "选择导出到的文件夹（如 U 盘）", str(self.home))
            if not chosen:
                return False
            folder = Path(chosen)
        peer_id = self.peer_ids[row]
        outcome = run_with_progress(self, "导出数据包", "正在签名、加密并写出数据包…",
                                    lambda progress: exchange_actions.export_to(self.ws, peer_id, folder, progress))
        if not outcome.ok:
            text = "导出已取消，未做任何更改。" if outcome.cancelled else \
                f"导出失败，未做任何更改：{getattr(outcome.error, 'message', None) or outcome.error}"
            self.say(text, bad=True)
            QMessageBox.warning(self, "数据交换", text)
            return False
        s = outcome.value
        self.say(f"已导出发给 {s.addressee_name} 的第 {s.sequence} 号数据包（消息 {s.messages} 条，其中重发 {s.resent} 条）：{s.path}")
        self.refresh()
        return True

    def open_import(self, path: Path | None = None) -> None:
        from app.ui.exchange_import import ImportWizard

        wizard = ImportWizard(self.ws, self.home, self)
        self.wizard = wizard
        if path is not None:
            wizard.check(path)
        wizard.exec()
        self.refresh()

    def import_roster(self, path: Path | None = None) -> bool:
        if not self.rosterButton.isEnabled():
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "选择单位名录文件", str(self.home), "名录 (*.json);;所有文件 (*)")
            if not name:
                return False
            path = Path(name)
        try:
            roster = exchange_actions.read_roster(path)
            fingerprint = None
            if exchange_actions.roster_needs_confirmation(self.ws):
                pub = roster.publisher
                answer = QMessageBox.question(
                    self, "核对发布单位的密钥指纹",
                    f"首次导入单位名录。请将发布单位 {pub.name}（{pub.code}）的密钥指纹\n\n{pub.fingerprint}\n\n"
                    "与营商环境建设主管部门提供的纸质登记表逐组核对。完全一致吗？\n"
                    "确认后，本单位今后只接受由该密钥签发的名录。",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    self.say("未导入名录：指纹未经确认。", bad=True)
                    return False
                fingerprint = pub.fingerprint
            summary = exchange_actions.import_roster(self.ws, path, fingerprint)
        except Exception as exc:  # noqa: BLE001 - ShenGuanError in words; anything else named
            text = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            self.say(f"名录未导入：{text}", bad=True)
            QMessageBox.warning(self, "数据交换", f"名录未导入：{text}")
            return False
        if summary.already:
            self.say(f"第 {summary.version} 版单位名录已导入过，未做更改。")
        else:
            extra = "".join(f"\n注意：{w}" for w in summary.warnings)
            self.say(f"已导入第 {summary.version} 版单位名录：{summary.count} 个单位（新增 {len(summary.added)}，"
                     f"密钥变更 {len(summary.changed)}，移除 {len(summary.removed)}）。{extra}")
        self.refresh()
        return True

    def show_report(self, row: int) -> None:
        if not 0 <= row < len(self.history_rows):
            return
        dlg = QDialog(self)
        dlg.setWindowTitle("数据包报告")
        dlg.resize(640, 480)
        box = QVBoxLayout(dlg)
        text = QPlainTextEdit(self.history_rows[row].report, objectName="reportText")
        text.setReadOnly(True)
        box.addWidget(text)
        close = QPushButton("关闭")
        close.clicked.connect(dlg.accept)
        box.addWidget(close)
        dlg.exec()


def open_exchange_page(ws: Workspace, window) -> ExchangePage:
    """Show the one 数据交换 window of this main window (created on first use)."""
    return show_once(window, "exchange_page", lambda: ExchangePage(ws, exchange_actions.data_home(ws.database), window))
