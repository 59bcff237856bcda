"""Jurisdictions, offices and their liaison officers (Art. 2, Art. 16)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UUIDMixin

ROLES = ("approval", "competent", "enforcement", "oversight")
JURISDICTION_LEVELS = ("city", "county", "zone")


class Jurisdiction(UUIDMixin, Base):
    __tablename__ = "jurisdictions"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[str] = mapped_column(String(16), default="city")

    offices: Mapped[list[Office]] = relationship(back_populates="jurisdiction")


class Office(UUIDMixin, Base):
    __tablename__ = "offices"
    __table_args__ = (
        CheckConstraint(
            "role IN ('approval','competent','enforcement','oversight')", name="role"
        ),
    )

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    jurisdiction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jurisdictions.id"))
    # True for the office(s) this installation acts as; demo mode has several.
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)

    jurisdiction: Mapped[Jurisdiction] = relationship(back_populates="offices")
    liaison_officers: Mapped[list[LiaisonOfficer]] = relationship(back_populates="office")


class LiaisonOfficer(UUIDMixin, Base):
    """信息推送联络员 (Art. 16): the person who keeps the exchange running for an office."""

    __tablename__ = "liaison_officers"

    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32), default="")
    duties: Mapped[str] = mapped_column(String(256), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    since: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The one liaison named on pushes and forms (app.services.liaison keeps one per office).
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    office: Mapped[Office] = relationship(back_populates="liaison_officers")
