"""Art. 19, second half: on a penalty notice the approval bureau decides to amend, withdraw,
revoke or cancel the licence and pushes that decision, within 2 working days of it, to the
department that made the penalty and to the licence's competent department (one
``licence_change_push`` each); they sign it off. A licence's state and history are derived
from its changes (nothing else stores them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app import clock
from app.models import ApprovalResult, Dispatch, LicensingItem, Office
from app.models.enforcement import MEASURES, LicenceChange, PenaltyDecision
from app.services import dispatch as engine
from app.services import rules
from app.services.enforcement import penalties
from app.services.enforcement.common import (
    dispatch_row,
    dispatches_of,
    find,
    measure,
    past_date,
    text,
)
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.workdays import WorkCalendar

KIND = "licence_change_push"
VALID = "valid"
STATE_LABELS = {VALID: "有效", "amend": "已变更", "withdraw": "已撤回", "revoke": "已撤销", "cancel": "已注销"}
ENDED = ("withdraw", "revoke", "cancel")  # after these the licence is no longer in force


@dataclass
class LicenceDecisionInput:
    kind: str  # amend / withdraw / revoke / cancel (or 变更/撤回/撤销/注销)
    decision_number: str
    decided_on: date | None
    content: str


def decide(session: Session, pd: PenaltyDecision, data: LicenceDecisionInput, *, office: Office,
           operator: str, push: bool = True, calendar: WorkCalendar | None = None) -> LicenceChange:
    """Record the bureau's licence decision on a received penalty notice (signed off or not),
    mark the notice decided and start one push per addressee
    (clock: the decision date); with ``push`` they are sent through the exchange at once."""
    notice = penalties.notice(session, pd)
    if office.id != notice.addressee_office_id:
        raise WorkflowError(f"只有{session.get(Office, notice.addressee_office_id).name}可以就这条处罚信息作出许可决定。")
    kind = measure(data.kind, "kind")
    number = text(data.decision_number, "decision_number", "许可决定文号", 64)
    decided_on = past_date(data.decided_on, "decided_on", "许可决定日期")
    if decided_on < pd.decided_on:
        raise ValidationError("许可决定日期不能早于处罚决定日期。", "decided_on")
    content = text(data.content, "content", "决定内容", 4000, keep_lines=True)
    current = state_of(session, pd.approval_result_id, pd.licence_number)
    if current in ENDED:
        raise WorkflowError(f"该许可{STATE_LABELS[current]}，不能再作出{MEASURES[kind]}决定。")
    lc = LicenceChange(
        id=uuid.uuid4(), deciding_office_id=office.id, kind=kind, decision_number=number,
        decided_on=decided_on, content=content, penalty_decision_id=pd.id,
        approval_result_id=pd.approval_result_id, licence_number=pd.licence_number,
        item_code=pd.item_code, item_name=pd.item_name, holder_name=pd.holder_name,
        recorded_at=clock.now(), recorded_by=operator or "",
    )
    session.add(lc)
    session.flush()
    engine.perform(session, notice, "decide", office=office, operator=operator,
                   reason=f"决定{MEASURES[kind]}许可（{number}）")
    for addressee in addressees(session, pd):
        d = engine.create(session, KIND, sender=office, addressee=addressee, subject_id=lc.id,
                          clock_start=decided_on, operator=operator, calendar=calendar)
        session.flush()
        if push:
            engine.perform(session, d, "send", office=office, operator=operator, calendar=calendar)
    return lc


def addressees(session: Session, pd: PenaltyDecision) -> list[Office]:
    """The office that made the penalty, and the licence's competent department if another."""
    out = [session.get(Office, pd.deciding_office_id)]
    item = None
    if pd.approval_result_id is not None:
        r = session.get(ApprovalResult, pd.approval_result_id)
        item = session.get(LicensingItem, r.item_id) if r is not None else None
    if item is None and pd.item_code:
        item = session.scalar(select(LicensingItem).where(LicensingItem.code == pd.item_code))
    if item is not None and item.competent_office_id != out[0].id:
        competent = session.get(Office, item.competent_office_id)
        if competent is not None and competent.role in rules.rule(KIND).addressee_roles:
            out.append(competent)
    return out


def pushes(session: Session, lc: LicenceChange) -> list[Dispatch]:
    return dispatches_of(session, lc.id, KIND)


def _push_to(session: Session, lc: LicenceChange, office: Office) -> Dispatch:
    """The push of this decision addressed to ``office``."""
    for d in pushes(session, lc):
        if d.addressee_office_id == office.id:
            return d
    raise NotFoundError(f"这项许可决定没有发给{office.name}的推送。")


def send(session: Session, lc: LicenceChange, addressee: Office, *, office: Office, operator: str,
         channel: str = rules.EXCHANGE, agreed_due: date | None = None,
         calendar: WorkCalendar | None = None) -> Dispatch:
    """Send a pending push (e.g. on paper: on-site review, photocopy or fax with an agreed limit)."""
    return engine.perform(session, _push_to(session, lc, addressee), "send", office=office, operator=operator,
                          channel=channel, agreed_due=agreed_due, calendar=calendar)


def act(session: Session, lc: LicenceChange, action: str, *, office: Office, operator: str,
        reason: str = "") -> Dispatch:
    """The addressee signs off (or returns, with a reason) the push sent to it."""
    return engine.perform(session, _push_to(session, lc, office), action, office=office, operator=operator,
                          reason=reason)


def get(session: Session, text_id: str) -> LicenceChange:
    return find(session, LicenceChange, text_id, "许可决定")


def _matching(model, result_id: uuid.UUID | None, number: str):
    conds = []
    if result_id is not None:
        conds.append(model.approval_result_id == result_id)
    if number:
        conds.append(and_(model.approval_result_id.is_(None), model.licence_number == number)
                     if result_id is not None else model.licence_number == number)
    return or_(*conds) if conds else model.id.is_(None)


def changes_of(session: Session, result_id: uuid.UUID | None, number: str) -> list[LicenceChange]:
    stmt = (select(LicenceChange).where(_matching(LicenceChange, result_id, number))
            .order_by(LicenceChange.decided_on, LicenceChange.recorded_at, LicenceChange.id))
    return list(session.scalars(stmt))


def state_of(session: Session, result_id: uuid.UUID | None, number: str) -> str:
    changes = changes_of(session, result_id, number)
    return changes[-1].kind if changes else VALID


def licence_state(session: Session, value: str) -> dict:
    """A licence named by approval result id (prefix) or licence number: its current state
    (有效/已变更/已撤回/已撤销/已注销) and history (issue, penalty decisions, licence decisions
    with their pushes), oldest first."""
    result = penalties.find_licence(session, value)
    rid = result.id if result is not None else None
    number = result.licence_number if result is not None else (value or "").strip()
    changes = changes_of(session, rid, number)
    pds = list(session.scalars(select(PenaltyDecision).where(_matching(PenaltyDecision, rid, number))
                               .order_by(PenaltyDecision.decided_on, PenaltyDecision.recorded_at)))
    if result is None and not changes and not pds:
        raise NotFoundError(f"没有许可证号或审批结果编号为“{value}”的许可。")
    first = result or (changes or pds)[0]
    history = []
    if result is not None:
        item = session.get(LicensingItem, result.item_id)
        history.append({"on": result.licence_issued_on or result.decided_on, "event": "颁发许可",
                        "number": result.licence_number, "office": session.get(Office, result.approval_office_id).name,
                        "detail": result.result, "status": ""})
        item_name, holder = item.name, result.applicant_name
    else:
        item_name, holder = first.item_name, first.holder_name
    for pd in pds:
        d = penalties.notice(session, pd)
        history.append({"on": pd.decided_on, "event": f"行政处罚决定（要求{MEASURES[pd.measure]}许可）",
                        "number": pd.decision_number, "office": session.get(Office, pd.deciding_office_id).name,
                        "detail": pd.facts, "status": rules.rule(d.kind).status_label(d.status)})
    for lc in changes:
        ds = pushes(session, lc)
        status = "；".join(f"{session.get(Office, d.addressee_office_id).name}"
                          f"{rules.rule(KIND).status_label(d.status)}" for d in ds)
        history.append({"on": lc.decided_on, "event": f"{MEASURES[lc.kind]}许可",
                        "number": lc.decision_number, "office": session.get(Office, lc.deciding_office_id).name,
                        "detail": lc.content, "status": status})
    history.sort(key=lambda h: h["on"])
    state = changes[-1].kind if changes else VALID
    return {"approval_result_id": rid, "licence_number": number, "item_name": item_name, "holder_name": holder,
            "state": state, "state_label": STATE_LABELS[state], "in_force": state not in ENDED,
            "history": history}


def change_dict(session: Session, lc: LicenceChange) -> dict:
    pd = session.get(PenaltyDecision, lc.penalty_decision_id) if lc.penalty_decision_id else None
    return {
        "id": lc.id, "kind": lc.kind, "kind_label": MEASURES[lc.kind], "decision_number": lc.decision_number,
        "decided_on": lc.decided_on, "content": lc.content,
        "deciding_office": session.get(Office, lc.deciding_office_id).name,
        "penalty_decision_id": lc.penalty_decision_id,
        "penalty_decision_number": pd.decision_number if pd else "",
        "approval_result_id": lc.approval_result_id, "licence_number": lc.licence_number,
        "item_code": lc.item_code, "item_name": lc.item_name, "holder_name": lc.holder_name,
        "pushes": [dispatch_row(session, d) for d in pushes(session, lc)],
    }


def list_changes(session: Session) -> list[dict]:
    return [change_dict(session, lc) for lc in session.scalars(
        select(LicenceChange).order_by(LicenceChange.decided_on.desc(), LicenceChange.recorded_at.desc()))]
