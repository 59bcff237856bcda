"""The import wizard: choose a file → verification result → preview table → apply.

Checking and applying run off the GUI thread with a progress dialog (large bundles); the
preview is a dry run that writes nothing. Every refusal is shown in the service's own words.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.exchange import apply as applier
from app.services.exchange import importer
from app.services.exchange.importer import ImportReport
from app.ui import exchange_actions
from app.ui.exchange_models import PREVIEW_COLUMNS, PreviewModel
from app.ui.workers import run_with_progress
from app.ui.workspace import Workspace

OK_STYLE = "QLabel { background:#EAF6EA; color:#1B5E20; border:1px solid #A5D6A7; padding:6px; }"
BAD_STYLE = "QLabel { background:#FDECEC; color:#A40000; border:1px solid #E7A3A3; padding:6px; }"
INFO_STYLE = "QLabel { background:#FFF8E1; color:#5D4000; border:1px solid #FFE082; padding:6px; }"
COLUMNS = PREVIEW_COLUMNS


class ImportWizard(QDialog):
    def __init__(self, ws: Workspace, home: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.home = ws, home
        self.setWindowTitle("导入数据包")
        self.resize(860, 520)
        self.path: Path | None = None
        self.data = b""
        self.report: ImportReport | None = None
        self.applied: list[ImportReport] = []

        layout = QVBoxLayout(self)
        step = QLabel("第一步：选择对方单位导出的数据包文件（.json）。第二步：核对检查结果和预览。第三步：导入。")
        step.setWordWrap(True)
        layout.addWidget(step)
        row = QHBoxLayout()
        self.file_edit = QLineEdit(objectName="bundleFile")
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("尚未选择文件")
        choose = QPushButton("选择文件…", objectName="chooseFile")
        choose.clicked.connect(self.choose)
        row.addWidget(self.file_edit, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        self.verdict = QLabel(objectName="verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.hide()
        layout.addWidget(self.verdict)
        self.preview_model = PreviewModel(self)
        self.table = QTableView(objectName="previewTable")
        self.table.setModel(self.preview_model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for i, w in enumerate((90, 90, 70, 90, 230)):
            self.table.setColumnWidth(i, w)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.apply_button = QPushButton("导入", objectName="applyButton", enabled=False)
        self.apply_button.clicked.connect(self.apply)
        close = QPushButton("关闭", objectName="closeButton")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    # -- steps ----------------------------------------------------------------------------

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择数据包", str(self.home), "数据包 (*.json);;所有文件 (*)")
        if name:
            self.check(Path(name))

    def check(self, path: Path) -> ImportReport | None:
        """Verify and preview ``path`` (a dry run in the background)."""
        self.path, self.report = Path(path), None
        self.file_edit.setText(str(path))
        outcome = run_with_progress(self, "检查数据包", "正在核验签名、解密并预览…",
                                    lambda progress: exchange_actions.preview(self.ws, self.path, progress))
        if not outcome.ok:
            self._say(BAD_STYLE, "检查已取消。" if outcome.cancelled else f"无法检查：{_text(outcome.error)}")
            return None
        self.report, self.data = outcome.value
        if self.report.status == importer.REJECTED and self.data:
            importer.keep_file(self.home, self.data, self.report)  # the quarantine, with its report
        self._show(self.report)
        held = self.report.status == importer.HELD
        self.apply_button.setText("暂存，待缺少的数据包导入后自动导入" if held else "导入")
        self.apply_button.setEnabled(self.report.status in (importer.PREVIEW, importer.HELD))
        return self.report

    def apply(self) -> list[ImportReport]:
        if self.report is None or self.report.status not in (importer.PREVIEW, importer.HELD):
            return []
        outcome = run_with_progress(
            self, "导入数据包", "正在导入（全部成功才写入）…",
            lambda progress: exchange_actions.apply(self.ws, self.home, self.path, self.data, progress))
        self.apply_button.setEnabled(False)
        if not outcome.ok:
            self._say(BAD_STYLE, "导入已取消，未做任何更改。" if outcome.cancelled
                      else f"导入失败，未做任何更改：{_text(outcome.error)}")
            return []
        self.applied = outcome.value
        first = self.applied[0]
        self._show(first)
        more = [r.message for r in self.applied[1:]]
        if more:
            self.verdict.setText(self.verdict.text() + "\n" + "\n".join(more))
        if any(r.status == importer.APPLIED for r in self.applied):
            self.ws.changed.emit(None)
        return self.applied

    # -- display --------------------------------------------------------------------------

    def _show(self, r: ImportReport) -> None:
        h = r.header
        lines = []
        if h:
            lines.append(f"发送单位：{r.sender_name or h.get('sender', '')}　接收单位：{h.get('addressee', '')}　"
                         f"序号：第 {h.get('sequence', '?')} 号　消息：{h.get('message_count', '?')} 条")
        if r.status == importer.PREVIEW:
            lines.append("签名有效，已解密并通过格式检查。" + r.message + "确认无误后请点“导入”。")
            style = OK_STYLE
        elif r.status == importer.APPLIED:
            lines.append(r.message)
            style = OK_STYLE
        elif r.status in (importer.ALREADY, importer.HELD):
            lines.append(r.message)
            style = INFO_STYLE
        else:
            lines.append("已拒绝：" + r.message)
            style = BAD_STYLE
        if r.kept_as:
            lines.append(f"文件已{'暂存' if r.status == importer.HELD else '复制到隔离文件夹'}：{r.kept_as}")
        self._say(style, "\n".join(lines))
        self._fill(r.outcomes)

    def _say(self, style: str, text: str) -> None:
        self.verdict.setStyleSheet(style)
        self.verdict.setText(text)
        self.verdict.show()

    def _fill(self, outcomes: list[applier.Outcome]) -> None:
        self.preview_model.set_rows(outcomes)

    def verdict_text(self) -> str:
        return self.verdict.text() if self.verdict.isVisibleTo(self) else ""


def _text(exc: BaseException | None) -> str:
    return getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
