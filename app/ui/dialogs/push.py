"""推送 (Art. 17): by the exchange platform, or on paper within an agreed time limit (¶2)."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QLabel

from app.services import rules
from app.ui.dialogs.base import FormDialog, OptionalDateEdit, combo_data

CHANNEL_ORDER = (rules.EXCHANGE, *rules.PAPER_CHANNELS)


class PushDialog(FormDialog):
    """``addressees`` (id, name) is given when re-pushing a returned result."""

    def __init__(self, summary: str, addressee_name: str, parent=None, *,
                 addressees: list[tuple[uuid.UUID, str]] | None = None, returned_reason: str = ""):
        intro = summary
        if addressees is not None:
            intro += f"\n\n该结果已被{addressee_name}退回"
            intro += f"，理由：{returned_reason}" if returned_reason else ""
            intro += "。请选择正确的接收部门后重新推送。"
        super().__init__("重新推送审批结果" if addressees is not None else "推送审批结果",
                         parent, intro=intro, ok_text="推送")
        self.channel = self.add_field("channel", "推送方式：", QComboBox())
        for code in CHANNEL_ORDER:
            self.channel.addItem(rules.CHANNEL_LABELS[code], code)
        self.agreed_due = self.add_field("agreed_due", "商定时限：", OptionalDateEdit("请选择日期"))
        self.agreed_due.setToolTip("通过现场查阅、复印或传真推送时，填写与对方商定的完成时限")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#555;")
        # Room for two lines: a wrapped label in a form row does not grow by itself.
        self.hint.setMinimumHeight(self.hint.fontMetrics().lineSpacing() * 2 + 4)
        self.form.addRow("", self.hint)
        self.addressee = self.add_field("addressee", "接收部门：", QComboBox())
        if addressees is not None:
            self.addressee.addItem("（请选择接收部门）", None)
            for oid, name in addressees:
                self.addressee.addItem(name, oid)
        else:
            self.addressee.addItem(addressee_name, None)
            self.addressee.setEnabled(False)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self._channel_changed()

    def _channel_changed(self, *_):
        paper = combo_data(self.channel) in rules.PAPER_CHANNELS
        self.agreed_due.setEnabled(paper)
        if not paper:
            self.agreed_due.set_value(None)
        self.hint.setText(
            "纸质方式推送：须填写与接收部门商定的完成时限（第十七条第二款）。"
            if paper else "通过审管平台推送：接收部门应在2个工作日内确认签收（第十七条）。"
        )

    def values(self) -> dict:
        return {
            "channel": combo_data(self.channel),
            "agreed_due": self.agreed_due.value(),
            "addressee": combo_data(self.addressee),
        }
