"""Consultations (Art. 9), requests for help (Art. 10, 12, 13), the dispatch metadata an office
reports to the oversight office and the circulars it issues (Art. 21).

Subject records keep their sender-minted ids at every office; dispatches point at them by
``subject_id`` (no foreign key: bundles insert dispatches in bulk after their subjects).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.models.base import Base, UUIDMixin

CONSULTATION_MODES = {"letter": "函告", "meeting": "工作会议"}
SUPPORT_KINDS = {
    "technical_support": "技术支持",
    "training": "业务培训",
    "field_guidance": "现场指导",
    "certificate_stock": "制式证照申领",
}


class Consultation(UUIDMixin, Base):
    """会商 (Art. 9): by letter or by working meeting, with one dispatch per responding office."""

    __tablename__ = "consultations"
    __table_args__ = (CheckConstraint("mode IN ('letter','meeting')", name="mode"),)

    mode: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(256))
    agenda: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[str] = mapped_column(Text, default="")  # people and offices, as written
    requesting_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    # The responding offices' codes, comma-separated (one consultation dispatch to each).
    responding_offices: Mapped[str] = mapped_column(String(1024), default="")
    requested_on: Mapped[date] = mapped_column(Date)
    meeting_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # proposed meeting date
    held_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    minutes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    minutes_office_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    minutes_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)


class SupportRequest(UUIDMixin, Base):
    """A request for technical support (Art. 10), training or field guidance (Art. 12), or help
    with certificate stock from the higher authority (Art. 13), and its reply."""

    __tablename__ = "support_requests"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('technical_support','training','field_guidance','certificate_stock')", name="kind"
        ),
    )

    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(256))
    content: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)  # certificate stock
    wanted_by: Mapped[date | None] = mapped_column(Date, nullable=True)  # a wish, not a due date
    requesting_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    responding_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    dispatch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class OversightReport(UUIDMixin, Base):
    """One dispatch's metadata as reported to the oversight office (Art. 21): codes, dates and
    status only — never an applicant's name, ID number or phone. One row per dispatch; a later
    report replaces it. At the reporting office the same rows record what was last reported."""

    __tablename__ = "oversight_reports"

    dispatch_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    report_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)  # the oversight_report subject
    reporting_office: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    sender_code: Mapped[str] = mapped_column(String(32))
    addressee_code: Mapped[str] = mapped_column(String(32))
    clock_start: Mapped[date] = mapped_column(Date)
    send_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reply_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(24))
    reported_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)


class Circular(UUIDMixin, Base):
    """通报 (Art. 21): drafted from a month's late items, edited, printed."""

    __tablename__ = "circulars"

    number: Mapped[str] = mapped_column(String(64), default="")  # 文号
    title: Mapped[str] = mapped_column(String(256))
    body: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    items: Mapped[str] = mapped_column(Text, default="[]")  # JSON: the late items it names
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
