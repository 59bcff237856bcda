"""Offline exchange (Art. 15 on USB): office keys, the roster of trusted keys, the outbox,
the inbox of applied messages, per-channel sequence numbers and the bundle history.

Private keys live in ``office_keys`` (see docs/exchange-format.md, "Where the keys live").
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.models.base import Base, UUIDMixin


class OfficeKey(UUIDMixin, Base):
    """A local office's own key pairs: Ed25519 to sign, X25519 to receive encrypted bundles."""

    __tablename__ = "office_keys"

    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), unique=True)
    sign_private: Mapped[bytes] = mapped_column(LargeBinary(32))
    sign_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    encrypt_private: Mapped[bytes] = mapped_column(LargeBinary(32))
    encrypt_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)


class RosterKey(UUIDMixin, Base):
    """A public key the oversight office vouches for: the only keys a bundle is checked against.

    At the oversight office these rows are its register (``roster add``); elsewhere they are
    the content of the newest imported roster.
    """

    __tablename__ = "roster_keys"

    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), unique=True)
    sign_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    encrypt_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    fingerprint: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)


class ExchangeChannel(UUIDMixin, Base):
    """One direction sender → addressee. For an outgoing channel ``last_seq`` is the last
    bundle exported and ``acked_seq`` the last one the addressee acknowledged; for an incoming
    channel ``last_seq`` is the last bundle applied (bundles apply strictly in order)."""

    __tablename__ = "exchange_channels"
    __table_args__ = (UniqueConstraint("sender_office_id", "addressee_office_id"),)

    sender_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    addressee_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)


class OutboxMessage(UUIDMixin, Base):
    """A message for another office; ``id`` is the message id the receiver deduplicates by.

    It stays until a bundle from the addressee acknowledges a bundle that carried it
    (``first_seq`` ≤ acknowledged sequence); then ``acked_at`` is set.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_channel_pending", "sender_office_id", "addressee_office_id",
              "acked_at"),
    )

    sender_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    addressee_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    dispatch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)  # the message as JSON, fixed when queued
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    first_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)  # first bundle carrying it
    last_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class InboxMessage(UUIDMixin, Base):
    """A message applied here (``id`` = the sender's message id): a copy is ignored."""

    __tablename__ = "inbox_messages"

    sender_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    bundle_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(32))
    applied_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)


class BundleRecord(UUIDMixin, Base):
    """A bundle exported from here or applied here, with its report (JSON).

    Rejected and held bundles are not recorded here (a refused file leaves the database as it
    was): they are kept in ``<home>/quarantine`` and ``<home>/held`` with their reports.
    """

    __tablename__ = "bundle_records"
    __table_args__ = (UniqueConstraint("direction", "bundle_id"),)

    bundle_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    direction: Mapped[str] = mapped_column(String(8))  # "out" | "in"
    sender_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    addressee_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(DateTime)  # from the header
    processed_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(512), default="")
    report: Mapped[str] = mapped_column(Text, default="")
