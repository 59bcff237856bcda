"""Work that may scan the whole table runs in a background thread: row counts and pages of rows.

The work counts in the navigation are indexed and cheap; "how many rows match this view
and filter" is not (hundreds of milliseconds with 200,000 results), and neither is a page of
the list sorted by a column without an index (a second or more). Neither runs on the GUI
thread. Each request carries a generation number and stale answers are dropped.

The jobs call plain functions that open their own session from the one sessionmaker and
return plain values (counts, ResultRow lists): no ORM object crosses threads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.services import queries
from app.services.errors import ShenGuanError


class _Job(QRunnable):
    def __init__(self, counter: RowCounter, generation: int, view: str, text: str):
        super().__init__()
        self.counter, self.generation, self.view, self.text = counter, generation, view, text

    def run(self) -> None:
        try:
            n = self.counter.count(self.view, self.text)
            total = n if (self.view == queries.ALL and not self.text) else self.counter.count(queries.ALL, "")
        except Exception:  # noqa: BLE001 - a count is not worth an error box; shown as "?"
            n = total = -1
        with contextlib.suppress(RuntimeError):  # the window (and its counter) went away
            self.counter.counted.emit(self.generation, self.view, self.text, n, total)


class RowCounter(QObject):
    """``request(view, text)``; later ``counted(generation, view, text, n, all_total)``."""

    counted = Signal(int, str, str, int, int)

    def __init__(self, count: Callable[[str, str], int], parent: QObject | None = None):
        super().__init__(parent)
        self.count = count
        self.generation = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)

    def request(self, view: str, text: str) -> int:
        self.generation += 1
        self.pool.clear()  # queued, not yet started: no longer wanted
        self.pool.start(_Job(self, self.generation, view, text))
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
    def __init__(self, loader: RowLoader, generation: int, offset: int, fn: Callable[[], list]):
        super().__init__()
        self.loader, self.generation, self.offset, self.fn = loader, generation, offset, fn

    def run(self) -> None:
        rows, error = [], ""
        try:
            rows = self.fn()
        except Exception as exc:  # noqa: BLE001 - reported to the GUI thread, shown there
            error = error_text(exc)
        with contextlib.suppress(RuntimeError):  # the model (and its loader) went away
            self.loader.loaded.emit(self.generation, self.offset, rows, error)


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

    def start(self, generation: int, offset: int, fn: Callable[[], list], *, replace: bool) -> None:
        if replace:
            self.pool.clear()  # queued, not yet started: no longer wanted
        self.pool.start(_Load(self, generation, offset, fn))

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
