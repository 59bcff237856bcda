"""The monthly summary letter between two offices: everything one sent the other, or answered,
in a month (pushes and sign-offs, penalty notices, referrals, letters …), for the monthly
letters some offices exchange to reconcile their records. As PDF (forms layout, see
app.services.forms.cooperation_forms) and as .xlsx (app.services.spreadsheets.write_xlsx).

A dispatch is in the month's list when it was sent or answered in that month (by the local
times stored on it); every kind of the rules table counts.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.models import Dispatch, Office
from app.services import rules
from app.services.cooperation.oversight import parse_month
from app.services.errors import ValidationError
from app.services.exchange import subjects
from app.services.masking import mask_text
from app.services.spreadsheets import write_xlsx
from app.services.spreadsheets.spec import Column, SheetSpec

SPEC = SheetSpec("月度汇总", (
    Column("no", "序号", width=6), Column("kind", "类型", width=18), Column("article", "依据", width=10),
    Column("subject", "事项", width=36), Column("sender", "发送单位", width=22),
    Column("addressee", "接收单位", width=22), Column("sent_at", "发送时间", width=17),
    Column("send_due", "发送期限", width=12), Column("replied_at", "签收/答复时间", width=17),
    Column("reply_due", "签收/答复期限", width=14), Column("status", "状态", width=10),
    Column("on_time", "是否按时", width=10),
))


def _in(column, span):
    start, end = (datetime.combine(day, datetime.min.time()) for day in span)
    return and_(column >= start, column < end)


def _subject_text(session: Session, d: Dispatch, code_of) -> str:
    codec = subjects.codec(d.subject_type)
    sub = codec.to_dict(session, d.subject_id, code_of) if codec is not None else None
    if sub is None:
        return ""
    first, detail = codec.summary(sub), codec.detail(sub)
    # A report: IDs and phone numbers in the texts are masked (issue 7).
    return mask_text(f"{first}（{detail}）" if detail else first)


def _on_time(d: Dispatch) -> str:
    late = []
    if d.sent_at and d.send_due and d.sent_at.date() > d.send_due:
        late.append("发送逾期")
    if d.replied_at and d.reply_due and d.replied_at.date() > d.reply_due:
        late.append("签收/答复逾期")
    return "、".join(late) or "按时"


def rows(session: Session, me: Office, other: Office, month: str) -> list[dict]:
    """The month's dispatches between ``me`` and ``other`` (both directions), oldest first."""
    if me.id == other.id:
        raise ValidationError("请指定另一个单位（--with 单位代码）。", "with")
    span = parse_month(month)
    pair = or_(and_(Dispatch.sender_office_id == me.id, Dispatch.addressee_office_id == other.id),
               and_(Dispatch.sender_office_id == other.id, Dispatch.addressee_office_id == me.id))
    stmt = (select(Dispatch).where(pair, or_(_in(Dispatch.sent_at, span), _in(Dispatch.replied_at, span)))
            .order_by(Dispatch.sent_at, Dispatch.id))
    names = {me.id: me.name, other.id: other.name}
    codes: dict[uuid.UUID, str] = {}

    def code_of(office_id: uuid.UUID) -> str:
        if office_id not in codes:
            codes[office_id] = session.get(Office, office_id).code
        return codes[office_id]

    out = []
    for n, d in enumerate(session.scalars(stmt), start=1):
        rule = rules.rule(d.kind)
        out.append({
            "no": n, "kind": rule.name, "article": rule.article, "subject": _subject_text(session, d, code_of),
            "sender": names[d.sender_office_id], "addressee": names[d.addressee_office_id],
            "sent_at": d.sent_at, "send_due": d.send_due, "replied_at": d.replied_at, "reply_due": d.reply_due,
            "status": rule.status_label(d.status), "on_time": _on_time(d), "dispatch_id": d.id,
        })
    return out


def caption(me: Office, other: Office, month: str) -> str:
    year, mon = month.split("-")
    return f"{me.name}与{other.name}{int(year)}年{int(mon)}月推送签收情况汇总"


def write_xlsx_file(session: Session, me: Office, other: Office, month: str, path: str | os.PathLike) -> int:
    """Write the month's list to an .xlsx file; returns the number of rows."""
    found = rows(session, me, other, month)
    write_xlsx(path, SPEC, found, caption=caption(me, other, month))
    return len(found)
