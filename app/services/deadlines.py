"""Due dates of dispatches: computed when a clock starts, stored, recomputed if provisional."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Dispatch
from app.services import rules
from app.services.workdays import DueDate, WorkCalendar, load_calendar

OVERDUE = "overdue"
DUE_SOON = "due_soon"
ON_TRACK = "on_track"
DUE_STATE_LABELS = {OVERDUE: "已逾期", DUE_SOON: "即将到期", ON_TRACK: "未到期"}


def due_after(limit: rules.Limit, start: date, calendar: WorkCalendar) -> DueDate | None:
    """The due date of a limit counted from ``start`` (None when the limit is not countable)."""
    if limit.days is None:
        return None
    if limit.days == 0:  # "immediately": the same working day, or the next one after a rest day
        status = calendar.day_status(start)
        if status.workday:
            return DueDate(start, status.provisional)
        nxt = calendar.next_workday(start)
        return DueDate(nxt, calendar.day_status(nxt).provisional or status.provisional)
    return calendar.add(start, limit.days)


def refresh_current_due(d: Dispatch) -> None:
    """Point ``current_due`` at the deadline of the step awaited now."""
    if d.status == rules.PENDING:
        d.current_due, d.current_due_provisional = d.send_due, d.send_due_provisional
    elif d.status == rules.SENT:
        d.current_due, d.current_due_provisional = d.reply_due, d.reply_due_provisional
    else:
        d.current_due, d.current_due_provisional = None, False


def due_state(due: date | None, today: date, calendar: WorkCalendar) -> str | None:
    """Overdue after the end of the due day; due soon when due today or the next working day."""
    if due is None:
        return None
    if today > due:
        return OVERDUE
    if due <= calendar.next_workday(today):
        return DUE_SOON
    return ON_TRACK


def recompute_provisional(session: Session, calendar: WorkCalendar | None = None) -> int:
    """Recompute provisional due dates with the calendar now known; returns how many changed."""
    calendar = calendar or load_calendar(session)
    changed = 0
    stmt = select(Dispatch).where(
        or_(Dispatch.send_due_provisional.is_(True), Dispatch.reply_due_provisional.is_(True))
    )
    for d in session.scalars(stmt):
        rule = rules.rule(d.kind)
        before = (d.send_due, d.send_due_provisional, d.reply_due, d.reply_due_provisional)
        if d.send_due_provisional:
            due = due_after(rule.send_within, d.clock_start, calendar)
            if due is not None:
                d.send_due, d.send_due_provisional = due.due, due.provisional
        if d.reply_due_provisional and d.sent_at is not None and d.agreed_due is None:
            due = due_after(rule.reply_within, d.sent_at.date(), calendar)
            if due is not None:
                d.reply_due, d.reply_due_provisional = due.due, due.provisional
        if before != (d.send_due, d.send_due_provisional, d.reply_due, d.reply_due_provisional):
            refresh_current_due(d)
            changed += 1
    session.flush()
    return changed
