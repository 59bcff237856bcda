"""Work that may scan the whole table runs in a background thread: row counts and pages of rows.

The work counts in the navigation are indexed and cheap; "how many rows match this view
and filter" is not (hundreds of milliseconds with 200,000 results), and neither is a page of
the list sorted by a column without an index (a second or more). Neither runs on the GUI
thread. Each request carries a generation number and stale answers are dropped.

The jobs call plain functions that open their own session from the one sessionmaker and
return plain values (counts, ResultRow lists): no ORM object crosses threads.

A job never touches the object that asked for it: it posts its answer on one long-lived
:class:`_Bus` (a child of the application), addressed with the asker's key, and the asker
listens there. A window closed while a query runs is then simply no longer listening; emitting
on an object that the GUI thread is destroying at that moment could crash the process.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from app.services import queries
from app.services.errors import ShenGuanError


class _Bus(QObject):
    """Where background jobs post their answers (lives as long as the application)."""

    counted = Signal(int, int, str, str, int, int)  # key, generation, view, text, n, total
    loaded = Signal(int, int, int, object, str)  # key, generation, offset, rows, error


_bus: _Bus | None = None
_keys = itertools.count(1)


def bus() -> _Bus:
    """The one bus; made on the GUI thread by the first counter or loader."""
    global _bus
    if _bus is None:
        _bus = _Bus(QCoreApplication.instance())
    return _bus


class _Job(QRunnable):
    def __init__(self, bus_: _Bus, key: int, count: Callable[[str, str], int], generation: int,
                 view: str, text: str):
        super().__init__()
        self.bus, self.key, self.count = bus_, key, count
        self.generation, self.view, self.text = generation, view, text

    def run(self) -> None:
        try:
            n = self.count(self.view, self.text)
            total = n if (self.view == queries.ALL and not self.text) else self.count(queries.ALL, "")
        except Exception:  # noqa: BLE001 - a count is not worth an error box; shown as "?"
            n = total = -1
        self.bus.counted.emit(self.key, self.generation, self.view, self.text, n, total)


class RowCounter(QObject):
    """``request(view, text)``; later ``counted(generation, view, text, n, all_total)``."""

    counted = Signal(int, str, str, int, int)

    def __init__(self, count: Callable[[str, str], int], parent: QObject | None = None):
        super().__init__(parent)
        self.count = count
        self.generation = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._key = next(_keys)
        bus().counted.connect(self._answer)

    def _answer(self, key: int, generation: int, view: str, text: str, n: int, total: int) -> None:
        if key == self._key:
            self.counted.emit(generation, view, text, n, total)

    def request(self, view: str, text: str) -> int:
        self.generation += 1
        self.pool.clear()  # queued, not yet started: no longer wanted
        self.pool.start(_Job(bus(), self._key, self.count, self.generation, view, text))
        return self.generation

    def is_current(self, generation: int) -> bool:
        return generation == self.generation

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)


def error_text(exc: BaseException) -> str:
    """What the status area says about a query that failed."""
    if isinstance(exc, ShenGuanError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class _Load(QRunnable):
    def __init__(self, bus_: _Bus, key: int, generation: int, offset: int, fn: Callable[[], list]):
        super().__init__()
        self.bus, self.key, self.generation, self.offset, self.fn = bus_, key, generation, offset, fn

    def run(self) -> None:
        rows, error = [], ""
        try:
            rows = self.fn()
        except Exception as exc:  # noqa: BLE001 - reported to the GUI thread, shown there
            error = error_text(exc)
        self.bus.loaded.emit(self.key, self.generation, self.offset, rows, error)


class RowLoader(QObject):
    """``start(generation, offset, fn)`` runs ``fn()`` (returning plain rows) in a background
    thread; later ``loaded(generation, offset, rows, error)`` arrives on the GUI thread.

    One thread: a new first page (``replace=True``) drops the jobs still queued; the one
    running finishes and its answer is dropped by the caller, who knows the generation.
    """

    loaded = Signal(int, int, object, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._key = next(_keys)
        bus().loaded.connect(self._answer)

    def _answer(self, key: int, generation: int, offset: int, rows: list, error: str) -> None:
        if key == self._key:
            self.loaded.emit(generation, offset, rows, error)

    def start(self, generation: int, offset: int, fn: Callable[[], list], *, replace: bool) -> None:
        if replace:
            self.pool.clear()  # queued, not yet started: no longer wanted
        self.pool.start(_Load(bus(), self._key, generation, offset, fn))

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
