"""The installed Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every Qt call that returns
nothing (PYSIDE-3474); a long session then dies with "Fatal Python error: none_dealloc".
pyproject.toml excludes that release; this test fails if such a binding is installed.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_keep_none_refcount(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("审管通")
    # Other threads may take or drop a few references meanwhile; 500 lost ones is the bug.
    assert sys.getrefcount(None) - before > -100
