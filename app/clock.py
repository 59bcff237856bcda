"""The one source of "now" for the whole program.

Offices keep China Standard Time, so times are stored as naive local wall-clock values.
Tests replace the clock with :func:`freeze`; nothing else reads the system time directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

_now: Callable[[], datetime] = lambda: datetime.now().replace(microsecond=0)  # noqa: E731


def now() -> datetime:
    return _now()


def today() -> date:
    return _now().date()


def freeze(moment: datetime | None) -> None:
    """Make :func:`now` return ``moment`` (or the real time again when ``None``)."""
    global _now
    if moment is None:
        _now = lambda: datetime.now().replace(microsecond=0)  # noqa: E731
    else:
        _now = lambda: moment  # noqa: E731
