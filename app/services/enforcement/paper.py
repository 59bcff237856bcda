"""Signed paper slips of Art. 19 pushes (行政处罚信息 / 许可变更信息签收回执).

Kept as the ``shenguan licence receipt`` entry point: the one place that checks a scanned slip
and records its sign-off is :mod:`app.services.receipts` (its ``SLIPS`` table knows these
kinds); this module only refuses codes that are not an Art. 19 push.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.models import Dispatch, Office
from app.services import receipts
from app.services.errors import NotFoundError

KINDS = ("penalty_notice", "licence_change_push")


def lookup(session: Session, code_text: str) -> receipts.ReceiptTarget:
    target = receipts.lookup(session, code_text)
    if target.dispatch_kind not in KINDS or target.batch_id is not None:
        raise NotFoundError(f"这不是处罚信息或许可变更推送的回执（{target.title}）。请在“登记回执”中登记。")
    return target


def record_slip(session: Session, code_text: str, *, signer: str, signed_on: date | None, office: Office,
                operator: str) -> Dispatch:
    """Record the sign-off of the Art. 19 push on the slip (through ``receipts``); its dispatch."""
    lookup(session, code_text)
    done = receipts.record_receipt(session, code_text, signer=signer, signed_on=signed_on, office=office,
                                   operator=operator)
    return session.get(Dispatch, done.signed[0].dispatch_id)
