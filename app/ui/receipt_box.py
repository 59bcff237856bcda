"""登记回执: the box a USB QR scanner types into (typing the code works too).

The scanner types the code and Enter: the record is looked up and shown at once, the
signer's name and the date on the slip are filled in, and 登记签收 records the sign-off
through app.services.receipts (which goes through the dispatch engine). Bad or stale codes
are explained in place; nothing is written.

Clerks scan a stack of slips in a row, so the box stays open after each sign-off: the slip
just recorded goes to the top of the 已登记 list, the code, signer and scan fields are
cleared and the cursor is back in the code field for the next scan. 关闭 (or Esc) closes.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QLineEdit, QPushButton, QWidget

from app.services.errors import ShenGuanError
from app.ui.dialogs.base import FormDialog, date_edit, qdate_value
from app.ui.workspace import Workspace


class ScanEdit(QLineEdit):
    """A line edit that keeps its Enter: the scanner's Enter looks the code up, nothing else."""

    def keyPressEvent(self, event) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # QLineEdit ignores it, and the dialog would take it as 确定


class ReceiptDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("登记回执", parent, ok_text="登记签收",
                         intro="用扫码枪扫描签收回执（推送单、处罚信息或许可变更推送单的回执，或移交清单封面）右上角的二维码，或输入二维码下方的回执码后按回车。")
        self.lookup = None  # set by the action: code -> ReceiptTarget (raises ShenGuanError)
        self.target = None
        code = ScanEdit()
        code.setPlaceholderText("SG1:…")
        code.returnPressed.connect(self.find)
        self.add_field("code", "回执码：", code)
        self.summary = QLabel(objectName="receiptSummary")
        self.summary.setWordWrap(True)
        self.summary.setMinimumHeight(60)
        self.form.addRow("", self.summary)
        signer = QLineEdit()
        signer.setPlaceholderText("回执上签字的人")
        self.add_field("signer", "签收人：", signer)
        self.add_field("signed_on", "签收日期：", date_edit())
        self.add_field("scan_path", "扫描件：", QLineEdit())
        browse = QPushButton("选择扫描件（可选）…", objectName="chooseScan")
        browse.clicked.connect(self.choose_scan)
        self.form.addRow("", browse)
        # Enter belongs to the scanner: it looks the code up, it never submits the dialog.
        for b in self.buttons.buttons():
            b.setAutoDefault(False)
            b.setDefault(False)
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        self.done_label = QLabel(objectName="receiptDone")
        self.done_label.setWordWrap(True)
        self.done_label.hide()
        self.layout().insertWidget(self.layout().indexOf(self.buttons), self.done_label)
        self.recorded: list[uuid.UUID] = []  # results signed off while the box was open
        self.entries: list[str] = []  # what was recorded, latest first
        self.on_recorded = None  # called with the result ids of each sign-off
        self.setMinimumWidth(560)

    def find(self) -> None:
        self.target = None
        self.ok_button.setEnabled(False)
        self.summary.setText("")
        try:
            self.target = self.lookup(self.fields["code"].text())
        except ShenGuanError as exc:
            self.show_error(exc.message, "code")
            self.fields["code"].selectAll()
            return
        self.error.hide()
        self.fields["code"].setStyleSheet("")
        t = self.target
        lines = [f"{t.title}：{t.sender_name} → {t.addressee_name}"]
        lines += [f"· {i.item_name}　{i.applicant_name}　推送于 {i.pushed_on}　{i.status_label}"
                  for i in t.items[:8]]
        if len(t.items) > 8:
            lines.append(f"…… 共 {len(t.items)} 条")
        if not t.signable:
            lines.append("以上推送均已办理，无需再登记签收。")
        self.summary.setText("\n".join(lines))
        self.ok_button.setEnabled(bool(t.signable))
        if t.signable:
            self.fields["signer"].setFocus()

    def accept(self) -> None:
        """登记签收: record this slip and get ready for the next one (the box stays open)."""
        t = self.target
        ok, values, signed = self.run_submit(default=[])
        if not ok:
            return
        signed = list(signed or [])
        self.result_value = self.recorded = [*self.recorded, *signed]
        self.entries.insert(0, self._entry(t, values, len(signed)))
        shown = self.entries[:6]
        more = f"\n（本次共登记 {len(self.entries)} 张）" if len(self.entries) > len(shown) else ""
        self.done_label.setText("已登记：\n" + "\n".join(f"✓ {e}" for e in shown) + more)
        self.done_label.show()
        if self.on_recorded is not None:
            self.on_recorded(signed)
        self._next()

    @staticmethod
    def _entry(t, values: dict, count: int) -> str:
        who = values.get("signer") or "—"
        if t is None or not t.items:
            return f"{values.get('code', '')}　签收人 {who}"
        first = t.items[0]
        what = f"{first.applicant_name}（{first.item_name}）"
        if len(t.items) > 1:
            what += f" 等 {len(t.items)} 条"
        return f"{what}　签收人 {who}"

    def _next(self) -> None:
        """Clear the slip just recorded and put the cursor back for the next scan."""
        self.target = None
        self.ok_button.setEnabled(False)
        self.summary.setText("")
        self.error.hide()
        for name in ("code", "signer", "scan_path"):
            self.fields[name].clear()
            self.fields[name].setStyleSheet("")
        self.fields["code"].setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_scan(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择回执扫描件", "",
                                              "图片或 PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf);;所有文件 (*)")
        if path:
            self.fields["scan_path"].setText(path)

    def values(self) -> dict:
        f = self.fields
        return {"code": f["code"].text(), "signer": f["signer"].text(),
                "signed_on": qdate_value(f["signed_on"]), "scan_path": f["scan_path"].text().strip() or None}


def scan_receipt(ws: Workspace, parent: QWidget | None = None) -> list[uuid.UUID]:
    """登记回执: returns the results whose sign-off was recorded."""
    from app.services import receipts
    from app.ui.actions import ensure_operator

    if not ensure_operator(ws, parent):
        return []
    dlg = ReceiptDialog(parent)

    def lookup(code: str):
        with ws.session() as s:
            return receipts.lookup(s, code)

    def submit(v):
        with ws.session() as s:
            done = receipts.record_receipt(s, v["code"], signer=v["signer"], signed_on=v["signed_on"],
                                           office=ws.acting_office(s), operator=ws.operator,
                                           scan_path=v["scan_path"])
            s.commit()
        return [i.result_id for i in done.signed if i.result_id is not None]

    def recorded(signed: list[uuid.UUID]) -> None:  # every slip changes a list (Art. 19 ones too)
        ws.changed.emit(signed[0] if len(signed) == 1 else None)

    dlg.lookup, dlg.submit, dlg.on_recorded = lookup, submit, recorded
    dlg.exec()  # stays open for the next slip until 关闭 / Esc
    return list(dlg.recorded)
