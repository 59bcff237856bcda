"""The subject records of Art. 9, 10, 12, 13 and 21 dispatches as they travel in bundles: a
consultation (``consultation``, also carried by its minutes), a support request
(``support_request``) and an oversight report (``oversight_report``: dispatch metadata only).
Each is checked against its ``$defs`` entry of resources/schemas/bundle-v1.schema.json before
anything is applied; the addressee creates the record under the sender's id. A subject whose id
or offices do not match its dispatch is refused (the whole bundle is then not applied).
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app.models import Consultation, Office, SupportRequest
from app.models.cooperation import CONSULTATION_MODES, SUPPORT_KINDS
from app.services.cooperation import reports
from app.services.exchange.messages import parse_date, parse_time
from app.services.exchange.subjects import CodeOf, SubjectCodec, register


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _rejected(text: str):
    from app.services.exchange.apply import Rejected

    return Rejected(text)


# -- consultation -------------------------------------------------------------------------

def _consultation_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    c = session.get(Consultation, sid)
    if c is None:
        return None
    return {
        "id": str(c.id), "mode": c.mode, "topic": c.topic, "agenda": c.agenda, "participants": c.participants,
        "office": code_of(c.requesting_office_id), "responding": c.responding_offices.split(","),
        "requested_on": _iso(c.requested_on), "meeting_on": _iso(c.meeting_on), "held_on": _iso(c.held_on),
        "minutes": c.minutes, "outcome": c.outcome,
        "minutes_office": code_of(c.minutes_office_id) if c.minutes_office_id else None,
        "minutes_at": _iso(c.minutes_at), "created_by": c.created_by, "created_at": _iso(c.created_at),
    }


def _consultation_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    everyone = [sub["office"], *sub["responding"]]
    minutes_by = sub["minutes_office"]
    if (sub["id"] != str(sid) or sender.code not in everyone or addressee.code not in everyone
            or (minutes_by is None and sender.code != sub["office"])
            or (minutes_by is not None and minutes_by != sender.code)):
        raise _rejected("会商消息所附记录与发送记录不符（编号或会商单位不一致）。")
    s = applier.session
    minutes = {"minutes": sub["minutes"], "outcome": sub["outcome"], "held_on": parse_date(sub["held_on"]),
               "minutes_at": parse_time(sub["minutes_at"])}
    c = s.get(Consultation, sid)
    if c is not None:
        if minutes_by is not None and c.minutes_at is None:  # the minutes arrive
            for key, value in minutes.items():
                setattr(c, key, value)
            c.minutes_office_id = sender.id
        return False
    requester = applier.offices.get(sub["office"])
    if requester is None:
        raise _rejected(f"未知单位 {sub['office']}：请先导入最新的单位名录。")
    s.add(Consultation(
        id=sid, mode=sub["mode"], topic=sub["topic"], agenda=sub["agenda"], participants=sub["participants"],
        requesting_office_id=requester.id, responding_offices=",".join(sub["responding"]),
        requested_on=parse_date(sub["requested_on"]), meeting_on=parse_date(sub["meeting_on"]),
        minutes_office_id=sender.id if minutes_by else None, created_by=sub["created_by"],
        created_at=parse_time(sub["created_at"]), **minutes,
    ))
    return True


# -- support_request ----------------------------------------------------------------------

def _support_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    sr = session.get(SupportRequest, sid)
    if sr is None:
        return None
    return {
        "id": str(sr.id), "kind": sr.kind, "title": sr.title, "content": sr.content, "quantity": sr.quantity,
        "wanted_by": _iso(sr.wanted_by), "office": code_of(sr.requesting_office_id),
        "to": code_of(sr.responding_office_id), "created_by": sr.created_by, "created_at": _iso(sr.created_at),
    }


def _support_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    if sub["id"] != str(sid) or sub["office"] != sender.code or sub["to"] != addressee.code:
        raise _rejected("商请消息所附记录与发送记录不符（编号或单位不一致）。")
    s = applier.session
    if s.get(SupportRequest, sid) is not None:
        return False
    s.add(SupportRequest(
        id=sid, kind=sub["kind"], title=sub["title"], content=sub["content"], quantity=sub["quantity"],
        wanted_by=parse_date(sub["wanted_by"]), requesting_office_id=sender.id, responding_office_id=addressee.id,
        created_by=sub["created_by"], created_at=parse_time(sub["created_at"]),
    ))
    return True


# -- oversight_report ---------------------------------------------------------------------

def _report_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    if sub["id"] != str(sid) or sub["office"] != sender.code:
        raise _rejected("报送消息所附记录与发送记录不符（编号或报送单位不一致）。")
    for i, row in enumerate(sub["rows"], start=1):
        if sender.code not in (row["sender"], row["addressee"]):
            raise _rejected(f"报送第 {i} 行不是 {sender.code} 本单位的推送记录。")
    reports.store_received(applier.session, sub, sender)
    return True


register(SubjectCodec(
    subject_type="consultation", schema_pointer="/$defs/consultation", to_dict=_consultation_dict,
    apply=_consultation_apply, summary=lambda sub: f"{CONSULTATION_MODES[sub['mode']]}：{sub['topic']}",
    detail=lambda sub: sub["outcome"][:60],
))
register(SubjectCodec(
    subject_type="support_request", schema_pointer="/$defs/support_request", to_dict=_support_dict,
    apply=_support_apply, summary=lambda sub: f"{SUPPORT_KINDS[sub['kind']]}：{sub['title']}",
))
register(SubjectCodec(
    subject_type="oversight_report", schema_pointer="/$defs/oversight_report",
    to_dict=lambda session, sid, code_of: reports.to_dict(session, sid),
    apply=_report_apply, summary=lambda sub: f"报送 {len(sub['rows'])} 条推送记录的时限数据",
))
