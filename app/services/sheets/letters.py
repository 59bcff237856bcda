"""Pool update letters (Art. 11): a competent department tells the approval bureau that its
recommended experts or agencies changed (``pool_update`` dispatch, sent promptly).

The letter is the dict of :mod:`app.services.pool_letters`. It is applied to the bureau's pools
when the bureau's clerk **acknowledges** it (the step's effect), not on receipt: Art. 11 has the
bureau keep its pools, updated after the department's letter; the clerk sees the letter first,
and a letter that cannot be applied (an expert the pools do not hold, a bad credit code) is not
acknowledged — the clerk gets every problem and asks the department for a corrected letter.
The effect runs only at the installation that keeps the bureau's pools (the addressee is local),
so the acknowledgement arriving back at the department changes nothing there.

In bundles every entry carries every key of its pool (``None`` for "not given"), so the
``$defs/pool_update`` entry of the schema can be closed; :func:`transport` and :func:`letter_of`
convert between the two forms.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, Office, PoolLetter
from app.services import dispatch as engine
from app.services import pool_letters, pools, rules
from app.services.errors import FileFormatError, ValidationError, WorkflowError
from app.services.sheets.common import dispatch_of, find, limits_text, status_text

KIND = rules.rule("pool_update").kind
ENTRY_KEYS = {
    "experts": ("action", "id", *pools.EXPERT.texts, *pools.EXPERT.dates),
    "agencies": ("action", "id", *pools.AGENCY.texts, *pools.AGENCY.dates),
}


def transport(letter: Mapping, letter_id: uuid.UUID, letter_date: date, created_at: datetime) -> dict:
    """The letter as it travels: every key of every entry present (None when not given)."""
    out = {"id": str(letter_id), "office": str(letter.get("office") or ""), "letter_date": letter_date.isoformat(),
           "created_at": created_at.isoformat()}
    for part, keys in ENTRY_KEYS.items():
        entries = letter.get(part) or []
        if not isinstance(entries, list):
            raise ValidationError(f"函告中的 {part} 应为列表。", part)
        rows = []
        for i, entry in enumerate(entries, start=1):
            if not isinstance(entry, Mapping):
                raise ValidationError(f"{part} 第 {i} 条应为一个对象。", part)
            extra = sorted(set(entry) - set(keys))
            if extra:
                raise ValidationError(f"{part} 第 {i} 条有未知项：{'、'.join(map(str, extra))}。", part)
            rows.append({k: None if entry.get(k) is None else str(entry[k]) for k in keys})
        out[part] = rows
    return out


def letter_of(sub: Mapping) -> dict:
    """The pool_letters dict of a transported letter (keys not given dropped)."""
    return {"office": sub["office"],
            **{part: [{k: v for k, v in e.items() if v is not None} for e in sub[part]] for part in ENTRY_KEYS}}


def send(session: Session, letter: Mapping, *, office: Office, operator: str, to: Office | None = None,
         letter_date: date | None = None) -> PoolLetter:
    """Record the department's letter and send it to the approval bureau."""
    from app.services.exchange.bundle import SCHEMA_ID
    from app.services.exchange.parser import validate

    if office.role != "competent":
        raise WorkflowError("专家和中介机构信息调整由行政主管部门函告（第十一条）。")
    if not isinstance(letter, Mapping):
        raise ValidationError("函告内容应为一个对象（office、experts、agencies）。", "letter")
    extra = sorted(set(letter) - {"office", *ENTRY_KEYS})
    if extra:
        raise ValidationError(f"函告中有未知项：{'、'.join(map(str, extra))}。", "letter")
    letter = {**letter, "office": letter.get("office") or office.code}
    if letter["office"] != office.code:
        raise ValidationError(f"函告单位应为本单位 {office.code}，不是 {letter['office']}。", "office")
    for part, label in (("experts", pools.EXPERT), ("agencies", pools.AGENCY)):
        for i, entry in enumerate(letter.get(part) or [], start=1):
            if isinstance(entry, Mapping) and entry.get("action") not in pool_letters.ACTIONS:
                raise ValidationError(f"{label.label}第 {i} 条的 action 应为 add、update 或 remove。", "action")
    if not (letter.get("experts") or letter.get("agencies")):
        raise ValidationError("函告中没有任何专家或中介机构。", "letter")
    now, lid = clock.now(), uuid.uuid4()
    letter_date = letter_date or clock.today()
    sub = transport(letter, lid, letter_date, now)
    try:
        validate(sub, SCHEMA_ID, what="函告", pointer="/$defs/pool_update")
    except FileFormatError as exc:
        raise ValidationError(exc.message, "letter") from None
    bureau = to or _bureau(session, office)
    pl = PoolLetter(id=lid, letter=json.dumps(letter_of(sub), ensure_ascii=False), sending_office_id=office.id,
                    letter_date=letter_date, created_at=now)
    session.add(pl)
    session.flush()
    d = engine.create(session, KIND, sender=office, addressee=bureau, subject_id=pl.id,
                      clock_start=clock.today(), operator=operator)
    session.flush()
    pl.dispatch_id = d.id
    engine.perform(session, d, "send", office=office, operator=operator)
    return pl


def _bureau(session: Session, office: Office) -> Office:
    found = list(session.scalars(select(Office).where(Office.role == "approval").order_by(Office.code)))
    if len(found) != 1:
        raise ValidationError("请指定接收的行政审批部门（--to 单位代码）。", "to")
    return found[0]


def get(session: Session, text_id: str) -> PoolLetter:
    return find(session, PoolLetter, text_id, "函告")


def acknowledge(session: Session, pl: PoolLetter, *, office: Office, operator: str) -> Dispatch:
    d = dispatch_of(session, pl.id, KIND)
    if d is None:
        raise WorkflowError("这件函告没有发送记录。")
    return engine.perform(session, d, "acknowledge", office=office, operator=operator)


def apply_letter(session: Session, d, when: datetime) -> None:
    """Step effect of ``acknowledge``: the letter is applied to the pools kept here."""
    bureau = session.get(Office, d.addressee_office_id)
    pl = session.get(PoolLetter, d.subject_id)
    if pl is None or pl.applied_at is not None or bureau is None or not bureau.is_local:
        return
    counts = pool_letters.apply_update(session, json.loads(pl.letter))
    pl.applied_at, pl.applied_counts = when, json.dumps(counts, ensure_ascii=False)


def letter_dict(session: Session, pl: PoolLetter) -> dict:
    d = dispatch_of(session, pl.id, KIND)
    office = session.get(Office, pl.sending_office_id)
    body = json.loads(pl.letter)
    return {
        "id": pl.id, "sender": office.name, "letter_date": pl.letter_date, "created_at": pl.created_at,
        "experts": len(body.get("experts", [])), "agencies": len(body.get("agencies", [])),
        "letter": body, "applied_at": pl.applied_at,
        "applied_counts": json.loads(pl.applied_counts) if pl.applied_counts else None,
        "status": d.status if d else None, "status_label": status_text(d), "limits": limits_text(KIND),
    }


def list_letters(session: Session) -> list[dict]:
    stmt = select(PoolLetter).order_by(PoolLetter.created_at.desc(), PoolLetter.id)
    return [letter_dict(session, pl) for pl in session.scalars(stmt)]
