"""Lists and counts for the work views, as plain rows (no ORM objects leave this module).

Every list is one SQL statement over indexed columns: due dates are stored, never computed
here, so the lists stay quick with hundreds of thousands of results.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app import clock
from app.models import ApprovalResult, Dispatch, LicensingItem, Office
from app.services import rules
from app.services.deadlines import due_state
from app.services.masking import mask_text
from app.services.sqltext import like_any_case
from app.services.workdays import WorkCalendar

# Views of the main window.
ALL = "all"
TO_PUSH = "to_push"  # 待推送
TO_SIGN = "to_sign"  # 待签收
DUE_SOON = "due_soon"  # 即将到期
OVERDUE = "overdue"  # 已逾期
VIEW_LABELS = {TO_PUSH: "待推送", TO_SIGN: "待签收", DUE_SOON: "即将到期", OVERDUE: "已逾期", ALL: "全部结果"}

SORT_KEYS = ("decided_on", "item", "applicant", "licence", "addressee", "status", "due", "holder")


@dataclass(frozen=True)
class ResultRow:
    id: uuid.UUID
    decided_on: date
    item_name: str
    applicant_name: str
    licence_number: str
    sender_name: str
    addressee_name: str
    status: str
    channel: str | None
    current_due: date | None
    due_provisional: bool
    holder_name: str
    holder_since: datetime

    @property
    def status_label(self) -> str:
        return rules.APPROVAL_PUSH.status_label(self.status)


@dataclass(frozen=True)
class WorkCounts:
    to_push: int
    to_sign: int
    due_soon: int
    overdue: int


Sender = aliased(Office, name="sender")
Addressee = aliased(Office, name="addressee")
Holder = aliased(Office, name="holder")

_SORT_COLUMNS = {
    "decided_on": ApprovalResult.decided_on,
    "item": LicensingItem.name,
    "applicant": ApprovalResult.applicant_name,
    "licence": ApprovalResult.licence_number,
    "addressee": Addressee.name,
    "status": Dispatch.status,
    "due": Dispatch.current_due,
    "holder": Holder.name,
}


_ROW_COLUMNS = (
    ApprovalResult.id,
    ApprovalResult.decided_on,
    LicensingItem.name,
    ApprovalResult.applicant_name,
    ApprovalResult.licence_number,
    Sender.name,
    Addressee.name,
    Dispatch.status,
    Dispatch.channel,
    Dispatch.current_due,
    Dispatch.current_due_provisional,
    Holder.name,
    ApprovalResult.responsible_since,
)


def _base() -> Select:
    return (
        select(*_ROW_COLUMNS)
        .join(LicensingItem, LicensingItem.id == ApprovalResult.item_id)
        .join(Dispatch, Dispatch.id == ApprovalResult.current_dispatch_id)
        .join(Sender, Sender.id == Dispatch.sender_office_id)
        .join(Addressee, Addressee.id == Dispatch.addressee_office_id)
        .join(Holder, Holder.id == ApprovalResult.responsible_office_id)
    )


def _text_filter(text: str):
    """Every word must appear in the applicant, licence number, item or addressee (Latin
    letters in any case, on every database)."""
    return [
        or_(
            like_any_case(ApprovalResult.applicant_name, f"%{word}%"),
            like_any_case(ApprovalResult.licence_number, f"%{word}%"),
            like_any_case(LicensingItem.name, f"%{word}%"),
            like_any_case(Addressee.name, f"%{word}%"),
        )
        for word in (text or "").split()
    ]


def _my_turn(office: Office):
    """Dispatches where it is this office's move: its pushes to send, its pushes to answer."""
    return or_(
        and_(Dispatch.status == rules.PENDING, Dispatch.sender_office_id == office.id),
        and_(Dispatch.status == rules.SENT, Dispatch.addressee_office_id == office.id),
    )


def _visible(office: Office):
    """Which results an office sees: its own records, those pushed to it; oversight sees all."""
    if office.role == "oversight":
        return None
    if office.role == "approval":
        return ApprovalResult.approval_office_id == office.id
    return Dispatch.addressee_office_id == office.id


def _view_filter(view: str, office: Office, today: date, next_workday: date):
    if view == TO_PUSH:
        return and_(Dispatch.status == rules.PENDING, Dispatch.sender_office_id == office.id)
    if view == TO_SIGN:
        return and_(Dispatch.status == rules.SENT, Dispatch.addressee_office_id == office.id)
    if view == DUE_SOON:
        return and_(_my_turn(office), Dispatch.current_due.between(today, next_workday))
    if view == OVERDUE:
        return and_(_my_turn(office), Dispatch.current_due < today)
    return _visible(office)


def result_statement(
    office: Office,
    calendar: WorkCalendar,
    *,
    view: str = ALL,
    text: str = "",
    sort: str = "decided_on",
    descending: bool = True,
    today: date | None = None,
) -> Select:
    today = today or clock.today()
    stmt = _base()
    where = _view_filter(view, office, today, calendar.next_workday(today))
    if where is not None:
        stmt = stmt.where(where)
    for condition in _text_filter(text):
        stmt = stmt.where(condition)
    column = _SORT_COLUMNS.get(sort, ApprovalResult.decided_on)
    order = column.desc() if descending else column.asc()
    return stmt.order_by(order, ApprovalResult.id.desc() if descending else ApprovalResult.id)


def list_results(
    session: Session,
    office: Office,
    calendar: WorkCalendar,
    *,
    view: str = ALL,
    text: str = "",
    sort: str = "decided_on",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
    today: date | None = None,
) -> list[ResultRow]:
    stmt = result_statement(
        office, calendar, view=view, text=text, sort=sort, descending=descending, today=today
    )
    rows = session.execute(stmt.offset(offset).limit(limit))
    # A list: an ID or phone number typed into the applicant's name is masked (issue 7).
    return [ResultRow(*r[:3], mask_text(r[3]), *r[4:]) for r in rows]


def count_results(session: Session, office: Office, calendar: WorkCalendar, *, view: str = ALL,
                  text: str = "", today: date | None = None) -> int:
    """How many rows a view has; joins only what its conditions need (a count of 200,000
    results through every join of the list statement takes seconds)."""
    today = today or clock.today()
    where = _view_filter(view, office, today, calendar.next_workday(today))
    words = _text_filter(text)
    stmt = select(func.count()).select_from(ApprovalResult)
    if words or not (view == ALL and office.role in ("approval", "oversight")):
        stmt = stmt.join(Dispatch, Dispatch.id == ApprovalResult.current_dispatch_id)
    if words:
        stmt = stmt.join(LicensingItem, LicensingItem.id == ApprovalResult.item_id).join(
            Addressee, Addressee.id == Dispatch.addressee_office_id
        )
    if where is not None:
        stmt = stmt.where(where)
    for condition in words:
        stmt = stmt.where(condition)
    return session.scalar(stmt) or 0


def work_counts(session: Session, office: Office, calendar: WorkCalendar,
                today: date | None = None) -> WorkCounts:
    """The four numbers on the office's dashboard, each one indexed query."""
    today = today or clock.today()
    nxt = calendar.next_workday(today)

    def n(where) -> int:
        stmt = select(func.count()).select_from(Dispatch).where(Dispatch.kind == rules.APPROVAL_PUSH.kind, where)
        return session.scalar(stmt) or 0

    return WorkCounts(
        to_push=n(_view_filter(TO_PUSH, office, today, nxt)),
        to_sign=n(_view_filter(TO_SIGN, office, today, nxt)),
        due_soon=n(_view_filter(DUE_SOON, office, today, nxt)),
        overdue=n(_view_filter(OVERDUE, office, today, nxt)),
    )


def row_due_state(row: ResultRow, calendar: WorkCalendar, today: date | None = None) -> str | None:
    return due_state(row.current_due, today or clock.today(), calendar)
