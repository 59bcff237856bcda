"""Messages as plain JSON values: a dispatch step with its dispatch, events and subject.

The shape is ``#/$defs/message`` in resources/schemas/bundle-v1.schema.json.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.models import ApprovalResult, Dispatch, DispatchEvent, LicensingItem, Office


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _t(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def dispatch_dict(d: Dispatch, code_of) -> dict:
    return {
        "id": str(d.id), "kind": d.kind, "sender": code_of(d.sender_office_id),
        "addressee": code_of(d.addressee_office_id), "subject_type": d.subject_type,
        "subject_id": str(d.subject_id), "status": d.status, "clock_start": _d(d.clock_start),
        "send_due": _d(d.send_due), "send_due_provisional": bool(d.send_due_provisional),
        "sent_at": _t(d.sent_at), "channel": d.channel, "agreed_due": _d(d.agreed_due),
        "reply_due": _d(d.reply_due), "reply_due_provisional": bool(d.reply_due_provisional),
        "replied_at": _t(d.replied_at), "created_at": _t(d.created_at),
        "previous_id": str(d.previous_id) if d.previous_id else None,
    }


def event_dict(e: DispatchEvent, code_of) -> dict:
    return {
        "id": str(e.id), "seq": e.seq, "action": e.action, "from_status": e.from_status,
        "to_status": e.to_status, "at": _t(e.at), "operator": e.operator or "",
        "office": code_of(e.office_id), "note": e.note or "",
    }


def result_dict(r: ApprovalResult, item: LicensingItem, approval_code: str) -> dict:
    return {
        "id": str(r.id), "item_id": str(item.id), "item_code": item.code, "item_name": item.name,
        "approval_office": approval_code, "applicant_name": r.applicant_name,
        "applicant_id_type": r.applicant_id_type, "applicant_id": r.applicant_id,
        "contact_name": r.contact_name, "contact_phone": r.contact_phone,
        "materials": r.materials or "", "result": r.result, "licence_number": r.licence_number or "",
        "decided_on": _d(r.decided_on), "licence_issued_on": _d(r.licence_issued_on),
        "recorded_at": _t(r.recorded_at), "recorded_by": r.recorded_by or "",
    }


RESULT_FIELDS = ("applicant_name", "applicant_id_type", "applicant_id", "contact_name",
                 "contact_phone", "materials", "result", "licence_number")


def step_message(session: Session, d: Dispatch, action: str) -> dict:
    """The message for the step ``action`` just taken on ``d`` (its last event).

    A ``send`` carries every event of the dispatch so far (its ``create`` and the ``send``) and
    the subject record, so the addressee can create both under the sender's ids.
    """

    def code_of(office_id: uuid.UUID) -> str:
        return session.get(Office, office_id).code

    if action == "send":
        events = list(d.events)
        subject = None
        if d.subject_type == "approval_result":
            r = session.get(ApprovalResult, d.subject_id)
            subject = result_dict(r, session.get(LicensingItem, r.item_id), code_of(r.approval_office_id))
    else:
        events, subject = [d.events[-1]], None
    return {
        "id": str(uuid.uuid4()), "kind": d.kind, "action": action,
        "dispatch": dispatch_dict(d, code_of), "events": [event_dict(e, code_of) for e in events],
        "subject": subject,
    }


def parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
