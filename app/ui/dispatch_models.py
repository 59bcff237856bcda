"""QAbstractTableModel adapters for the 办件 page: the work rows and one row's timeline.

Both hold plain values from :mod:`app.services.worklist` and turn them into display strings
once, on ``set_rows``. Overdue rows are painted red, rows due soon amber, finished rows grey.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.services import worklist
from app.ui.exchange_models import _RowsModel, time_text

WORK_COLUMNS = ("办件类别", "依据", "收/发", "对方单位", "事由", "状态", "办理期限", "期限状态")
TIMELINE_COLUMNS = ("时间", "单位", "操作员", "操作", "办理后状态", "说明")

_COLORS = {"overdue": QColor("#A40000"), "due_soon": QColor("#8A5300")}
_DONE = QColor("#6E6E6E")


class WorkRowModel(_RowsModel):
    """One ``worklist.WorkRow`` a row."""

    HEADERS = WORK_COLUMNS

    def _row_cells(self, r: worklist.WorkRow) -> tuple[str, ...]:
        return (r.kind_name, r.article, r.direction_label, r.counterpart_name, r.summary,
                r.status_label, r.due_text, r.due_state_label)

    def row_of(self, dispatch_id) -> int:
        """The table row showing ``dispatch_id`` (-1 when not shown)."""
        return next((i for i, r in enumerate(self._items) if r.id == dispatch_id), -1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            r = self.item(index.row())
            if r is None:
                return None
            color = _COLORS.get(r.due_state or "")
            if color is None and not r.actions and not r.waiting_other:
                color = _DONE
            return QBrush(color) if color is not None else None
        return super().data(index, role)


class DispatchTimelineModel(_RowsModel):
    """办理记录: one ``worklist.TimelineEntry`` a row, oldest first."""

    HEADERS = TIMELINE_COLUMNS

    def _row_cells(self, e: worklist.TimelineEntry) -> tuple[str, ...]:
        return (time_text(e.at), e.office_name, e.operator, e.action_label, e.status_label, e.note)
