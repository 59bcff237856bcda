"""签收回执 (receipt slip): the page that comes back signed and stamped, with the same code as
its transmittal form; scanning it records the sign-off (app.services.receipts)."""

from __future__ import annotations

from app.services import rules
from app.services.forms.layout import BLOCK_W, SAN_HAO, SI_HAO, Cell, Row, Sheet, cn_date, mm
from app.services.forms.transmittal import (
    LABEL_W,
    TransmittalData,
    code_line,
    draw_header,
    field_rows,
)

SIGN_HINT = "请签字、盖章后将本回执交回推送单位（可传真）；推送单位扫描右上角二维码即可登记签收。"


def signature_rows(signer_label: str = "签收人\n（签字）") -> list[Row]:
    value_w = BLOCK_W - LABEL_W
    return [
        Row([Cell(signer_label, LABEL_W, label=True), Cell("", value_w)], min_height=14 * mm),
        Row([Cell("签收日期", LABEL_W, label=True), Cell("    年    月    日", value_w)],
            min_height=12 * mm),
        Row([Cell("接收单位\n（盖章）", LABEL_W, label=True), Cell("", value_w)], min_height=34 * mm),
    ]


def draw(sheet: Sheet, t: TransmittalData) -> None:
    """The receipt slip of one push, on its own page."""
    sheet.new_section()
    draw_header(sheet, "审批结果信息签收回执", t.serial, t.code)
    sheet.text(f"{t.sender_name}：", size=SAN_HAO)
    how = "" if t.channel == rules.EXCHANGE else f"以{t.channel_label}方式"
    sheet.text(
        f"你单位于{cn_date(t.pushed_at.date())}{how}推送的下列审批结果信息已收到，经核对无误，予以签收。",
        size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6,
    )
    sheet.space(2 * mm)
    sheet.grid([*field_rows(t, full=False),
                Row([Cell("接收单位", LABEL_W, label=True), Cell(t.addressee_name, BLOCK_W - LABEL_W)]),
                *signature_rows()], size=SI_HAO)
    code_line(sheet, t.code, SIGN_HINT)


def draw_pair(sheet: Sheet, t: TransmittalData) -> None:
    """Form and slip: what is handed over for one push."""
    from app.services.forms import transmittal

    transmittal.draw(sheet, t)
    draw(sheet, t)

