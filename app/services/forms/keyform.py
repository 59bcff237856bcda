"""密钥登记表: the paper that registers an office's exchange keys with the business-environment
bureau (Art. 15 exchange; the roster is published only after this form is checked).

Keys are made by the exchange (another module); this form takes their fingerprints as plain
values. With no key yet it still prints, saying so, so the form can be prepared in advance.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app import clock
from app.models import Office
from app.services import offices
from app.services.forms import qr
from app.services.forms.fonts import FontSet
from app.services.forms.layout import BLOCK_W, SAN_HAO, SI_HAO, Cell, Row, cn_date, mm
from app.services.forms.render import Rendered, finish, open_sheet
from app.services.forms.transmittal import LABEL_W, code_line, draw_header

NO_KEY = "尚未生成密钥"


@dataclass(frozen=True)
class Fingerprint:
    label: str  # e.g. "签名公钥（Ed25519）"
    value: str  # hex or base32 text as the exchange shows it


@dataclass(frozen=True)
class KeyFormData:
    office_id: uuid.UUID
    office_code: str
    office_name: str
    role_label: str
    jurisdiction: str
    liaison: str
    printed_on: date
    fingerprints: tuple[Fingerprint, ...]

    @property
    def code(self) -> str:
        digest = qr.content_hash((self.office_id, self.office_code, self.office_name,
                                  *(f"{f.label}={f.value}" for f in self.fingerprints)))
        return qr.make_code(qr.KEYFORM, self.office_id, digest)


def keyform_data(session: Session, office: Office,
                 fingerprints: list[Fingerprint] | None = None) -> KeyFormData:
    lo = offices.current_liaison(session, office.id)
    return KeyFormData(office.id, office.code, office.name, offices.ROLE_LABELS.get(office.role, office.role),
                       office.jurisdiction.name, f"{lo.name}  {lo.phone}".strip() if lo else "",
                       clock.today(), tuple(fingerprints or ()))


def own_fingerprints(session: Session, office: Office) -> list[Fingerprint]:
    """The office's exchange key fingerprint, if a key was generated (app.services.exchange)."""
    try:
        from app.services.exchange.keys import own_key
    except ImportError:  # an installation without the exchange
        return []
    key = own_key(session, office)
    return [Fingerprint("密钥指纹（SHA-256）", key.fingerprint)] if key is not None else []


def grouped(value: str, size: int = 4) -> str:
    """'ab12cd34…' → 'AB12 CD34 …' so it can be read aloud and compared by eye."""
    clean = "".join(value.split()).upper()
    return " ".join(clean[i:i + size] for i in range(0, len(clean), size))


def render(k: KeyFormData, target=None, *, fonts: FontSet | None = None) -> Rendered:
    sheet, buffer = open_sheet(target, fonts, "数据交换密钥登记表", k.office_name)
    sheet.new_section()
    draw_header(sheet, "数据交换密钥登记表", f"{k.office_code}  {cn_date(k.printed_on)}", k.code)
    sheet.text("营口市营商环境建设局：", size=SAN_HAO)
    sheet.text(
        "根据《营口市相对集中行政许可权实施办法（试行）》第十五条，本单位申请登记下列数据交换密钥。"
        "请核对密钥指纹后列入单位名录并签章。",
        size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6,
    )
    sheet.space(2 * mm)
    value_w = BLOCK_W - LABEL_W
    rows = [
        Row([Cell("单位名称", LABEL_W, label=True), Cell(k.office_name, value_w)]),
        Row([Cell("单位代码", LABEL_W, label=True), Cell(k.office_code, value_w)]),
        Row([Cell("单位类型", LABEL_W, label=True), Cell(f"{k.role_label}（{k.jurisdiction}）", value_w)]),
        Row([Cell("联络员", LABEL_W, label=True), Cell(k.liaison or "—", value_w)]),
    ]
    if k.fingerprints:
        rows += [Row([Cell(f.label, LABEL_W, label=True), Cell(grouped(f.value), value_w)])
                 for f in k.fingerprints]
    else:
        rows.append(Row([Cell("密钥指纹", LABEL_W, label=True),
                         Cell(f"{NO_KEY}（生成密钥后请重新打印本表）", value_w)], min_height=16 * mm))
    rows += [
        Row([Cell("申请单位\n（盖章）", LABEL_W, label=True),
             Cell("负责人（签字）：\n\n    年    月    日", value_w)], min_height=30 * mm),
        Row([Cell("登记意见\n（营商环境\n建设局）", LABEL_W, label=True),
             Cell("经核对，密钥指纹无误，予以登记。\n\n登记人（签字）：        年    月    日", value_w)],
            min_height=30 * mm),
    ]
    sheet.grid(rows, size=SI_HAO)
    code_line(sheet, k.code, "本表一式两份，申请单位与营商环境建设局各留存一份。")
    return finish(sheet, buffer, 1, target)
