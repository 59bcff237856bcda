"""The paper loop (Art. 17 ¶2): hand-over lists printed for one addressee, and signed
receipt slips that came back and were scanned into the record."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.models.base import Base, UUIDMixin
from app.models.dispatch import Dispatch


class PaperBatch(UUIDMixin, Base):
    """A 移交清单: many pushes to one addressee printed as one list with one receipt code."""

    __tablename__ = "paper_batches"

    sender_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    addressee_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    items: Mapped[list[PaperBatchItem]] = relationship(
        back_populates="batch", order_by="PaperBatchItem.position", cascade="all, delete-orphan"
    )


class PaperBatchItem(UUIDMixin, Base):
    __tablename__ = "paper_batch_items"

    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("paper_batches.id"), index=True)
    dispatch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dispatches.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)

    batch: Mapped[PaperBatch] = relationship(back_populates="items")
    dispatch: Mapped[Dispatch] = relationship()


class PaperReceipt(UUIDMixin, Base):
    """A signed 签收回执 that came back on paper; the sign-off itself is a dispatch event."""

    __tablename__ = "paper_receipts"

    dispatch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dispatches.id"), index=True)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("paper_batches.id"), nullable=True, index=True
    )
    event_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dispatch_events.id"), nullable=True
    )
    code: Mapped[str] = mapped_column(String(160))
    signer: Mapped[str] = mapped_column(String(64))
    signed_on: Mapped[date] = mapped_column(Date)
    scan_path: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    recorded_by: Mapped[str] = mapped_column(String(64), default="")

    dispatch: Mapped[Dispatch] = relationship()
