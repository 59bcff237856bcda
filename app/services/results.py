"""Approval results (Art. 17): record, push, sign off, return, start supervision."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import ApprovalResult, Dispatch, LicensingItem, Office
from app.services import dispatch as engine
from app.services import locking, rules, textinput
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.ids import classify_applicant_id, normalize_phone
from app.services.workdays import WorkCalendar

KIND = rules.APPROVAL_PUSH.kind


@dataclass
class ResultInput:
    """The push-sheet fields as typed by a clerk (strings and dates, not yet checked)."""

    item_code: str
    applicant_name: str
    applicant_id: str
    contact_name: str
    contact_phone: str
    result: str
    decided_on: date | None
    licence_number: str = ""
    licence_issued_on: date | None = None
    materials: str = ""


def _text(value: str, field: str, label: str, limit: int, required: bool = True) -> str:
    return textinput.clean_text(value, field, label, limit, required=required)


def validate(session: Session, data: ResultInput) -> dict:
    """Check every field; returns clean values or raises ValidationError naming the field."""
    code = textinput.clean_text(data.item_code, "item", "许可事项编码", textinput.TITLE)
    item = session.scalar(select(LicensingItem).where(LicensingItem.code == code))
    if item is None:
        raise ValidationError(f"没有编码为“{code}”的许可事项，请从事项清单中选择。", "item")
    today = clock.today()
    if data.decided_on is None:
        raise ValidationError("请填写审批决定日期。", "decided_on")
    if data.decided_on > today:
        raise ValidationError(f"审批决定日期不能晚于今天（{today:%Y-%m-%d}）：请填写实际作出审批决定的日期。",
                              "decided_on")
    if data.decided_on.year < 2000:
        raise ValidationError("审批决定日期不对：年份早于2000年，请核对年份。", "decided_on")
    issued = data.licence_issued_on
    if issued is not None and issued < data.decided_on:
        raise ValidationError(f"证照颁发日期不能早于审批决定日期（{data.decided_on:%Y-%m-%d}），请核对两个日期。",
                              "licence_issued_on")
    if issued is not None and issued > today:
        raise ValidationError(f"证照颁发日期不能晚于今天（{today:%Y-%m-%d}），请核对日期。", "licence_issued_on")
    id_type, applicant_id = classify_applicant_id(data.applicant_id)
    return {
        "item": item,
        "applicant_name": textinput.clean_name(data.applicant_name, "applicant_name", "申请人名称", 128),
        "applicant_id_type": id_type,
        "applicant_id": applicant_id,
        "contact_name": textinput.clean_name(data.contact_name, "contact_name", "联系人", 64),
        "contact_phone": normalize_phone(data.contact_phone),
        "materials": _text(data.materials, "materials", "申请材料", 4000, required=False),
        "result": _text(data.result, "result", "审批结果", 256),
        "licence_number": _text(data.licence_number, "licence_number", "证照编号", 64, required=False),
        "decided_on": data.decided_on,
        "licence_issued_on": issued,
    }


def record(
    session: Session,
    data: ResultInput,
    *,
    office: Office,
    operator: str,
    calendar: WorkCalendar | None = None,
) -> ApprovalResult:
    """Record an approval result and start its Art. 17 push clock."""
    if office.role != "approval":
        raise WorkflowError("只有行政审批部门可以登记审批结果。")
    values = validate(session, data)
    item = values.pop("item")
    now = clock.now()
    result = ApprovalResult(
        id=uuid.uuid4(),
        item_id=item.id,
        approval_office_id=office.id,
        recorded_at=now,
        recorded_by=operator or "",
        responsible_office_id=office.id,
        responsible_since=now,
        **values,
    )
    session.add(result)
    session.flush()
    d = engine.create(
        session,
        KIND,
        sender=office,
        addressee=item.competent_office,
        subject_id=result.id,
        clock_start=clock_start_of(result),
        operator=operator,
        calendar=calendar,
    )
    session.flush()
    result.current_dispatch_id = d.id
    return result


def clock_start_of(result: ApprovalResult) -> date:
    """Art. 17: the push limit runs from completing the approval, i.e. issuing the licence."""
    return result.licence_issued_on or result.decided_on


def get(session: Session, result_id: uuid.UUID | str) -> ApprovalResult:
    try:
        rid = result_id if isinstance(result_id, uuid.UUID) else uuid.UUID(str(result_id).strip())
    except ValueError:
        raise NotFoundError(f"“{result_id}”不是有效的记录编号。") from None
    result = session.get(ApprovalResult, rid)
    if result is None:
        raise NotFoundError(f"没有编号为 {rid} 的审批结果。")
    return result


def current_push(session: Session, result: ApprovalResult) -> Dispatch:
    return session.get(Dispatch, result.current_dispatch_id)


def locked_push(session: Session, result: ApprovalResult) -> Dispatch:
    """The result's current push, locked: a re-push after a return (by another desk, too) is
    decided under the lock of the push it replaces, so a result is re-pushed once."""
    while True:
        d = locking.lock(session, current_push(session, result))
        session.refresh(result, ["current_dispatch_id"])
        if result.current_dispatch_id == d.id:
            return d


def push(
    session: Session,
    result: ApprovalResult,
    *,
    office: Office,
    operator: str,
    channel: str = rules.EXCHANGE,
    agreed_due: date | None = None,
    addressee: Office | None = None,
    calendar: WorkCalendar | None = None,
) -> Dispatch:
    """Push the result to its competent department; after a return, to a corrected one."""
    d = locked_push(session, result)
    if d.status == rules.RETURNED:
        if addressee is None:
            raise ValidationError("该结果已被退回，请选择正确的接收部门后重新推送。", "addressee")
        d = engine.create(
            session,
            KIND,
            sender=office,
            addressee=addressee,
            subject_id=result.id,
            clock_start=clock.today(),
            operator=operator,
            calendar=calendar,
            previous=d,
            note="退回后重新推送",
        )
        session.flush()
        result.current_dispatch_id = d.id
    elif addressee is not None and addressee.id != d.addressee_office_id and d.status == rules.PENDING:
        engine.check_parties(rules.APPROVAL_PUSH, office, addressee)
        d.addressee_office_id = addressee.id
        d.addressee = addressee
    engine.perform(
        session, d, "send", office=office, operator=operator, channel=channel,
        agreed_due=agreed_due, calendar=calendar,
    )
    return d


def act(
    session: Session,
    result: ApprovalResult,
    action: str,
    *,
    office: Office,
    operator: str,
    reason: str = "",
) -> Dispatch:
    """Sign off, return (with reason) or start supervision on the result's current push."""
    d = locked_push(session, result)
    return engine.perform(session, d, action, office=office, operator=operator, reason=reason)


def pushes_of(session: Session, result: ApprovalResult) -> list[Dispatch]:
    """Every push of this result in order: each re-push after a return follows the one it replaces."""
    stmt = select(Dispatch).where(Dispatch.subject_id == result.id, Dispatch.kind == KIND)
    pushes = list(session.scalars(stmt))
    after = {d.previous_id: d for d in pushes}
    chain, current = [], after.get(None)
    while current is not None:
        chain.append(current)
        current = after.get(current.id)
    return chain
