"""QAbstractTableModel adapters for the 数据交换 page and the import wizard.

Each model holds the plain rows it is given (``PeerState`` from the outbox service,
``HistoryRow`` from :mod:`app.ui.exchange_actions`, ``Outcome`` from the apply service) and
turns them into display strings once, on ``set_rows``. Read-only; tooltips repeat the text
so a cell cut short by the column width can still be read in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.dispatch import ACTION_LABELS
from app.services.exchange import apply as applier

if TYPE_CHECKING:
    from app.services.exchange.outbox import PeerState
    from app.ui.exchange_actions import HistoryRow

PEER_COLUMNS = ("代码", "单位", "待发送", "已发未确认", "已发至", "对方确认至", "已收至", "最近导出", "最近导入")
HISTORY_COLUMNS = ("时间", "类别", "对方单位", "序号", "消息", "结果")
PREVIEW_COLUMNS = ("消息", "办理", "结果", "审批结果", "申请人", "说明")


def time_text(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


class _RowsModel(QAbstractTableModel):
    """Plain rows in, display strings out. Subclasses name the headers and the cells."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._items: list[Any] = []
        self._cells: list[tuple[str, ...]] = []

    def _row_cells(self, item: Any) -> tuple[str, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    def set_rows(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._cells = [self._row_cells(item) for item in self._items]
        self.endResetModel()

    def item(self, row: int) -> Any | None:
        """The plain row shown in ``row`` (``None`` outside the table)."""
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[Any]:
        return list(self._items)

    def cells(self, row: int) -> list[str]:
        return list(self._cells[row])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802,B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802,B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        if not 0 <= index.column() < len(self.HEADERS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None


class PeerModel(_RowsModel):
    """对方单位: one ``PeerState`` a row."""

    HEADERS = PEER_COLUMNS

    def _row_cells(self, st: PeerState) -> tuple[str, ...]:
        return tuple(str(v) for v in (st.code, st.name, st.waiting, st.unacknowledged, st.last_sent, st.acked,
                                      st.last_received, time_text(st.last_export), time_text(st.last_import)))

    def peer_id(self, row: int):
        st = self.item(row)
        return None if st is None else st.office_id

    def peer_ids(self) -> list:
        return [st.office_id for st in self._items]


class HistoryModel(_RowsModel):
    """数据包记录: one ``HistoryRow`` a row (its report opened on double-click)."""

    HEADERS = HISTORY_COLUMNS

    def _row_cells(self, h: HistoryRow) -> tuple[str, ...]:
        return tuple(str(v) for v in (time_text(h.when), h.direction, h.peer,
                                      "" if h.sequence is None else h.sequence, h.messages, h.status))


class PreviewModel(_RowsModel):
    """The import wizard's preview: one ``applier.Outcome`` a row."""

    HEADERS = PREVIEW_COLUMNS

    def _row_cells(self, o: applier.Outcome) -> tuple[str, ...]:
        return (o.message_id[:8], ACTION_LABELS.get(o.action, o.action), applier.OUTCOME_LABELS[o.outcome],
                o.subject_id[:8], o.applicant, o.reason)
