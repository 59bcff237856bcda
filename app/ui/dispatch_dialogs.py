"""Dialogs of the 办件 page: one step of a dispatch (confirm, or with a reason / text), and the
dialogs of the flows that start or continue a dispatch here. Each flow dialog is a
:class:`SpecDialog` (a list of fields) whose ``submit`` calls the flow's own service; a
refusal (ValidationError) is shown above the form with the named field focused."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
)

from app.services import rules
from app.services.worklist import ActionChoice
from app.ui.dialogs.base import FormDialog, OptionalDateEdit, combo_data, date_edit, qdate_value


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


# -- dialogs described by their fields ---------------------------------------------------------

LINE, TEXT, DATE, OPT_DATE, CHOICE, CHECKS, COUNT = "line", "text", "date", "optdate", "choice", "checks", "count"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = LINE
    choices: tuple = ()  # (data, text) pairs for CHOICE and CHECKS
    hint: str = ""
    lines: int = 4  # height of a TEXT field in lines


class SpecDialog(FormDialog):
    """A form built from :class:`Field` values; ``values()`` returns typed values by name."""

    def __init__(self, title: str, fields: list[Field], parent=None, *, intro: str = "", ok_text: str = "确定"):
        super().__init__(title, parent, intro=intro, ok_text=ok_text)
        self.spec = fields
        for f in fields:
            self.add_field(f.name, f.label + "：", self._widget(f))
        self.setMinimumWidth(600)

    def _widget(self, f: Field):
        if f.type == TEXT:
            w = QPlainTextEdit()
            w.setPlaceholderText(f.hint)
            w.setFixedHeight(w.fontMetrics().lineSpacing() * f.lines + 14)
        elif f.type == DATE:
            w = date_edit()
        elif f.type == OPT_DATE:
            w = OptionalDateEdit(f.hint or "不填")
        elif f.type == CHOICE:
            w = QComboBox()
            for data, text in f.choices:
                w.addItem(text, data)
        elif f.type == CHECKS:
            w = QListWidget()
            for data, text in f.choices:
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, data)
                item.setCheckState(Qt.CheckState.Unchecked)
                w.addItem(item)
            w.setFixedHeight(min(len(f.choices), 6) * (w.fontMetrics().lineSpacing() + 8) + 8)
        elif f.type == COUNT:
            w = QSpinBox()
            w.setRange(0, 10_000_000)
            w.setSpecialValueText("不填")
        else:
            w = QLineEdit()
            w.setPlaceholderText(f.hint)
        return w

    def value(self, name: str):
        f = next(f for f in self.spec if f.name == name)
        w = self.fields[name]
        if f.type == TEXT:
            return w.toPlainText()
        if f.type == DATE:
            return qdate_value(w)
        if f.type == OPT_DATE:
            return w.value()
        if f.type == CHOICE:
            return combo_data(w)
        if f.type == CHECKS:
            return [w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
                    if w.item(i).checkState() == Qt.CheckState.Checked]
        if f.type == COUNT:
            return w.value() or None
        return w.text()

    def values(self) -> dict:
        return {f.name: self.value(f.name) for f in self.spec}

    def set_value(self, name: str, value) -> None:
        """Fill a field (tests and callers that know a value already)."""
        f = next(f for f in self.spec if f.name == name)
        w = self.fields[name]
        if f.type == TEXT:
            w.setPlainText(value)
        elif f.type in (DATE, OPT_DATE):
            w.setDate(QDate(value.year, value.month, value.day))
        elif f.type == CHOICE:
            w.setCurrentIndex(next((i for i in range(w.count()) if w.itemData(i) == value), -1))
        elif f.type == CHECKS:
            for i in range(w.count()):
                item = w.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in value
                                   else Qt.CheckState.Unchecked)
        elif f.type == COUNT:
            w.setValue(value or 0)
        else:
            w.setText(value)


# -- the flows' own dialogs (Art. 9-13, 19, 20), each calling its flow's service ---------------

def _installed(module: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except ImportError:
        return False


def _run(ws, parent, title: str, fields: list[Field], work, *, intro: str = "", ok_text: str = "确定",
         fill: dict | None = None) -> bool:
    """Show a SpecDialog; its submit runs ``work(session, office, values)`` and commits."""
    from PySide6.QtWidgets import QDialog

    from app.ui.actions import ensure_operator
    from app.ui.dispatch_actions import guarded

    if not ensure_operator(ws, parent):
        return False
    dlg = SpecDialog(title, fields, parent, intro=intro, ok_text=ok_text)
    for name, value in (fill or {}).items():
        dlg.set_value(name, value)

    def submit(v):
        with ws.session() as s:
            out = work(s, ws.acting_office(s), v)
            s.commit()
            return out

    dlg.submit = guarded(submit)
    dlg.on_conflict = lambda: ws.changed.emit(None)  # another desk was quicker: refresh
    ws.last_dialog = dlg  # tests reach the open dialog through the workspace
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return False
    ws.changed.emit(None)
    return True


def _offices(ws, roles, *, none: str | None = None) -> tuple:
    from sqlalchemy import select

    from app.models import Office

    with ws.session() as s:
        found = s.scalars(select(Office).where(Office.role.in_(sorted(roles))).order_by(Office.code))
        pairs = tuple((o.id, o.name) for o in found if ws.office is None or o.id != ws.office.id)
    return (((None, none),) if none else ()) + pairs


def _office(s, oid):
    from app.models import Office

    return s.get(Office, oid) if oid else None


def new_penalty(ws, parent=None) -> bool:
    """记录行政处罚决定并推送 (Art. 19)."""
    from app.models.enforcement import MEASURES
    from app.services.enforcement import penalties

    fields = [Field("decision_number", "处罚决定书文号"), Field("decided_on", "处罚决定日期", DATE),
              Field("measure", "对许可的处理", CHOICE, tuple(MEASURES.items())),
              Field("licence", "许可证号", hint="证照编号，或审批结果编号（前8位即可）"),
              Field("item", "许可事项", hint="本系统没有该许可证时填写：事项编码或名称"),
              Field("holder", "持证人", hint="本系统没有该许可证时填写：被处罚人名称"),
              Field("facts", "违法事实摘要", TEXT), Field("legal_basis", "处罚依据")]

    def work(s, office, v):
        data = penalties.PenaltyInput(v["decision_number"], v["decided_on"], v["measure"], v["facts"],
                                      v["legal_basis"], v["licence"], v["item"], v["holder"])
        return penalties.record(s, data, office=office, operator=ws.operator, calendar=ws.calendar)

    rule = rules.rule("penalty_notice")
    return _run(ws, parent, "记录行政处罚决定并推送", fields, work, ok_text="记录并推送",
                intro=f"{rule.article}：作出行政处罚决定后{rule.send_within.text}内推送至行政审批部门。")


def new_referral(ws, parent=None) -> bool:
    """移送违法线索 (Art. 20), with the evidence list one item a line."""
    from app.services.enforcement import referrals

    rule = rules.rule("referral")
    fields = [Field("to", "接收部门", CHOICE, _offices(ws, rule.addressee_roles, none="（请选择）")),
              Field("party_name", "当事人"), Field("licence_number", "许可证号", hint="如有"),
              Field("found_on", "发现日期", DATE), Field("case_summary", "违法线索摘要", TEXT),
              Field("evidence", "调查取证材料清单", TEXT, hint="每行一项，例如：现场检查笔录（3页）", lines=5)]

    def work(s, office, v):
        from app.services.errors import ValidationError

        if v["to"] is None:
            raise ValidationError("请选择接收部门。", "to")
        return referrals.refer(s, office=office, to=_office(s, v["to"]), party_name=v["party_name"],
                               case_summary=v["case_summary"], evidence=v["evidence"], found_on=v["found_on"],
                               operator=ws.operator, licence_number=v["licence_number"], calendar=ws.calendar)

    return _run(ws, parent, "移送违法线索", fields, work, ok_text="移送",
                intro=f"{rule.article}：发现不属于本部门职责的违法行为，{rule.send_within.text}移送；"
                      f"接收部门应在{rule.reply_within.text}内作出是否受理的决定。")


def new_consultation(ws, parent=None) -> bool:
    """发起会商 (Art. 9): by letter or as a working meeting."""
    from app.models.cooperation import CONSULTATION_MODES
    from app.services.cooperation import requests

    rule = rules.rule("consultation")
    fields = [Field("mode", "会商形式", CHOICE, tuple(CONSULTATION_MODES.items())), Field("topic", "会商事项"),
              Field("to", "会商单位", CHECKS, _offices(ws, rule.addressee_roles)),
              Field("agenda", "会商内容或议程", TEXT), Field("participants", "参加人员", TEXT, lines=2),
              Field("meeting_on", "会议日期", OPT_DATE, hint="工作会议时填写")]

    def work(s, office, v):
        return requests.send_consultation(
            s, office=office, operator=ws.operator, mode=v["mode"], topic=v["topic"],
            to=[_office(s, oid) for oid in v["to"]], agenda=v["agenda"], participants=v["participants"],
            meeting_on=v["meeting_on"])

    return _run(ws, parent, "发起会商", fields, work, ok_text="发出", intro=f"{rule.article}：{rule.clock_start}。")


def new_support(kind: str, dispatch_kind: str):
    """商请技术支持 / 业务培训 / 现场指导 / 协助申领制式证照 (Art. 10, 12, 13)."""

    def run(ws, parent=None) -> bool:
        from app.services.cooperation import requests

        rule = rules.rule(dispatch_kind)
        fields = [Field("to", "主管部门", CHOICE, _offices(ws, rule.addressee_roles, none="（请选择）")),
                  Field("title", "标题"), Field("content", "商请内容", TEXT),
                  *([Field("quantity", "申领数量", COUNT)] if kind == "certificate_stock" else []),
                  Field("wanted_by", "希望完成日期", OPT_DATE)]

        def work(s, office, v):
            from app.services.errors import ValidationError

            if v["to"] is None:
                raise ValidationError("请选择主管部门。", "to")
            return requests.send_support(s, kind, office=office, operator=ws.operator, to=_office(s, v["to"]),
                                         title=v["title"], content=v["content"], quantity=v.get("quantity"),
                                         wanted_by=v["wanted_by"])

        return _run(ws, parent, rule.name, fields, work, ok_text="商请",
                    intro=f"{rule.article}：{rule.clock_start}；主管部门应{rule.reply}。")

    return run


def creators() -> list[tuple[str, object, frozenset[str]]]:
    """(menu text, fn(ws, parent) -> bool, roles that may start it): the sending roles come from
    the rules table; a flow whose service is not installed here is left out."""
    out = []
    if _installed("app.services.enforcement.penalties"):
        out += [("记录行政处罚决定并推送…", new_penalty, rules.rule("penalty_notice").sender_roles),
                ("移送违法线索…", new_referral, rules.rule("referral").sender_roles)]
    if _installed("app.services.cooperation.requests"):
        out.append(("发起会商…", new_consultation, rules.rule("consultation").sender_roles))
        for kind, dispatch_kind in (("technical_support", "technical_support"), ("training", "training_request"),
                                    ("field_guidance", "field_guidance"), ("certificate_stock", "certificate_stock")):
            rule = rules.rule(dispatch_kind)
            out.append((f"{rule.name}…", new_support(kind, dispatch_kind), rule.sender_roles))
    return out
