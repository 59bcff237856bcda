"""Text and JSON views of approval results for the command line."""

from __future__ import annotations

from datetime import date

from app.cli_common import fmt_time, table
from app.services import rules
from app.services.deadlines import DUE_STATE_LABELS, ON_TRACK
from app.services.detail import Liaison, ResultDetail
from app.services.queries import ResultRow, row_due_state
from app.services.workdays import WorkCalendar

ID_TYPES = {"uscc": "统一社会信用代码", "resident_id": "居民身份证号码"}
CLI_ACTIONS = {
    "send": "push {id}",
    "sign_off": "sign-off {id}",
    "return": "return {id} --reason 理由",
    "start_supervision": "supervise {id}",
}


def row_dict(row: ResultRow, calendar: WorkCalendar, today: date) -> dict:
    state = row_due_state(row, calendar, today)
    return {
        "id": str(row.id),
        "decided_on": row.decided_on.isoformat(),
        "item": row.item_name,
        "applicant": row.applicant_name,
        "licence_number": row.licence_number,
        "sender": row.sender_name,
        "addressee": row.addressee_name,
        "status": row.status,
        "status_label": row.status_label,
        "channel": row.channel,
        "due": row.current_due.isoformat() if row.current_due else None,
        "due_provisional": bool(row.due_provisional),
        "due_state": state,
        "holder": row.holder_name,
        "holder_since": fmt_time(row.holder_since),
    }


def _due_cell(d: dict) -> str:
    if not d["due"]:
        return ""
    text = d["due"] + ("*" if d["due_provisional"] else "")
    if d["due_state"] in (None, ON_TRACK):
        return text
    return f"{text} {DUE_STATE_LABELS.get(d['due_state'], '')}"


def rows_table(data: list[dict]) -> str:
    return table(
        ["编号", "决定日期", "事项", "申请人", "接收单位", "状态", "期限", "责任单位"],
        [[d["id"][:8], d["decided_on"], d["item"], d["applicant"], d["addressee"], d["status_label"],
          _due_cell(d), d["holder"]] for d in data],
        [8, 10, 22, 30, 24, 10, 20, 24],
    )


def _due_text(due: date | None, provisional: bool, state_label: str = "") -> str:
    if due is None:
        return "—"
    extra = "，".join(x for x in ("暂定" if provisional else "", state_label) if x)
    return f"{due.isoformat()}（{extra}）" if extra else due.isoformat()


def _liaison(lo: Liaison | None) -> str:
    return lo.text if lo is not None else "未指定"


def detail_lines(d: ResultDetail, names: dict[str, tuple[str, str]]) -> list[str]:
    """The detail pane as text: fields, push state, deadlines, responsibility, timeline."""
    short = str(d.id)[:8]
    lines = [
        f"审批结果 {d.id}",
        f"  许可事项：{d.item_code} {d.item_name}",
        f"  申请人：{d.applicant_name}（{ID_TYPES.get(d.applicant_id_type, '证件号码')} {d.applicant_id}）",
        f"  联系人：{d.contact_name}，{d.contact_phone}",
        f"  申请材料：{d.materials or '—'}",
        f"  审批结果：{d.result}",
        f"  证照编号：{d.licence_number or '—'}",
        f"  审批决定日期：{d.decided_on}；证照颁发日期：{d.licence_issued_on or '—'}；登记人：{d.recorded_by or '—'}",
        f"  推送：{d.sender_name} → {d.addressee_name}" + (f"（{d.channel_label}）" if d.channel_label else ""),
        f"  联络员（第十六条）：{d.sender_name} {_liaison(d.sender_liaison)}；"
        f"{d.addressee_name} {_liaison(d.addressee_liaison)}",
        f"  状态：{d.status_label}",
    ]
    if d.status == rules.PENDING:
        lines.append(f"  推送期限：{_due_text(d.send_due, d.due_provisional, d.due_state_label)}")
    elif d.status == rules.SENT:
        label = "商定时限" if d.channel_label and d.channel_label != rules.CHANNEL_LABELS[rules.EXCHANGE] else "签收期限"
        lines.append(f"  推送期限：{_due_text(d.send_due, False)}")
        lines.append(f"  {label}：{_due_text(d.reply_due, d.due_provisional, d.due_state_label)}")
    else:
        lines.append(f"  推送期限：{_due_text(d.send_due, False)}；签收期限：{_due_text(d.reply_due, False)}")
    lines.append(f"  责任单位：{d.holder_name}（自 {fmt_time(d.holder_since)} 起，第十七条）")
    for action, label, office_id in d.actions:
        name, code = names.get(office_id, ("", ""))
        hint = CLI_ACTIONS.get(action, "").format(id=short)
        if action == "send" and d.status == rules.RETURNED:
            hint += " --to 单位代码"
        lines.append(f"  下一步：{label}（{name}）" + (f"：shenguan results {hint} --as {code}" if hint else ""))
    lines.append("办理记录：")
    rows = [[fmt_time(e.at), e.office_name, e.operator or "—", e.action_label, e.note] for e in d.timeline]
    lines.extend("  " + line for line in table(["时间", "单位", "经办人", "操作", "说明"], rows).splitlines())
    return lines
