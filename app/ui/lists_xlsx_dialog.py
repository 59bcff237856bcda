"""Excel import (preview first) and export for the lists, and the small helpers every tab uses.

Import: choose a file → the dry run in a worker → :class:`ImportPreviewDialog` lists the
accepted count and every rejected row with its Excel row number and reason → 导入 saves
(or 仅导入无误的行 after a confirmation when some rows were rejected) → a result message.
Nothing is saved before that button.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import ShenGuanError
from app.services.lists_xlsx import ImportReport
from app.ui import lists_actions
from app.ui.exchange_import import BAD_STYLE, INFO_STYLE, OK_STYLE
from app.ui.lists_models import AcceptedModel, ProblemModel
from app.ui.workers import run_with_progress
from app.ui.workspace import Workspace

XLSX_FILTER = "Excel 表格 (*.xlsx);;所有文件 (*)"


def error_text(exc: BaseException | None) -> str:
    return getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"


def attempt(parent: QWidget | None, title: str, fn: Callable[[], Any]) -> tuple[bool, Any]:
    """Run ``fn``; a refusal (or a file error) is shown in a message box, never raised."""
    try:
        return True, fn()
    except (ShenGuanError, OSError) as exc:
        QMessageBox.warning(parent, title, error_text(exc))
        return False, None


def table(model, name: str, *, stretch: bool = True) -> QTableView:
    """A read-only, row-selecting table with columns fitted to their contents."""
    t = QTableView(objectName=name)
    t.setModel(model)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(False)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 10)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(stretch)
    model.modelReset.connect(lambda: fit_columns(t))
    return t


def fit_columns(t: QTableView, limit: int = 300) -> None:
    """Columns as wide as their contents plus some air, at least 64 and at most ``limit`` px."""
    t.resizeColumnsToContents()
    for c in range(t.model().columnCount()):
        t.setColumnWidth(c, max(64, min(t.columnWidth(c) + 16, limit)))


def choose_open(parent, title: str, name_filter: str = XLSX_FILTER) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", name_filter)
    return Path(name) if name else None


def choose_save(parent, title: str, suggested: str, name_filter: str = XLSX_FILTER) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, name_filter)
    return Path(name) if name else None


class ImportPreviewDialog(QDialog):
    """The dry run's report; 导入 / 仅导入无误的行 saves through ``save(skip_bad)``."""

    def __init__(self, report: ImportReport, path: Path,
                 save: Callable[[bool], ImportReport | None], parent: QWidget | None = None):
        super().__init__(parent)
        self.report, self.save, self.saved = report, save, None
        self.setWindowTitle(f"导入预览 — {report.list_name}")
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        self.summary = QLabel(objectName="importSummary")
        self.summary.setWordWrap(True)
        lines = [f"文件：{path.name}　工作表「{report.sheet}」，表头在第 {report.header_row} 行。",
                 f"可以导入 {len(report.accepted)} 行，有问题 {len(report.rejected)} 行。"]
        if report.ignored_columns:
            lines.append(f"未使用的列：{'、'.join(report.ignored_columns)}")
        if report.rejected:
            lines.append("有问题的行不会导入。请改正表格后重新导入，或只导入无误的行。")
        elif not report.accepted:
            lines.append("表格中没有数据行。")
        else:
            lines.append("以上为预览，尚未保存。确认无误后请点“导入”。")
        self.summary.setText("\n".join(lines))
        self.summary.setStyleSheet(BAD_STYLE if report.rejected else (OK_STYLE if report.accepted else INFO_STYLE))
        layout.addWidget(self.summary)
        self.problems = ProblemModel(self)
        self.problems.set_rows(report.rejected)
        self.accepted = AcceptedModel(self)
        self.accepted.set_rows(report.accepted)
        if report.rejected:
            layout.addWidget(QLabel(f"有问题的行（{len(report.rejected)}）："))
            self.problem_table = table(self.problems, "problemTable")
            self.problem_table.setWordWrap(True)  # a reason may name several cells: read it whole
            self.problem_table.setColumnWidth(0, 90)
            self.problem_table.horizontalHeader().setSectionResizeMode(
                1, QHeaderView.ResizeMode.Stretch)
            self.problem_table.resizeRowsToContents()
            layout.addWidget(self.problem_table, 2)
        layout.addWidget(QLabel(f"可以导入的行（{len(report.accepted)}）："))
        self.accepted_table = table(self.accepted, "acceptedTable")
        layout.addWidget(self.accepted_table, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        text = "仅导入无误的行" if report.rejected else "导入"
        self.apply_button = QPushButton(text, objectName="applyButton", enabled=bool(report.accepted))
        self.apply_button.clicked.connect(self.apply)
        close = QPushButton("关闭", objectName="closeButton")
        close.clicked.connect(self.reject)
        row.addWidget(self.apply_button)
        row.addWidget(close)
        layout.addLayout(row)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if hasattr(self, "problem_table"):  # the widths are known now: wrap the long reasons
            self.problem_table.resizeRowsToContents()

    def apply(self) -> ImportReport | None:
        skip = bool(self.report.rejected)
        if skip:
            answer = QMessageBox.question(
                self, "仅导入无误的行",
                f"有 {len(self.report.rejected)} 行有问题，将被跳过、不导入。\n"
                f"确定只导入无误的 {len(self.report.accepted)} 行吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        self.saved = self.save(skip)
        if self.saved is not None:
            self.accept()
        return self.saved


def import_excel(parent: QWidget, ws: Workspace, which: str, *, number: int | None = None,
                 path: Path | None = None) -> ImportReport | None:
    """The whole import flow for one list; returns the saved report (None: nothing saved)."""
    what = lists_actions.XLSX_LISTS[which]
    title = f"导入{what}"
    path = path or choose_open(parent, f"选择要导入的{what}表格（.xlsx）")
    if path is None:
        return None

    def run(dry_run: bool, skip_bad: bool = False) -> Any:
        return run_with_progress(
            parent, title, "正在读取并检查每一行…" if dry_run else "正在导入…",
            lambda _progress: lists_actions.import_xlsx(ws, which, path, number=number, dry_run=dry_run,
                                                        skip_bad=skip_bad), indeterminate=True)

    outcome = run(True)
    if not outcome.ok:
        QMessageBox.warning(parent, title, "已取消。" if outcome.cancelled else
                            f"无法导入，未做任何更改：{error_text(outcome.error)}")
        return None

    def save(skip_bad: bool) -> ImportReport | None:
        done = run(False, skip_bad)
        if not done.ok or not done.value.saved:
            reason = "已取消" if done.cancelled else (error_text(done.error) if done.error else "表格有问题的行")
            QMessageBox.warning(dialog, title, f"未导入任何数据：{reason}。")
            return None
        r = done.value
        skipped = f"，跳过有问题的 {len(r.rejected)} 行" if r.rejected else ""
        QMessageBox.information(dialog, title, f"已导入 {r.added + r.updated} 行（新增 {r.added}，"
                                               f"更新 {r.updated}）{skipped}。")
        ws.changed.emit(None)
        return r

    dialog = ImportPreviewDialog(outcome.value, path, save, parent)
    parent.preview_dialog = dialog  # reachable from tests while it is open
    dialog.exec()
    return dialog.saved


def export_excel(parent: QWidget, ws: Workspace, which: str, suggested: str, *, number: int | None = None,
                 path: Path | None = None) -> int | None:
    """Write one list to .xlsx (save dialog unless ``path``); the count, None when not written."""
    what = lists_actions.XLSX_LISTS[which]
    path = path or choose_save(parent, f"导出{what}", suggested)
    if path is None:
        return None
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    outcome = run_with_progress(parent, f"导出{what}", "正在写出表格…",
                                lambda _p: lists_actions.export_xlsx(ws, which, path, number), indeterminate=True)
    if not outcome.ok:
        QMessageBox.warning(parent, f"导出{what}", "已取消。" if outcome.cancelled else
                            f"导出失败：{error_text(outcome.error)}")
        return None
    QMessageBox.information(parent, f"导出{what}", f"已导出 {outcome.value} 行到 {path}。")
    return outcome.value
