"""Printed forms of Art. 19 and Art. 20 (forms layout, A4, QR code ``SG1:<dispatch id>:<hash>``):
行政处罚信息推送单 and 许可变更信息推送单, each followed by its 签收回执 (scanned back with
``app.services.enforcement.paper``); 违法线索移送函 with the evidence list; 受理决定回复函.

The printed values are read once into a plain :class:`Form`; drawing needs no session. The hash
covers what the form states about the record, so a slip printed before a change no longer matches.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.models import Dispatch, Office
from app.models.enforcement import (
    MEASURES,
    REFERRAL_DECISIONS,
    LicenceChange,
    PenaltyDecision,
    Referral,
)
from app.services import rules
from app.services.errors import NotFoundError, ValidationError
from app.services.forms import qr
from app.services.forms.layout import BLOCK_W, SAN_HAO, SI_HAO, X0, Cell, Row, Sheet, cn_date, mm
from app.services.forms.receipt import signature_rows
from app.services.forms.render import Rendered, finish, open_sheet
from app.services.forms.transmittal import LABEL_W, code_line, draw_header

PENALTY, LICENCE, REFERRAL, ACCEPTANCE = "penalty", "licence-change", "referral", "acceptance"
TITLES = {PENALTY: "行政处罚信息推送单", LICENCE: "许可变更信息推送单", REFERRAL: "违法线索移送函",
          ACCEPTANCE: "受理决定回复函"}
SLIP_TITLES = {PENALTY: "行政处罚信息签收回执", LICENCE: "许可变更信息签收回执"}


@dataclass(frozen=True)
class Form:
    kind: str
    dispatch_id: uuid.UUID
    serial: str
    sender: str
    addressee: str
    intro: str
    fields: tuple[tuple[str, str], ...]
    day: object  # the date printed under the seal
    evidence: tuple[str, ...] = field(default_factory=tuple)
    slip: bool = False

    @property
    def digest(self) -> str:
        return qr.content_hash((self.kind, self.dispatch_id, self.sender, self.addressee,
                                *(v for _, v in self.fields), *self.evidence))

    @property
    def code(self) -> str:
        return qr.make_code(qr.TRANSMITTAL, self.dispatch_id, self.digest)


def _offices(session: Session, d: Dispatch) -> tuple[str, str]:
    return session.get(Office, d.sender_office_id).name, session.get(Office, d.addressee_office_id).name


def _sent(d: Dispatch, what: str) -> None:
    if d.sent_at is None:
        raise ValidationError(f"这条{what}尚未推送，不能打印。请先推送（纸质方式须填写商定时限）。", "dispatch")


def _how(d: Dispatch) -> str:
    return rules.CHANNEL_LABELS.get(d.channel or rules.EXCHANGE, d.channel or "")


def _licence(rec) -> list[tuple[str, str]]:
    return [("许可事项", f"{rec.item_name}（{rec.item_code}）" if rec.item_code else rec.item_name),
            ("持证人", rec.holder_name), ("许可证号", rec.licence_number or "—")]


def penalty_form(session: Session, pd: PenaltyDecision) -> Form:
    from app.services.enforcement import penalties

    d = penalties.notice(session, pd)
    _sent(d, "行政处罚信息推送")
    sender, addressee = _offices(session, d)
    return Form(PENALTY, d.id, pd.decision_number, sender, addressee,
                f"根据《营口市相对集中行政许可权实施办法（试行）》第十九条，我单位作出的下列行政处罚决定涉及"
                f"依法需{MEASURES[pd.measure]}行政许可，现将处罚信息推送你单位，请依法处理并签收。",
                tuple(_licence(pd) + [
                    ("处罚决定书文号", pd.decision_number), ("处罚决定日期", cn_date(pd.decided_on)),
                    ("需处理许可", MEASURES[pd.measure]), ("违法事实", pd.facts), ("处罚依据", pd.legal_basis),
                    ("推送日期", cn_date(d.sent_at.date())), ("推送方式", _how(d)),
                    ("推送期限", cn_date(d.send_due, "—"))]),
                d.sent_at.date(), slip=True)


def licence_forms(session: Session, lc: LicenceChange, addressee: Office | None = None) -> list[Form]:
    from app.services.enforcement import licences

    out = []
    for d in licences.pushes(session, lc):
        if addressee is not None and d.addressee_office_id != addressee.id:
            continue
        _sent(d, "许可变更信息推送")
        sender, to = _offices(session, d)
        limit = cn_date(d.agreed_due if d.channel in rules.PAPER_CHANNELS else d.reply_due, "—")
        pd = session.get(PenaltyDecision, lc.penalty_decision_id) if lc.penalty_decision_id else None
        out.append(Form(
            LICENCE, d.id, lc.decision_number, sender, to,
            f"根据《营口市相对集中行政许可权实施办法（试行）》第十九条，我局已依法{MEASURES[lc.kind]}下列"
            "行政许可，现将相关信息推送你单位，请核对后在签收回执上签字盖章交回。",
            tuple(_licence(lc) + [
                ("许可决定", f"{MEASURES[lc.kind]}许可"), ("决定文号", lc.decision_number),
                ("决定日期", cn_date(lc.decided_on)), ("决定内容", lc.content),
                ("所涉处罚决定", pd.decision_number if pd else "—"),
                ("推送日期", cn_date(d.sent_at.date())), ("推送方式", _how(d)), ("签收期限", limit)]),
            d.sent_at.date(), slip=True))
    if not out:
        raise NotFoundError("这项许可决定没有可打印的推送（或没有发给该单位的推送）。")
    return out


def referral_form(session: Session, ref: Referral) -> Form:
    from app.services.enforcement import referrals

    d = referrals.referral_dispatch(session, ref)
    _sent(d, "违法线索移送")
    sender, addressee = _offices(session, d)
    return Form(REFERRAL, d.id, f"移送编号 {str(ref.id)[:8].upper()}", sender, addressee,
                "根据《营口市相对集中行政许可权实施办法（试行）》第二十条，我单位在实施许可监管过程中发现下列"
                "不属于本部门监管职责的违法行为，现将线索及调查取证材料移送你单位，请在收到后5个工作日内"
                "调查核实，依法作出是否受理的决定，并将受理结果反馈我单位。",
                (("当事人", ref.party_name), ("许可证号", ref.licence_number or "—"),
                 ("违法线索", ref.case_summary), ("发现日期", cn_date(ref.found_on)),
                 ("移送日期", cn_date(ref.referred_on))),
                ref.referred_on, evidence=tuple(ref.evidence.splitlines()))


def acceptance_form(session: Session, ref: Referral) -> Form:
    from app.services.enforcement import referrals

    if ref.decision is None:
        raise ValidationError("这条移送尚未作出受理决定，不能打印回复函。", "decision")
    d = referrals.referral_dispatch(session, ref)
    referrer, receiver = _offices(session, d)
    label = REFERRAL_DECISIONS[ref.decision]
    return Form(ACCEPTANCE, d.id, f"移送编号 {str(ref.id)[:8].upper()}", receiver, referrer,
                f"你单位于{cn_date(ref.referred_on)}移送的违法线索（当事人：{ref.party_name}）收悉。"
                f"经调查核实，根据《营口市相对集中行政许可权实施办法（试行）》第二十条，决定{label}，现予回复。",
                (("当事人", ref.party_name), ("违法线索", ref.case_summary), ("受理决定", label),
                 ("理由", ref.decision_reason or "—"), ("决定日期", cn_date(ref.decided_on)),
                 ("立案日期", cn_date(ref.case_filed_on, "—"))),
                ref.decided_on)


def _rows(pairs) -> list[Row]:
    return [Row([Cell(k, LABEL_W, label=True), Cell(v or "—", BLOCK_W - LABEL_W)]) for k, v in pairs]


def draw(sheet: Sheet, f: Form) -> None:
    sheet.new_section()
    draw_header(sheet, TITLES[f.kind], f.serial, f.code)
    sheet.text(f"{f.addressee}：", size=SAN_HAO)
    sheet.text(f.intro, size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6)
    sheet.space(2 * mm)
    sheet.grid(_rows(f.fields), size=SI_HAO)
    if f.evidence:
        sheet.space(3 * mm)
        sheet.text("移送材料清单", size=SAN_HAO, align="center")
        sheet.space(1 * mm)
        sheet.grid([Row([Cell("序号", 16 * mm, label=True), Cell("材料名称", BLOCK_W - 16 * mm, label=True)])]
                   + [Row([Cell(str(i), 16 * mm, align="center"), Cell(e, BLOCK_W - 16 * mm)])
                      for i, e in enumerate(f.evidence, 1)], size=SI_HAO)
    sheet.space(6 * mm)
    sheet.need(27 * mm)
    top = sheet.y
    sheet.text_at(f"{f.sender}（盖章）", X0, top, SAN_HAO, align="right", width=BLOCK_W)
    sheet.text_at(cn_date(f.day), X0, top - 10 * mm, SAN_HAO, align="right", width=BLOCK_W)
    sheet.y = top - 13 * mm
    code_line(sheet, f.code, "本函（单）一式两份，发送单位、接收单位各留存一份。")
    if f.slip:
        draw_slip(sheet, f)


def draw_slip(sheet: Sheet, f: Form) -> None:
    sheet.new_section()
    draw_header(sheet, SLIP_TITLES[f.kind], f.serial, f.code)
    sheet.text(f"{f.sender}：", size=SAN_HAO)
    sheet.text(f"你单位推送的{TITLES[f.kind].removesuffix('单')}（{f.serial}）已收到，经核对无误，予以签收。",
               size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6)
    sheet.space(2 * mm)
    sheet.grid(_rows(f.fields[:4] + (("接收单位", f.addressee),)) + signature_rows(), size=SI_HAO)
    code_line(sheet, f.code, "请签字、盖章后将本回执交回推送单位（可传真）；推送单位扫描右上角二维码即可登记签收。")


def render(forms: list[Form], target=None, *, fonts=None) -> Rendered:
    """The forms (with their receipt slips) into one PDF; ``target`` None: bytes in ``data``."""
    pdf, buffer = open_sheet(target, fonts, TITLES[forms[0].kind], forms[0].sender)
    for f in forms:
        draw(pdf, f)
    return finish(pdf, buffer, len(forms), target)
