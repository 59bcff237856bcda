"""Penalty decisions and licence changes (Art. 19), referrals of violations (Art. 20).

The subject records of the ``penalty_notice``, ``licence_change_push``, ``referral`` and
``case_result`` dispatches keep their sender-minted ids at every office that holds them. A
dispatch points at them by ``subject_id``; they point at licences (approval results) and at
each other by plain ids without foreign keys, because an office may hold a record without the
licence or penalty it refers to (a licence issued before ShenGuan, a department that did not
make the penalty). A licence's state is derived from its changes, newest decision last.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.models.base import Base, UUIDMixin

# 变更、撤回、撤销、注销 (Art. 19)
MEASURES = {"amend": "变更", "withdraw": "撤回", "revoke": "撤销", "cancel": "注销"}
_MEASURE_CHECK = "IN ('amend','withdraw','revoke','cancel')"
REFERRAL_DECISIONS = {"accepted": "受理", "declined": "不予受理"}


class LicenceRef:
    """The licence a record concerns: the approval result's id when known to ShenGuan, and
    always its number, item and holder (a licence issued before ShenGuan has only these)."""

    approval_result_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    licence_number: Mapped[str] = mapped_column(String(64), default="", index=True)
    item_code: Mapped[str] = mapped_column(String(64), default="")
    item_name: Mapped[str] = mapped_column(String(256), default="")
    holder_name: Mapped[str] = mapped_column(String(128), default="")


class PenaltyDecision(LicenceRef, UUIDMixin, Base):
    """行政处罚决定 that requires a licence to be amended, withdrawn, revoked or cancelled."""

    __tablename__ = "penalty_decisions"
    __table_args__ = (CheckConstraint(f"measure {_MEASURE_CHECK}", name="measure"),)

    deciding_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    decision_number: Mapped[str] = mapped_column(String(64))  # 处罚决定书文号
    decided_on: Mapped[date] = mapped_column(Date)
    measure: Mapped[str] = mapped_column(String(16))  # the licence measure the penalty requires
    facts: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(String(512), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    recorded_by: Mapped[str] = mapped_column(String(64), default="")
    dispatch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    # When the approval bureau decided on the licence (the ``decide`` step's time).
    licence_decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class LicenceChange(LicenceRef, UUIDMixin, Base):
    """The approval bureau's decision to amend, withdraw, revoke or cancel a licence."""

    __tablename__ = "licence_changes"
    __table_args__ = (CheckConstraint(f"kind {_MEASURE_CHECK}", name="kind"),)

    deciding_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    decision_number: Mapped[str] = mapped_column(String(64))
    decided_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text, default="")
    penalty_decision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    recorded_by: Mapped[str] = mapped_column(String(64), default="")


class Referral(UUIDMixin, Base):
    """违法线索移送 (Art. 20): a violation outside the referring department's remit."""

    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint("decision IS NULL OR decision IN ('accepted','declined')", name="decision"),
    )

    referring_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    receiving_office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"), index=True)
    party_name: Mapped[str] = mapped_column(String(128))  # 当事人
    licence_number: Mapped[str] = mapped_column(String(64), default="")
    case_summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")  # one item of the evidence list a line
    found_on: Mapped[date] = mapped_column(Date)
    referred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    recorded_by: Mapped[str] = mapped_column(String(64), default="")
    dispatch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    # At the receiving office: the day the referral was imported or registered there.
    received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    case_number: Mapped[str] = mapped_column(String(64), default="")  # 立案编号
    case_filed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    result_text: Mapped[str] = mapped_column(Text, default="")
    result_on: Mapped[date | None] = mapped_column(Date, nullable=True)
