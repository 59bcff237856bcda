"""备份与恢复 (menu 设置): the backups of this database, 立即备份, 恢复…, 删除, 打开备份文件夹.

Copies run in a worker with a progress dialog. A restore closes the database's connections
first; afterwards the program must start again (the window closes).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import backups, operators, restore
from app.services.errors import ShenGuanError
from app.ui.workers import run_with_progress
from app.ui.workspace import Workspace

COLUMNS = ("时间", "原因", "备注", "大小", "结构版本", "文件")


def size_text(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} B"


class BackupPage(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("备份与恢复")
        self.resize(860, 480)
        self.rows: list[backups.Backup] = []
        self.db_file: Path | None = None
        self.server_text = ""
        try:
            self.db_file = backups.sqlite_file(ws.database.url)
        except ShenGuanError as exc:
            self.server_text = exc.message
        self.folder = ws.database.backup_folder or (
            (self.db_file.parent if self.db_file else Path.cwd()) / backups.FOLDER_NAME)
        layout = QVBoxLayout(self)
        self.info = QLabel(objectName="backupInfo")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.table = QTableWidget(0, len(COLUMNS), objectName="backupTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.message = QLabel(objectName="backupMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        for text, name, slot in (("立即备份", "createButton", self.create_backup),
                                 ("恢复…", "restoreButton", self.restore_backup),
                                 ("删除", "deleteButton", self.delete_backup),
                                 ("打开备份文件夹", "folderButton", self.open_folder)):
            b = QPushButton(text, objectName=name)
            b.clicked.connect(lambda _=False, f=slot: f())
            b.setEnabled(not self.server_text)
            buttons.addWidget(b)
            setattr(self, name, b)
        # Replacing or deleting the office's history is the 管理员's (as on the command line).
        refusal = ws.refusal(operators.ADMIN)
        for b in (self.restoreButton, self.deleteButton):
            if refusal:
                b.setEnabled(False)
                b.setToolTip(refusal)
        buttons.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        if self.server_text:
            self.info.setText(self.server_text)
            return
        self.info.setText(
            f"备份保存在 {self.folder}。每次导入数据包、单位名录、事项清单、节假日安排、Excel 表格和升级数据库前"
            f"都会自动备份；自动备份每类保留最近 {backups.KEEP_AUTOMATIC} 份，手动备份一直保留到删除。")
        self.rows = backups.list_backups(self.folder)
        self.table.setRowCount(len(self.rows))
        for r, b in enumerate(self.rows):
            for c, text in enumerate((f"{b.created:%Y-%m-%d %H:%M:%S}", b.reason_label, b.label,
                                      size_text(b.size), b.schema_revision or "—", b.name)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.rows:
            self.table.selectRow(0)
        else:
            self.say("还没有备份。点“立即备份”马上备份一次；导入和升级前程序也会自动备份。")

    def say(self, text: str) -> None:
        self.message.setText(text)

    def selected(self) -> backups.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def create_backup(self) -> backups.Backup | None:
        db_file, folder = self.db_file, self.folder
        outcome = run_with_progress(self, "备份", "正在备份数据库…",
                                    lambda progress: backups.create(db_file, folder, backups.MANUAL,
                                                                    progress=progress))
        self.refresh()
        if not outcome.ok:
            text = "备份已取消。" if outcome.cancelled else \
                f"备份失败：{getattr(outcome.error, 'message', None) or outcome.error}"
            self.say(text)
            QMessageBox.warning(self, "备份与恢复", text)
            return None
        self.say(f"已备份：{outcome.value.name}（{size_text(outcome.value.size)}）")
        return outcome.value

    def _admin_only(self, what: str) -> bool:
        if self.ws.may(operators.ADMIN):
            return True
        self.say(f"{operators.only_text(operators.ADMIN)}：{what}。")
        return False

    def restore_backup(self) -> bool:
        if not self._admin_only("从备份恢复数据库"):
            return False
        b = self.selected()
        if b is None:
            self.say("请先在列表中选择一份备份。")
            return False
        try:
            restore.verify(self.folder, b.name)
        except ShenGuanError as exc:
            QMessageBox.warning(self, "备份与恢复", exc.message)
            return False
        answer = QMessageBox.question(
            self, "恢复备份",
            f"将用 {b.created:%Y-%m-%d %H:%M} 的备份（{b.reason_label}）替换当前数据库。\n\n"
            f"该时间之后录入、办理和导入的全部内容都将丢失；当前数据库会先另存为一份安全备份。"
            "与其他单位的下一次数据交换会自动请对方补发备份之后的消息。\n\n"
            "恢复后审管通将关闭，请重新启动。确定恢复吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.ws.database.engine.dispose()  # close this window's connections first
        db_file, folder = self.db_file, self.folder
        outcome = run_with_progress(self, "恢复备份", "正在恢复数据库…",
                                    lambda progress: restore.restore(db_file, folder, b.name, progress))
        if not outcome.ok:
            text = "恢复已取消，当前数据库未被改动。" if outcome.cancelled else \
                f"恢复失败：{getattr(outcome.error, 'message', None) or outcome.error}"
            self.refresh()
            self.say(text)
            QMessageBox.warning(self, "备份与恢复", text)
            return False
        QMessageBox.information(self, "备份与恢复",
                                f"已从备份 {b.name} 恢复数据库。审管通将关闭，请重新启动后继续工作。")
        self.accept()
        window = self.parent()
        if window is not None:
            window.close()
        return True

    def delete_backup(self) -> bool:
        if not self._admin_only("删除备份"):
            return False
        b = self.selected()
        if b is None:
            self.say("请先在列表中选择一份备份。")
            return False
        answer = QMessageBox.question(self, "删除备份", f"删除 {b.created:%Y-%m-%d %H:%M} 的备份 {b.name}？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        backups.delete(self.folder, b.name)
        self.refresh()
        self.say(f"已删除备份 {b.name}。")
        return True

    def open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))


def open_backup_page(ws: Workspace, window) -> BackupPage:
    page = BackupPage(ws, window)
    page.show()
    page.raise_()
    return page
