"""Child process of bench_start.py: start one program, print the time of its first paint
(``PAINTED``) and, for the app, of the first paint of its table showing rows (``DATA``).

    python benchmarks/start_child.py bare
    python benchmarks/start_child.py app --db URL --home DIR

Both modes create the QApplication first and watch for the first Paint event of a
QMainWindow; "app" then runs the real entry point ``app.gui.main`` unchanged.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402


class FirstPaint(QObject):
    def __init__(self, app: QApplication, want_data: bool):
        super().__init__()
        self.app = app
        self.painted = False
        self.data = not want_data

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.Paint:
            return False
        if not self.painted and isinstance(obj, QMainWindow):
            self.painted = True
            print(f"PAINTED {time.perf_counter() - T0:.6f}", flush=True)
        view = obj.parent() if obj is not None else None
        if (not self.data and isinstance(view, QTableView) and view.model() is not None
                and view.model().rowCount() > 0):
            self.data = True
            print(f"DATA {time.perf_counter() - T0:.6f}", flush=True)
        if self.painted and self.data:
            QTimer.singleShot(0, self.app.quit)
        return False


def main() -> int:
    mode = sys.argv[1]
    app = QApplication([sys.argv[0]])
    watcher = FirstPaint(app, want_data=mode != "bare")
    app.installEventFilter(watcher)
    if mode == "bare":
        window = QMainWindow()
        window.setCentralWidget(QTableView())
        window.resize(1200, 800)
        window.show()
        return app.exec()
    # The database has accounts: sign in as a person would, as soon as the dialog shows. (Found
    # by class name: importing app.ui.sign_in here would import the database layer before the
    # frame paints, which the program itself avoids.)
    def sign_in() -> None:
        dialog = next((w for w in app.topLevelWidgets()
                       if type(w).__name__ == "SignInDialog" and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(5, sign_in)
            return
        from benchmarks.populate import BENCH_PASSWORD, BENCH_USER

        dialog.username.setText(BENCH_USER)
        dialog.password.setText(BENCH_PASSWORD)
        dialog.accept()

    QTimer.singleShot(0, sign_in)
    from app.gui import main as gui_main

    return gui_main(sys.argv[2:])


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
