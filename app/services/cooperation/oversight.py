"""On-time figures (Art. 21): by office and by month, and the list of late items.

Four measures, each read from the due dates stored on dispatches (no recomputation):

| measure | kind | step | whose figure | on time when |
|---|---|---|---|---|
| 推送 (push) | approval_push | sent | sender | ``sent_at`` ≤ ``send_due`` |
| 签收 (sign-off) | approval_push | answered | addressee | ``replied_at`` ≤ ``reply_due`` |
| 处罚推送 (penalty push) | penalty_notice | sent | sender | ``sent_at`` ≤ ``send_due`` |
| 移送受理决定 (referral decision) | referral | answered | addressee | ``replied_at`` ≤ ``reply_due`` |

An item belongs to the month of its due date. Each item is *on time*, *late* (done after the
due day), *overdue* (not done and the due day has passed — open and late), or *pending* (not
done, not due yet). The on-time rate is on time ÷ (on time + late + overdue); pending items do
not count, and with nothing counted the rate is ``None`` (shown as “—”). A step with no due
date (e.g. a sign-off not yet due because the push has not been sent) is not an item.

An ordinary office's figures come from its own database (its own dispatches), and by default
show only its own duties. The oversight office's figures come from the rows the offices report
(app.services.cooperation.reports) plus its own dispatches (its own copy wins).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from app import clock
from app.models import Dispatch, Office, OversightReport
from app.services import rules
from app.services.errors import ValidationError


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str
    step: str  # "send" or "reply"
    party: str  # rules.SENDER or rules.ADDRESSEE: whose duty it is


MEASURES = (
    Measure("push", "审批结果推送", "approval_push", "send", rules.SENDER),
    Measure("sign_off", "签收", "approval_push", "reply", rules.ADDRESSEE),
    Measure("penalty_push", "处罚信息推送", "penalty_notice", "send", rules.SENDER),
    Measure("referral_decision", "移送受理决定", "referral", "reply", rules.ADDRESSEE),
)
MEASURE_LABELS = {m.key: m.label for m in MEASURES}
ON_TIME, LATE, OVERDUE, PENDING = "on_time", "late", "overdue", "pending"
STATE_LABELS = {ON_TIME: "按时", LATE: "逾期办结", OVERDUE: "逾期未办", PENDING: "未到期"}
KINDS = tuple(sorted({m.kind for m in MEASURES}))
_ROW = ("kind", "sender", "addressee", "send_due", "sent_at", "reply_due", "replied_at", "status")


@dataclass(frozen=True)
class Item:
    """One duty of one office: a push to send, a sign-off or a referral decision to give."""

    dispatch_id: uuid.UUID
    measure: str
    office: str  # whose duty (code)
    counterpart: str  # the other office (code)
    kind: str
    due: date
    done_at: datetime | None
    state: str

    @property
    def month(self) -> str:
        return self.due.strftime("%Y-%m")


def parse_month(text: str | None) -> tuple[date, date] | None:
    """'2026-10' → (first day, first day of the next month); None for None."""
    if text is None:
        return None
    try:
        first = datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise ValidationError(f"月份“{text}”格式不对，应为 YYYY-MM，如 2026-10。", "month") from None
    return first, date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _own_rows(session: Session, span: tuple[date, date] | None) -> dict[uuid.UUID, dict]:
    sender, addressee = aliased(Office), aliased(Office)
    stmt = (select(Dispatch.id, Dispatch.kind, sender.code, addressee.code, Dispatch.send_due, Dispatch.sent_at,
                   Dispatch.reply_due, Dispatch.replied_at, Dispatch.status)
            .join(sender, sender.id == Dispatch.sender_office_id)
            .join(addressee, addressee.id == Dispatch.addressee_office_id)
            .where(Dispatch.kind.in_(KINDS)))
    if span:
        stmt = stmt.where(or_(and_(Dispatch.send_due >= span[0], Dispatch.send_due < span[1]),
                              and_(Dispatch.reply_due >= span[0], Dispatch.reply_due < span[1])))
    return {r[0]: dict(zip(_ROW, r[1:], strict=True)) for r in session.execute(stmt)}


def _reported_rows(session: Session, span: tuple[date, date] | None) -> dict[uuid.UUID, dict]:
    o = OversightReport
    stmt = select(o.dispatch_id, o.kind, o.sender_code, o.addressee_code, o.send_due, o.sent_at, o.reply_due,
                  o.replied_at, o.status).where(o.kind.in_(KINDS))
    if span:
        stmt = stmt.where(or_(and_(o.send_due >= span[0], o.send_due < span[1]),
                              and_(o.reply_due >= span[0], o.reply_due < span[1])))
    return {r[0]: dict(zip(_ROW, r[1:], strict=True)) for r in session.execute(stmt)}


def _state(due: date, done_at: datetime | None, today: date) -> str:
    if done_at is not None:
        return ON_TIME if done_at.date() <= due else LATE
    return OVERDUE if today > due else PENDING


def items(session: Session, viewer: Office, *, month: str | None = None, office: str | None = None,
          today: date | None = None) -> list[Item]:
    """Every counted duty visible to ``viewer`` (see the module text), optionally of one month
    (by due date) and of one office (code)."""
    span = parse_month(month)
    today = today or clock.today()
    rows = _reported_rows(session, span) if viewer.role == "oversight" else {}
    rows.update(_own_rows(session, span))
    if office is None and viewer.role != "oversight":
        office = viewer.code
    found = []
    for did, r in rows.items():
        for m in MEASURES:
            if r["kind"] != m.kind:
                continue
            due, done = (r["send_due"], r["sent_at"]) if m.step == "send" else (r["reply_due"], r["replied_at"])
            if due is None or (span and not span[0] <= due < span[1]):
                continue
            who, other = (r["sender"], r["addressee"]) if m.party == rules.SENDER else (r["addressee"], r["sender"])
            if office is not None and who != office:
                continue
            found.append(Item(did, m.key, who, other, m.kind, due, done, _state(due, done, today)))
    found.sort(key=lambda i: (i.due, i.office, i.measure, str(i.dispatch_id)))
    return found


def _rate(counts: dict) -> float | None:
    counted = counts[ON_TIME] + counts[LATE] + counts[OVERDUE]
    return round(counts[ON_TIME] / counted, 4) if counted else None


def _table(groups: dict[tuple, dict], keys: tuple[str, ...], names: dict[str, str]) -> list[dict]:
    out = []
    for group, counts in sorted(groups.items()):
        row = dict(zip(keys, group, strict=True))
        if "office" in row:
            row["office_name"] = names.get(row["office"], row["office"])
        row["measure_label"] = MEASURE_LABELS[row["measure"]]
        row.update({s: counts[s] for s in STATE_LABELS})
        row["total"] = sum(counts.values())
        row["rate"] = _rate(counts)
        out.append(row)
    return out


def figures(session: Session, viewer: Office, *, month: str | None = None, office: str | None = None,
            today: date | None = None) -> dict:
    """On-time figures as plain rows: per office × month × measure (``rows``), per office ×
    measure (``by_office``) and per month × measure (``by_month``)."""
    found = items(session, viewer, month=month, office=office, today=today)
    names = dict(session.execute(select(Office.code, Office.name)).all())
    detail: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(STATE_LABELS, 0))
    per_office: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(STATE_LABELS, 0))
    per_month: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(STATE_LABELS, 0))
    for i in found:
        detail[(i.office, i.month, i.measure)][i.state] += 1
        per_office[(i.office, i.measure)][i.state] += 1
        per_month[(i.month, i.measure)][i.state] += 1
    return {
        "month": month, "office": office if office or viewer.role == "oversight" else viewer.code,
        "as_of": today or clock.today(),
        "rows": _table(detail, ("office", "month", "measure"), names),
        "by_office": _table(per_office, ("office", "measure"), names),
        "by_month": _table(per_month, ("month", "measure"), names),
    }


def late_items(session: Session, viewer: Office, *, month: str | None = None, office: str | None = None,
               today: date | None = None) -> list[dict]:
    """The late and overdue items, oldest due date first, as plain rows."""
    names = dict(session.execute(select(Office.code, Office.name)).all())
    return [
        {"dispatch_id": i.dispatch_id, "office": i.office, "office_name": names.get(i.office, i.office),
         "counterpart": i.counterpart, "counterpart_name": names.get(i.counterpart, i.counterpart),
         "measure": i.measure, "measure_label": MEASURE_LABELS[i.measure], "kind": i.kind,
         "kind_label": rules.rule(i.kind).name, "due": i.due, "done_at": i.done_at, "state": i.state,
         "state_label": STATE_LABELS[i.state], "month": i.month}
        for i in items(session, viewer, month=month, office=office, today=today) if i.state in (LATE, OVERDUE)
    ]


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"
