"""Small shared pieces: finding a record by a short id, the dispatch of a subject, clean text."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Dispatch, LicensingItem
from app.services import rules, textinput
from app.services.errors import NotFoundError

MIN_PREFIX = 8


def find(session: Session, model, text: str, label: str):
    """A record by its full UUID or a unique prefix of at least 8 hex digits."""
    hexes = (text or "").strip().lower().replace("-", "")
    if not hexes or not re.fullmatch(r"[0-9a-f]{1,32}", hexes):
        raise NotFoundError(f"“{text}”不是有效的{label}编号。")
    if len(hexes) < MIN_PREFIX:
        raise NotFoundError(f"{label}编号“{text}”太短：请至少输入前 {MIN_PREFIX} 位。")
    low, high = uuid.UUID(hexes.ljust(32, "0")), uuid.UUID(hexes.ljust(32, "f"))
    found = list(session.scalars(select(model).where(model.id.between(low, high)).limit(2)))
    if not found:
        raise NotFoundError(f"没有编号为 {text} 的{label}。")
    if len(found) > 1:
        raise NotFoundError(f"以 {text} 开头的{label}不止一条，请多输入几位。")
    return found[0]


def dispatch_of(session: Session, subject_id: uuid.UUID, kind: str | None = None) -> Dispatch | None:
    stmt = select(Dispatch).where(Dispatch.subject_id == subject_id)
    if kind:
        stmt = stmt.where(Dispatch.kind == kind)
    return session.scalars(stmt.order_by(Dispatch.created_at.desc())).first()


def text(value: str | None, field: str, label: str, limit: int, *, required: bool = True,
         keep_lines: bool = False) -> str:
    """Whitespace-normalised text (line breaks kept for long fields), checked for length and
    for control or invisible characters (:mod:`app.services.textinput`)."""
    return textinput.clean_text(value, field, label, limit, required=required, keep_lines=keep_lines)


def item(session: Session, code: str) -> LicensingItem:
    code = textinput.clean_text(code, "item", "许可事项编码", textinput.TITLE)
    found = session.scalar(select(LicensingItem).where(LicensingItem.code == code))
    if found is None:
        raise NotFoundError(f"没有编码为“{code}”的许可事项，请核对事项清单。")
    return found


def status_text(d: Dispatch | None) -> str:
    """The dispatch's status as people read it, with what the rules table says of its limits."""
    if d is None:
        return "未发送"
    rule = rules.rule(d.kind)
    return rule.status_label(d.status)


def limits_text(kind: str) -> str:
    """What the rules table says about the limits of a kind (e.g. 发送：及时；答复：无期限)."""
    rule = rules.rule(kind)

    def one(limit: rules.Limit) -> str:
        if limit.days is not None:
            return limit.text
        return "及时（无固定工作日期限）" if limit.text == rules.PROMPTLY.text else "无期限"

    return f"{rule.article}：发送{one(rule.send_within)}；{rule.reply}{one(rule.reply_within)}"
