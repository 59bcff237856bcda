"""The 相对集中行政许可事项清单 in versions (Art. 7).

The oversight office (营商局) drafts a version, records the opinions of the approval bureau and
the competent departments (评估论证), has it approved by the government (文号, date), puts it in
force and files it with the upper government (备案). A version in force is published to every
office as a signed file; each office keeps the versions it imported and works under the newest.

Entries name their competent office by code *and* name as text: a catalogue received from the
oversight office is a document, kept as it was published, even if the local roster changes later.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.models.base import Base, UUIDMixin

VERSION_STATUSES = ("draft", "evaluated", "approved", "in_force", "filed", "superseded")
# Jurisdiction level of an item (Art. 2): code → label. "devzone" and "ftz" are both of the
# org model's "zone" level (app.models.org.JURISDICTION_LEVELS).
ITEM_LEVELS = {"city": "市本级", "county": "县（市）区", "devzone": "开发区", "ftz": "自贸区"}


class CatalogueVersion(UUIDMixin, Base):
    __tablename__ = "catalogue_versions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft','evaluated','approved','in_force','filed','superseded')",
            name="status",
        ),
    )

    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    based_on_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("catalogue_versions.id"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    evaluated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    approved_doc_number: Mapped[str | None] = mapped_column(String(64), nullable=True)  # 文号
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    in_force_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    filed_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # 备案
    filed_with: Mapped[str | None] = mapped_column(String(128), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Where this row came from: made here ("local") or imported from a signed file ("imported").
    origin: Mapped[str] = mapped_column(String(16), default="local")

    entries: Mapped[list[CatalogueEntry]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="CatalogueEntry.code"
    )
    opinions: Mapped[list[CatalogueOpinion]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="CatalogueOpinion.recorded_at"
    )


class CatalogueEntry(UUIDMixin, Base):
    """One licensing item of a catalogue version."""

    __tablename__ = "catalogue_entries"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalogue_versions.id"))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(256))
    category: Mapped[str] = mapped_column(String(64), default="")
    competent_office_code: Mapped[str] = mapped_column(String(32))
    competent_office_name: Mapped[str] = mapped_column(String(128))
    jurisdiction_level: Mapped[str] = mapped_column(String(16), default="city")

    version: Mapped[CatalogueVersion] = relationship(back_populates="entries")


class CatalogueOpinion(UUIDMixin, Base):
    """An office's opinion on a draft (Art. 7: 根据行政审批部门和行政主管部门意见)."""

    __tablename__ = "catalogue_opinions"

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalogue_versions.id"), index=True)
    office_code: Mapped[str] = mapped_column(String(32))
    office_name: Mapped[str] = mapped_column(String(128))
    office_role: Mapped[str] = mapped_column(String(16))
    agrees: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)

    version: Mapped[CatalogueVersion] = relationship(back_populates="opinions")
