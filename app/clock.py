"""The one source of "now" for the whole program.

Offices keep China Standard Time, so times are stored as naive local wall-clock values.
Tests replace the clock with :func:`freeze`; nothing else reads the system time directly.
"""

from __future__ import annotations

from datetime import date, datetime

_frozen: datetime | None = None


def now() -> datetime:
    if _frozen is not None:
        return _frozen
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()


def freeze(moment: datetime | None) -> None:
    """Make :func:`now` return ``moment`` (or the real time again when ``None``)."""
    global _frozen
    _frozen = moment


def frozen_at() -> datetime | None:
    """The moment the clock is frozen at, or ``None`` when it follows the real time."""
    return _frozen
