"""Calendar overrides: holidays and 调休 working days the chinese-calendar package lacks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.models.base import Base, UUIDMixin


class CalendarOverride(UUIDMixin, Base):
    """One day whose status differs from (or is missing in) chinese-calendar.

    ``is_workday`` False marks a rest day (a holiday), True a working day (a 调休 make-up
    Saturday or Sunday). A weekday that is simply a working day needs no row.
    """

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, unique=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(256), default="")


class CalendarYear(UUIDMixin, Base):
    """A year whose complete arrangement has been imported: due dates in it are final."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, unique=True)
    source: Mapped[str] = mapped_column(String(256), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
