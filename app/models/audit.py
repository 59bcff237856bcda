"""The audit log: every change of state as one hash-chained, append-only event.

``AuditEvent.hash`` is SHA-256 over a canonical text of the event's fields and the previous
event's hash (see :func:`app.services.audit.event_hash`); ``AuditHead`` is one row with the
last sequence number and hash, so that cutting off the newest events is detected too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

GENESIS = "0" * 64  # prev_hash of the first event; the head's hash while the log is empty


class AuditEvent(Base):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    office: Mapped[str] = mapped_column(String(32), default="")
    operator: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    # The record this one belongs to (a dispatch's subject, an event's dispatch), if any.
    parent_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    what: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The one row (id 1): the last event's seq and hash. Locked by every append."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
