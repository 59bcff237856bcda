"""Licensing items of the catalogue, as the forms need them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LicensingItem, Office


@dataclass(frozen=True)
class ItemChoice:
    code: str
    name: str
    competent_name: str  # where a result of this item is pushed (谁主管、谁监管)


def active_items(session: Session) -> list[ItemChoice]:
    """The items in force, by code, each with the department its results are pushed to."""
    stmt = (
        select(LicensingItem.code, LicensingItem.name, Office.name)
        .join(Office, Office.id == LicensingItem.competent_office_id)
        .where(LicensingItem.active.is_(True))
        .order_by(LicensingItem.code)
    )
    return [ItemChoice(*row) for row in session.execute(stmt)]
