"""审批结果信息推送单 (Art. 17 ¶2 transmittal form): its printed fields, code and drawing.

The fields are read from the database once, as plain :class:`TransmittalData`, so a batch of a
thousand forms is a handful of queries; drawing needs no session.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    ApprovalResult,
    Dispatch,
    DispatchEvent,
    LiaisonOfficer,
    LicensingItem,
    Office,
)
from app.services import offices, rules
from app.services.errors import NotFoundError, ValidationError
from app.services.forms import qr
from app.services.forms.layout import (
    BLOCK_W,
    ER_HAO,
    SAN_HAO,
    SI_HAO,
    WU_HAO,
    X0,
    X1,
    Y_TOP,
    Cell,
    Row,
    Sheet,
    cn_date,
    mm,
)

ID_TYPE_LABELS = {"uscc": "统一社会信用代码", "resident_id": "居民身份证号码"}
QR_SIDE = 24 * mm
LABEL_W = 30 * mm


@dataclass(frozen=True)
class TransmittalData:
    dispatch_id: uuid.UUID
    result_id: uuid.UUID
    serial: str
    sender_code: str
    sender_name: str
    addressee_code: str
    addressee_name: str
    item_code: str
    item_name: str
    applicant_name: str
    applicant_id_type: str
    applicant_id: str
    contact_name: str
    contact_phone: str
    materials: str
    result: str
    licence_number: str
    decided_on: date
    licence_issued_on: date | None
    pushed_at: datetime
    channel: str
    agreed_due: date | None
    reply_due: date | None
    handler: str
    liaison: str
    status: str

    @property
    def channel_label(self) -> str:
        return rules.CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def digest(self) -> str:
        """The content hash over what the form states about the record (not the serial,
        handler or liaison, which are about the paper, not the record)."""
        return qr.content_hash((
            self.dispatch_id, self.result_id, self.sender_code, self.sender_name,
            self.addressee_code, self.addressee_name, self.item_code, self.item_name,
            self.applicant_name, self.applicant_id, self.contact_name, self.contact_phone,
            self.materials, self.result, self.licence_number, self.decided_on,
            self.licence_issued_on, self.pushed_at.date(), self.channel, self.agreed_due,
        ))

    @property
    def code(self) -> str:
        return qr.make_code(qr.TRANSMITTAL, self.dispatch_id, self.digest)

    @property
    def limit_text(self) -> str:
        if self.channel in rules.PAPER_CHANNELS:
            return cn_date(self.agreed_due, "—")
        due = cn_date(self.reply_due, "—")
        return f"—（通过审管平台推送，签收期限{due}）"


def _serials(session: Session, dispatches: list[Dispatch]) -> dict[uuid.UUID, str]:
    """文号 of each push: the sender's code, 推, the year and its number among the sender's
    pushes sent that year (in the order they were sent)."""
    out: dict[uuid.UUID, str] = {}
    groups: dict[tuple[uuid.UUID, int], list[Dispatch]] = {}
    for d in dispatches:
        groups.setdefault((d.sender_office_id, d.sent_at.year), []).append(d)
    codes = {oid: code for oid, code in session.execute(select(Office.id, Office.code))}
    for (sender, year), ds in groups.items():
        ranked = (
            select(Dispatch.id, func.row_number().over(order_by=(Dispatch.sent_at, Dispatch.id)).label("n"))
            .where(Dispatch.sender_office_id == sender, Dispatch.kind == rules.APPROVAL_PUSH.kind,
                   Dispatch.sent_at >= datetime(year, 1, 1), Dispatch.sent_at < datetime(year + 1, 1, 1))
            .subquery()
        )
        ids = [d.id for d in ds]
        for i in range(0, len(ids), 500):
            rows = session.execute(select(ranked.c.id, ranked.c.n).where(ranked.c.id.in_(ids[i:i + 500])))
            for did, n in rows:
                out[did] = f"{codes[sender]}推〔{year}〕{n}号"
    return out


def load(session: Session, dispatch_ids: list[uuid.UUID]) -> list[TransmittalData]:
    """The printed fields of these pushes, in the order given; unsent pushes are refused."""
    if not dispatch_ids:
        return []
    Sender, Addressee = aliased(Office), aliased(Office)
    rows: dict[uuid.UUID, tuple] = {}
    for i in range(0, len(dispatch_ids), 500):
        chunk = dispatch_ids[i:i + 500]
        stmt = (
            select(Dispatch, ApprovalResult, LicensingItem, Sender, Addressee)
            .join(ApprovalResult, ApprovalResult.id == Dispatch.subject_id)
            .join(LicensingItem, LicensingItem.id == ApprovalResult.item_id)
            .join(Sender, Sender.id == Dispatch.sender_office_id)
            .join(Addressee, Addressee.id == Dispatch.addressee_office_id)
            .where(Dispatch.id.in_(chunk))
        )
        for d, r, item, s, a in session.execute(stmt):
            rows[d.id] = (d, r, item, s, a)
    missing = [i for i in dispatch_ids if i not in rows]
    if missing:
        raise NotFoundError(f"没有编号为 {missing[0]} 的审批结果推送记录。")
    unsent = [rows[i][1] for i in dispatch_ids if rows[i][0].sent_at is None]
    if unsent:
        raise ValidationError(
            f"“{unsent[0].applicant_name}”的审批结果尚未推送，不能打印推送单。请先推送"
            "（纸质方式选择现场查阅、复印或传真并填写商定时限），再打印。", "result",
        )
    handlers: dict[uuid.UUID, str] = {}
    for i in range(0, len(dispatch_ids), 500):
        stmt = select(DispatchEvent.dispatch_id, DispatchEvent.operator).where(
            DispatchEvent.dispatch_id.in_(dispatch_ids[i:i + 500]), DispatchEvent.action == "send")
        handlers.update((did, name) for did, name in session.execute(stmt))
    liaisons = _liaisons(session, {rows[i][0].sender_office_id for i in dispatch_ids})
    serials = _serials(session, [rows[i][0] for i in dispatch_ids])
    out = []
    for did in dispatch_ids:
        d, r, item, s, a = rows[did]
        out.append(TransmittalData(
            dispatch_id=d.id, result_id=r.id, serial=serials[d.id],
            sender_code=s.code, sender_name=s.name, addressee_code=a.code, addressee_name=a.name,
            item_code=item.code, item_name=item.name, applicant_name=r.applicant_name,
            applicant_id_type=r.applicant_id_type, applicant_id=r.applicant_id,
            contact_name=r.contact_name, contact_phone=r.contact_phone, materials=r.materials,
            result=r.result, licence_number=r.licence_number, decided_on=r.decided_on,
            licence_issued_on=r.licence_issued_on, pushed_at=d.sent_at, channel=d.channel or "",
            agreed_due=d.agreed_due, reply_due=d.reply_due, handler=handlers.get(d.id, ""),
            liaison=liaisons.get(d.sender_office_id, ""), status=d.status,
        ))
    return out


def _liaisons(session: Session, office_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    found: dict[uuid.UUID, str] = {}
    stmt = (
        select(LiaisonOfficer)
        .where(LiaisonOfficer.office_id.in_(office_ids), LiaisonOfficer.active.is_(True))
        .order_by(LiaisonOfficer.office_id, *offices.LIAISON_ORDER)
    )
    for lo in session.scalars(stmt):  # the current one (offices.current_liaison) comes first
        found.setdefault(lo.office_id, f"{lo.name}  {lo.phone}".strip())
    return found


def for_result(session: Session, result: ApprovalResult) -> TransmittalData:
    """The form of the result's current push."""
    d = session.get(Dispatch, result.current_dispatch_id)
    if d is not None and d.status == rules.RETURNED:
        raise ValidationError("这条审批结果的推送已被退回，请重新推送后再打印推送单。", "result")
    return load(session, [result.current_dispatch_id])[0]


def _clip(value: str, limit: int = 2000) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def draw_header(sheet: Sheet, title: str, serial: str, code: str) -> None:
    """Title, 文号 and the QR code (top right of the text block) of a one-record form."""
    sheet.qr(code, X1 - QR_SIDE, Y_TOP, QR_SIDE)
    width = BLOCK_W - 2 * QR_SIDE  # centred between the margins, clear of the QR code
    sheet.text(title, size=ER_HAO, align="center", leading=ER_HAO * 1.45, title=True,
               x=X0 + QR_SIDE, width=width)
    sheet.space(2 * mm)
    sheet.text(serial, size=SAN_HAO, align="center", x=X0 + QR_SIDE, width=width)
    sheet.y = min(sheet.y, Y_TOP - QR_SIDE) - 3 * mm


SIGN_BLOCK = 27 * mm  # signature lines, date and the two code lines below them


def code_line(sheet: Sheet, code: str, hint: str) -> None:
    sheet.space(2 * mm)
    sheet.text(f"回执码：{code}", size=WU_HAO, leading=WU_HAO * 1.5)
    sheet.text(hint, size=WU_HAO, leading=WU_HAO * 1.5)


def field_rows(t: TransmittalData, *, full: bool = True) -> list[Row]:
    half = (BLOCK_W - 2 * LABEL_W) / 2
    value_w = BLOCK_W - LABEL_W

    def one(label: str, value: str) -> Row:
        return Row([Cell(label, LABEL_W, label=True), Cell(value or "—", value_w)])

    def two(l1: str, v1: str, l2: str, v2: str) -> Row:
        return Row([Cell(l1, LABEL_W, label=True), Cell(v1 or "—", half),
                    Cell(l2, LABEL_W, label=True), Cell(v2 or "—", half)])

    id_type = ID_TYPE_LABELS.get(t.applicant_id_type, "")
    rows = [
        one("事项名称", f"{t.item_name}（{t.item_code}）"),
        one("申请人", t.applicant_name),
    ]
    if full:
        rows += [
            one("证件号码", f"{t.applicant_id}（{id_type}）" if id_type else t.applicant_id),
            two("联系人", t.contact_name, "联系电话", t.contact_phone),
            one("申请材料", _clip(t.materials)),
        ]
    rows += [
        one("审批结果", t.result),
        two("证照编号", t.licence_number, "审批日期", cn_date(t.decided_on)),
    ]
    if full:
        rows += [
            two("推送单位", t.sender_name, "接收单位", t.addressee_name),
        ]
    rows += [
        two("推送日期", cn_date(t.pushed_at.date()), "推送方式", t.channel_label),
        one("商定时限", t.limit_text),
    ]
    if full:
        rows.append(two("经办人", t.handler, "联络员", t.liaison))
    return rows


def draw(sheet: Sheet, t: TransmittalData) -> None:
    """The transmittal form: one page (more only for very long materials)."""
    sheet.new_section()
    draw_header(sheet, "审批结果信息推送单", t.serial, t.code)
    sheet.text(f"{t.addressee_name}：", size=SAN_HAO)
    how = "" if t.channel == rules.EXCHANGE else f"以{t.channel_label}方式"
    sheet.text(
        f"根据《营口市相对集中行政许可权实施办法（试行）》第十七条，现将下列审批结果信息{how}"
        "推送你单位，请核对后在签收回执上签字盖章交回，并依法启动事中事后监管。",
        size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6,
    )
    sheet.space(2 * mm)
    sheet.grid(field_rows(t), size=SI_HAO)
    sheet.space(5 * mm)
    # The seal is stamped over the office line and the date, as on any official document,
    # so the block stays compact and the form keeps to one page with the usual fields.
    sheet.need(SIGN_BLOCK)
    top = sheet.y
    sheet.text_at("推送单位（盖章）", X0, top, SAN_HAO)
    sheet.text_at(cn_date(t.pushed_at.date()), X0, top - 10 * mm, SAN_HAO, align="right",
                  width=BLOCK_W)
    sheet.text_at("经办人（签字）：", X0 + BLOCK_W / 2, top, SAN_HAO)
    sheet.y = top - 13 * mm
    code_line(sheet, t.code, "本单一式两份，推送单位、接收单位各留存一份；签收回执签字盖章后交回推送单位。")
