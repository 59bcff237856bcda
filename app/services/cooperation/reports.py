"""The dispatch metadata an office reports to the oversight office (Art. 21).

The oversight office (营商局) watches the deadlines of every office but holds none of their
records. Each office sends it, as ``oversight_report`` dispatches through the exchange, one row
per dispatch of the kinds the figures count: kind, sender and addressee codes, clock start, due
dates, when it was sent and answered, and its status — nothing else; no subject record, so no
applicant's name, ID number or phone ever leaves in a report.

A report carries only the rows that are new or changed since the office last reported them
(the rows it reported are kept here in ``oversight_reports`` too); large reports are split into
several dispatches of at most :data:`ROWS_PER_REPORT` rows. At the oversight office the rows
are stored by dispatch id: a row from a later report replaces the one held (the approval bureau
and the department both report a push; whichever reported last is kept).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from app import clock
from app.models import Dispatch, Office, OversightReport
from app.services import dispatch as engine
from app.services import rules
from app.services.errors import ValidationError, WorkflowError

KIND = rules.rule("oversight_report").kind
# The kinds whose deadlines the oversight office watches (the figures read four of them).
REPORTED_KINDS = ("approval_push", "licence_change_push", "penalty_notice", "referral")
ROWS_PER_REPORT = 10_000
FIELDS = ("kind", "sender_code", "addressee_code", "clock_start", "send_due", "sent_at", "reply_due",
          "replied_at", "status")
CHUNK = 2000


def oversight_office(session: Session, to: Office | None = None) -> Office:
    if to is not None:
        if to.role != "oversight":
            raise ValidationError(f"{to.name}不是营商环境建设主管部门，不能接收报送。", "to")
        return to
    found = list(session.scalars(select(Office).where(Office.role == "oversight").order_by(Office.code)))
    if len(found) != 1:
        raise ValidationError("请指定接收报送的营商环境建设主管部门（--to 单位代码）。", "to")
    return found[0]


def _current_rows(session: Session, office: Office) -> dict[uuid.UUID, dict]:
    """The metadata of this office's dispatches of the reported kinds, by dispatch id."""
    sender, addressee = aliased(Office), aliased(Office)
    stmt = (
        select(Dispatch.id, Dispatch.kind, sender.code, addressee.code, Dispatch.clock_start, Dispatch.send_due,
               Dispatch.sent_at, Dispatch.reply_due, Dispatch.replied_at, Dispatch.status)
        .join(sender, sender.id == Dispatch.sender_office_id)
        .join(addressee, addressee.id == Dispatch.addressee_office_id)
        .where(Dispatch.kind.in_(REPORTED_KINDS),
               or_(Dispatch.sender_office_id == office.id, Dispatch.addressee_office_id == office.id))
    )
    return {row[0]: dict(zip(FIELDS, row[1:], strict=True)) for row in session.execute(stmt)}


def _held(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, OversightReport]:
    held: dict[uuid.UUID, OversightReport] = {}
    for i in range(0, len(ids), CHUNK):
        stmt = select(OversightReport).where(OversightReport.dispatch_id.in_(ids[i:i + CHUNK]))
        held.update({r.dispatch_id: r for r in session.scalars(stmt)})
    return held


def changed_rows(session: Session, office: Office) -> dict[uuid.UUID, dict]:
    """Rows not reported yet or changed since they were reported."""
    current = _current_rows(session, office)
    held = _held(session, list(current))
    return {did: row for did, row in current.items()
            if did not in held or any(getattr(held[did], f) != row[f] for f in FIELDS)}


def _progress(sent_at, replied_at) -> int:
    return (sent_at is not None) + (replied_at is not None)


def _store(session: Session, report_id: uuid.UUID, office_code: str, rows: dict[uuid.UUID, dict],
           at: datetime, held: dict[uuid.UUID, OversightReport]) -> int:
    """Insert or replace rows (by dispatch id). A held row stays when it shows more progress
    (sent / answered) than the new one, or as much and comes from a later report: a stale
    report (the bureau has not yet imported the department's sign-off) never undoes a newer."""
    stored = 0
    for did, row in rows.items():
        r = held.get(did)
        if r is not None:
            old, new = _progress(r.sent_at, r.replied_at), _progress(row["sent_at"], row["replied_at"])
            if old > new or (old == new and r.reported_at > at):
                continue
        if r is None:
            r = OversightReport(id=uuid.uuid4(), dispatch_id=did)
            session.add(r)
        r.report_id, r.reporting_office, r.reported_at = report_id, office_code, at
        for f in FIELDS:
            setattr(r, f, row[f])
        stored += 1
    return stored


def send_report(session: Session, *, office: Office, operator: str, to: Office | None = None) -> list[Dispatch]:
    """Queue the rows new or changed since the last report for the oversight office."""
    if office.role not in rules.rule(KIND).sender_roles:
        raise WorkflowError(f"{office.name}不需要向营商环境建设主管部门报送。")
    target = oversight_office(session, to)
    rows = changed_rows(session, office)
    if not rows:
        raise ValidationError("自上次报送以来没有新增或变化的推送、签收、处罚推送和移送记录，无需报送。", "report")
    now = clock.now()
    held = _held(session, list(rows))
    ids = sorted(rows, key=lambda did: (rows[did]["clock_start"], str(did)))
    sent = []
    for i in range(0, len(ids), ROWS_PER_REPORT):
        report_id = uuid.uuid4()
        _store(session, report_id, office.code, {did: rows[did] for did in ids[i:i + ROWS_PER_REPORT]}, now, held)
        session.flush()
        d = engine.create(session, KIND, sender=office, addressee=target, subject_id=report_id,
                          clock_start=now.date(), operator=operator)
        session.flush()
        engine.perform(session, d, "send", office=office, operator=operator)
        sent.append(d)
    return sent


# -- the report as it travels (used by the codec) -------------------------------------------

def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_dict(session: Session, report_id: uuid.UUID) -> dict | None:
    rows = list(session.scalars(select(OversightReport).where(OversightReport.report_id == report_id)
                                .order_by(OversightReport.clock_start, OversightReport.dispatch_id)))
    if not rows:
        return None
    return {
        "id": str(report_id), "office": rows[0].reporting_office, "reported_at": _iso(rows[0].reported_at),
        "rows": [{"dispatch_id": str(r.dispatch_id), "kind": r.kind, "sender": r.sender_code,
                  "addressee": r.addressee_code, "clock_start": _iso(r.clock_start), "send_due": _iso(r.send_due),
                  "sent_at": _iso(r.sent_at), "reply_due": _iso(r.reply_due), "replied_at": _iso(r.replied_at),
                  "status": r.status} for r in rows],
    }


def store_received(session: Session, sub: dict, sender: Office) -> int:
    """Store a received report's rows (by dispatch id); returns how many were stored. The codec
    has checked that every row is a dispatch of the reporting office itself."""
    from app.services.exchange.messages import parse_date, parse_time

    at = parse_time(sub["reported_at"])
    rows = {}
    for row in sub["rows"]:
        rows[uuid.UUID(row["dispatch_id"])] = {
            "kind": row["kind"], "sender_code": row["sender"], "addressee_code": row["addressee"],
            "clock_start": parse_date(row["clock_start"]), "send_due": parse_date(row["send_due"]),
            "sent_at": parse_time(row["sent_at"]), "reply_due": parse_date(row["reply_due"]),
            "replied_at": parse_time(row["replied_at"]), "status": row["status"],
        }
    stored = _store(session, uuid.UUID(sub["id"]), sender.code, rows, at, _held(session, list(rows)))
    session.flush()
    return stored


def report_summary(session: Session, office: Office) -> dict:
    """What the next report would carry, and when the office last reported."""
    last = session.scalar(select(OversightReport.reported_at).where(OversightReport.reporting_office == office.code)
                          .order_by(OversightReport.reported_at.desc()).limit(1))
    return {"pending_rows": len(changed_rows(session, office)), "last_reported_at": last}
