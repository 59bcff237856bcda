"""Art. 19, first half: a competent department or the enforcement bureau records a penalty
decision that requires a licence to be amended, withdrawn, revoked or cancelled, and pushes it
to the approval bureau within 2 working days of the decision (a ``penalty_notice`` dispatch
whose clock starts on the decision date; the limit is the rules table's)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import ApprovalResult, Dispatch, LicensingItem, Office
from app.models.enforcement import MEASURES, PenaltyDecision
from app.services import dispatch as engine
from app.services import rules
from app.services.enforcement.common import (
    dispatch_row,
    dispatches_of,
    find,
    measure,
    only_office,
    past_date,
    text,
)
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.workdays import WorkCalendar

KIND = "penalty_notice"


@dataclass
class PenaltyInput:
    """A penalty decision as typed by a clerk. ``licence``: the approval result's id (or its
    first 8 digits) or the licence number; a licence issued before ShenGuan is named by its
    number with ``item`` (code or name) and ``holder``."""

    decision_number: str
    decided_on: date | None
    measure: str
    facts: str
    legal_basis: str
    licence: str
    item: str = ""
    holder: str = ""


def find_licence(session: Session, value: str) -> ApprovalResult | None:
    """The approval result a clerk names by id, id prefix or licence number (None: not here)."""
    v = (value or "").strip()
    if not v:
        raise ValidationError("请填写许可证号或审批结果编号。", "licence")
    hexes = v.lower().replace("-", "")
    if len(hexes) >= 8 and all(c in "0123456789abcdef" for c in hexes):
        try:
            return find(session, ApprovalResult, v, "审批结果")
        except NotFoundError:
            pass
    found = list(session.scalars(select(ApprovalResult).where(ApprovalResult.licence_number == v).limit(2)))
    if len(found) > 1:
        raise ValidationError(f"证照编号“{v}”对应多条审批结果，请改用审批结果编号。", "licence")
    return found[0] if found else None


def licence_values(session: Session, data: PenaltyInput) -> dict:
    result = find_licence(session, data.licence)
    if result is not None:
        item = session.get(LicensingItem, result.item_id)
        return {"approval_result_id": result.id, "licence_number": result.licence_number or "",
                "item_code": item.code, "item_name": item.name, "holder_name": result.applicant_name}
    number = text(data.licence, "licence", "许可证号", 64)
    item_text = text(data.item, "item", "许可事项（本系统中没有该许可证，请填写事项编码或名称）", 256)
    item = session.scalar(select(LicensingItem).where(
        (LicensingItem.code == item_text) | (LicensingItem.name == item_text)).limit(1))
    return {"approval_result_id": None, "licence_number": number,
            "item_code": item.code if item else "", "item_name": item.name if item else item_text,
            "holder_name": text(data.holder, "holder", "持证人（被处罚人）名称", 128)}


def record(session: Session, data: PenaltyInput, *, office: Office, operator: str, to: Office | None = None,
           push: bool = True, channel: str = rules.EXCHANGE, agreed_due: date | None = None,
           calendar: WorkCalendar | None = None) -> PenaltyDecision:
    """Record the decision, start its push clock (decision date + 2 working days) and, unless
    ``push`` is False, push it to the approval bureau now."""
    rule = rules.rule(KIND)
    if office.role not in rule.sender_roles:
        raise WorkflowError(f"{office.name}不能推送行政处罚信息（{rule.article}：行政主管部门或综合行政执法部门）。")
    values = licence_values(session, data)
    bureau = to
    if bureau is None and values["approval_result_id"] is not None:
        bureau = session.get(Office, session.get(ApprovalResult, values["approval_result_id"]).approval_office_id)
    bureau = only_office(session, "approval", bureau, "行政审批部门")
    pd = PenaltyDecision(
        id=uuid.uuid4(), deciding_office_id=office.id,
        decision_number=text(data.decision_number, "decision_number", "处罚决定书文号", 64),
        decided_on=past_date(data.decided_on, "decided_on", "处罚决定日期"),
        measure=measure(data.measure), facts=text(data.facts, "facts", "违法事实摘要", 4000, keep_lines=True),
        legal_basis=text(data.legal_basis, "legal_basis", "处罚依据", 512),
        recorded_at=clock.now(), recorded_by=operator or "", **values,
    )
    session.add(pd)
    session.flush()
    d = engine.create(session, KIND, sender=office, addressee=bureau, subject_id=pd.id,
                      clock_start=pd.decided_on, operator=operator, calendar=calendar)
    session.flush()
    pd.dispatch_id = d.id
    if push:
        send(session, pd, office=office, operator=operator, channel=channel, agreed_due=agreed_due,
             calendar=calendar)
    return pd


def notice(session: Session, pd: PenaltyDecision) -> Dispatch:
    d = session.get(Dispatch, pd.dispatch_id) if pd.dispatch_id else None
    if d is None:
        found = dispatches_of(session, pd.id, KIND)
        if not found:
            raise NotFoundError(f"处罚决定 {pd.decision_number} 没有推送记录。")
        d = found[-1]
    return d


def send(session: Session, pd: PenaltyDecision, *, office: Office, operator: str,
         channel: str = rules.EXCHANGE, agreed_due: date | None = None,
         calendar: WorkCalendar | None = None) -> Dispatch:
    return engine.perform(session, notice(session, pd), "send", office=office, operator=operator,
                          channel=channel, agreed_due=agreed_due, calendar=calendar)


def sign_off(session: Session, pd: PenaltyDecision, *, office: Office, operator: str) -> Dispatch:
    """The approval bureau acknowledges receipt (签收) of the penalty notice."""
    return engine.perform(session, notice(session, pd), "sign_off", office=office, operator=operator)


def get(session: Session, text_id: str) -> PenaltyDecision:
    return find(session, PenaltyDecision, text_id, "处罚决定")


def penalty_dict(session: Session, pd: PenaltyDecision) -> dict:
    d = notice(session, pd)
    office = session.get(Office, pd.deciding_office_id)
    return {
        "id": pd.id, "decision_number": pd.decision_number, "decided_on": pd.decided_on,
        "deciding_office": office.name, "deciding_office_code": office.code,
        "measure": pd.measure, "measure_label": MEASURES[pd.measure], "facts": pd.facts,
        "legal_basis": pd.legal_basis, "approval_result_id": pd.approval_result_id,
        "licence_number": pd.licence_number, "item_code": pd.item_code, "item_name": pd.item_name,
        "holder_name": pd.holder_name, "recorded_at": pd.recorded_at, "recorded_by": pd.recorded_by,
        "licence_decided_at": pd.licence_decided_at, "notice": dispatch_row(session, d),
    }


def list_penalties(session: Session) -> list[dict]:
    """Every penalty decision held here, newest first, with its notice's status and due date."""
    rows = []
    for pd in session.scalars(select(PenaltyDecision).order_by(PenaltyDecision.decided_on.desc(),
                                                                PenaltyDecision.recorded_at.desc())):
        d = notice(session, pd)
        rule = rules.rule(KIND)
        rows.append({
            "id": pd.id, "decision_number": pd.decision_number, "decided_on": pd.decided_on,
            "deciding_office": session.get(Office, pd.deciding_office_id).name,
            "holder_name": pd.holder_name, "licence_number": pd.licence_number,
            "measure_label": MEASURES[pd.measure], "status": d.status,
            "status_label": rule.status_label(d.status), "current_due": d.current_due,
            "send_due": d.send_due, "sent_at": d.sent_at,
        })
    return rows
