"""The one source of "now" for the whole program.

Offices keep China Standard Time, so times are stored as naive local wall-clock values.
Nothing else reads the system time directly. Two ways to set the clock:

- :func:`freeze` for the whole process (tests);
- :func:`pin` for the calling thread only (the demo builder replays history in a
  background thread while the window goes on showing the real time).
"""

from __future__ import annotations

import threading
from datetime import date, datetime

_frozen: datetime | None = None
_thread = threading.local()


def now() -> datetime:
    pinned = getattr(_thread, "moment", None)
    if pinned is not None:
        return pinned
    if _frozen is not None:
        return _frozen
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()


def freeze(moment: datetime | None) -> None:
    """Make :func:`now` return ``moment`` in every thread (or the real time when ``None``)."""
    global _frozen
    _frozen = moment


def frozen_at() -> datetime | None:
    """The moment the clock is frozen at, or ``None`` when it follows the real time."""
    return _frozen


def pin(moment: datetime | None) -> datetime | None:
    """Set the clock for this thread only; returns the previous pin so it can be restored."""
    previous = getattr(_thread, "moment", None)
    _thread.moment = moment
    return previous


def pinned_at() -> datetime | None:
    """This thread's pinned moment, if any."""
    return getattr(_thread, "moment", None)
