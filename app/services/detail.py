"""Everything the detail pane shows about one approval result, as plain values."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import DispatchEvent, Office
from app.services import offices as offices_service
from app.services import results as results_service
from app.services import rules
from app.services.deadlines import DUE_STATE_LABELS, due_state
from app.services.dispatch import ACTION_LABELS
from app.services.workdays import WorkCalendar


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    office_name: str
    operator: str
    action: str
    action_label: str
    note: str


@dataclass(frozen=True)
class Liaison:
    """An office's current liaison officer (Art. 16), as named on the push."""

    name: str
    phone: str

    @property
    def text(self) -> str:
        return f"{self.name}  {self.phone}".strip()


def current_liaison(session: Session, office_id: uuid.UUID) -> Liaison | None:
    lo = offices_service.current_liaison(session, office_id)
    return Liaison(lo.name, lo.phone) if lo is not None else None


@dataclass(frozen=True)
class ResultDetail:
    id: uuid.UUID
    item_code: str
    item_name: str
    applicant_name: str
    applicant_id_type: str
    applicant_id: str
    contact_name: str
    contact_phone: str
    materials: str
    result: str
    licence_number: str
    decided_on: date
    licence_issued_on: date | None
    recorded_by: str
    sender_id: uuid.UUID
    sender_name: str
    addressee_id: uuid.UUID
    addressee_name: str
    status: str
    status_label: str
    channel_label: str
    send_due: date | None
    reply_due: date | None
    current_due: date | None
    due_provisional: bool
    due_state: str | None
    due_state_label: str
    holder_name: str
    holder_since: datetime
    timeline: tuple[TimelineEntry, ...]
    actions: tuple[tuple[str, str, str], ...]  # (action, label, actor office id as str)
    # The current liaison of each end of the push (Art. 16), None when the office names none.
    sender_liaison: Liaison | None = None
    addressee_liaison: Liaison | None = None


def result_detail(session: Session, result_id: uuid.UUID | str, calendar: WorkCalendar,
                  today: date | None = None) -> ResultDetail:
    r = results_service.get(session, result_id)
    d = results_service.current_push(session, r)
    pushes = results_service.pushes_of(session, r)
    offices = {o.id: o for o in session.scalars(select(Office))}
    order = {p.id: i for i, p in enumerate(pushes)}
    events = sorted(
        session.scalars(select(DispatchEvent).where(DispatchEvent.dispatch_id.in_(order))),
        key=lambda e: (order[e.dispatch_id], e.seq),
    )
    timeline = tuple(
        TimelineEntry(
            e.at, offices[e.office_id].name, e.operator, e.action,
            ACTION_LABELS.get(e.action, e.action), e.note,
        )
        for e in events
    )
    rule = rules.rule(d.kind)
    actions = tuple(
        (t.action, t.label,
         str(d.sender_office_id if t.actor == rules.SENDER else d.addressee_office_id))
        for t in rule.actions_from(d.status)
    )
    if d.status == rules.RETURNED:  # a returned push is pushed again, to a corrected addressee
        actions = (("send", "重新推送", str(d.sender_office_id)),)
    state = due_state(d.current_due, today or clock.today(), calendar)
    status_label = rule.status_label(d.status)
    return ResultDetail(
        id=r.id, item_code=r.item.code, item_name=r.item.name,
        applicant_name=r.applicant_name, applicant_id_type=r.applicant_id_type,
        applicant_id=r.applicant_id, contact_name=r.contact_name, contact_phone=r.contact_phone,
        materials=r.materials, result=r.result, licence_number=r.licence_number,
        decided_on=r.decided_on, licence_issued_on=r.licence_issued_on, recorded_by=r.recorded_by,
        sender_id=d.sender_office_id, sender_name=offices[d.sender_office_id].name,
        addressee_id=d.addressee_office_id, addressee_name=offices[d.addressee_office_id].name,
        status=d.status, status_label=status_label,
        channel_label=rules.CHANNEL_LABELS.get(d.channel, "") if d.channel else "",
        send_due=d.send_due, reply_due=d.reply_due, current_due=d.current_due,
        due_provisional=d.current_due_provisional, due_state=state,
        due_state_label=DUE_STATE_LABELS.get(state, "") if state else "",
        holder_name=offices[r.responsible_office_id].name, holder_since=r.responsible_since,
        timeline=timeline, actions=actions,
        sender_liaison=current_liaison(session, d.sender_office_id),
        addressee_liaison=current_liaison(session, d.addressee_office_id),
    )
