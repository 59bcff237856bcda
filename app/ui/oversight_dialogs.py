"""Dialogs of the 督办统计 page: 起草通报 (Art. 21) and 月度汇总函.

起草通报: the circular of the chosen month is drafted by app.services.cooperation.circular from
the month's figures and late items; the clerk edits 文号, title and text; 保存并预览 keeps it and
shows the printed circular (with the chart) in the preview (print / save as PDF).

月度汇总函: the other office and the month; the PDF letter (forms layout) and the .xlsx list are
written side by side where the clerk chooses. PDF and spreadsheet are made in a worker thread.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from app.services.errors import ShenGuanError, ValidationError
from app.ui.dialogs.base import FormDialog, combo_data
from app.ui.workers import run_with_progress
from app.ui.workspace import Workspace


def _text(exc: BaseException) -> str:
    return exc.message if isinstance(exc, ShenGuanError) else f"{type(exc).__name__}: {exc}"


def month_label(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月"


class CircularDialog(FormDialog):
    """The drafted circular, editable before it is kept and printed."""

    def __init__(self, month: str, title: str, body: str, parent: QWidget | None = None):
        super().__init__(f"起草通报 — {month_label(month)}", parent, ok_text="保存并预览…",
                         intro="以下为根据本月逾期事项自动起草的通报，请核对、修改后保存；保存后可打印或另存为 PDF。")
        self.add_field("number", "文号：", QLineEdit(placeholderText="如：营营商通〔2026〕5号（可不填）"))
        self.add_field("title", "标题：", QLineEdit(title))
        body_edit = QPlainTextEdit(body, objectName="circularBody")
        body_edit.setMinimumHeight(body_edit.fontMetrics().lineSpacing() * 22)
        self.add_field("body", "正文：", body_edit)
        self.setMinimumWidth(860)
        self.resize(900, 720)

    def values(self) -> dict:
        f = self.fields
        return {"number": f["number"].text(), "title": f["title"].text(), "body": f["body"].toPlainText()}


def draft_circular(ws: Workspace, month: str | None, parent: QWidget | None = None):
    """起草通报…: draft, edit, keep; then the printed circular in the preview."""
    from app.services.cooperation import circular
    from app.ui.actions import ensure_operator
    from app.ui.forms_actions import _preview

    if month is None:
        QMessageBox.information(parent, "起草通报", "请先在“月份”中选择要通报的月份。")
        return None
    if not ensure_operator(ws, parent):
        return None
    try:
        with ws.session() as s:  # a look at the draft only: kept when the clerk saves it
            c = circular.draft(s, ws.acting_office(s), month)
            title, body = c.title, c.body
            s.rollback()
    except ShenGuanError as exc:
        QMessageBox.warning(parent, "起草通报", exc.message)
        return None
    dlg = CircularDialog(month, title, body, parent)
    ws.last_dialog = dlg

    def submit(v) -> uuid.UUID:
        with ws.session() as s:
            c = circular.draft(s, ws.acting_office(s), month)
            circular.update(s, c, title=v["title"], body=v["body"], number=v["number"])
            s.commit()
            return c.id

    dlg.submit = submit
    if dlg.exec() != FormDialog.DialogCode.Accepted:
        return None
    circular_id = dlg.result_value
    outcome = run_with_progress(parent, "起草通报", "正在生成通报（含图表）…",
                                lambda _progress: render_circular(ws, circular_id), indeterminate=True)
    if outcome.error is not None:
        QMessageBox.warning(parent, "起草通报", f"通报已保存，但未能生成打印稿：{_text(outcome.error)}")
        return None
    if not outcome.ok:
        return None
    pdf, warning, name = outcome.value
    return _preview(pdf, "通报", warning, name, parent)


def render_circular(ws: Workspace, circular_id: uuid.UUID) -> tuple[bytes, str, str]:
    """In a worker: the kept circular as a PDF (forms layout, with the chart)."""
    from app.models import Circular
    from app.services.forms.cooperation_forms import render_circular as render
    from app.services.forms.fonts import font_set_from_settings

    with ws.session() as s:
        c = s.get(Circular, circular_id)
        out = render(s, c, ws.acting_office(s), fonts=font_set_from_settings(s))
        return out.data, out.warning, f"通报-{c.period}.pdf"


class SummaryDialog(FormDialog):
    """月度汇总函: with which office, for which month."""

    def __init__(self, offices: list[tuple[uuid.UUID, str]], months: list[str], month: str | None,
                 parent: QWidget | None = None):
        super().__init__("月度汇总函", parent, ok_text="生成…",
                         intro="列出本单位与所选单位之间本月推送、签收和答复的全部记录，生成 PDF 函件和 Excel 表格"
                               "（两个文件保存在同一位置）。")
        who = QComboBox(objectName="summaryOffice")
        for oid, name in offices:
            who.addItem(name, oid)
        self.add_field("other", "对方单位：", who)
        when = QComboBox(objectName="summaryMonth")
        for m in months:
            when.addItem(month_label(m), m)
        if month in months:
            when.setCurrentIndex(months.index(month))
        self.add_field("month", "月份：", when)
        self.setMinimumWidth(520)

    def values(self) -> dict:
        other, month = combo_data(self.fields["other"]), combo_data(self.fields["month"])
        if other is None:
            raise ValidationError("请选择对方单位。", "other")
        return {"other": other, "month": month}


def write_summary(ws: Workspace, other_id: uuid.UUID, month: str, pdf_path: Path) -> tuple[int, Path, Path]:
    """In a worker: the PDF letter and the .xlsx list of the month; (rows, pdf, xlsx)."""
    from app.models import Office
    from app.services.cooperation import summary
    from app.services.forms.cooperation_forms import render_summary
    from app.services.forms.fonts import font_set_from_settings

    xlsx_path = pdf_path.with_suffix(".xlsx")
    with ws.session() as s:
        me, other = ws.acting_office(s), s.get(Office, other_id)
        render_summary(s, me, other, month, pdf_path, fonts=font_set_from_settings(s))
        n = summary.write_xlsx_file(s, me, other, month, xlsx_path)
    return n, pdf_path, xlsx_path


def monthly_summary(ws: Workspace, months: list[str], month: str | None, parent: QWidget | None = None):
    """月度汇总函…: pick the office and month, then where to save; (rows, pdf, xlsx) or None."""
    from sqlalchemy import select

    from app.models import Office
    from app.services.cooperation import summary

    with ws.session() as s:
        me = ws.acting_office(s)
        choices = [(o.id, o.name) for o in s.scalars(select(Office).order_by(Office.code)) if o.id != me.id]
    dlg = SummaryDialog(choices, months, month, parent)
    ws.last_dialog = dlg
    if dlg.exec() != FormDialog.DialogCode.Accepted:
        return None
    v = dlg.result_value
    with ws.session() as s:
        name = summary.caption(ws.acting_office(s), s.get(Office, v["other"]), v["month"])
    path, _ = QFileDialog.getSaveFileName(parent, "保存月度汇总函（同时保存 Excel 表格）", f"{name}.pdf",
                                          "PDF 文件 (*.pdf)")
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_suffix(".pdf")
    outcome = run_with_progress(parent, "月度汇总函", "正在生成月度汇总函和 Excel 表格…",
                                lambda _progress: write_summary(ws, v["other"], v["month"], target),
                                indeterminate=True)
    if outcome.error is not None:
        QMessageBox.warning(parent, "月度汇总函", f"未能生成：{_text(outcome.error)}")
        return None
    return outcome.value if outcome.ok else None
