"""Licensing items (许可事项) of the catalogue (Art. 7)."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UUIDMixin
from app.models.org import Office


class LicensingItem(UUIDMixin, Base):
    __tablename__ = "licensing_items"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(256))
    category: Mapped[str] = mapped_column(String(64), default="")
    # The department that supervises licences of this item (谁主管、谁监管, Art. 6).
    competent_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    competent_office: Mapped[Office] = relationship()
