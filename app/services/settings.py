"""Per-installation settings kept in the database (key/value)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Setting

OPERATOR = "operator"  # the name written on events when the user does not give one
CURRENT_OFFICE = "current_office"  # demo mode: which local office the window acts as


def get(session: Session, key: str, default: str = "") -> str:
    row = session.scalar(select(Setting).where(Setting.key == key))
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    row = session.scalar(select(Setting).where(Setting.key == key))
    if row is None:
        session.add(Setting(id=uuid.uuid4(), key=key, value=value))
    else:
        row.value = value
