"""Art. 20: a department that finds a violation outside its remit refers it at once (the same
working day) with the evidence list; the receiving department decides within 5 working days of
receipt whether to accept it (the limit runs from the day the referral arrives there, see
``effects.referral_received``) and replies; when it files a case, the case result goes to the
referring department and to the approval bureau (two ``case_result`` dispatches)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, Office
from app.models.enforcement import REFERRAL_DECISIONS, Referral
from app.services import dispatch as engine
from app.services import rules
from app.services.enforcement.common import (
    dispatch_row,
    dispatches_of,
    find,
    lines,
    only_office,
    past_date,
    text,
)
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.workdays import WorkCalendar

KIND = "referral"
RESULT_KIND = "case_result"
MAX_EVIDENCE = 200


def refer(session: Session, *, office: Office, to: Office, party_name: str, case_summary: str,
          evidence: str | list[str], found_on: date | None, operator: str, licence_number: str = "",
          calendar: WorkCalendar | None = None) -> Referral:
    """Record the referral and send it at once (clock: the day the violation was found)."""
    items = lines(evidence)
    if not items:
        raise ValidationError("请填写移送的调查取证材料清单（每行一项）。", "evidence")
    if len(items) > MAX_EVIDENCE:
        raise ValidationError(f"材料清单最多{MAX_EVIDENCE}项，现在{len(items)}项。", "evidence")
    for i, line in enumerate(items, 1):
        text(line, "evidence", f"材料清单第{i}项", 500)
    ref = Referral(
        id=uuid.uuid4(), referring_office_id=office.id, receiving_office_id=to.id,
        party_name=text(party_name, "party_name", "当事人名称", 128),
        licence_number=text(licence_number, "licence_number", "许可证号", 64, required=False),
        case_summary=text(case_summary, "case_summary", "违法线索摘要", 4000, keep_lines=True),
        evidence="\n".join(items), found_on=past_date(found_on, "found_on", "发现日期"),
        referred_on=clock.today(), recorded_at=clock.now(), recorded_by=operator or "",
    )
    session.add(ref)
    session.flush()
    d = engine.create(session, KIND, sender=office, addressee=to, subject_id=ref.id,
                      clock_start=ref.found_on, operator=operator, calendar=calendar)
    session.flush()
    ref.dispatch_id = d.id
    engine.perform(session, d, "send", office=office, operator=operator, calendar=calendar)
    return ref


def referral_dispatch(session: Session, ref: Referral) -> Dispatch:
    d = session.get(Dispatch, ref.dispatch_id) if ref.dispatch_id else None
    if d is None:
        found = dispatches_of(session, ref.id, KIND)
        if not found:
            raise NotFoundError("本单位没有这条移送的办理记录（可能只收到了案件处理结果）。")
        d = found[-1]
    return d


def accept(session: Session, ref: Referral, *, office: Office, operator: str, note: str = "") -> Dispatch:
    """受理: the decision and its date are written to the referral by the engine's effect."""
    return engine.perform(session, referral_dispatch(session, ref), "accept", office=office,
                          operator=operator, reason=note)


def decline(session: Session, ref: Referral, *, office: Office, operator: str, reason: str) -> Dispatch:
    """不予受理, with the reason (required by the rules table)."""
    return engine.perform(session, referral_dispatch(session, ref), "decline", office=office,
                          operator=operator, reason=reason)


def _receiver(ref: Referral, office: Office, what: str) -> None:
    if office.id != ref.receiving_office_id:
        raise WorkflowError(f"只有受理部门可以{what}。")


def file_case(session: Session, ref: Referral, *, office: Office, operator: str, filed_on: date | None,
              case_number: str = "") -> Referral:
    """立案: recorded here; it travels with the case result."""
    _receiver(ref, office, "登记立案")
    if ref.decision != "accepted":
        raise WorkflowError("这条移送尚未受理（或已不予受理），不能立案。")
    if ref.case_filed_on is not None:
        raise WorkflowError(f"这条移送已于{ref.case_filed_on.isoformat()}立案。")
    filed_on = past_date(filed_on, "filed_on", "立案日期")
    if ref.decided_on and filed_on < ref.decided_on:
        raise ValidationError("立案日期不能早于受理日期。", "filed_on")
    ref.case_filed_on = filed_on
    ref.case_number = text(case_number, "case_number", "立案编号", 64, required=False)
    return ref


def report_result(session: Session, ref: Referral, *, office: Office, operator: str, result_text: str,
                  result_on: date | None, bureau: Office | None = None,
                  calendar: WorkCalendar | None = None) -> list[Dispatch]:
    """Record the case result and send it to the referring department and the approval bureau."""
    _receiver(ref, office, "反馈案件处理结果")
    if ref.case_filed_on is None:
        raise WorkflowError("请先登记立案，再反馈案件处理结果。")
    if ref.result_on is not None:
        raise WorkflowError("案件处理结果已反馈。")
    result_on = past_date(result_on, "result_on", "办结日期")
    if result_on < ref.case_filed_on:
        raise ValidationError("办结日期不能早于立案日期。", "result_on")
    ref.result_text = text(result_text, "result_text", "案件处理结果", 4000, keep_lines=True)
    ref.result_on = result_on
    session.flush()
    bureau = only_office(session, "approval", bureau, "行政审批部门")
    out = []
    for to in (session.get(Office, ref.referring_office_id), bureau):
        d = engine.create(session, RESULT_KIND, sender=office, addressee=to, subject_id=ref.id,
                          clock_start=result_on, operator=operator, calendar=calendar)
        session.flush()
        engine.perform(session, d, "send", office=office, operator=operator, calendar=calendar)
        out.append(d)
    return out


def acknowledge_result(session: Session, ref: Referral, *, office: Office, operator: str) -> Dispatch:
    for d in dispatches_of(session, ref.id, RESULT_KIND):
        if d.addressee_office_id == office.id:
            return engine.perform(session, d, "acknowledge", office=office, operator=operator)
    raise NotFoundError(f"没有发给{office.name}的案件处理结果。")


def get(session: Session, text_id: str) -> Referral:
    return find(session, Referral, text_id, "移送")


def referral_dict(session: Session, ref: Referral) -> dict:
    referrer, receiver = session.get(Office, ref.referring_office_id), session.get(Office, ref.receiving_office_id)
    ds = dispatches_of(session, ref.id, KIND)
    return {
        "id": ref.id, "referring_office": referrer.name, "referring_code": referrer.code,
        "receiving_office": receiver.name, "receiving_code": receiver.code, "party_name": ref.party_name,
        "licence_number": ref.licence_number, "case_summary": ref.case_summary,
        "evidence": ref.evidence.splitlines(), "found_on": ref.found_on, "referred_on": ref.referred_on,
        "received_on": ref.received_on, "decision": ref.decision,
        "decision_label": REFERRAL_DECISIONS.get(ref.decision or "", "待决定"),
        "decision_reason": ref.decision_reason, "decided_on": ref.decided_on, "case_number": ref.case_number,
        "case_filed_on": ref.case_filed_on, "result_text": ref.result_text, "result_on": ref.result_on,
        "referral": dispatch_row(session, ds[-1]) if ds else None,
        "results": [dispatch_row(session, d) for d in dispatches_of(session, ref.id, RESULT_KIND)],
    }


def list_referrals(session: Session, office: Office | None = None) -> list[dict]:
    """Referrals held here (sent or received by ``office`` when given), newest first."""
    stmt = select(Referral).order_by(Referral.referred_on.desc(), Referral.recorded_at.desc())
    if office is not None:
        stmt = stmt.where(or_(Referral.referring_office_id == office.id, Referral.receiving_office_id == office.id))
    rows = []
    for ref in session.scalars(stmt):
        ds = dispatches_of(session, ref.id, KIND)
        d = ds[-1] if ds else None
        rows.append({
            "id": ref.id, "party_name": ref.party_name, "found_on": ref.found_on,
            "referring_office": session.get(Office, ref.referring_office_id).name,
            "receiving_office": session.get(Office, ref.receiving_office_id).name,
            "status": d.status if d else None,
            "status_label": rules.rule(KIND).status_label(d.status) if d else "仅收到处理结果",
            "current_due": d.current_due if d else None, "case_filed_on": ref.case_filed_on,
            "result_on": ref.result_on,
        })
    return rows
