"""移交清单: many pushes to one addressee handed over as one list, with a cover page that is
also the receipt (one code signs off every push on it); optionally every transmittal form.

Making a list writes a :class:`PaperBatch` (which pushes, in which order), so the code on
the returned cover finds exactly those pushes again. The caller commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, Office, PaperBatch, PaperBatchItem
from app.services import rules
from app.services.errors import ValidationError, WorkflowError
from app.services.forms import qr, receipt, transmittal
from app.services.forms.fonts import FontSet
from app.services.forms.layout import (
    BLOCK_W,
    SAN_HAO,
    SI_HAO,
    XIAO_SI,
    Cell,
    Row,
    Sheet,
    cn_date,
    mm,
)
from app.services.forms.render import Progress, Rendered, finish, open_sheet
from app.services.receipts import batch_digest

MAX_ITEMS = 5000


@dataclass(frozen=True)
class BatchData:
    batch_id: uuid.UUID
    serial: str
    sender_name: str
    addressee_code: str
    addressee_name: str
    created_on: date
    created_by: str
    liaison: str
    forms: tuple[transmittal.TransmittalData, ...]

    @property
    def code(self) -> str:
        digest = batch_digest(self.batch_id, self.addressee_code, self.forms)
        return qr.make_code(qr.BATCH, self.batch_id, digest)


def candidates(session: Session, sender: Office, addressee: Office, *, since: date | None = None,
               until: date | None = None) -> list[uuid.UUID]:
    """Pushes from ``sender`` to ``addressee`` that still await sign-off, oldest first."""
    stmt = select(Dispatch.id).where(
        Dispatch.sender_office_id == sender.id, Dispatch.addressee_office_id == addressee.id,
        Dispatch.kind == rules.APPROVAL_PUSH.kind, Dispatch.status == rules.SENT,
    )
    if since:
        stmt = stmt.where(Dispatch.sent_at >= datetime.combine(since, datetime.min.time()))
    if until:
        stmt = stmt.where(Dispatch.sent_at < datetime.combine(until + timedelta(days=1), datetime.min.time()))
    return list(session.scalars(stmt.order_by(Dispatch.sent_at, Dispatch.id)))


def create(session: Session, sender: Office, addressee: Office, dispatch_ids: list[uuid.UUID],
           *, operator: str) -> PaperBatch:
    """Record a list of these pushes (all from ``sender`` to ``addressee``)."""
    if not dispatch_ids:
        raise ValidationError(f"没有发往{addressee.name}、等待签收的推送，无需打印移交清单。", "addressee")
    if len(dispatch_ids) > MAX_ITEMS:
        raise ValidationError(f"一份移交清单最多{MAX_ITEMS}条，现在{len(dispatch_ids)}条，请按日期分批。", "since")
    wrong = session.scalar(
        select(func.count()).select_from(Dispatch).where(
            Dispatch.id.in_(dispatch_ids[:MAX_ITEMS]),
            (Dispatch.sender_office_id != sender.id) | (Dispatch.addressee_office_id != addressee.id),
        )
    )
    if wrong:
        raise WorkflowError(f"移交清单只能包含{sender.name}发往{addressee.name}的推送。")
    now = clock.now()
    year_start = datetime(now.year, 1, 1)
    n = session.scalar(
        select(func.count()).select_from(PaperBatch).where(
            PaperBatch.sender_office_id == sender.id, PaperBatch.created_at >= year_start)
    ) + 1
    batch = PaperBatch(id=uuid.uuid4(), sender_office_id=sender.id, addressee_office_id=addressee.id,
                       serial=f"{sender.code}移〔{now.year}〕{n}号", created_at=now,
                       created_by=operator or "")
    batch.items = [PaperBatchItem(id=uuid.uuid4(), dispatch_id=did, position=i + 1)
                   for i, did in enumerate(dispatch_ids)]
    session.add(batch)
    session.flush()
    return batch


def load(session: Session, batch: PaperBatch) -> BatchData:
    ids = [i.dispatch_id for i in batch.items]
    forms = tuple(transmittal.load(session, ids))
    sender = session.get(Office, batch.sender_office_id)
    addressee = session.get(Office, batch.addressee_office_id)
    liaison = forms[0].liaison if forms else ""
    return BatchData(batch.id, batch.serial, sender.name, addressee.code, addressee.name,
                     batch.created_at.date(), batch.created_by, liaison, forms)


def _span(forms) -> str:
    days = sorted(t.pushed_at.date() for t in forms)
    if days[0] == days[-1]:
        return cn_date(days[0])
    return f"{cn_date(days[0])}至{cn_date(days[-1])}"


def draw_cover(sheet: Sheet, b: BatchData) -> None:
    sheet.new_section()
    transmittal.draw_header(sheet, "审批结果信息移交清单", b.serial, b.code)
    sheet.text(f"{b.addressee_name}：", size=SAN_HAO)
    channels = "、".join(sorted({t.channel_label for t in b.forms}))
    sheet.text(
        f"根据《营口市相对集中行政许可权实施办法（试行）》第十七条，现将{_span(b.forms)}推送你单位的"
        f"审批结果信息共{len(b.forms)}条（推送方式：{channels}）列表移交，请逐条核对后在本页签收，"
        "并依法启动事中事后监管。",
        size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6,
    )
    sheet.space(2 * mm)
    lw = transmittal.LABEL_W
    half = (BLOCK_W - 2 * lw) / 2
    sheet.grid([
        Row([Cell("移交单位", lw, label=True), Cell(b.sender_name, half),
             Cell("接收单位", lw, label=True), Cell(b.addressee_name, half)]),
        Row([Cell("移交条数", lw, label=True), Cell(f"{len(b.forms)}条", half),
             Cell("移交日期", lw, label=True), Cell(cn_date(b.created_on), half)]),
        Row([Cell("经办人", lw, label=True), Cell(b.created_by or "—", half),
             Cell("联络员", lw, label=True), Cell(b.liaison or "—", half)]),
        Row([Cell("签收意见", lw, label=True),
             Cell(f"上列{len(b.forms)}条审批结果信息已全部收到，经核对无误，予以签收。", BLOCK_W - lw)]),
        *receipt.signature_rows(),
    ], size=SI_HAO)
    transmittal.code_line(sheet, b.code, receipt.SIGN_HINT)


LIST_COLUMNS = (("序号", 10), ("推送单号", 30), ("事项名称", 34), ("申请人", 36), ("证照编号", 22),
                ("推送日期", 24))


def draw_list(sheet: Sheet, b: BatchData) -> None:
    sheet.new_section()
    sheet.heading("移交清单明细")
    sheet.text(b.serial, size=SAN_HAO, align="center")
    sheet.space(3 * mm)
    widths = [w * mm for _, w in LIST_COLUMNS]
    header = Row([Cell(name, w, label=True) for (name, _), w in zip(LIST_COLUMNS, widths, strict=True)])
    rows = [
        Row([Cell(str(i), widths[0], align="center"), Cell(t.serial, widths[1]),
             Cell(t.item_name, widths[2]), Cell(t.applicant_name, widths[3]),
             Cell(t.licence_number or "—", widths[4]),
             Cell(f"{t.pushed_at:%Y-%m-%d}", widths[5], align="center")])
        for i, t in enumerate(b.forms, 1)
    ]
    sheet.grid(rows, size=XIAO_SI, header=header, pad=2.5)


def render(b: BatchData, target=None, *, fonts: FontSet | None = None, with_forms: bool = False,
           progress: Progress | None = None) -> Rendered:
    """Cover (with the list's receipt), the list, and optionally every transmittal form."""
    sheet, buffer = open_sheet(target, fonts, f"审批结果信息移交清单 {b.serial}", b.sender_name)
    total = 2 + (len(b.forms) if with_forms else 0)
    draw_cover(sheet, b)
    draw_list(sheet, b)
    if progress is not None:
        progress(2, total)
    if with_forms:
        for i, t in enumerate(b.forms):
            transmittal.draw(sheet, t)
            if progress is not None:
                progress(3 + i, total)
    return finish(sheet, buffer, len(b.forms), target)

