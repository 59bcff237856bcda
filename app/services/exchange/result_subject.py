"""The approval result (Art. 17) as the subject of approval-result pushes.

A push carries the push sheet (事项名称、申请人、联系人、申请材料、审批结果); the addressee creates
the result under the bureau's id, in bulk (:class:`app.services.bulk.Pending`), or refreshes
the copy it holds when a re-push after a return carries corrections.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app.models import ApprovalResult, LicensingItem, Office
from app.services.bulk import Pending
from app.services.exchange.messages import parse_date, parse_time
from app.services.exchange.subjects import CodeOf, SubjectCodec, register

RESULT_FIELDS = ("applicant_name", "applicant_id_type", "applicant_id", "contact_name",
                 "contact_phone", "materials", "result", "licence_number")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def result_dict(r: ApprovalResult, item: LicensingItem, approval_code: str) -> dict:
    return {
        "id": str(r.id), "item_id": str(item.id), "item_code": item.code, "item_name": item.name,
        "approval_office": approval_code, "applicant_name": r.applicant_name,
        "applicant_id_type": r.applicant_id_type, "applicant_id": r.applicant_id,
        "contact_name": r.contact_name, "contact_phone": r.contact_phone,
        "materials": r.materials or "", "result": r.result, "licence_number": r.licence_number or "",
        "decided_on": _iso(r.decided_on), "licence_issued_on": _iso(r.licence_issued_on),
        "recorded_at": _iso(r.recorded_at), "recorded_by": r.recorded_by or "",
    }


def _to_dict(session: Session, subject_id: uuid.UUID, code_of: CodeOf) -> dict | None:
    r = session.get(ApprovalResult, subject_id)
    if r is None:
        return None
    return result_dict(r, session.get(LicensingItem, r.item_id), code_of(r.approval_office_id))


def _apply(applier, sub: dict, sender: Office, addressee: Office, rid: uuid.UUID) -> bool:
    """Create or refresh the approval result a push carries; True when created."""
    from app.services.exchange.apply import Rejected

    if sub["id"] != str(rid) or sub["approval_office"] != sender.code:
        raise Rejected("推送消息中的审批结果与推送记录不符。")
    values = {f: sub[f] for f in RESULT_FIELDS}
    values["decided_on"] = parse_date(sub["decided_on"])
    values["licence_issued_on"] = parse_date(sub["licence_issued_on"])
    r = applier.result(rid)
    if r is not None:
        for k, v in values.items():
            if getattr(r, k) != v:
                setattr(r, k, v)
        return False
    item = _item(applier, sub, addressee)
    recorded_at = parse_time(sub["recorded_at"])
    r = Pending(ApprovalResult, id=rid, item_id=item.id, approval_office_id=sender.id,
                recorded_at=recorded_at, recorded_by=sub["recorded_by"],
                responsible_office_id=sender.id, responsible_since=recorded_at, **values)
    applier.add_result(r)
    return True


def _item(applier, sub: dict, addressee: Office) -> LicensingItem:
    item = applier.items.get(sub["item_code"])
    if item is None:  # an item this office has not got yet: known from the push itself
        iid = uuid.UUID(sub["item_id"])
        if applier.session.get(LicensingItem, iid) is not None:
            iid = uuid.uuid4()
        item = LicensingItem(id=iid, code=sub["item_code"], name=sub["item_name"],
                             competent_office_id=addressee.id, active=True)
        applier.session.add(item)
        applier.items[item.code] = item
    return item


register(SubjectCodec(
    subject_type="approval_result", schema_pointer="/$defs/approval_result", to_dict=_to_dict,
    apply=_apply, summary=lambda sub: sub["applicant_name"], detail=lambda sub: sub["item_name"],
))
