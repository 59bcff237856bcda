"""Row counts that may scan the whole table run in a background thread.

The work counts in the navigation are indexed and cheap; "how many rows match this view
and filter" is not (hundreds of milliseconds with 200,000 results), so it never runs on the
GUI thread. Each request has a generation number and stale answers are dropped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.services import queries


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
