"""User actions for printed forms: 打印推送单, 打印移交清单 (batch, in the background),
打印密钥登记表 and 打印字体. Each makes the PDF through app.services.forms and opens the
preview dialog (print / save as PDF)."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.services.errors import ShenGuanError
from app.ui.dialogs.base import FormDialog, OptionalDateEdit, combo_data
from app.ui.forms_preview import PdfPreviewDialog
from app.ui.workers import run_with_progress
from app.ui.workspace import Workspace


def _preview(pdf: bytes, title: str, warning: str, file_name: str, parent) -> PdfPreviewDialog:
    dlg = PdfPreviewDialog(pdf, title, warning=warning, file_name=file_name, parent=parent)
    dlg.exec()
    return dlg


def print_transmittal(ws: Workspace, result_id: uuid.UUID | None,
                      parent: QWidget | None = None) -> PdfPreviewDialog | None:
    """打印推送单: the transmittal form and its receipt slip of the result's current push."""
    from app.services import results
    from app.services.forms import render, transmittal
    from app.services.forms.fonts import font_set_from_settings

    if result_id is None:
        QMessageBox.information(parent, "打印推送单", "请先在列表中选择一条审批结果。")
        return None
    try:
        with ws.session() as s:
            data = transmittal.for_result(s, results.get(s, result_id))
            fonts = font_set_from_settings(s)
        out = render.transmittals([data], fonts=fonts)
    except ShenGuanError as exc:
        QMessageBox.warning(parent, "打印推送单", exc.message)
        return None
    name = f"推送单-{data.applicant_name[:20]}-{data.pushed_at:%Y%m%d}.pdf"
    return _preview(out.data, f"推送单 {data.serial}", out.warning, name, parent)


class BatchDialog(FormDialog):
    """Which addressee and period the 移交清单 covers."""

    def __init__(self, addressees: list[tuple[uuid.UUID, str]], parent=None):
        super().__init__("打印移交清单", parent, ok_text="生成",
                         intro="列出发往所选单位、尚待签收的推送。封面即签收回执：对方签字盖章交回后，"
                               "扫一次码即登记清单上的全部签收。")
        combo = QComboBox()
        for oid, name in addressees:
            combo.addItem(name, oid)
        self.add_field("addressee", "接收单位：", combo)
        self.add_field("since", "推送日期自：", OptionalDateEdit("不限"))
        self.add_field("until", "推送日期至：", OptionalDateEdit("不限"))
        self.add_field("with_forms", "", QCheckBox("清单后附每条的推送单"))

    def values(self) -> dict:
        f = self.fields
        return {"addressee": combo_data(f["addressee"]), "since": f["since"].value(),
                "until": f["until"].value(), "with_forms": f["with_forms"].isChecked()}


def make_batch(ws: Workspace, values: dict, progress) -> tuple[bytes, str, str, int]:
    """In a worker: record the list, render it, commit only once the PDF is complete."""
    from app.models import Office
    from app.services.forms import batch
    from app.services.forms.fonts import font_set_from_settings

    with ws.session() as s:
        sender = ws.acting_office(s)
        addressee = s.get(Office, values["addressee"])
        ids = batch.candidates(s, sender, addressee, since=values["since"], until=values["until"])
        made = batch.create(s, sender, addressee, ids, operator=ws.operator)
        data = batch.load(s, made)
        out = batch.render(data, fonts=font_set_from_settings(s), with_forms=values["with_forms"],
                           progress=progress)
        s.commit()
    return out.data, data.serial, out.warning, len(data.forms)


def print_batch(ws: Workspace, parent: QWidget | None = None) -> PdfPreviewDialog | None:
    """打印移交清单 (approval bureau): choose the addressee, build in the background, preview."""
    from app.services import offices

    with ws.session() as s:
        choices = [(o.id, o.name) for o in offices.all_offices(s) if o.role in ("competent", "enforcement")]
    dlg = BatchDialog(choices, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    outcome = run_with_progress(parent, "打印移交清单", "正在生成移交清单…",
                                lambda progress: make_batch(ws, dlg.result_value, progress))
    if outcome.cancelled:
        return None
    if outcome.error is not None:
        text = outcome.error.message if isinstance(outcome.error, ShenGuanError) else str(outcome.error)
        QMessageBox.warning(parent, "打印移交清单", text)
        return None
    pdf, serial, warning, count = outcome.value
    return _preview(pdf, f"移交清单 {serial}（{count} 条）", warning, f"移交清单-{serial}.pdf", parent)


def print_keyform(ws: Workspace, parent: QWidget | None = None) -> PdfPreviewDialog | None:
    """打印密钥登记表 for the acting office (its exchange key fingerprint, if any)."""
    from app.services.forms import keyform
    from app.services.forms.fonts import font_set_from_settings

    try:
        with ws.session() as s:
            office = ws.acting_office(s)
            data = keyform.keyform_data(s, office, keyform.own_fingerprints(s, office))
            out = keyform.render(data, fonts=font_set_from_settings(s))
    except ShenGuanError as exc:
        QMessageBox.warning(parent, "打印密钥登记表", exc.message)
        return None
    return _preview(out.data, "数据交换密钥登记表", out.warning, f"密钥登记表-{data.office_code}.pdf", parent)


class FontDialog(FormDialog):
    """打印字体: the office's own TrueType 仿宋/宋体 files (empty: the bundled fonts)."""

    def __init__(self, body: str, title: str, parent=None):
        super().__init__("打印字体", parent, ok_text="保存",
                         intro="可指定本机已安装的 TrueType 字体（如 C:\\Windows\\Fonts\\simfang.ttf 仿宋、"
                               "simsun.ttc 宋体）。留空则使用内置字体（文鼎明体，生僻字用花园明朝）。"
                               "OpenType/CFF 字体无法嵌入 PDF。")
        for name, label, value in (("body", "正文字体：", body), ("title", "标题字体：", title)):
            edit = QLineEdit(value)
            edit.setPlaceholderText("内置字体")
            self.add_field(name, label, edit)
            button = QPushButton(f"选择{label.rstrip('：')}文件…", objectName=f"choose_{name}")
            button.clicked.connect(lambda _=False, n=name: self.choose(n))
            self.form.addRow("", button)

    def values(self) -> dict:
        return {k: self.fields[k].text().strip() for k in ("body", "title")}

    def choose(self, name: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择字体", "", "TrueType 字体 (*.ttf *.ttc)")
        if path:
            self.fields[name].setText(path)


def font_settings(ws: Workspace, parent: QWidget | None = None) -> bool:
    from app.services import settings
    from app.services.forms import fonts

    with ws.session() as s:
        body, title = settings.get(s, fonts.BODY_SETTING), settings.get(s, fonts.TITLE_SETTING)
    dlg = FontDialog(body, title, parent)

    def submit(v):
        with ws.session() as s:
            fonts.save_font_settings(s, v["body"], v["title"])
            s.commit()

    dlg.submit = submit
    return dlg.exec() == QDialog.DialogCode.Accepted
