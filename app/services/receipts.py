"""登记回执: a signed receipt slip comes back; its scanned code finds the push(es), and the
sign-off is recorded through the dispatch engine — the one workflow, nothing parallel.

Every paper slip of every flow is scanned here: :data:`SLIPS` names, per dispatch kind, how to
rebuild what the printed form stated (its digest) and how to describe the item — the
审批结果信息推送单 (Art. 17), the 行政处罚信息 and 许可变更信息推送单 (Art. 19); a 移交清单 (batch
of approval pushes) has a code of its own.

The slip is signed by the addressee; whoever holds the paper (usually the sending approval
bureau, sometimes the addressee itself) scans it. The sign-off event is the addressee's,
dated the day written on the slip, with the signer's name; a :class:`PaperReceipt` row keeps
the code, the signer, that date, an optional scanned image and who entered it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, Office, PaperBatch, PaperBatchItem, PaperReceipt
from app.services import dispatch as engine
from app.services import rules
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.forms import qr
from app.services.forms import transmittal as transmittal_form
from app.services.forms.layout import cn_date

MISMATCH = (
    "二维码与记录不符：这张{paper}打印之后，记录内容已被修改（如申请人、审批结果或推送信息）"
    "或已重新推送。请核对纸面与系统中的记录，必要时重新打印后再办理签收。未做任何更改。"
)


@dataclass(frozen=True)
class ReceiptItem:
    dispatch_id: uuid.UUID
    result_id: uuid.UUID | None  # the approval result (licence) concerned, when known here
    serial: str
    item_name: str
    applicant_name: str
    licence_number: str
    pushed_on: date
    channel_label: str
    status: str
    status_label: str

    @property
    def signable(self) -> bool:
        return self.status == rules.SENT


@dataclass(frozen=True)
class ReceiptTarget:
    """What a scanned code stands for, as plain values for the 登记回执 box and the CLI."""

    code: str
    kind: str  # qr.TRANSMITTAL or qr.BATCH
    title: str  # 推送单 YK-SPJ推〔2026〕12号 / 移交清单 …
    sender_id: uuid.UUID
    sender_name: str
    addressee_id: uuid.UUID
    addressee_name: str
    batch_id: uuid.UUID | None
    items: tuple[ReceiptItem, ...]
    dispatch_kind: str = rules.APPROVAL_PUSH.kind  # the flow of the slip's push(es)

    @property
    def signable(self) -> tuple[ReceiptItem, ...]:
        return tuple(i for i in self.items if i.signable)


def _items(data: list[transmittal_form.TransmittalData]) -> tuple[ReceiptItem, ...]:
    return tuple(
        ReceiptItem(t.dispatch_id, t.result_id, t.serial, t.item_name, t.applicant_name,
                    t.licence_number, t.pushed_at.date(), t.channel_label, t.status,
                    rules.APPROVAL_PUSH.status_label(t.status))
        for t in data
    )


def batch_digest(batch_id: uuid.UUID, addressee_code: str, forms) -> str:
    return qr.content_hash((batch_id, addressee_code, *(t.digest for t in forms)))


@dataclass(frozen=True)
class Printed:
    """What a printed form states about its push, rebuilt from the record as it is now."""

    digest: str
    title: str
    sender_name: str
    addressee_name: str
    items: tuple[ReceiptItem, ...]


@dataclass(frozen=True)
class SlipKind:
    paper: str  # how the refusal of a stale code names the paper
    rebuild: Callable[[Session, Dispatch], Printed]


def _approval_push(session: Session, d: Dispatch) -> Printed:
    [t] = transmittal_form.load(session, [d.id])
    return Printed(t.digest, f"推送单 {t.serial}", t.sender_name, t.addressee_name, _items([t]))


def _art19_push(session: Session, d: Dispatch) -> Printed:
    """行政处罚信息推送单 / 许可变更信息推送单 with their 签收回执 (one push a slip)."""
    from app.models.enforcement import LicenceChange, PenaltyDecision
    from app.services.forms import enforcement_forms as ef

    if d.kind == "penalty_notice":
        rec = session.get(PenaltyDecision, d.subject_id)
        forms = [ef.penalty_form(session, rec)] if rec is not None else []
    else:
        rec = session.get(LicenceChange, d.subject_id)
        forms = ef.licence_forms(session, rec, session.get(Office, d.addressee_office_id)) if rec else []
    form = next((f for f in forms if f.dispatch_id == d.id), None)
    if form is None:
        raise NotFoundError(f"本数据库中没有这张回执对应的{rules.rule(d.kind).name}记录（编号 {d.id}）。")
    channel = rules.CHANNEL_LABELS.get(d.channel or rules.EXCHANGE, d.channel or "")
    item = ReceiptItem(d.id, rec.approval_result_id, form.serial, rec.item_name or rec.item_code,
                       rec.holder_name, rec.licence_number, d.sent_at.date(), channel, d.status,
                       rules.rule(d.kind).status_label(d.status))
    return Printed(form.digest, f"{ef.TITLES[form.kind]} {form.serial}", form.sender, form.addressee, (item,))


# dispatch kind -> how its printed slip is checked and described (qr.TRANSMITTAL codes).
SLIPS: dict[str, SlipKind] = {
    rules.APPROVAL_PUSH.kind: SlipKind("推送单/回执", _approval_push),
    "penalty_notice": SlipKind("行政处罚信息推送单/回执", _art19_push),
    "licence_change_push": SlipKind("许可变更信息推送单/回执", _art19_push),
}


def lookup(session: Session, code_text: str) -> ReceiptTarget:
    """Find what a scanned code belongs to; refuses unknown records and stale codes."""
    code = qr.parse_code(code_text)
    if code.kind == qr.KEYFORM:
        raise WorkflowError("这是密钥登记表上的二维码，不是签收回执。请扫描签收回执或移交清单上的二维码。")
    if code.kind == qr.BATCH:
        return _lookup_batch(session, code)
    d = session.get(Dispatch, code.record_id)
    slip = SLIPS.get(d.kind) if d is not None else None
    if slip is None:
        raise NotFoundError(
            f"本数据库中没有这张回执对应的推送记录（编号 {code.record_id}）。"
            "它可能属于其他单位的数据库，或该记录尚未导入。"
        )
    printed = slip.rebuild(session, d)
    if printed.digest != code.digest:
        raise ValidationError(MISMATCH.format(paper=slip.paper), "code")
    return ReceiptTarget(code.text, qr.TRANSMITTAL, printed.title, d.sender_office_id, printed.sender_name,
                         d.addressee_office_id, printed.addressee_name, None, printed.items, d.kind)


def _lookup_batch(session: Session, code: qr.Code) -> ReceiptTarget:
    batch = session.get(PaperBatch, code.record_id)
    if batch is None:
        raise NotFoundError(
            f"本数据库中没有这份移交清单（编号 {code.record_id}）。它可能属于其他单位的数据库。"
        )
    ids = list(session.scalars(
        select(PaperBatchItem.dispatch_id).where(PaperBatchItem.batch_id == batch.id)
        .order_by(PaperBatchItem.position)
    ))
    forms = transmittal_form.load(session, ids)
    addressee = session.get(Office, batch.addressee_office_id)
    sender = session.get(Office, batch.sender_office_id)
    if batch_digest(batch.id, addressee.code, forms) != code.digest:
        raise ValidationError(MISMATCH.format(paper="移交清单"), "code")
    return ReceiptTarget(code.text, qr.BATCH, f"移交清单 {batch.serial}", sender.id, sender.name,
                         addressee.id, addressee.name, batch.id, _items(forms))


@dataclass(frozen=True)
class Recorded:
    target: ReceiptTarget
    signed: tuple[ReceiptItem, ...]  # signed off now
    skipped: tuple[ReceiptItem, ...]  # already signed off, returned, …: left as they were


def record_receipt(
    session: Session,
    code_text: str,
    *,
    signer: str,
    signed_on: date | None,
    office: Office,
    operator: str,
    scan_path: str | None = None,
) -> Recorded:
    """Record the paper sign-off of every push on the slip that still awaits one."""
    target = lookup(session, code_text)
    signer = " ".join((signer or "").split())
    if not signer:
        raise ValidationError("请填写回执上的签收人姓名。", "signer")
    if len(signer) > 64:
        raise ValidationError("签收人姓名过长（最多64个字）。", "signer")
    if signed_on is None:
        raise ValidationError("请填写回执上的签收日期。", "signed_on")
    if signed_on > clock.today():
        raise ValidationError("签收日期不能晚于今天。", "signed_on")
    if office.id not in (target.sender_id, target.addressee_id):
        raise WorkflowError(
            f"只有{target.sender_name}或{target.addressee_name}可以登记这张回执，"
            f"当前单位是{office.name}。"
        )
    scan = _check_scan(scan_path)
    todo = target.signable
    if not todo:
        states = "、".join(sorted({i.status_label for i in target.items}))
        raise WorkflowError(f"{target.title}上的推送已是“{states}”，无需再登记签收。未做任何更改。")
    early = [i for i in todo if signed_on < i.pushed_on]
    if early:
        raise ValidationError(
            f"签收日期 {cn_date(signed_on)} 早于推送日期 {cn_date(early[0].pushed_on)}，请核对回执上的日期。",
            "signed_on",
        )
    addressee = session.get(Office, target.addressee_id)
    now = clock.now()
    note = (f"纸质签收回执（{target.title}），签收人：{signer}，回执日期：{cn_date(signed_on)}；"
            f"由{office.name}{operator or ''}扫码登记")
    for item in todo:
        d = session.get(Dispatch, item.dispatch_id)
        when = now if signed_on == now.date() else max(datetime.combine(signed_on, time()), d.sent_at)
        engine.perform(session, d, "sign_off", office=addressee, operator=signer, reason=note, when=when)
        session.add(PaperReceipt(
            id=uuid.uuid4(), dispatch_id=d.id, batch_id=target.batch_id, event_id=d.events[-1].id,
            code=target.code, signer=signer, signed_on=signed_on, scan_path=scan,
            office_id=office.id, recorded_at=now, recorded_by=operator or "",
        ))
    session.flush()
    skipped = tuple(i for i in target.items if not i.signable)
    return Recorded(target, todo, skipped)


def _check_scan(path: str | None) -> str | None:
    if not path or not path.strip():
        return None
    p = Path(path.strip()).expanduser()
    if not p.is_file():
        raise ValidationError(f"找不到回执扫描件：{p}", "scan_path")
    if len(str(p.resolve())) > 1024:
        raise ValidationError("回执扫描件的路径过长（最多1024个字符）。", "scan_path")
    return str(p.resolve())


def receipts_of(session: Session, dispatch_id: uuid.UUID) -> list[PaperReceipt]:
    return list(session.scalars(
        select(PaperReceipt).where(PaperReceipt.dispatch_id == dispatch_id).order_by(PaperReceipt.recorded_at)
    ))
