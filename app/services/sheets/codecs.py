"""The subject records of Art. 8 and Art. 11 dispatches as they travel in bundles: the sheets a
department hands over (``sheet_handover``), a proposed key-element change (``sheet_change``), a
policy change or opinion request (``policy_change``)
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

from app.models import (
    ImplementationSheet,
    LicensingItem,
    Office,
    PolicyChange,
    PoolLetter,
    PushSheet,
    SheetChange,
)
from app.models.sheets import PUSH_FIELDS, SHEET_FIELDS
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


# -- sheet_handover -------------------------------------------------------------------------
# The subject id is the implementation sheet's (the push sheet's when only that was handed over);
# both records keep their department-minted ids at the bureau.

def _handover_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    sheet = session.get(ImplementationSheet, sid)
    if sheet is not None:
        push = session.scalar(select(PushSheet).where(
            PushSheet.item_code == sheet.item_code, PushSheet.handed_over_at == sheet.handed_over_at,
            PushSheet.prepared_by_office_id == sheet.prepared_by_office_id))
    else:
        push = session.get(PushSheet, sid)
    first = sheet if sheet is not None else push
    if first is None or first.handed_over_at is None:
        return None
    from app.services.sheets.common import item

    return {
        "id": str(sid), "item_code": first.item_code, "item_name": item(session, first.item_code).name,
        "sheet": None if sheet is None else {
            "id": str(sheet.id), "version": sheet.version,
            "fields": {k: getattr(sheet, k) for k in SHEET_FIELDS}},
        "push": None if push is None else {
            "id": str(push.id), "version": push.version, "fields": json.loads(push.fields)},
        "prepared_by_office": code_of(first.prepared_by_office_id),
        "handed_over_at": _iso(first.handed_over_at),
    }


def _store(s: Session, model, code: str, part: dict, sender: Office, when, what: str, **values) -> None:
    """One received version: in force, unless the bureau already holds a later one."""
    rid = uuid.UUID(part["id"])
    taken = s.scalar(select(model).where(model.item_code == code, model.version == part["version"]))
    if taken is not None:
        raise _rejected(f"本单位已有事项 {code} 的第 {part['version']} 版{what}（另行录入），与移交的版本冲突；"
                        "请与主管部门核对后处理。")
    later = s.scalar(select(model.id).where(model.item_code == code, model.version > part["version"]).limit(1))
    if later is None:
        for old in s.scalars(select(model).where(model.item_code == code, model.status == "handed_over")):
            old.status = "superseded"
    s.add(model(id=rid, item_code=code, version=part["version"], prepared_by_office_id=sender.id,
                status="superseded" if later is not None else "handed_over", created_at=when,
                handed_over_at=when, **values))


def _handover_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    _check(sub, sid, sub["prepared_by_office"], sender, "实施清单移交")
    first = sub["sheet"] or sub["push"]
    if first is None or first["id"] != sub["id"]:
        raise _rejected("实施清单移交消息所附记录与发送记录不符（编号不一致或未附清单）。")
    s = applier.session
    it = s.scalar(select(LicensingItem).where(LicensingItem.code == sub["item_code"]))
    if it is None or it.competent_office_id != sender.id:
        raise _rejected(f"移交的实施清单所属事项 {sub['item_code']} 在本单位的事项清单中"
                        f"{'不存在' if it is None else '不由发送单位主管'}，不能接收。")
    if sub["sheet"] and s.get(ImplementationSheet, uuid.UUID(sub["sheet"]["id"])) is not None:
        return False
    if not sub["sheet"] and s.get(PushSheet, sid) is not None:
        return False
    when = parse_time(sub["handed_over_at"])
    if sub["sheet"]:
        _store(s, ImplementationSheet, it.code, sub["sheet"], sender, when, "实施清单", **sub["sheet"]["fields"])
    if sub["push"] and s.get(PushSheet, uuid.UUID(sub["push"]["id"])) is None:
        keys = [k for k in PUSH_FIELDS if k in sub["push"]["fields"]]
        _store(s, PushSheet, it.code, sub["push"], sender, when, "推送清单", fields=json.dumps(keys))
    s.flush()
    return True


def _handover_summary(sub: dict) -> str:
    parts = [f"实施清单第 {sub['sheet']['version']} 版" if sub["sheet"] else "",
             f"推送清单第 {sub['push']['version']} 版" if sub["push"] else ""]
    return f"{sub['item_name']}：{'、'.join(p for p in parts if p)}"


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
register(SubjectCodec(
    subject_type="sheet_handover", schema_pointer="/$defs/sheet_handover", to_dict=_handover_dict,
    apply=_handover_apply, summary=_handover_summary, detail=lambda sub: sub["item_code"],
))
