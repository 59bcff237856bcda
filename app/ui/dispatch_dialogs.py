"""Dialogs of the 办件 page: one step of a dispatch (confirm, or with a reason / text), and the
creation dialogs of the flows that start a dispatch here."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit

from app.services import rules
from app.services.worklist import ActionChoice
from app.ui.dialogs.base import FormDialog


class StepDialog(FormDialog):
    """One transition of the rules table: its label on the button, the record in view; a text
    box when the rule needs a reason (or the flow asks for a text, e.g. 意见)."""

    def __init__(self, rule: rules.DispatchRule, choice: ActionChoice, summary: str, parent=None, *,
                 text_label: str | None = None):
        question = f"确认{choice.label}？" if text_label is None else f"请填写{text_label}后{choice.label}。"
        super().__init__(f"{choice.label} — {rule.name}", parent, intro=f"{summary}\n\n{question}",
                         ok_text=choice.label)
        self.text: QPlainTextEdit | None = None
        if text_label is not None:
            self.text = self.add_field("reason", f"{text_label}：", QPlainTextEdit())
            self.text.setFixedHeight(100)
        self.setMinimumWidth(520)

    def values(self) -> dict:
        return {"reason": self.text.toPlainText() if self.text is not None else ""}


# -- 新建: the flows that start a dispatch at this office -----------------------------------

def creators() -> list[tuple[str, object, frozenset[str]]]:
    """(menu text, fn(ws, parent) -> bool, roles that may start it): the sending roles come from
    the rules table; a flow whose service is not installed is left out."""
    return []
