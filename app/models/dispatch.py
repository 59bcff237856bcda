"""Dispatches: one mechanism for every "A sends B something within N working days" rule."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.models.base import Base, UUIDMixin
from app.models.org import Office


class Dispatch(UUIDMixin, Base):
    """One sending of a subject record from one office to another under a rule (kind).

    Due dates are computed once, when their clock starts, and stored; ``current_due`` is the
    due date of whatever step is awaited now (NULL when nothing is), so lists of due and
    overdue work are an index lookup.
    """

    __tablename__ = "dispatches"
    __table_args__ = (
        Index("ix_dispatches_status_current_due", "status", "current_due"),
        Index("ix_dispatches_addressee_status", "addressee_office_id", "status"),
        Index("ix_dispatches_sender_status", "sender_office_id", "status"),
    )

    kind: Mapped[str] = mapped_column(String(32))
    sender_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    addressee_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    status: Mapped[str] = mapped_column(String(24))

    clock_start: Mapped[date] = mapped_column(Date)
    send_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    send_due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    channel: Mapped[str | None] = mapped_column(String(16), nullable=True)
    agreed_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    reply_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    reply_due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    current_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    current_due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)

    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    # A push that replaces a returned one points at it.
    previous_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dispatches.id"), nullable=True
    )

    sender: Mapped[Office] = relationship(foreign_keys=[sender_office_id])
    addressee: Mapped[Office] = relationship(foreign_keys=[addressee_office_id])
    events: Mapped[list[DispatchEvent]] = relationship(
        back_populates="dispatch", order_by="DispatchEvent.seq", cascade="all, delete-orphan"
    )


class DispatchEvent(UUIDMixin, Base):
    """One entry of a dispatch's status history: local time, operator, acting office."""

    __tablename__ = "dispatch_events"

    dispatch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dispatches.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_status: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    operator: Mapped[str] = mapped_column(String(64), default="")
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    dispatch: Mapped[Dispatch] = relationship(back_populates="events")
    office: Mapped[Office] = relationship()
