"""Messages as plain JSON values: a dispatch step with its dispatch, events and subject
(the subject record as its codec in :mod:`app.services.exchange.subjects` writes it).

The shape is ``#/$defs/message`` in resources/schemas/bundle-v1.schema.json.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.models import Dispatch, DispatchEvent, Office
from app.services.exchange import subjects


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


def step_message(session: Session, d: Dispatch, action: str) -> dict:
    """The message for the step ``action`` just taken on ``d`` (its last event).

    A ``send`` carries every event of the dispatch so far (its ``create`` and the ``send``) and
    the subject record, so the addressee can create both under the sender's ids.
    """

    def code_of(office_id: uuid.UUID) -> str:
        return session.get(Office, office_id).code

    if action == "send":
        events = list(d.events)
        codec = subjects.codec(d.subject_type)
        subject = codec.to_dict(session, d.subject_id, code_of) if codec is not None else None
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
