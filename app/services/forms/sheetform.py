"""实施清单 and 审批结果信息推送清单 of one item (Art. 8 ¶1), and the 关键要素调整征求意见函
(Art. 8 ¶2), printed with the forms layout (app.services.forms.layout).

The printed values are read once into plain dicts (``sheets.sheet_dict`` / ``consent.change_dict``),
so drawing needs no session.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import Office, SheetChange
from app.services.forms.layout import BLOCK_W, SAN_HAO, SI_HAO, X0, Cell, Row, Sheet, cn_date, mm
from app.services.forms.render import Rendered, finish, open_sheet
from app.services.sheets import consent, sheets

LABEL_W = 42 * mm


def _rows(pairs: list[tuple[str, str]]) -> list[Row]:
    return [Row([Cell(label, LABEL_W, label=True), Cell(value or "—", BLOCK_W - LABEL_W)])
            for label, value in pairs]


def draw_sheet(sheet: Sheet, data: dict) -> None:
    """The implementation sheet, then the push sheet, of one item and version."""
    sheet.new_section()
    sheet.heading("相对集中行政许可事项实施清单")
    sheet.space(2 * mm)
    sheet.text(f"{data['item_code']}  第{data['version']}版（{data['status_label']}）", size=SAN_HAO,
               align="center")
    sheet.space(3 * mm)
    marks = {f["key"]: "（关键要素）" if f["key_element"] else "" for f in data["fields"]}
    sheet.grid(_rows([("事项名称", data["item_name"]), ("事项编码", data["item_code"])]
                     + [(f["label"] + marks[f["key"]], f["value"]) for f in data["fields"]]), size=SI_HAO)
    push = data["push_sheet"]
    sheet.space(6 * mm)
    sheet.need(60 * mm)
    sheet.heading("审批结果信息推送清单", size=SAN_HAO + 2)
    sheet.space(2 * mm)
    if push is None:
        sheet.text("（尚未制作推送清单）", size=SI_HAO, align="center")
    else:
        sheet.text(f"第{push['version']}版（{push['status_label']}）", size=SI_HAO, align="center")
        sheet.space(2 * mm)
        sheet.grid(_rows([(f["label"], "推送" if f["pushed"] else "不推送") for f in push["fields"]]),
                   size=SI_HAO)
    sheet.space(8 * mm)
    sheet.need(24 * mm)
    top = sheet.y
    day = (data["handed_over_at"] or data["created_at"]).date()
    sheet.text_at(f"制作单位：{data['prepared_by']['name']}（盖章）", X0, top, SAN_HAO)
    sheet.text_at(cn_date(day), X0, top - 10 * mm, SAN_HAO, align="right", width=BLOCK_W)
    sheet.y = top - 16 * mm


def draw_consent_letter(sheet: Sheet, data: dict, addressee: str) -> None:
    """The consent request letter with a reply block for the department (paper use)."""
    sheet.new_section()
    sheet.heading("关键要素调整征求意见函")
    sheet.space(4 * mm)
    sheet.text(f"{addressee}：", size=SAN_HAO)
    sheet.text(
        f"根据《营口市相对集中行政许可权实施办法（试行）》第八条第二款，我局拟调整事项 {data['item_code']} "
        f"实施清单（第{data['sheet_version']}版）所列关键要素“{data['field_label']}”，现征求你单位意见，请予答复。",
        size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6)
    sheet.space(2 * mm)
    sheet.grid(_rows([("调整事项", data["field_label"]), ("现行内容", data["old_value"]),
                      ("拟调整为", data["new_value"]), ("调整理由", data["reason"]),
                      ("编号", str(data["id"]))]), size=SI_HAO)
    sheet.space(4 * mm)
    sheet.grid(_rows([("答复意见", "□ 同意    □ 不同意\n理由：\n\n"), ("答复单位（盖章）", "\n"),
                      ("答复日期", cn_date(None))]), size=SI_HAO)
    sheet.space(6 * mm)
    sheet.need(20 * mm)
    top = sheet.y
    sheet.text_at(f"{data['proposed_by']}（盖章）", X0, top, SAN_HAO, align="right", width=BLOCK_W)
    sheet.text_at(cn_date(data["proposed_at"].date()), X0, top - 10 * mm, SAN_HAO, align="right",
                  width=BLOCK_W)
    sheet.y = top - 14 * mm


def render_sheet(session: Session, item_code: str, version: int | None = None, target=None,
                 *, fonts=None) -> Rendered:
    """The item's sheets into one PDF (``target`` None: bytes in ``Rendered.data``)."""
    data = sheets.sheet_dict(session, sheets.get(session, item_code, version))
    pdf, buffer = open_sheet(target, fonts, f"{data['item_name']} 实施清单", data["prepared_by"]["name"])
    draw_sheet(pdf, data)
    return finish(pdf, buffer, 1, target)


def render_consent_letter(session: Session, change: SheetChange, target=None, *, fonts=None) -> Rendered:
    data = consent.change_dict(session, change)
    item = sheets.item(session, change.item_code)
    addressee = session.get(Office, item.competent_office_id).name
    pdf, buffer = open_sheet(target, fonts, "关键要素调整征求意见函", data["proposed_by"])
    draw_consent_letter(pdf, data, addressee)
    return finish(pdf, buffer, 1, target)

