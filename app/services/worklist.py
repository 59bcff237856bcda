"""The 办件 page's query side: dispatches of every kind for one office, as plain rows.

Rows are the dispatches the office sent or that are addressed to it, whatever their kind.
Everything a row says about its kind comes from the rules table (:mod:`app.services.rules`):
the kind's name and article, the status label, and the actions this office may take now
(the transitions leaving the current status whose actor is this office's side). Subjects are
summarised through the exchange subject codecs (:mod:`app.services.exchange.subjects`), with
one batched lookup for approval results, which are by far the most numerous.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from app import clock
from app.models import ApprovalResult, Dispatch, DispatchEvent, LicensingItem, Office
from app.services import rules
from app.services.deadlines import DUE_STATE_LABELS, due_state
from app.services.dispatch import ACTION_LABELS
from app.services.errors import NotFoundError
from app.services.masking import mask_text
from app.services.workdays import WorkCalendar

IN, OUT = "in", "out"
DIRECTION_LABELS = {IN: "收到", OUT: "发出"}

MINE, THEIRS, DUE_SOON, OVERDUE, DONE = "mine", "theirs", "due_soon", "overdue", "done"
STATE_LABELS = {MINE: "待我办理", THEIRS: "待对方办理", DUE_SOON: "即将到期", OVERDUE: "已逾期",
                DONE: "已办结"}


@dataclass(frozen=True)
class Filter:
    kind: str | None = None  # a rules.py kind, or None for every kind
    direction: str | None = None  # IN / OUT / None
    state: str | None = None  # one of STATE_LABELS / None
    text: str = ""  # every word must appear in the row's text


@dataclass(frozen=True)
class ActionChoice:
    """A step this office may take now, as the rules table declares it."""

    action: str
    label: str
    needs_reason: bool


@dataclass(frozen=True)
class WorkRow:
    id: uuid.UUID
    kind: str
    kind_name: str
    article: str
    direction: str
    counterpart_id: uuid.UUID
    counterpart_name: str
    status: str
    status_label: str
    current_due: date | None
    due_provisional: bool
    due_state: str | None
    subject_type: str
    subject_id: uuid.UUID
    summary: str
    created_at: datetime
    sent_at: datetime | None
    actions: tuple[ActionChoice, ...]
    waiting_other: bool  # the other side has a step to take now

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS[self.direction]

    @property
    def due_state_label(self) -> str:
        return DUE_STATE_LABELS.get(self.due_state, "") if self.due_state else ""

    @property
    def due_text(self) -> str:
        if self.current_due is None:
            return ""
        return self.current_due.isoformat() + ("（暂定）" if self.due_provisional else "")

    def text(self) -> str:
        return " ".join((self.kind_name, self.article, self.counterpart_name, self.status_label,
                         self.summary, self.direction_label))


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    office_name: str
    operator: str
    action: str
    action_label: str
    status_label: str
    note: str


@dataclass(frozen=True)
class WorkDetail:
    row: WorkRow
    sender_name: str
    addressee_name: str
    clock_start: date
    clock_start_text: str  # what event started the clock (rules table)
    send_due: date | None
    reply_due: date | None
    channel_label: str
    subject_detail: str
    reply_text: str  # what the addressee must do (rules table)
    timeline: tuple[TimelineEntry, ...]


def kinds() -> list[tuple[str, str, str]]:
    """(kind, name, article) of every kind in the rules table, in the table's order."""
    return [(r.kind, r.name, r.article) for r in rules.RULES]


def side(d: Dispatch, office_id: uuid.UUID) -> str:
    return rules.SENDER if d.sender_office_id == office_id else rules.ADDRESSEE


def actions_for(kind: str, status: str, actor: str) -> tuple[ActionChoice, ...]:
    """The transitions leaving ``status`` that ``actor`` (SENDER/ADDRESSEE) takes."""
    return tuple(ActionChoice(t.action, t.label, t.needs_reason)
                 for t in rules.rule(kind).actions_from(status) if t.actor == actor)


def _turn(office_id: uuid.UUID, actor: str):
    """SQL: dispatches where ``actor``'s side (of this office's dispatches) has a step now."""
    clauses = []
    for r in rules.RULES:
        by_sender = {t.source for t in r.transitions if t.actor == rules.SENDER}
        by_addressee = {t.source for t in r.transitions if t.actor == rules.ADDRESSEE}
        mine_col, other_col = Dispatch.sender_office_id, Dispatch.addressee_office_id
        if actor == "mine":
            pairs = ((by_sender, mine_col), (by_addressee, other_col))
        else:
            pairs = ((by_sender, other_col), (by_addressee, mine_col))
        for statuses, col in pairs:
            if statuses:
                clauses.append(and_(Dispatch.kind == r.kind, Dispatch.status.in_(sorted(statuses)),
                                    col == office_id))
    return or_(*clauses) if clauses else false()


def _done():
    """SQL: dispatches in a status no transition of their kind leaves."""
    clauses = []
    for r in rules.RULES:
        live = sorted({t.source for t in r.transitions})
        clauses.append(and_(Dispatch.kind == r.kind, Dispatch.status.not_in(live)))
    return or_(*clauses)


def statement(office: Office, flt: Filter, today: date, next_workday: date):
    stmt = select(Dispatch).where(or_(Dispatch.sender_office_id == office.id,
                                      Dispatch.addressee_office_id == office.id))
    if flt.kind:
        stmt = stmt.where(Dispatch.kind == flt.kind)
    if flt.direction == OUT:
        stmt = stmt.where(Dispatch.sender_office_id == office.id)
    elif flt.direction == IN:
        stmt = stmt.where(Dispatch.addressee_office_id == office.id)
    if flt.state == MINE:
        stmt = stmt.where(_turn(office.id, "mine"))
    elif flt.state == THEIRS:
        stmt = stmt.where(_turn(office.id, "theirs"))
    elif flt.state == DUE_SOON:
        stmt = stmt.where(Dispatch.current_due.between(today, next_workday))
    elif flt.state == OVERDUE:
        stmt = stmt.where(Dispatch.current_due < today)
    elif flt.state == DONE:
        stmt = stmt.where(_done())
    # By the awaited step's due date (none last), then newest first.
    return stmt.order_by(Dispatch.current_due.is_(None), Dispatch.current_due,
                         Dispatch.created_at.desc(), Dispatch.id)


def list_rows(session: Session, office: Office, calendar: WorkCalendar, flt: Filter | None = None,
              *, today: date | None = None, limit: int | None = None) -> list[WorkRow]:
    """The office's dispatches matching ``flt``, sorted by the awaited step's due date."""
    flt = flt or Filter()
    today = today or clock.today()
    found = list(session.scalars(statement(office, flt, today, calendar.next_workday(today))))
    names = _office_names(session)
    summaries = _summaries(session, found, names)
    rows = [_row(d, office.id, names, summaries, calendar, today) for d in found]
    words = (flt.text or "").split()
    if words:
        rows = [r for r in rows if all(w in r.text() for w in words)]
    return rows[:limit] if limit is not None else rows


def get_row(session: Session, office: Office, calendar: WorkCalendar, dispatch_id: uuid.UUID,
            *, today: date | None = None) -> WorkRow:
    d = _dispatch(session, office, dispatch_id)
    names = _office_names(session)
    return _row(d, office.id, names, _summaries(session, [d], names), calendar,
                today or clock.today())


def detail(session: Session, office: Office, calendar: WorkCalendar, dispatch_id: uuid.UUID,
           *, today: date | None = None) -> WorkDetail:
    """One dispatch with its events timeline and its subject's detail line."""
    d = _dispatch(session, office, dispatch_id)
    names = _office_names(session)
    row = _row(d, office.id, names, _summaries(session, [d], names), calendar, today or clock.today())
    rule = rules.rule(d.kind)
    events = session.scalars(select(DispatchEvent).where(DispatchEvent.dispatch_id == d.id)
                             .order_by(DispatchEvent.seq))
    timeline = tuple(
        TimelineEntry(e.at, names.get(e.office_id, ("", ""))[1], e.operator, e.action,
                      ACTION_LABELS.get(e.action, e.action), rule.status_label(e.to_status), e.note)
        for e in events
    )
    return WorkDetail(
        row=row, sender_name=names[d.sender_office_id][1], addressee_name=names[d.addressee_office_id][1],
        clock_start=d.clock_start, clock_start_text=rule.clock_start, send_due=d.send_due,
        reply_due=d.reply_due, channel_label=rules.CHANNEL_LABELS.get(d.channel, "") if d.channel else "",
        subject_detail=_subject_detail(session, d, names), reply_text=rule.reply, timeline=timeline,
    )


def _dispatch(session: Session, office: Office, dispatch_id: uuid.UUID) -> Dispatch:
    d = session.get(Dispatch, dispatch_id)
    if d is None or office.id not in (d.sender_office_id, d.addressee_office_id):
        raise NotFoundError("没有这件办件（可能已被删除，或不属于本单位）。")
    return d


def _office_names(session: Session) -> dict[uuid.UUID, tuple[str, str]]:
    return {oid: (code, name) for oid, code, name in session.execute(select(Office.id, Office.code, Office.name))}


def _row(d: Dispatch, office_id, names, summaries, calendar, today) -> WorkRow:
    rule = rules.rule(d.kind)
    mine = side(d, office_id)
    other = rules.ADDRESSEE if mine == rules.SENDER else rules.SENDER
    counterpart = d.addressee_office_id if mine == rules.SENDER else d.sender_office_id
    return WorkRow(
        id=d.id, kind=d.kind, kind_name=rule.name, article=rule.article,
        direction=OUT if mine == rules.SENDER else IN, counterpart_id=counterpart,
        counterpart_name=names.get(counterpart, ("", "（未知单位）"))[1], status=d.status,
        status_label=rule.status_label(d.status), current_due=d.current_due,
        due_provisional=d.current_due_provisional, due_state=due_state(d.current_due, today, calendar),
        subject_type=d.subject_type, subject_id=d.subject_id, summary=summaries.get(d.id, ""),
        created_at=d.created_at, sent_at=d.sent_at, actions=actions_for(d.kind, d.status, mine),
        waiting_other=bool(actions_for(d.kind, d.status, other)),
    )


def _summaries(session: Session, found: list[Dispatch], names) -> dict[uuid.UUID, str]:
    """A one-line summary of each dispatch's subject."""
    out: dict[uuid.UUID, str] = {}
    results = [d for d in found if d.subject_type == "approval_result"]
    if results:
        wanted = {d.subject_id for d in results}
        titles = {}
        for chunk in _chunks(sorted(wanted, key=str), 500):
            stmt = (select(ApprovalResult.id, LicensingItem.name, ApprovalResult.applicant_name)
                    .join(LicensingItem, LicensingItem.id == ApprovalResult.item_id)
                    .where(ApprovalResult.id.in_(chunk)))
            titles.update({rid: f"{item}：{mask_text(applicant)}" for rid, item, applicant in session.execute(stmt)})
        out.update({d.id: titles.get(d.subject_id, "") for d in results})
    for d in found:
        if d.id not in out:
            out[d.id] = _codec_text(session, d, names)[0]
    return out


def _subject_detail(session: Session, d: Dispatch, names) -> str:
    summary, more = _codec_text(session, d, names, masked=False)  # a detail: in full
    return "　".join(t for t in (summary, more) if t)


def _codec_text(session: Session, d: Dispatch, names, masked: bool = True) -> tuple[str, str]:
    from app.services.exchange.subjects import codec

    c = codec(d.subject_type)
    if c is None:
        return "", ""
    try:
        sub = c.to_dict(session, d.subject_id, lambda oid: names.get(oid, ("", ""))[0])
        if sub is None:
            return "（记录不在本机）", ""
        if not masked:
            return c.summary(sub), c.detail(sub)
        return mask_text(c.summary(sub)), mask_text(c.detail(sub))  # a list: masked (issue 7)
    except Exception:  # noqa: BLE001 - a subject that cannot be summarised must not hide the row
        return "", ""


def _chunks(values: list, size: int):
    for i in range(0, len(values), size):
        yield values[i:i + size]
