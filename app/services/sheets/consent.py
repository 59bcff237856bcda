"""Key-element consent (Art. 8 ¶2): the approval bureau proposes a change of a key element of
a handed-over implementation sheet; a ``key_element_consent`` dispatch asks the competent
department. The sheet keeps the old value until the answer arrives: a consent makes a new
version with the new value (:func:`apply_consent`), a refusal keeps the old value and records
the reason (:func:`apply_refusal`). Both are step effects (:mod:`.effects`), so they happen
wherever the step is applied: locally (demo, one installation) or from a bundle.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, ImplementationSheet, Office, SheetChange
from app.models.sheets import SHEET_FIELDS
from app.services import dispatch as engine
from app.services import rules
from app.services.errors import ValidationError, WorkflowError
from app.services.sheets import sheets
from app.services.sheets.common import dispatch_of, find, item, text

KIND = rules.rule("key_element_consent").kind
STATUS_LABELS = {"pending": "待答复", "consented": "已同意", "refused": "不同意"}


def propose(session: Session, item_code: str, field: str, value: str, reason: str, *, office: Office,
            operator: str) -> SheetChange:
    """Record the proposed change and send the consent request to the item's department."""
    if office.role not in rules.rule(KIND).sender_roles:
        raise WorkflowError("关键要素调整由行政审批部门提出，征得主管部门同意（第八条第二款）；"
                            "主管部门修改本部门的清单草稿请用 shenguan sheets edit。")
    it = item(session, item_code)
    key = sheets.field_key(field)
    if key not in sheets.KEY_FIELDS:
        label = SHEET_FIELDS.get(key, key)
        raise ValidationError(f"“{label}”不是关键要素，无需征得同意，直接用 shenguan sheets edit 修改。", "field")
    sheets.check_not_pending(session, it.code, key)
    base = sheets.current(session, it.code)
    if base is None:
        raise WorkflowError(f"事项 {it.code} 的实施清单尚未移交，没有可调整的关键要素。")
    new = text(value, "value", SHEET_FIELDS[key], sheets.FIELD_LIMIT, keep_lines=True)
    if new == getattr(base, key):
        raise ValidationError(f"新的“{SHEET_FIELDS[key]}”与现行清单相同，无需调整。", "value")
    change = SheetChange(
        id=uuid.uuid4(), sheet_id=base.id, item_code=it.code, sheet_version=base.version, field=key,
        old_value=getattr(base, key), new_value=new, reason=text(reason, "reason", "调整理由", 1000),
        status="pending", proposed_by_office_id=office.id, proposed_by=operator or "",
        proposed_at=clock.now(),
    )
    session.add(change)
    session.flush()
    d = engine.create(session, KIND, sender=office, addressee=it.competent_office, subject_id=change.id,
                      clock_start=clock.today(), operator=operator)
    session.flush()
    change.dispatch_id = d.id
    engine.perform(session, d, "send", office=office, operator=operator)
    return change


def answer(session: Session, change: SheetChange, consent: bool, *, office: Office, operator: str,
           reason: str = "") -> Dispatch:
    """The department consents or refuses (with its reason)."""
    d = dispatch_of(session, change.id, KIND)
    if d is None:
        raise WorkflowError("这项调整没有征求同意的记录。")
    return engine.perform(session, d, "consent" if consent else "refuse", office=office, operator=operator,
                          reason=reason)


def get(session: Session, text_id: str) -> SheetChange:
    return find(session, SheetChange, text_id, "关键要素调整")


def apply_consent(session: Session, d, when: datetime) -> None:
    """Step effect of ``consent``: the new value becomes a new sheet version here."""
    change = session.get(SheetChange, d.subject_id)
    if change is None or change.status != "pending":
        return
    change.status, change.decided_at = "consented", when
    base = sheets.current(session, change.item_code)
    if base is not None:
        new = sheets.replace_field(session, base, change.field, change.new_value,
                                   session.get(Office, change.proposed_by_office_id),
                                   note=f"经主管部门同意调整“{SHEET_FIELDS[change.field]}”（{str(change.id)[:8]}）")
        change.new_sheet_id = new.id
    draft = sheets.draft(session, change.item_code)
    if draft is not None and getattr(draft, change.field) == change.old_value:
        setattr(draft, change.field, change.new_value)  # the department's next version keeps it


def apply_refusal(session: Session, d, when: datetime) -> None:
    """Step effect of ``refuse``: the old value stays; the reason is recorded."""
    change = session.get(SheetChange, d.subject_id)
    if change is None or change.status != "pending":
        return
    change.status, change.decided_at = "refused", when
    change.refusal_reason = d.events[-1].note if d.events else ""


def change_dict(session: Session, change: SheetChange) -> dict:
    d = dispatch_of(session, change.id, KIND)
    office = session.get(Office, change.proposed_by_office_id)
    new_sheet = session.get(ImplementationSheet, change.new_sheet_id) if change.new_sheet_id else None
    return {
        "id": change.id, "item_code": change.item_code, "sheet_version": change.sheet_version,
        "field": change.field, "field_label": SHEET_FIELDS[change.field], "old_value": change.old_value,
        "new_value": change.new_value, "reason": change.reason, "status": change.status,
        "status_label": STATUS_LABELS[change.status], "proposed_by": office.name,
        "proposed_at": change.proposed_at, "decided_at": change.decided_at,
        "refusal_reason": change.refusal_reason, "new_version": new_sheet.version if new_sheet else None,
        "dispatch_id": d.id if d else None, "dispatch_status": d.status if d else None,
        "reply_due": d.reply_due if d else None,
    }


def list_changes(session: Session, status: str | None = None) -> list[dict]:
    stmt = select(SheetChange).order_by(SheetChange.proposed_at.desc(), SheetChange.id)
    if status:
        stmt = stmt.where(SheetChange.status == status)
    return [change_dict(session, c) for c in session.scalars(stmt)]
