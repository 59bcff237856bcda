"""Small dialogs: return with a reason, confirm sign-off / supervision start, operator name."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from app.services import textinput
from app.ui.dialogs.base import FormDialog


class ReasonDialog(FormDialog):
    """退回: the addressee says why the push is not theirs (wrong addressee)."""

    def __init__(self, summary: str, parent=None):
        super().__init__(
            "退回审批结果", parent, ok_text="退回",
            intro=summary + "\n\n退回后责任回到行政审批部门，由其改正接收部门后重新推送。",
        )
        self.reason = self.add_field("reason", "退回理由：", QPlainTextEdit())
        self.reason.setPlaceholderText("例如：该事项不属于本部门监管，应推送至市场监督管理局")
        self.reason.setFixedHeight(90)

    def values(self) -> dict:
        return {"reason": self.reason.toPlainText()}


class ConfirmDialog(FormDialog):
    """签收 / 启动监管: confirm with the record in view; errors show in place."""

    def __init__(self, title: str, summary: str, question: str, ok_text: str, parent=None):
        super().__init__(title, parent, intro=f"{summary}\n\n{question}", ok_text=ok_text)


class OperatorDialog(FormDialog):
    """操作员姓名: written on every event this desk records."""

    def __init__(self, current: str = "", parent=None):
        super().__init__(
            "操作员", parent, ok_text="保存",
            intro="操作员姓名会记录在每一次登记、推送、签收等操作中。",
        )
        self.name = self.add_field("operator", "操作员姓名：", QLineEdit(current))
        self.setMinimumWidth(380)

    def values(self) -> dict:
        return {"operator": textinput.clean_name(self.name.text(), "operator", "操作员姓名",
                                                 textinput.PERSON_NAME)}
