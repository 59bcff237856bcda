"""Policy-change notices (Art. 8 ¶3) and opinion requests (Art. 8 ¶4).

A competent department tells the approval bureau of a change of laws, rules or policies that
touches the sheets (``policy_notice``: sent promptly, the bureau acknowledges), or asks its
opinion on a draft rule (``opinion_request``: the bureau replies with its opinion, stored on the
record by the ``reply`` step's effect). The rules table sets no countable limit for either; a
date by which the department would like the opinion is kept as a wish, not as a due date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, Office, PolicyChange
from app.services import dispatch as engine
from app.services import rules
from app.services.errors import ValidationError, WorkflowError
from app.services.sheets.common import dispatch_of, find, limits_text, status_text, text

NOTICE, REQUEST = "notice", "opinion_request"
KINDS = {NOTICE: rules.rule("policy_notice").kind, REQUEST: rules.rule("opinion_request").kind}
LABELS = {NOTICE: "政策调整告知", REQUEST: "征求意见"}


def _approval_bureau(session: Session, office: Office, to: Office | None) -> Office:
    if to is not None:
        return to
    found = list(session.scalars(select(Office).where(Office.role == "approval", Office.id != office.id)
                                 .order_by(Office.code)))
    if len(found) != 1:
        raise ValidationError("请指定接收的行政审批部门（--to 单位代码）。", "to")
    return found[0]


def send(session: Session, kind: str, *, office: Office, operator: str, title: str, content: str,
         basis: str = "", effective_on: date | None = None, reply_wanted_by: date | None = None,
         to: Office | None = None) -> PolicyChange:
    """Record a notice or an opinion request and send it (the clock starts today)."""
    if kind not in KINDS:
        raise ValidationError(f"未知的类型：{kind}", "kind")
    if reply_wanted_by is not None and kind != REQUEST:
        raise ValidationError("只有征求意见可以填写希望反馈日期。", "due")
    if reply_wanted_by is not None and reply_wanted_by < clock.today():
        raise ValidationError("希望反馈日期不能早于今天。", "due")
    pc = PolicyChange(
        id=uuid.uuid4(), kind=kind, title=text(title, "title", "标题", 256),
        content=text(content, "content", "内容", 20000, keep_lines=True),
        basis=text(basis, "basis", "依据", 512, required=kind == NOTICE),
        effective_on=effective_on, reply_wanted_by=reply_wanted_by, sending_office_id=office.id,
        created_at=clock.now(),
    )
    session.add(pc)
    session.flush()
    d = engine.create(session, KINDS[kind], sender=office, addressee=_approval_bureau(session, office, to),
                      subject_id=pc.id, clock_start=clock.today(), operator=operator)
    session.flush()
    pc.dispatch_id = d.id
    engine.perform(session, d, "send", office=office, operator=operator)
    return pc


def get(session: Session, text_id: str) -> PolicyChange:
    return find(session, PolicyChange, text_id, "政策调整告知或征求意见")


def _dispatch(session: Session, pc: PolicyChange) -> Dispatch:
    d = dispatch_of(session, pc.id, KINDS[pc.kind])
    if d is None:
        raise WorkflowError("这条记录没有发送记录。")
    return d


def acknowledge(session: Session, pc: PolicyChange, *, office: Office, operator: str) -> Dispatch:
    if pc.kind != NOTICE:
        raise WorkflowError("征求意见请用“反馈意见”答复（shenguan policy reply）。")
    return engine.perform(session, _dispatch(session, pc), "acknowledge", office=office, operator=operator)


def reply(session: Session, pc: PolicyChange, opinion: str, *, office: Office, operator: str) -> Dispatch:
    if pc.kind != REQUEST:
        raise WorkflowError("政策调整告知只需确认收到（shenguan policy ack）。")
    opinion = text(opinion, "text", "意见", 4000, keep_lines=True)
    return engine.perform(session, _dispatch(session, pc), "reply", office=office, operator=operator,
                          reason=opinion)


def apply_reply(session: Session, d, when: datetime) -> None:
    """Step effect of ``reply``: the opinion (the step's note) is kept on the record."""
    pc = session.get(PolicyChange, d.subject_id)
    if pc is not None and d.events:
        pc.reply_text, pc.replied_at = d.events[-1].note, when


def policy_dict(session: Session, pc: PolicyChange) -> dict:
    d = dispatch_of(session, pc.id, KINDS[pc.kind])
    office = session.get(Office, pc.sending_office_id)
    return {
        "id": pc.id, "kind": pc.kind, "kind_label": LABELS[pc.kind], "title": pc.title, "content": pc.content,
        "basis": pc.basis, "effective_on": pc.effective_on, "reply_wanted_by": pc.reply_wanted_by,
        "sender": office.name, "created_at": pc.created_at, "reply_text": pc.reply_text,
        "replied_at": pc.replied_at, "status": d.status if d else None, "status_label": status_text(d),
        "reply_due": d.reply_due if d else None, "limits": limits_text(KINDS[pc.kind]),
    }


def list_policies(session: Session) -> list[dict]:
    stmt = select(PolicyChange).order_by(PolicyChange.created_at.desc(), PolicyChange.id)
    return [policy_dict(session, pc) for pc in session.scalars(stmt)]
