"""The expert pool and the agency pool kept at the approval bureau (Art. 11).

Competent departments recommend experts and qualified intermediary agencies and tell the
approval bureau by letter when their details change. Entries are never deleted: a removed
expert or agency is deactivated, so that past reviews can still name who took part.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.models.base import Base, UUIDMixin
from app.models.org import Office


class Expert(UUIDMixin, Base):
    """专家库 entry."""

    __tablename__ = "experts"

    name: Mapped[str] = mapped_column(String(64), index=True)
    specialty: Mapped[str] = mapped_column(String(128), default="")  # 专业领域
    title: Mapped[str] = mapped_column(String(64), default="")  # 职称
    employer: Mapped[str] = mapped_column(String(128), default="")  # 工作单位
    qualification: Mapped[str] = mapped_column(String(128), default="")  # 资格/证书
    certificate_number: Mapped[str] = mapped_column(String(64), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    recommending_office_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("offices.id"), nullable=True, index=True
    )
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)

    recommending_office: Mapped[Office | None] = relationship()


class Agency(UUIDMixin, Base):
    """中介机构库 entry; the unified social credit code identifies the agency."""

    __tablename__ = "agencies"

    name: Mapped[str] = mapped_column(String(128), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    scope: Mapped[str] = mapped_column(String(512), default="")  # 服务范围
    qualification: Mapped[str] = mapped_column(String(128), default="")  # 资质
    certificate_number: Mapped[str] = mapped_column(String(64), default="")
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    contact_name: Mapped[str] = mapped_column(String(64), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    recommending_office_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("offices.id"), nullable=True, index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)

    recommending_office: Mapped[Office | None] = relationship()
