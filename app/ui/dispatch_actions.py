"""The 办件 page's actions: one small function per step, each through a service.

A step on a row is one transition of the rules table. When the dispatch's flow has a service
of its own for that step (it records the subject's data, e.g. the opinion of an opinion request
or the applied pool letter), :data:`FLOW_STEPS` names it; every other step goes through the
engine (``dispatch.perform``). Approval pushes keep the main window's own dialogs (push by
paper with an agreed time limit, return, start supervision).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.services import rules, worklist
from app.services.errors import ShenGuanError
from app.ui.workspace import Workspace

Step = Callable  # (session, dispatch, office, operator, text) -> object


@dataclass(frozen=True)
class FlowStep:
    """A step a flow service takes; ``text_label`` asks for a text even where the rule does not
    require a reason (e.g. the opinion of 反馈意见)."""

    run: Step
    text_label: str | None = None


def _subject(session, model, d):
    return session.get(model, d.subject_id)


def _policy_ack(s, d, office, operator, _text):
    from app.models import PolicyChange
    from app.services.sheets import notices

    return notices.acknowledge(s, _subject(s, PolicyChange, d), office=office, operator=operator)


def _policy_reply(s, d, office, operator, text):
    from app.models import PolicyChange
    from app.services.sheets import notices

    return notices.reply(s, _subject(s, PolicyChange, d), text, office=office, operator=operator)


def _consent(agree: bool) -> Step:
    def run(s, d, office, operator, text):
        from app.models import SheetChange
        from app.services.sheets import consent

        return consent.answer(s, _subject(s, SheetChange, d), agree, office=office, operator=operator,
                              reason=text)

    return run


def _letter_ack(s, d, office, operator, _text):
    from app.models import PoolLetter
    from app.services.sheets import letters

    return letters.acknowledge(s, _subject(s, PoolLetter, d), office=office, operator=operator)


FLOW_STEPS: dict[tuple[str, str], FlowStep] = {
    ("policy_notice", "acknowledge"): FlowStep(_policy_ack),
    ("opinion_request", "reply"): FlowStep(_policy_reply, "意见"),
    ("key_element_consent", "consent"): FlowStep(_consent(True)),
    ("key_element_consent", "refuse"): FlowStep(_consent(False)),
    ("pool_update", "acknowledge"): FlowStep(_letter_ack),
}

# Kinds whose steps are the main window's result actions (app.ui.actions), by subject id.
RESULT_KINDS = ("approval_push",)


def fetch_rows(ws: Workspace, flt: worklist.Filter) -> list[worklist.WorkRow]:
    if ws.office is None:
        return []
    with ws.session() as s:
        return worklist.list_rows(s, ws.acting_office(s), ws.calendar, flt)


def fetch_detail(ws: Workspace, dispatch_id: uuid.UUID) -> worklist.WorkDetail | None:
    if ws.office is None:
        return None
    with ws.session() as s:
        try:
            return worklist.detail(s, ws.acting_office(s), ws.calendar, dispatch_id)
        except ShenGuanError:
            return None


def perform_step(ws: Workspace, dispatch_id: uuid.UUID, action: str, text: str = "", *,
                 channel: str | None = None, agreed_due=None) -> None:
    """Take one step as the acting office and commit (a refusal raises, nothing is written)."""
    from app.models import Dispatch
    from app.services import dispatch as engine

    with ws.session() as s:
        d = s.get(Dispatch, dispatch_id)
        if d is None:
            raise ShenGuanError("这件办件已不存在，请刷新。")
        office = ws.acting_office(s)
        flow = FLOW_STEPS.get((d.kind, action))
        if flow is not None and channel is None:
            flow.run(s, d, office, ws.operator, text)
        else:
            engine.perform(s, d, action, office=office, operator=ws.operator, reason=text,
                           channel=channel, agreed_due=agreed_due, calendar=ws.calendar)
        s.commit()


def guarded(fn: Callable) -> Callable:
    """A submit function whose unexpected errors are shown in the dialog, never raised."""

    def run(values):
        try:
            return fn(values)
        except ShenGuanError:
            raise
        except Exception as exc:  # noqa: BLE001 - shown to the user in words
            raise ShenGuanError(f"操作未完成：{type(exc).__name__}: {exc}") from exc

    return run


def run_action(ws: Workspace, row: worklist.WorkRow, action: str, parent: QWidget | None = None) -> bool:
    """The dialog of one step of ``row``; True when the step was taken."""
    from app.ui import actions

    if row.kind in RESULT_KINDS:
        return actions.run_result_action(ws, action, row.subject_id, parent)
    choice = next((a for a in row.actions if a.action == action), None)
    if choice is None:
        QMessageBox.warning(parent, "办件", "本单位现在不能办理这一步，请刷新后再试。")
        return False
    flow_dialog = FLOW_DIALOGS.get((row.kind, action))
    if flow_dialog is not None:
        return flow_dialog(ws, row, parent)
    if not actions.ensure_operator(ws, parent):
        return False
    dlg = step_dialog(row, choice, parent)

    def submit(v):
        perform_step(ws, row.id, action, v.get("reason", ""), channel=v.get("channel"),
                     agreed_due=v.get("agreed_due"))

    dlg.submit = guarded(submit)
    dlg.on_conflict = lambda: ws.changed.emit(None)  # another desk was quicker: refresh
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return False
    ws.changed.emit(None)
    return True


def step_dialog(row: worklist.WorkRow, choice: worklist.ActionChoice, parent=None):
    """The dialog of one step: a paper-capable send asks for the channel; a step that needs a
    reason (or a flow's text) asks for it; any other step is confirmed."""
    from app.ui.dialogs.push import PushDialog
    from app.ui.dispatch_dialogs import StepDialog

    rule = rules.rule(row.kind)
    if choice.action == "send" and rule.paper_allowed:
        dlg = PushDialog(summary_text(row), row.counterpart_name, parent)
        dlg.setWindowTitle(f"{choice.label} — {rule.name}")
        dlg.ok_button.setText(choice.label)
        return dlg
    flow = FLOW_STEPS.get((row.kind, choice.action))
    label = flow.text_label if flow and flow.text_label else None
    if label is None and choice.needs_reason:
        label = "意见" if choice.action == "reply" else "理由"
    return StepDialog(rule, choice, summary_text(row), parent, text_label=label)


def summary_text(row: worklist.WorkRow) -> str:
    peer = "接收单位" if row.direction == worklist.OUT else "发送单位"
    lines = [f"{row.kind_name}（{row.article}）", f"{peer}：{row.counterpart_name}"]
    if row.summary:
        lines.append(f"事由：{row.summary}")
    lines.append(f"当前状态：{row.status_label}" + (f"，期限 {row.due_text}" if row.due_text else ""))
    return "\n".join(lines)


# -- printed forms --------------------------------------------------------------------------

def can_print(row: worklist.WorkRow) -> bool:
    from app.services.forms import dispatch_forms

    return dispatch_forms.can_print(row.kind)


def print_row(ws: Workspace, row: worklist.WorkRow, parent: QWidget | None = None):
    """打印: the row's printed form (app.services.forms.dispatch_forms) in the preview."""
    from app.models import Dispatch
    from app.services.forms import dispatch_forms
    from app.services.forms.fonts import font_set_from_settings
    from app.ui import forms_actions

    try:
        with ws.session() as s:
            made = dispatch_forms.printed(s, s.get(Dispatch, row.id), font_set_from_settings(s))
    except ShenGuanError as exc:
        QMessageBox.warning(parent, "打印", exc.message)
        return None
    return forms_actions._preview(made.out.data, made.title, made.out.warning, made.file_name, parent)


# -- steps of a flow beyond the rules table's transitions (on the subject record) -----------

def _subject_of(ws, row, model_path: str):
    from importlib import import_module

    module, name = model_path.rsplit(".", 1)
    with ws.session() as s:
        obj = s.get(getattr(import_module(module), name), row.subject_id)
        if obj is not None:
            s.expunge(obj)
        return obj


def licence_decision(ws: Workspace, row: worklist.WorkRow, parent=None) -> bool:
    """作出许可决定 on a received penalty notice: the licence decision, pushed back (Art. 19)."""
    from app.models.enforcement import MEASURES, PenaltyDecision
    from app.services.enforcement import licences
    from app.ui.dispatch_dialogs import CHOICE, DATE, TEXT, Field, _run

    fields = [Field("kind", "许可决定", CHOICE, tuple(MEASURES.items())), Field("decision_number", "许可决定文号"),
              Field("decided_on", "许可决定日期", DATE), Field("content", "决定内容", TEXT)]

    def work(s, office, v):
        data = licences.LicenceDecisionInput(v["kind"], v["decision_number"], v["decided_on"], v["content"])
        return licences.decide(s, s.get(PenaltyDecision, row.subject_id), data, office=office,
                               operator=ws.operator, calendar=ws.calendar)

    pd = _subject_of(ws, row, "app.models.enforcement.PenaltyDecision")
    fill = {"kind": pd.measure} if pd is not None else {}
    intro = summary_text(row) + f"\n\n{rules.rule('licence_change_push').article}：许可决定作出后2个工作日内推送。"
    return _run(ws, parent, "作出许可决定", fields, work, intro=intro, ok_text="决定并推送", fill=fill)


def file_case(ws: Workspace, row: worklist.WorkRow, parent=None) -> bool:
    from app.models.enforcement import Referral
    from app.services.enforcement import referrals
    from app.ui.dispatch_dialogs import DATE, Field, _run

    fields = [Field("filed_on", "立案日期", DATE), Field("case_number", "立案编号")]
    return _run(ws, parent, "登记立案", fields, lambda s, office, v: referrals.file_case(
        s, s.get(Referral, row.subject_id), office=office, operator=ws.operator, filed_on=v["filed_on"],
        case_number=v["case_number"]), intro=summary_text(row), ok_text="登记立案")


def case_result(ws: Workspace, row: worklist.WorkRow, parent=None) -> bool:
    from app.models.enforcement import Referral
    from app.services.enforcement import referrals
    from app.ui.dispatch_dialogs import DATE, TEXT, Field, _run

    fields = [Field("result_on", "办结日期", DATE), Field("result_text", "案件处理结果", TEXT)]
    return _run(ws, parent, "反馈案件处理结果", fields, lambda s, office, v: referrals.report_result(
        s, s.get(Referral, row.subject_id), office=office, operator=ws.operator, result_text=v["result_text"],
        result_on=v["result_on"], calendar=ws.calendar),
        intro=summary_text(row) + "\n\n处理结果将反馈移送部门和行政审批部门（第二十条）。", ok_text="反馈")


def consultation_minutes(ws: Workspace, row: worklist.WorkRow, parent=None) -> bool:
    from app.models.cooperation import Consultation
    from app.services.cooperation import requests
    from app.ui.dispatch_dialogs import OPT_DATE, TEXT, Field, _run

    fields = [Field("held_on", "会议召开日期", OPT_DATE, hint="工作会议时填写"),
              Field("minutes", "会议纪要", TEXT, lines=6), Field("outcome", "会商结果", TEXT)]
    return _run(ws, parent, "记录会商结果", fields, lambda s, office, v: requests.record_minutes(
        s, s.get(Consultation, row.subject_id), office=office, operator=ws.operator, outcome=v["outcome"],
        minutes=v["minutes"], held_on=v["held_on"]), intro=summary_text(row), ok_text="记录并送达")


# (kind, action) -> a dialog of the flow's own for a rules-table step.
FLOW_DIALOGS: dict[tuple[str, str], Callable] = {("penalty_notice", "decide"): licence_decision}


def extra_actions(ws: Workspace, row: worklist.WorkRow) -> list[tuple[str, str, Callable]]:
    """(key, button text, fn(ws, row, parent)) of the flow steps open to this office now."""
    out = []
    try:
        if row.kind == "referral" and row.direction == worklist.IN and row.status == rules.ACCEPTED:
            ref = _subject_of(ws, row, "app.models.enforcement.Referral")
            if ref is not None and ref.case_filed_on is None:
                out.append(("file_case", "登记立案…", file_case))
            elif ref is not None and ref.result_on is None:
                out.append(("case_result", "反馈处理结果…", case_result))
        if row.kind == "consultation":
            c = _subject_of(ws, row, "app.models.cooperation.Consultation")
            mine = c is not None and ws.office is not None and c.requesting_office_id == ws.office.id
            if mine and c.minutes_at is None and row.direction == worklist.OUT:
                out.append(("minutes", "记录会商结果…", consultation_minutes))
    except ImportError:  # the flow's models are not installed here
        return []
    return out
