"""The detail pane: one approval result, who holds responsibility, its deadline and history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import rules
from app.services.deadlines import DUE_SOON, OVERDUE
from app.ui.audit_model import AuditSection
from app.ui.timeline_model import TimelineModel

if TYPE_CHECKING:  # the detail service loads with the first selected row, not at start-up
    from app.services.detail import ResultDetail

ID_TYPE_LABELS = {"uscc": "统一社会信用代码", "resident_id": "居民身份证"}
STATE_STYLES = {
    OVERDUE: "background:#F9C0C0; color:#7A0000;",
    DUE_SOON: "background:#FFF1A8; color:#5A4500;",
}
HOLDER_STYLE = (
    "QFrame#holderBox { background:#EAF2FB; border:1px solid #9DBCE0; border-radius:4px; }"
)


def fmt_dt(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def fmt_date(value, provisional: bool = False) -> str:
    if value is None:
        return "—"
    return value.isoformat() + ("（暂定）" if provisional else "")


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DetailPane(QStackedWidget):
    """Shows a ResultDetail; ``action_requested(action)`` when an action button is pressed."""

    action_requested = Signal(str)
    print_requested = Signal()  # 打印推送单 (a push has been sent)

    FIELDS = (
        ("item_code", "事项编码"),
        ("applicant", "申请人"),
        ("applicant_id", "证件号码"),
        ("contact", "联系人"),
        ("result", "审批结果"),
        ("licence_number", "证照编号"),
        ("decided_on", "审批决定日期"),
        ("licence_issued_on", "证照颁发日期"),
        ("route", "推送"),
        ("channel", "推送方式"),
        ("sender_liaison", "推送单位联络员"),
        ("addressee_liaison", "接收单位联络员"),
        ("send_due", "推送期限"),
        ("reply_due", "签收期限"),
        ("recorded_by", "登记人"),
        ("materials", "申请材料"),
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self.detail: ResultDetail | None = None
        self.empty = QLabel("请在列表中选择一条审批结果")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color:#666;")
        self.addWidget(self.empty)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._build())
        self.addWidget(scroll)
        self.setMinimumWidth(320)

    def _build(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size:15pt; font-weight:bold;")
        box.addWidget(self.title)

        holder = QFrame(objectName="holderBox")
        holder.setStyleSheet(HOLDER_STYLE)
        hl = QVBoxLayout(holder)
        caption = QLabel("当前责任单位")
        caption.setStyleSheet("color:#35557A;")
        self.holder_name = QLabel()
        self.holder_name.setWordWrap(True)
        self.holder_name.setStyleSheet("font-size:14pt; font-weight:bold; color:#0B3A6E;")
        self.holder_since = QLabel()
        self.holder_since.setWordWrap(True)
        self.holder_since.setStyleSheet("color:#35557A;")
        for w in (caption, self.holder_name, self.holder_since):
            hl.addWidget(w)
        box.addWidget(holder)

        status_row = QHBoxLayout()
        self.status = QLabel()
        self.status.setStyleSheet("font-weight:bold;")
        self.due = QLabel()
        self.due_state = QLabel()
        self.due_state.setContentsMargins(6, 1, 6, 1)
        for w in (self.status, self.due, self.due_state):
            status_row.addWidget(w)
        status_row.addStretch(1)
        box.addLayout(status_row)
        self.notice = QLabel(objectName="returnNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "background:#FFF4E0; color:#6B3E00; border:1px solid #F0C27A; padding:4px;"
        )
        self.notice.hide()
        box.addWidget(self.notice)

        self.buttons_row = QHBoxLayout()
        self.buttons_row.addStretch(1)
        self.print_button = QPushButton("打印推送单…", objectName="printTransmittal")
        self.print_button.clicked.connect(self.print_requested)
        self.buttons_row.addWidget(self.print_button)
        box.addLayout(self.buttons_row)
        self.buttons: dict[str, QPushButton] = {}

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.values: dict[str, QLabel] = {}
        for key, label in self.FIELDS:
            self.values[key] = _value_label()
            form.addRow(label + "：", self.values[key])
        box.addLayout(form)

        box.addWidget(QLabel("办理记录"))
        self.timeline_model = TimelineModel(self)
        self.timeline = QTableView()
        self.timeline.setModel(self.timeline_model)
        self.timeline.verticalHeader().hide()
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setMinimumHeight(150)
        self.timeline.setWordWrap(True)  # reasons are read in full, not cut off
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.timeline.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        box.addWidget(self.timeline, 1)
        self.audit = AuditSection()  # its loader is set by the owner (work area)
        box.addWidget(self.audit)
        return page

    # -- content -----------------------------------------------------------------------

    def clear(self) -> None:
        self.detail = None
        self._set_buttons((), lambda _a: "")
        self.setCurrentIndex(0)

    def show_detail(self, d: ResultDetail, acting_office_id: str | None,
                    refusal: Callable[[str], str] | None = None) -> None:
        """``refusal(action)``: '' when the operator may take the step, else why not (the
        button is shown disabled with it as the tooltip)."""
        self.detail = d
        self.title.setText(f"{d.item_name}\n{d.applicant_name}")
        self.holder_name.setText(d.holder_name)
        if d.holder_name != d.sender_name:
            why = "已推送，监管责任自推送时起由主管部门承担"
        elif d.status == rules.RETURNED:
            why = "已被退回，由审批部门改正后重新推送"
        else:
            why = "尚未推送，由审批部门负责"
        self.holder_since.setText(f"自 {fmt_dt(d.holder_since)} 起 · {why}（第十七条）")
        self.status.setText(f"状态：{d.status_label}")
        self.due.setText(f"期限：{fmt_date(d.current_due, d.due_provisional)}"
                         if d.current_due else "")
        self.due_state.setText(d.due_state_label if d.due_state in STATE_STYLES else "")
        self.due_state.setStyleSheet(STATE_STYLES.get(d.due_state, ""))
        self.due_state.setVisible(d.due_state in STATE_STYLES)
        returned = [e for e in d.timeline if e.action == "return"]
        if d.status == rules.RETURNED and returned:
            last = returned[-1]
            self.notice.setText(f"{last.office_name}于 {fmt_dt(last.at)} 退回，理由：{last.note}")
        self.notice.setVisible(d.status == rules.RETURNED and bool(returned))
        id_type = ID_TYPE_LABELS.get(d.applicant_id_type, d.applicant_id_type)
        values = {
            "item_code": d.item_code,
            "applicant": d.applicant_name,
            "applicant_id": f"{d.applicant_id}（{id_type}）",
            "contact": f"{d.contact_name}  {d.contact_phone}",
            "result": d.result,
            "licence_number": d.licence_number or "—",
            "decided_on": fmt_date(d.decided_on),
            "licence_issued_on": fmt_date(d.licence_issued_on),
            "route": f"{d.sender_name} → {d.addressee_name}",
            "channel": d.channel_label or "—",
            "sender_liaison": d.sender_liaison.text if d.sender_liaison else "未指定",
            "addressee_liaison": d.addressee_liaison.text if d.addressee_liaison else "未指定",
            "send_due": fmt_date(d.send_due),
            "reply_due": fmt_date(d.reply_due),
            "recorded_by": d.recorded_by or "—",
            "materials": d.materials or "—",
        }
        for key, text in values.items():
            self.values[key].setText(text)
        self.timeline_model.set_entries(d.timeline)
        self.audit.show_record(d.id)
        mine = tuple((a, label) for a, label, actor in d.actions if actor == acting_office_id)
        self._set_buttons(mine, refusal or (lambda _a: ""))
        self.print_button.setVisible(bool(d.channel_label) and d.status != rules.RETURNED)
        self.setCurrentIndex(1)

    def _set_buttons(self, actions: tuple[tuple[str, str], ...], refusal: Callable[[str], str]) -> None:
        for b in self.buttons.values():
            self.buttons_row.removeWidget(b)
            b.hide()  # at once: deleteLater waits for the event loop
            b.deleteLater()
        self.buttons = {}
        for i, (action, label) in enumerate(actions):
            b = QPushButton(label + ("…" if action in ("send", "return") else ""))
            b.setObjectName(f"action_{action}")
            b.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
            why = refusal(action)
            b.setEnabled(not why)
            b.setToolTip(why)
            self.buttons_row.insertWidget(i, b)
            self.buttons[action] = b

    def allowed_actions(self) -> tuple[str, ...]:
        return tuple(a for a, b in self.buttons.items() if b.isEnabled())
