"""征求意见与告知 tab: key-element consent requests (Art. 8 ¶2), policy notices and opinion
requests (Art. 8 ¶3–4) and pool update letters (Art. 11) in one table, with what this office
may do on each now (同意 / 不同意 / 确认收到 / 反馈意见) and sending a notice or a request."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from app.ui import lists_actions as act
from app.ui import lists_forms as forms
from app.ui.lists_catalogue import _buttons
from app.ui.lists_models import CorrespondenceModel
from app.ui.lists_xlsx_dialog import attempt, table
from app.ui.workspace import Workspace

ACTION_BUTTONS = {"consent": "consentButton", "refuse": "refuseButton", "acknowledge": "ackButton",
                  "reply": "replyButton"}


class NoticesTab(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        layout = QVBoxLayout(self)
        hint = QLabel("关键要素调整须征得主管部门同意；法规政策调整及时告知行政审批部门，"
                      "起草涉及清单内容的文件时征求其意见；专家和中介机构信息调整由主管部门函告。"
                      "底色为黄色的是本单位现在可以办理的。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = CorrespondenceModel(self)
        self.table = table(self.model, "noticeTable")
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.selected())
        split.addWidget(self.table)
        self.detail = QPlainTextEdit(objectName="noticeDetail", readOnly=True)
        split.addWidget(self.detail)
        split.setSizes([380, 120])
        layout.addWidget(split, 1)
        layout.addLayout(_buttons(self, (
            ("同意", "consentButton", lambda: self.take("consent")),
            ("不同意…", "refuseButton", lambda: self.take("refuse")),
            ("确认收到", "ackButton", lambda: self.take("acknowledge")),
            ("反馈意见…", "replyButton", lambda: self.take("reply")),
            ("发送政策调整告知或征求意见…", "sendButton", self.send))))
        ws.operator_changed.connect(lambda *_a: self.selected())  # the steps the role allows

    def row(self):
        return self.model.item(self.table.currentIndex().row())

    def refresh(self) -> None:
        chosen = self.row()
        rows = act.correspondence(self.ws)
        self.model.set_rows(rows)
        ids = [r.subject_id for r in rows]
        if chosen is not None and chosen.subject_id in ids:
            self.table.selectRow(ids.index(chosen.subject_id))
        self.selected()

    def selected(self) -> None:
        r = self.row()
        self.detail.setPlainText(f"{r.kind_label}：{r.title}\n{r.detail}\n期限：{r.due_text}" if r else "")
        for action, name in ACTION_BUTTONS.items():
            why = self._refusal(r, action) if r and action in {a for a, _l in r.actions} else None
            getattr(self, name).setEnabled(why == "")
            getattr(self, name).setToolTip(why or "")  # “仅负责人可用”: the step's role
        self.sendButton.setEnabled(act.role(self.ws) == "competent")

    def _refusal(self, r, action: str) -> str:
        return self.ws.step_refusal(r.dispatch_kind, r.dispatch_status, action) if r.dispatch_kind else ""

    def take(self, action: str) -> bool:
        r = self.row()
        if r is None or action not in {a for a, _label in r.actions} or self._refusal(r, action):
            return False
        summary = f"{r.kind_label}：{r.title}（{r.sender}）"
        if action in ("refuse", "reply"):
            refuse = action == "refuse"
            dialog = forms.ReplyDialog("不同意调整" if refuse else "反馈意见", summary,
                                       "不同意理由：" if refuse else "意见：", "不同意" if refuse else "反馈", self)
            dialog.submit = lambda v: act.answer(self.ws, r, action, v["text"])
            if not dialog.exec():
                return False
        else:
            ok, _ = attempt(self, r.kind_label, lambda: act.answer(self.ws, r, action))
            if not ok:
                return False
        self.ws.changed.emit(None)
        return True

    def send(self) -> bool:
        dialog = forms.PolicyDialog(self)
        dialog.submit = lambda v: act.send_policy(self.ws, v["kind"], v["title"], v["content"], v["basis"],
                                                  v["effective_on"], v["reply_wanted_by"])
        if dialog.exec():
            QMessageBox.information(self, "发送", "已发送给行政审批部门。")
            self.ws.changed.emit(None)
            return True
        return False
