"""Shared pieces of the Art. 19 and Art. 20 flows: clean input, offices, dispatch rows."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, Office
from app.models.enforcement import MEASURES
from app.services import rules
from app.services.errors import NotFoundError, ValidationError
from app.services.sheets.common import find, text  # noqa: F401  (re-exported)

MEASURE_WORDS = {label: key for key, label in MEASURES.items()}


def measure(value: str, field: str = "measure") -> str:
    """amend/withdraw/revoke/cancel, also typed as 变更/撤回/撤销/注销."""
    v = (value or "").strip()
    key = MEASURE_WORDS.get(v, v.lower())
    if key not in MEASURES:
        raise ValidationError(f"“{value}”不是许可处理方式：应为变更、撤回、撤销或注销"
                              "（amend、withdraw、revoke、cancel）。", field)
    return key


def past_date(day: date | None, field: str, label: str) -> date:
    if day is None:
        raise ValidationError(f"请填写{label}。", field)
    if day > clock.today():
        raise ValidationError(f"{label}不能晚于今天。", field)
    if day.year < 2000:
        raise ValidationError(f"{label}不对：年份早于2000年。", field)
    return day


def only_office(session: Session, role: str, to: Office | None, what: str) -> Office:
    """``to`` if given (checked for its role), else the only office of ``role`` in the roster."""
    if to is not None:
        return to
    found = list(session.scalars(select(Office).where(Office.role == role).order_by(Office.code)))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"单位名录中没有{what}，请先导入最新的单位名录。")
    codes = "、".join(o.code for o in found)
    raise ValidationError(f"单位名录中有多个{what}（{codes}），请指定接收单位。", "to")


def dispatches_of(session: Session, subject_id: uuid.UUID, kind: str) -> list[Dispatch]:
    stmt = (select(Dispatch).where(Dispatch.subject_id == subject_id, Dispatch.kind == kind)
            .order_by(Dispatch.created_at, Dispatch.id))
    return list(session.scalars(stmt))


def dispatch_row(session: Session, d: Dispatch) -> dict:
    """A dispatch as plain values for lists and detail views."""
    rule = rules.rule(d.kind)
    sender, addressee = session.get(Office, d.sender_office_id), session.get(Office, d.addressee_office_id)
    return {
        "id": d.id, "kind": d.kind, "kind_label": rule.name, "article": rule.article,
        "sender": sender.name, "sender_code": sender.code,
        "addressee": addressee.name, "addressee_code": addressee.code,
        "status": d.status, "status_label": rule.status_label(d.status),
        "clock_start": d.clock_start, "send_due": d.send_due, "sent_at": d.sent_at,
        "channel": d.channel, "reply_due": d.reply_due, "replied_at": d.replied_at,
        "current_due": d.current_due, "provisional": d.current_due_provisional,
        "events": [{"action": e.action, "at": e.at, "operator": e.operator,
                    "office": session.get(Office, e.office_id).name, "note": e.note} for e in d.events],
    }


def lines(value: str | list[str] | None) -> list[str]:
    """An evidence list from text (one item a line) or a list; blank lines dropped."""
    items = value.splitlines() if isinstance(value, str) else list(value or [])
    return [" ".join(str(i).split()) for i in items if str(i).strip()]
