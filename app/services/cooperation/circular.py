"""The circular (通报, Art. 21): drafted from a month's late items, edited, printed.

The oversight office drafts it from the figures and the late list of a month: a title, an
opening paragraph citing Art. 21, numbered sections (一、总体情况 with the on-time figures of
each measure; 二、逾期事项 naming each office and its late items — kind, due date, when done;
三、工作要求). The text is the clerk's to edit before printing (the draft is only a start);
the items it was drafted from are kept with it. Printed with the forms layout and the chart of
the month's on-time rates by office (app.services.forms.cooperation_forms).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Circular, Office
from app.services.cooperation import oversight
from app.services.errors import WorkflowError
from app.services.forms.layout import cn_date
from app.services.sheets.common import find, text

NUMERALS = "一二三四五六七八九十"


def _cn_number(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    return (NUMERALS[n // 10 - 1] + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")) if n < 100 else str(n)


def _period_text(month: str) -> str:
    year, mon = month.split("-")
    return f"{int(year)}年{int(mon)}月"


def _totals(figures: dict) -> list[str]:
    lines = []
    per_measure: dict[str, dict] = defaultdict(lambda: dict.fromkeys(oversight.STATE_LABELS, 0))
    for row in figures["by_office"]:
        for state in oversight.STATE_LABELS:
            per_measure[row["measure"]][state] += row[state]
    for m in oversight.MEASURES:
        c = per_measure.get(m.key)
        if c is None:
            continue
        counted = c[oversight.ON_TIME] + c[oversight.LATE] + c[oversight.OVERDUE]
        rate = oversight.rate_text(round(c[oversight.ON_TIME] / counted, 4) if counted else None)
        lines.append(f"{m.label}应办{counted}件，按时{c[oversight.ON_TIME]}件，逾期办结{c[oversight.LATE]}件，"
                     f"逾期未办{c[oversight.OVERDUE]}件，按时率{rate}。")
    return lines


def _late_paragraphs(late: list[dict]) -> list[str]:
    by_office: dict[str, list[dict]] = defaultdict(list)
    for item in late:
        by_office[item["office_name"]].append(item)
    paragraphs = []
    for n, (name, items) in enumerate(sorted(by_office.items()), start=1):
        parts = []
        for item in items:
            done = f"{cn_date(item['done_at'].date())}办结" if item["done_at"] else "截至通报时仍未办理"
            parts.append(f"{item['measure_label']}（{item['kind_label']}，对方单位{item['counterpart_name']}）"
                         f"应于{cn_date(item['due'])}前完成，{done}")
        paragraphs.append(f"（{_cn_number(n)}）{name}：逾期{len(items)}件。" + "；".join(parts) + "。")
    return paragraphs


def draft_text(figures: dict, late: list[dict], month: str) -> tuple[str, str]:
    """(title, body) of a circular for ``month`` from its figures and late items."""
    period = _period_text(month)
    title = f"关于{period}相对集中行政许可审管衔接工作情况的通报"
    body = [
        f"根据《营口市相对集中行政许可权实施办法（试行）》第二十一条，现将{period}各单位审批结果推送、签收、"
        "行政处罚信息推送和违法线索移送受理决定的办理时限情况通报如下。",
        "一、总体情况",
        *(_totals(figures) or ["本月没有应办事项。"]),
        "二、逾期事项",
        *(_late_paragraphs(late) or ["本月各单位均按时办理，没有逾期事项。"]),
        "三、工作要求",
        "请被通报单位对照逾期事项逐件查明原因，落实整改，并严格按照第十七条、第十九条、第二十条规定的时限"
        "推送、签收和反馈；逾期未办的事项请立即办理。",
    ]
    return title, "\n".join(body)


def draft(session: Session, viewer: Office, month: str, *, number: str = "") -> Circular:
    """Draft (and keep) the circular of ``month`` from the figures the oversight office holds."""
    if viewer.role != "oversight":
        raise WorkflowError("通报由营商环境建设主管部门发布（第二十一条）。")
    oversight.parse_month(month)
    figures = oversight.figures(session, viewer, month=month)
    late = oversight.late_items(session, viewer, month=month)
    title, body = draft_text(figures, late, month)
    items = [{"dispatch_id": str(i["dispatch_id"]), "office": i["office"], "measure": i["measure"],
              "kind": i["kind"], "due": i["due"].isoformat(),
              "done_at": i["done_at"].isoformat() if i["done_at"] else None, "state": i["state"]} for i in late]
    c = Circular(id=uuid.uuid4(), number=text(number, "number", "文号", 64, required=False), title=title,
                 body=body, period=month.strip(), office_id=viewer.id,
                 items=json.dumps(items, ensure_ascii=False), created_at=clock.now())
    session.add(c)
    session.flush()
    return c


def update(session: Session, c: Circular, *, title: str | None = None, body: str | None = None,
           number: str | None = None) -> Circular:
    """The clerk's edits of the draft."""
    if title is not None:
        c.title = text(title, "title", "标题", 256)
    if body is not None:
        c.body = text(body, "body", "正文", 50000, keep_lines=True)
    if number is not None:
        c.number = text(number, "number", "文号", 64, required=False)
    c.updated_at = clock.now()
    session.flush()
    return c


def get(session: Session, text_id: str) -> Circular:
    return find(session, Circular, text_id, "通报")


def circular_dict(session: Session, c: Circular) -> dict:
    office = session.get(Office, c.office_id)
    return {"id": c.id, "number": c.number, "title": c.title, "body": c.body, "period": c.period,
            "office": office.code, "office_name": office.name, "items": json.loads(c.items),
            "created_at": c.created_at, "updated_at": c.updated_at}


def list_circulars(session: Session) -> list[dict]:
    stmt = select(Circular).order_by(Circular.created_at.desc(), Circular.id)
    return [circular_dict(session, c) for c in session.scalars(stmt)]
