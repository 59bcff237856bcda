"""Long work off the GUI thread, with a progress dialog that can be cancelled safely.

The work function receives ``progress(done, total)``; once the user presses 取消 the next
call raises :class:`Cancelled`, so the function unwinds through its own ``with`` blocks
(the session rolls back) and nothing half-done is committed. The thread is never killed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised inside the work function when the user cancelled."""


@dataclass
class Outcome:
    ok: bool
    value: Any = None
    cancelled: bool = False
    error: BaseException | None = None


class Worker(QThread):
    """Runs ``fn(progress)`` in a thread; ``progressed(done, total)`` reaches the GUI thread."""

    progressed = Signal(int, int)

    def __init__(self, fn: Callable[[Callable[[int, int], None]], Any], parent=None):
        super().__init__(parent)
        self._fn = fn
        self._cancel = threading.Event()
        self.outcome = Outcome(False)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        """The callback handed to the work function (runs in the worker thread)."""
        if self._cancel.is_set():
            raise Cancelled()
        self.progressed.emit(int(done), int(total))

    def run(self) -> None:
        try:
            value = self._fn(self.progress)
        except Cancelled:
            self.outcome = Outcome(False, cancelled=True)
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread
            self.outcome = Outcome(False, error=exc)
        else:
            self.outcome = Outcome(True, value)


def run_with_progress(parent: QWidget | None, title: str, label: str,
                      fn: Callable[[Callable[[int, int], None]], Any], *,
                      indeterminate: bool = False) -> Outcome:
    """Run ``fn`` in a worker while a modal progress dialog is shown; wait for it to end."""
    dialog = QProgressDialog(label, "取消", 0, 0 if indeterminate else 100, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(380)
    worker = Worker(fn)

    def on_progress(done: int, total: int) -> None:
        if dialog.wasCanceled() and not worker.cancel_requested:  # cancel() emits no signal
            on_cancel()
        if total > 0 and not worker.cancel_requested:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def on_cancel() -> None:
        worker.cancel()
        dialog.setLabelText("正在取消，请稍候…")
        dialog.setCancelButton(None)
        dialog.show()  # QProgressDialog hides itself on cancel; keep it up until the end

    worker.progressed.connect(on_progress)
    dialog.canceled.connect(on_cancel)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    dialog.show()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    dialog.close()
    outcome = worker.outcome  # a cancel that came after the work had finished changes nothing
    dialog.deleteLater()
    worker.deleteLater()
    return outcome
