"""Local operator accounts of this installation (issue 7, item 6). They never travel."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UUIDMixin

OPERATOR_ROLES = ("clerk", "head", "admin")


class Operator(UUIDMixin, Base):
    __tablename__ = "operators"
    __table_args__ = (
        CheckConstraint("role IN ('clerk', 'head', 'admin')", name="role"),
    )

    # Stored folded to lower case: unique without regard to case.
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    office_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("offices.id"), nullable=True
    )
    # "scrypt$n=16384,r=8,p=1$<salt hex>$<key hex>": algorithm and parameters kept with it.
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_sign_in: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
