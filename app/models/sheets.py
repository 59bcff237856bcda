"""Implementation sheets and push sheets (Art. 8 ¶1), key-element changes (Art. 8 ¶2), policy
changes and opinion requests (Art. 8 ¶3–4), and the departments' pool update letters (Art. 11).

Sheets are kept per licensing item code in versions: a version is a draft while the competent
department prepares it, ``handed_over`` once handed to the approval bureau, and ``superseded``
when a later version is handed over or a consented change replaces it. The subject records of
the four dispatch kinds (sheet changes, policy changes, pool letters) keep their sender-minted
ids at both offices; a dispatch points at them by ``subject_id`` (no foreign key: bundles
insert dispatches in bulk after their subjects).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.models.base import Base, UUIDMixin

# The twelve implementation-sheet fields of Art. 8 ¶1, in the regulation's order.
SHEET_FIELDS = {
    "legal_basis": "许可设定依据",
    "applicants": "实施对象",
    "scope": "权限内容",
    "time_limit": "办结时限",
    "conditions": "实施条件",
    "materials": "申请材料",
    "special_steps": "特殊环节（含中介服务）",
    "review_standard": "审查方式及标准",
    "procedure": "办理流程",
    "duties": "责任事项",
    "accountability": "追责情形",
    "planning": "行业规划、发展布局、数量控制",
}
# The information elements of the push sheet (审批结果信息推送清单, Art. 8 ¶1).
PUSH_FIELDS = {
    "item_name": "事项名称",
    "applicant": "申请人",
    "contact": "联系人",
    "materials": "申请材料",
    "result": "审批结果",
}
SHEET_STATUSES = ("draft", "handed_over", "superseded")
CHANGE_STATUSES = ("pending", "consented", "refused")


class ImplementationSheet(UUIDMixin, Base):
    """实施清单: one version of the twelve fields of one licensing item."""

    __tablename__ = "implementation_sheets"
    __table_args__ = (
        UniqueConstraint("item_code", "version"),
        CheckConstraint("status IN ('draft','handed_over','superseded')", name="status"),
    )

    item_code: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    applicants: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    time_limit: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    special_steps: Mapped[str] = mapped_column(Text, default="")
    review_standard: Mapped[str] = mapped_column(Text, default="")
    procedure: Mapped[str] = mapped_column(Text, default="")
    duties: Mapped[str] = mapped_column(Text, default="")
    accountability: Mapped[str] = mapped_column(Text, default="")
    planning: Mapped[str] = mapped_column(Text, default="")
    prepared_by_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    handed_over_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")  # e.g. which consented change made it


class PushSheet(UUIDMixin, Base):
    """审批结果信息推送清单: which result fields are pushed for one item (a JSON list of keys
    of :data:`PUSH_FIELDS`), in versions like the implementation sheet."""

    __tablename__ = "push_sheets"
    __table_args__ = (
        UniqueConstraint("item_code", "version"),
        CheckConstraint("status IN ('draft','handed_over','superseded')", name="status"),
    )

    item_code: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[str] = mapped_column(Text, default="[]")
    prepared_by_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    handed_over_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SheetChange(UUIDMixin, Base):
    """A proposed change of one key element of a handed-over sheet (Art. 8 ¶2): pending until
    the competent department consents (a new sheet version) or refuses (the old value stays)."""

    __tablename__ = "sheet_changes"
    __table_args__ = (
        CheckConstraint("status IN ('pending','consented','refused')", name="status"),
    )

    # The sheet here (None at an office that does not hold that version).
    sheet_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("implementation_sheets.id"), nullable=True, index=True
    )
    item_code: Mapped[str] = mapped_column(String(64), index=True)
    sheet_version: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    proposed_by_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    proposed_by: Mapped[str] = mapped_column(String(64), default="")
    proposed_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    dispatch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    new_sheet_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)


class PolicyChange(UUIDMixin, Base):
    """A policy-change notice (Art. 8 ¶3) or an opinion request on a draft rule (Art. 8 ¶4)."""

    __tablename__ = "policy_changes"
    __table_args__ = (
        CheckConstraint("kind IN ('notice','opinion_request')", name="kind"),
    )

    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(256))
    content: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(String(512), default="")  # 依据（文件名称、文号）
    effective_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # For an opinion request: the date the department would like the opinion by (a wish
    # printed for people; the rules table sets no limit, so no due date is derived from it).
    reply_wanted_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    sending_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    dispatch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PoolLetter(UUIDMixin, Base):
    """A competent department's update letter to the expert and agency pools (Art. 11), as the
    JSON text of app.services.pool_letters; applied at the bureau when it acknowledges it."""

    __tablename__ = "pool_letters"

    letter: Mapped[str] = mapped_column(Text)
    sending_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    letter_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    dispatch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    applied_counts: Mapped[str] = mapped_column(Text, default="")  # JSON, what apply_update did
