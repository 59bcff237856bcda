"""会商函 / 会议通知 (Art. 9), 商请函 (Art. 10, 12, 13), 通报 (Art. 21) and the monthly summary
letter, printed with the forms layout (app.services.forms.layout).

The values are read once into plain dicts by the cooperation services, so drawing needs no
session. Each letter carries a QR code with its record's id and a content hash, like the other
forms, so a returned paper reply is matched back to its record.
"""

from __future__ import annotations

import hashlib

from reportlab.graphics import renderPDF
from sqlalchemy.orm import Session

from app.models import Circular, Consultation, Office, SupportRequest
from app.services.cooperation import charts, oversight, requests, summary
from app.services.cooperation import circular as circulars
from app.services.forms.layout import (
    BLOCK_W,
    SAN_HAO,
    SI_HAO,
    WU_HAO,
    X0,
    Cell,
    Row,
    Sheet,
    cn_date,
    mm,
)
from app.services.forms.render import Rendered, finish, open_sheet

LABEL_W = 36 * mm
QR_SIDE = 22 * mm
ASKS = {"technical_support": "提供技术支持", "training": "提供业务培训", "field_guidance": "进行现场指导",
        "certificate_stock": "协助向上级部门申领制式证照"}


def _rows(pairs: list[tuple[str, str]]) -> list[Row]:
    return [Row([Cell(label, LABEL_W, label=True), Cell(value or "—", BLOCK_W - LABEL_W)]) for label, value in pairs]


def _code(kind: str, record_id, *parts: str) -> str:
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"SG:{kind}:{record_id}:{digest}"


def _qr(sheet: Sheet, payload: str) -> None:
    """The QR code in the top right corner of the first page, above the text block."""
    sheet.qr(payload, X0 + BLOCK_W - QR_SIDE, sheet.y + QR_SIDE + 2 * mm, QR_SIDE)


def _signature(sheet: Sheet, office: str, day) -> None:
    sheet.space(8 * mm)
    sheet.need(22 * mm)
    top = sheet.y
    sheet.text_at(f"{office}（盖章）", X0, top, SAN_HAO, align="right", width=BLOCK_W)
    sheet.text_at(cn_date(day), X0, top - 10 * mm, SAN_HAO, align="right", width=BLOCK_W)
    sheet.y = top - 16 * mm


def _body(sheet: Sheet, text: str) -> None:
    for para in text.split("\n"):
        if para.strip():
            sheet.text(para, size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6)


# -- consultation --------------------------------------------------------------------------

def draw_consultation(sheet: Sheet, data: dict) -> None:
    meeting = data["mode"] == "meeting"
    sheet.new_section()
    _qr(sheet, _code("consultation", data["id"], data["topic"], data["agenda"]))
    sheet.heading("会商工作会议通知" if meeting else "会商函")
    sheet.space(4 * mm)
    names = "、".join(r["office_name"] for r in data["replies"]) or "、".join(data["responding"])
    sheet.text(f"{names}：", size=SAN_HAO)
    ask = ("定于下列时间召开会商工作会议，请派员参加" if meeting else "现就下列事项函告会商，请研究并函复意见")
    sheet.text(f"根据《营口市相对集中行政许可权实施办法（试行）》第九条，{ask}。", size=SAN_HAO,
               indent=2 * SAN_HAO, leading=SAN_HAO * 1.6)
    sheet.space(2 * mm)
    pairs = [("会商事项", data["topic"]), ("议程" if meeting else "会商内容", data["agenda"])]
    if meeting:
        pairs += [("会议日期", cn_date(data["meeting_on"], "另行通知")), ("参加人员", data["participants"])]
    pairs.append(("编号", str(data["id"])))
    sheet.grid(_rows(pairs), size=SI_HAO)
    sheet.space(4 * mm)
    if data["minutes_at"] is not None:
        sheet.grid(_rows([("召开日期", cn_date(data["held_on"], "—")), ("会议纪要", data["minutes"]),
                          ("会商结果", data["outcome"])]), size=SI_HAO)
    else:
        sheet.grid(_rows([("反馈意见", "\n\n\n"), ("反馈单位（盖章）", "\n"), ("反馈日期", cn_date(None))]), size=SI_HAO)
    _signature(sheet, data["requester_name"], data["requested_on"])


def render_consultation(session: Session, c: Consultation, target=None, *, fonts=None) -> Rendered:
    data = requests.consultation_dict(session, c)
    pdf, buffer = open_sheet(target, fonts, data["topic"], data["requester_name"])
    draw_consultation(pdf, data)
    return finish(pdf, buffer, 1, target)


# -- support request -----------------------------------------------------------------------

def draw_support(sheet: Sheet, data: dict) -> None:
    sheet.new_section()
    _qr(sheet, _code("support", data["id"], data["title"], data["content"]))
    sheet.heading(f"关于商请{data['kind_label']}的函")
    sheet.space(4 * mm)
    sheet.text(f"{data['responder_name']}：", size=SAN_HAO)
    sheet.text(f"根据《营口市相对集中行政许可权实施办法（试行）》{data['article']}，现商请你单位"
               f"{ASKS[data['kind']]}，请予协助并函复。", size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6)
    sheet.space(2 * mm)
    pairs = [("事由", data["title"]), ("具体内容", data["content"])]
    if data["quantity"] is not None:
        pairs.append(("申领数量", f"{data['quantity']}份"))
    if data["wanted_by"] is not None:
        pairs.append(("希望完成日期", cn_date(data["wanted_by"])))
    pairs.append(("编号", str(data["id"])))
    sheet.grid(_rows(pairs), size=SI_HAO)
    sheet.space(4 * mm)
    reply = data["reply_text"] or "\n\n\n"
    sheet.grid(_rows([("答复意见", reply), ("答复单位（盖章）", data["responder_name"] if data["reply_text"] else "\n"),
                      ("答复日期", cn_date(data["replied_at"].date() if data["replied_at"] else None))]), size=SI_HAO)
    _signature(sheet, data["requester_name"], data["created_at"].date())


def render_support(session: Session, sr: SupportRequest, target=None, *, fonts=None) -> Rendered:
    data = requests.support_dict(session, sr)
    pdf, buffer = open_sheet(target, fonts, data["title"], data["requester_name"])
    draw_support(pdf, data)
    return finish(pdf, buffer, 1, target)


# -- circular ------------------------------------------------------------------------------

def draw_chart(sheet: Sheet, drawing, scale: float = 0.95) -> None:
    """A reportlab drawing across the text block at the cursor."""
    factor = min(1.0, BLOCK_W / drawing.width) * scale
    w, h = drawing.width * factor, drawing.height * factor
    sheet.need(h + 4 * mm)
    drawing.scale(factor, factor)
    drawing.width, drawing.height = w, h
    renderPDF.draw(drawing, sheet.c, X0 + (BLOCK_W - w) / 2, sheet.y - h)
    sheet.y -= h + 4 * mm


def draw_circular(sheet: Sheet, data: dict, figures: dict) -> None:
    sheet.new_section()
    sheet.heading(data["title"])
    if data["number"]:
        sheet.space(2 * mm)
        sheet.text(data["number"], size=SAN_HAO, align="center")
    sheet.space(4 * mm)
    sheet.text("各有关单位：", size=SAN_HAO)
    _body(sheet, data["body"])
    if figures["by_office"]:
        sheet.space(4 * mm)
        sheet.text(f"附：{data['period']}各单位按时率", size=SI_HAO)
        draw_chart(sheet, charts.by_office(figures, title="各单位按时率"))
        header = Row([Cell(t, w, label=True) for t, w in (("单位", 52 * mm), ("事项", 34 * mm), ("按时", 16 * mm),
                                                           ("逾期", 18 * mm), ("按时率", 36 * mm))])
        rows = [Row([Cell(r["office_name"], 52 * mm), Cell(r["measure_label"], 34 * mm),
                     Cell(str(r["on_time"]), 16 * mm, align="right"),
                     Cell(str(r["late"] + r["overdue"]), 18 * mm, align="right"),
                     Cell(oversight.rate_text(r["rate"]), 36 * mm, align="right")]) for r in figures["by_office"]]
        sheet.grid(rows, size=WU_HAO, header=header)
    _signature(sheet, data["office_name"], data["created_at"].date())


def render_circular(session: Session, c: Circular, viewer: Office, target=None, *, fonts=None) -> Rendered:
    data = circulars.circular_dict(session, c)
    figures = oversight.figures(session, viewer, month=c.period)
    pdf, buffer = open_sheet(target, fonts, data["title"], data["office_name"])
    draw_circular(pdf, data, figures)
    return finish(pdf, buffer, 1, target)


# -- monthly summary letter ----------------------------------------------------------------

COLUMNS = (("序号", 10 * mm, "no"), ("类型", 28 * mm, "kind"), ("事项", 40 * mm, "subject"),
           ("发送", 26 * mm, "sent_at"), ("签收/答复", 26 * mm, "replied_at"), ("状态", 26 * mm, "status"))


def _cell(row: dict, key: str) -> str:
    value = row[key]
    if key in ("sent_at", "replied_at"):
        return value.strftime("%Y-%m-%d %H:%M") if value else "—"
    if key == "status":
        return value if row["on_time"] == "按时" else f"{value}（{row['on_time']}）"
    return str(value or "—")


def draw_summary(sheet: Sheet, me: Office, other: Office, month: str, rows: list[dict], day) -> None:
    sheet.new_section()
    sheet.heading(summary.caption(me, other, month), size=SAN_HAO + 2)
    sheet.space(4 * mm)
    sheet.text(f"{other.name}：", size=SAN_HAO)
    year, mon = month.split("-")
    sheet.text(f"现将{int(year)}年{int(mon)}月我单位与你单位之间推送、签收和答复的记录汇总如下（共{len(rows)}条），"
               "请核对；如有出入，请及时函告。", size=SAN_HAO, indent=2 * SAN_HAO, leading=SAN_HAO * 1.6)
    sheet.space(2 * mm)
    header = Row([Cell(t, w, label=True) for t, w, _ in COLUMNS])
    body = [Row([Cell(_cell(r, key), w) for _, w, key in COLUMNS]) for r in rows]
    if not body:
        sheet.text("本月没有推送、签收或答复记录。", size=SI_HAO, align="center")
    else:
        sheet.grid(body, size=WU_HAO, header=header)
    _signature(sheet, me.name, day)


def render_summary(session: Session, me: Office, other: Office, month: str, target=None, *, fonts=None,
                   day=None) -> Rendered:
    from app import clock

    rows = summary.rows(session, me, other, month)
    pdf, buffer = open_sheet(target, fonts, summary.caption(me, other, month), me.name)
    draw_summary(pdf, me, other, month, rows, day or clock.today())
    return finish(pdf, buffer, 1, target)
