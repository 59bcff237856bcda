"""The subject records of Art. 8 and Art. 11 dispatches as they travel in bundles: a proposed
key-element change (``sheet_change``), a policy change or opinion request (``policy_change``)
and a pool update letter (``pool_update``). Each is checked against its ``$defs`` entry of
resources/schemas/bundle-v1.schema.json before anything is applied; the addressee creates the
record under the sender's id. A subject whose id or sending office does not match its dispatch
is refused (the whole bundle is then not applied).
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ImplementationSheet, Office, PolicyChange, PoolLetter, SheetChange
from app.models.sheets import SHEET_FIELDS
from app.services.exchange.messages import parse_date, parse_time
from app.services.exchange.subjects import CodeOf, SubjectCodec, register
from app.services.sheets import letters


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _rejected(text: str):
    from app.services.exchange.apply import Rejected

    return Rejected(text)


def _check(sub: dict, sid: uuid.UUID, office_code: str, sender: Office, what: str) -> None:
    if sub["id"] != str(sid) or office_code != sender.code:
        raise _rejected(f"{what}消息所附记录与发送记录不符（编号或发送单位不一致）。")


# -- sheet_change ---------------------------------------------------------------------------

def _change_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    c = session.get(SheetChange, sid)
    if c is None:
        return None
    from app.services.sheets.common import item

    return {
        "id": str(c.id), "item_code": c.item_code, "item_name": item(session, c.item_code).name,
        "sheet_version": c.sheet_version, "field": c.field, "old_value": c.old_value,
        "new_value": c.new_value, "reason": c.reason, "proposed_by_office": code_of(c.proposed_by_office_id),
        "proposed_by": c.proposed_by, "proposed_at": _iso(c.proposed_at),
    }


def _change_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    _check(sub, sid, sub["proposed_by_office"], sender, "关键要素调整")
    s = applier.session
    if s.get(SheetChange, sid) is not None:
        return False
    sheet = s.scalar(select(ImplementationSheet).where(ImplementationSheet.item_code == sub["item_code"],
                                                       ImplementationSheet.version == sub["sheet_version"]))
    s.add(SheetChange(
        id=sid, sheet_id=sheet.id if sheet else None, item_code=sub["item_code"],
        sheet_version=sub["sheet_version"], field=sub["field"], old_value=sub["old_value"],
        new_value=sub["new_value"], reason=sub["reason"], status="pending", proposed_by_office_id=sender.id,
        proposed_by=sub["proposed_by"], proposed_at=parse_time(sub["proposed_at"]),
    ))
    return True


# -- policy_change --------------------------------------------------------------------------

def _policy_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    p = session.get(PolicyChange, sid)
    if p is None:
        return None
    return {
        "id": str(p.id), "kind": p.kind, "title": p.title, "content": p.content, "basis": p.basis,
        "effective_on": _iso(p.effective_on), "reply_wanted_by": _iso(p.reply_wanted_by),
        "office": code_of(p.sending_office_id), "created_at": _iso(p.created_at),
    }


def _policy_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    _check(sub, sid, sub["office"], sender, "政策调整告知或征求意见")
    s = applier.session
    if s.get(PolicyChange, sid) is not None:
        return False
    s.add(PolicyChange(
        id=sid, kind=sub["kind"], title=sub["title"], content=sub["content"], basis=sub["basis"],
        effective_on=parse_date(sub["effective_on"]), reply_wanted_by=parse_date(sub["reply_wanted_by"]),
        sending_office_id=sender.id, created_at=parse_time(sub["created_at"]),
    ))
    return True


# -- pool_update ----------------------------------------------------------------------------

def _letter_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    pl = session.get(PoolLetter, sid)
    if pl is None:
        return None
    return letters.transport(json.loads(pl.letter), pl.id, pl.letter_date, pl.created_at)


def _letter_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    _check(sub, sid, sub["office"], sender, "专家和中介机构信息调整函告")
    s = applier.session
    if s.get(PoolLetter, sid) is not None:
        return False
    s.add(PoolLetter(id=sid, letter=json.dumps(letters.letter_of(sub), ensure_ascii=False),
                     sending_office_id=sender.id, letter_date=parse_date(sub["letter_date"]),
                     created_at=parse_time(sub["created_at"])))
    return True


register(SubjectCodec(
    subject_type="sheet_change", schema_pointer="/$defs/sheet_change", to_dict=_change_dict,
    apply=_change_apply, summary=lambda sub: f"{sub['item_name']}：{SHEET_FIELDS[sub['field']]}",
    detail=lambda sub: sub["new_value"][:60],
))
register(SubjectCodec(
    subject_type="policy_change", schema_pointer="/$defs/policy_change", to_dict=_policy_dict,
    apply=_policy_apply, summary=lambda sub: sub["title"], detail=lambda sub: sub["basis"],
))
register(SubjectCodec(
    subject_type="pool_update", schema_pointer="/$defs/pool_update", to_dict=_letter_dict,
    apply=_letter_apply, summary=lambda sub: f"专家 {len(sub['experts'])} 条、中介机构 {len(sub['agencies'])} 条",
))
