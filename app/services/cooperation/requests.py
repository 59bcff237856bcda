"""Consultations (Art. 9) and requests for help (Art. 10, 12, 13): request → reply.

- A consultation (会商) goes by letter (函告) or as a working meeting (工作会议): the requesting
  office sends one ``consultation`` dispatch to each responding office; each replies with its
  opinion (``reply``). The office that held the meeting (or, for a letter, the requester)
  records the minutes and the outcome once; they reach every other party as
  ``consultation_minutes`` dispatches, which the parties acknowledge.
- A support request is the approval bureau asking a competent department for technical support
  (Art. 10), training or field guidance (Art. 12) or help in obtaining certificate stock from
  the higher authority (Art. 13); the department replies (``reply``; the step's effect keeps
  the reply on the record at both offices).

The rules table sets no countable limits for these ("应当予以协助"); a date the requester would
like help by is kept as a wish, not as a due date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Consultation, Dispatch, Office, SupportRequest
from app.models.cooperation import CONSULTATION_MODES, SUPPORT_KINDS
from app.services import dispatch as engine
from app.services import rules
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.sheets.common import find, limits_text, status_text, text

CONSULT, MINUTES = rules.rule("consultation").kind, rules.rule("consultation_minutes").kind
SUPPORT_DISPATCH = {
    "technical_support": rules.rule("technical_support").kind,
    "training": rules.rule("training_request").kind,
    "field_guidance": rules.rule("field_guidance").kind,
    "certificate_stock": rules.rule("certificate_stock").kind,
}
NOTE_LIMIT = 2000  # a reply travels as the step's note ($defs/event note)
MAX_PARTIES = 30  # responding offices of one consultation ($defs/consultation responding)


def _dispatches(session: Session, subject_id: uuid.UUID, kind: str) -> list[Dispatch]:
    stmt = select(Dispatch).where(Dispatch.subject_id == subject_id, Dispatch.kind == kind)
    return list(session.scalars(stmt.order_by(Dispatch.created_at, Dispatch.id)))


def _send(session: Session, kind: str, subject_id: uuid.UUID, office: Office, to: Office,
          operator: str) -> Dispatch:
    d = engine.create(session, kind, sender=office, addressee=to, subject_id=subject_id,
                      clock_start=clock.today(), operator=operator)
    session.flush()
    engine.perform(session, d, "send", office=office, operator=operator)
    return d


def _offices(session: Session, codes: str) -> list[Office]:
    found = []
    for code in filter(None, (c.strip() for c in codes.split(","))):
        office = session.scalar(select(Office).where(Office.code == code))
        if office is None:
            raise NotFoundError(f"没有代码为 {code} 的单位，请先导入最新的单位名录。")
        found.append(office)
    return found


# -- consultations ------------------------------------------------------------------------

def send_consultation(session: Session, *, office: Office, operator: str, mode: str, topic: str,
                      to: list[Office], agenda: str = "", participants: str = "",
                      meeting_on: date | None = None) -> Consultation:
    """Record a consultation and send it to each responding office."""
    if mode not in CONSULTATION_MODES:
        raise ValidationError("会商形式应为 letter（函告）或 meeting（工作会议）。", "mode")
    if not to:
        raise ValidationError("请指定会商的单位（--to 单位代码，可多个）。", "to")
    codes = [o.code for o in to]
    if len(set(codes)) != len(codes):
        raise ValidationError("会商单位有重复。", "to")
    if len(codes) > MAX_PARTIES:
        raise ValidationError(f"一次会商最多发往 {MAX_PARTIES} 个单位。", "to")
    if meeting_on is not None and mode != "meeting":
        raise ValidationError("只有工作会议可以填写会议日期。", "meeting_on")
    if meeting_on is not None and meeting_on < clock.today():
        raise ValidationError("会议日期不能早于今天。", "meeting_on")
    c = Consultation(
        id=uuid.uuid4(), mode=mode, topic=text(topic, "topic", "会商事项", 256),
        agenda=text(agenda, "agenda", "议程" if mode == "meeting" else "会商内容", 10000, keep_lines=True),
        participants=text(participants, "participants", "参加人员", 2000, required=False, keep_lines=True),
        requesting_office_id=office.id, responding_offices=",".join(codes), requested_on=clock.today(),
        meeting_on=meeting_on, created_by=operator, created_at=clock.now(),
    )
    session.add(c)
    session.flush()
    for other in to:
        _send(session, CONSULT, c.id, office, other, operator)
    return c


def get_consultation(session: Session, text_id: str) -> Consultation:
    return find(session, Consultation, text_id, "会商")


def reply_consultation(session: Session, c: Consultation, opinion: str, *, office: Office,
                       operator: str) -> Dispatch:
    """A responding office's opinion (or confirmation that it will attend)."""
    opinion = text(opinion, "text", "反馈意见", NOTE_LIMIT, keep_lines=True)
    for d in _dispatches(session, c.id, CONSULT):
        if d.addressee_office_id == office.id:
            return engine.perform(session, d, "reply", office=office, operator=operator, reason=opinion)
    raise WorkflowError(f"{office.name}不是这次会商的答复单位。")


def parties(session: Session, c: Consultation) -> list[Office]:
    """The requesting office, then the responding offices."""
    return [session.get(Office, c.requesting_office_id), *_offices(session, c.responding_offices)]


def record_minutes(session: Session, c: Consultation, *, office: Office, operator: str, outcome: str,
                   minutes: str = "", held_on: date | None = None) -> list[Dispatch]:
    """Record the minutes and outcome (once) and send them to every other party."""
    everyone = parties(session, c)
    others = [p for p in everyone if p.id != office.id]
    if len(others) == len(everyone):
        raise WorkflowError(f"{office.name}不是这次会商的参加单位，不能记录会商结果。")
    if c.minutes_at is not None:
        raise WorkflowError("这次会商已记录会议纪要和会商结果。")
    if c.mode == "meeting" and held_on is None:
        raise ValidationError("请填写会议召开日期。", "held_on")
    if c.mode != "meeting" and held_on is not None:
        raise ValidationError("这次会商以函告方式进行，没有召开会议：请不要填写会议召开日期。", "held_on")
    if held_on is not None and held_on > clock.today():
        raise ValidationError("会议召开日期不能晚于今天。", "held_on")
    if held_on is not None and held_on < c.requested_on:  # a meeting of this consultation
        raise ValidationError(f"会议召开日期不能早于发起会商的日期（{c.requested_on.isoformat()}）。", "held_on")
    c.minutes = text(minutes, "minutes", "会议纪要", 20000, required=c.mode == "meeting", keep_lines=True)
    c.outcome = text(outcome, "outcome", "会商结果", 4000, keep_lines=True)
    c.held_on, c.minutes_office_id, c.minutes_at = held_on, office.id, clock.now()
    session.flush()
    return [_send(session, MINUTES, c.id, office, other, operator) for other in others]


def acknowledge_minutes(session: Session, c: Consultation, *, office: Office, operator: str) -> Dispatch:
    for d in _dispatches(session, c.id, MINUTES):
        if d.addressee_office_id == office.id:
            return engine.perform(session, d, "acknowledge", office=office, operator=operator)
    raise WorkflowError("没有发给本单位的会商纪要。")


def consultation_dict(session: Session, c: Consultation) -> dict:
    requester = session.get(Office, c.requesting_office_id)
    replies = []
    for d in _dispatches(session, c.id, CONSULT):
        answered = next((e for e in reversed(d.events) if e.action == "reply"), None)
        replies.append({"office": d.addressee.code, "office_name": d.addressee.name, "status": d.status,
                        "status_label": status_text(d), "reply": answered.note if answered else "",
                        "replied_at": d.replied_at})
    order = c.responding_offices.split(",")
    replies.sort(key=lambda r: order.index(r["office"]) if r["office"] in order else len(order))
    minutes_office = session.get(Office, c.minutes_office_id) if c.minutes_office_id else None
    return {
        "id": c.id, "mode": c.mode, "mode_label": CONSULTATION_MODES[c.mode], "topic": c.topic,
        "agenda": c.agenda, "participants": c.participants, "requester": requester.code,
        "requester_name": requester.name, "responding": c.responding_offices.split(","),
        "requested_on": c.requested_on, "meeting_on": c.meeting_on, "held_on": c.held_on,
        "minutes": c.minutes, "outcome": c.outcome, "minutes_at": c.minutes_at,
        "minutes_by": minutes_office.name if minutes_office else "", "replies": replies,
        "limits": limits_text(CONSULT),
    }


def list_consultations(session: Session) -> list[dict]:
    stmt = select(Consultation).order_by(Consultation.created_at.desc(), Consultation.id)
    return [consultation_dict(session, c) for c in session.scalars(stmt)]


# -- support requests ---------------------------------------------------------------------

def send_support(session: Session, kind: str, *, office: Office, operator: str, to: Office, title: str,
                 content: str, quantity: int | None = None, wanted_by: date | None = None) -> SupportRequest:
    """Record a request for help and send it to the competent department."""
    if kind not in SUPPORT_KINDS:
        raise ValidationError(f"未知的商请类型：{kind}（应为 {'、'.join(SUPPORT_KINDS)}）。", "kind")
    if kind == "certificate_stock":
        if quantity is None or not 0 < quantity <= 10_000_000:
            raise ValidationError("请填写申领制式证照的数量（正整数）。", "quantity")
    elif quantity is not None:
        raise ValidationError("只有制式证照申领需要填写数量。", "quantity")
    if wanted_by is not None and wanted_by < clock.today():
        raise ValidationError("希望完成日期不能早于今天。", "wanted_by")
    sr = SupportRequest(
        id=uuid.uuid4(), kind=kind, title=text(title, "title", "标题", 256),
        content=text(content, "content", "商请内容", 10000, keep_lines=True), quantity=quantity,
        wanted_by=wanted_by, requesting_office_id=office.id, responding_office_id=to.id,
        created_by=operator, created_at=clock.now(),
    )
    session.add(sr)
    session.flush()
    sr.dispatch_id = _send(session, SUPPORT_DISPATCH[kind], sr.id, office, to, operator).id
    return sr


def get_support(session: Session, text_id: str) -> SupportRequest:
    return find(session, SupportRequest, text_id, "商请")


def _support_dispatch(session: Session, sr: SupportRequest) -> Dispatch:
    found = _dispatches(session, sr.id, SUPPORT_DISPATCH[sr.kind])
    if not found:
        raise WorkflowError("这件商请没有发送记录。")
    return found[-1]


def reply_support(session: Session, sr: SupportRequest, reply: str, *, office: Office,
                  operator: str) -> Dispatch:
    reply = text(reply, "text", "答复内容", NOTE_LIMIT, keep_lines=True)
    return engine.perform(session, _support_dispatch(session, sr), "reply", office=office,
                          operator=operator, reason=reply)


def apply_support_reply(session: Session, d, when: datetime) -> None:
    """Step effect of ``reply``: the reply (the step's note) is kept on the request."""
    sr = session.get(SupportRequest, d.subject_id)
    if sr is not None and d.events:
        sr.reply_text, sr.replied_at = d.events[-1].note, when


def support_dict(session: Session, sr: SupportRequest) -> dict:
    found = _dispatches(session, sr.id, SUPPORT_DISPATCH[sr.kind])
    d = found[-1] if found else None
    rule = rules.rule(SUPPORT_DISPATCH[sr.kind])
    requester, responder = session.get(Office, sr.requesting_office_id), session.get(Office, sr.responding_office_id)
    return {
        "id": sr.id, "kind": sr.kind, "kind_label": SUPPORT_KINDS[sr.kind], "name": rule.name,
        "article": rule.article, "title": sr.title, "content": sr.content, "quantity": sr.quantity,
        "wanted_by": sr.wanted_by, "requester": requester.code, "requester_name": requester.name,
        "responder": responder.code, "responder_name": responder.name, "created_at": sr.created_at,
        "created_by": sr.created_by, "reply_text": sr.reply_text, "replied_at": sr.replied_at,
        "status": d.status if d else None, "status_label": status_text(d), "limits": limits_text(rule.kind),
    }


def list_support(session: Session, kind: str | None = None) -> list[dict]:
    stmt = select(SupportRequest).order_by(SupportRequest.created_at.desc(), SupportRequest.id)
    if kind:
        stmt = stmt.where(SupportRequest.kind == kind)
    return [support_dict(session, sr) for sr in session.scalars(stmt)]
