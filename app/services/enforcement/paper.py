"""Signed paper slips of Art. 19 pushes (行政处罚信息 / 许可变更信息签收回执): the scanned code
``SG1:<dispatch id>:<hash>`` finds the push, the hash must match the record as printed, and the
addressee's sign-off is recorded through the engine, dated as on the slip (as
``app.services.receipts`` does for approval-result pushes), with a :class:`PaperReceipt` row."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, LicenceChange, Office, PaperReceipt, PenaltyDecision
from app.services import dispatch as engine
from app.services import rules
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.forms import enforcement_forms as forms
from app.services.forms import qr
from app.services.forms.layout import cn_date
from app.services.receipts import MISMATCH

KINDS = ("penalty_notice", "licence_change_push")


def lookup(session: Session, code_text: str) -> tuple[Dispatch, forms.Form]:
    code = qr.parse_code(code_text)
    d = session.get(Dispatch, code.record_id) if code.kind == qr.TRANSMITTAL else None
    if d is None or d.kind not in KINDS:
        raise NotFoundError(f"本数据库中没有这张回执对应的处罚信息或许可变更推送（编号 {code.record_id}）。")
    if d.kind == "penalty_notice":
        form = forms.penalty_form(session, session.get(PenaltyDecision, d.subject_id))
    else:
        lc = session.get(LicenceChange, d.subject_id)
        [form] = forms.licence_forms(session, lc, session.get(Office, d.addressee_office_id))
    if form.digest != code.digest:
        raise ValidationError(MISMATCH.format(paper="推送单/回执"), "code")
    return d, form


def record_slip(session: Session, code_text: str, *, signer: str, signed_on: date | None, office: Office,
                operator: str) -> Dispatch:
    d, form = lookup(session, code_text)
    signer = " ".join((signer or "").split())
    if not signer or len(signer) > 64:
        raise ValidationError("请填写回执上的签收人姓名（最多64个字）。", "signer")
    if signed_on is None or signed_on > clock.today():
        raise ValidationError("请填写回执上的签收日期（不能晚于今天）。", "signed_on")
    if office.id not in (d.sender_office_id, d.addressee_office_id):
        raise WorkflowError(f"只有{form.sender}或{form.addressee}可以登记这张回执。")
    if d.status != rules.SENT:
        label = rules.rule(d.kind).status_label(d.status)
        raise WorkflowError(f"这条推送已是“{label}”，无需再登记签收。未做任何更改。")
    if signed_on < d.sent_at.date():
        raise ValidationError(f"签收日期 {cn_date(signed_on)} 早于推送日期，请核对回执上的日期。", "signed_on")
    now = clock.now()
    when = now if signed_on == now.date() else max(datetime.combine(signed_on, time()), d.sent_at)
    note = f"纸质签收回执（{form.serial}），签收人：{signer}；由{office.name}{operator or ''}扫码登记"
    engine.perform(session, d, "sign_off", office=session.get(Office, d.addressee_office_id), operator=signer,
                   reason=note, when=when)
    session.add(PaperReceipt(id=uuid.uuid4(), dispatch_id=d.id, event_id=d.events[-1].id, code=qr.parse_code(
        code_text).text, signer=signer, signed_on=signed_on, office_id=office.id, recorded_at=now,
        recorded_by=operator or ""))
    session.flush()
    return d
