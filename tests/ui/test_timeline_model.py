"""The detail pane's history table is a model over plain timeline entries."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from app.services.detail import TimelineEntry
from app.ui.timeline_model import TimelineModel


def test_timeline_model(qtmodeltester):
    model = TimelineModel()
    qtmodeltester.check(model)
    model.set_entries([
        TimelineEntry(datetime(2026, 11, 25, 9, 5), "营口市行政审批局", "王芳", "create", "登记", ""),
        TimelineEntry(datetime(2026, 11, 26, 10, 0), "营口市住房和城乡建设局", "赵强", "return", "退回",
                      "不属于本部门监管"),
    ])
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == 5
    assert model.rows()[1] == ("2026-11-26 10:00", "营口市住房和城乡建设局", "赵强", "退回", "不属于本部门监管")
    assert model.headerData(4, Qt.Orientation.Horizontal) == "说明"
