"""Approval results (审批结果): the push-sheet fields of Art. 8 and who holds responsibility."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.models.base import Base, UUIDMixin
from app.models.items import LicensingItem
from app.models.org import Office

APPLICANT_ID_TYPES = ("uscc", "resident_id")  # 统一社会信用代码 / 居民身份证号码


class ApprovalResult(UUIDMixin, Base):
    __tablename__ = "approval_results"
    __table_args__ = (
        # Lists walk these in order and stop after a page, instead of sorting everything.
        Index("ix_approval_results_office_decided", "approval_office_id", "decided_on", "id"),
        Index("ix_approval_results_office_applicant", "approval_office_id", "applicant_name", "id"),
        Index("ix_approval_results_office_licence", "approval_office_id", "licence_number", "id"),
        Index("ix_approval_results_decided_on_id", "decided_on", "id"),
    )

    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("licensing_items.id"), index=True)
    approval_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))

    applicant_name: Mapped[str] = mapped_column(String(128))
    applicant_id_type: Mapped[str] = mapped_column(String(16))
    applicant_id: Mapped[str] = mapped_column(String(18), index=True)
    contact_name: Mapped[str] = mapped_column(String(64))
    contact_phone: Mapped[str] = mapped_column(String(32))
    materials: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(256))
    licence_number: Mapped[str] = mapped_column(String(64), default="", index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    licence_issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    recorded_by: Mapped[str] = mapped_column(String(64), default="")

    # Art. 17 ¶1: the approval bureau holds responsibility until the push, then the
    # competent department does (and again the bureau after a return).
    responsible_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    responsible_since: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    # The push dispatch now in force for this result (a returned push is replaced by a new one).
    current_dispatch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dispatches.id", use_alter=True), nullable=True, index=True
    )

    item: Mapped[LicensingItem] = relationship()
    approval_office: Mapped[Office] = relationship(foreign_keys=[approval_office_id])
    responsible_office: Mapped[Office] = relationship(foreign_keys=[responsible_office_id])
