"""A QAbstractTableModel over plain ResultRow lists, paged 200 rows at a time.

The model never holds ORM objects or sessions: it calls a ``fetch`` function (view, text,
sort, descending, offset, limit) for pages and re-queries through SQL to sort or filter, so
a list of 200,000 results opens as fast as one of 20.

Every query runs in a background thread (app.ui.counter.RowLoader): sorting 200,000 rows by
a column without an index takes a second or more, and the window must not freeze meanwhile.
Each reload starts a new generation; only the newest generation's answer is applied, and a
page (``fetchMore``) is appended only to the rows of the generation it was asked for. While
a reload runs the old rows stay (a view change clears them at once: they belong to another
list); ``loading_changed`` tells the window to show that a query is running.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.services import queries
from app.services.deadlines import DUE_SOON, OVERDUE
from app.ui.counter import RowLoader

PAGE = 200
PROVISIONAL_MARK = "（暂定）"

# Light backgrounds with dark text stay readable in light and dark desktop themes.
DUE_SOON_BG = QColor("#FFF1A8")
OVERDUE_BG = QColor("#F9C0C0")
ROW_TEXT = QColor("#1A1A1A")
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the result's UUID
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  # due_soon / overdue / on_track / None

Fetch = Callable[[str, str, str, bool, int, int], list[queries.ResultRow]]
DueStateOf = Callable[[queries.ResultRow], "str | None"]


@dataclass(frozen=True)
class _Pending:
    offset: int  # 0: a reload (the rows are replaced); else the next page (appended)
    limit: int


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str
    text: Callable[[queries.ResultRow], str]
    align_center: bool = False


def due_text(row: queries.ResultRow) -> str:
    if row.current_due is None:
        return ""
    text = row.current_due.isoformat()
    return text + PROVISIONAL_MARK if row.due_provisional else text


COLUMNS: tuple[Column, ...] = (  # what needs doing first, then what it is
    Column("状态", "status", lambda r: r.status_label, True),
    Column("办理期限", "due", due_text, True),
    Column("许可事项", "item", lambda r: r.item_name),
    Column("申请人", "applicant", lambda r: r.applicant_name),
    Column("接收部门", "addressee", lambda r: r.addressee_name),
    Column("审批决定日期", "decided_on", lambda r: r.decided_on.isoformat(), True),
    Column("证照编号", "licence", lambda r: r.licence_number),
    Column("责任单位", "holder", lambda r: r.holder_name),
)
assert sorted(c.sort_key for c in COLUMNS) == sorted(queries.SORT_KEYS)


class ResultTableModel(QAbstractTableModel):
    """Rows of one work view; ``set_view``/``set_filter``/``sort``/``reload`` re-query via SQL
    in the background and swap the rows in when the newest answer arrives."""

    loading_changed = Signal(bool)  # True when a query starts, False when none is running
    reloaded = Signal()  # the newest reload's rows are in (the selection was reset)
    failed = Signal(str)  # the newest query failed; the rows shown did not change

    def __init__(self, fetch: Fetch, due_state_of: DueStateOf, parent=None):
        super().__init__(parent)
        self.fetch = fetch  # called in a worker thread
        self._due_state_of = due_state_of
        self._rows: list[queries.ResultRow] = []
        self._states: list[str | None] = []
        self._more = False
        self.view = queries.ALL
        self.text = ""
        self.sort_key = "decided_on"
        self.descending = True
        self.generation = 0  # of the rows asked for last; answers of older ones are dropped
        self._pending: _Pending | None = None  # the query of this generation still running
        self._busy = False  # what loading_changed said last
        self._loader = RowLoader(self)
        self._loader.loaded.connect(self._loaded)

    # -- Qt model API ------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        col = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return col.text(row)
        state = self._states[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            if state == OVERDUE:
                return QBrush(OVERDUE_BG)
            if state == DUE_SOON:
                return QBrush(DUE_SOON_BG)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and state in (OVERDUE, DUE_SOON):
            return QBrush(ROW_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_center:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ID_ROLE:
            return str(row.id)
        if role == STATE_ROLE:
            return state
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].title if 0 <= section < len(COLUMNS) else None
        return section + 1

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and self._pending is None

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        """Ask for the next page; it is appended when it arrives (if still of this generation)."""
        if self.canFetchMore(parent):
            self._request(len(self._rows), PAGE)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key, descending = COLUMNS[column].sort_key, order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending):
            return  # e.g. the view announcing the initial order: the rows already have it
        self.sort_key, self.descending = key, descending
        self.reload()

    # -- queries -----------------------------------------------------------------------

    def set_view(self, view: str) -> None:
        if view != self.view:
            self.view = view
            self.reload(clear=True)

    def configure(self, view: str, sort_key: str, descending: bool) -> None:
        """Set view and order without querying (the caller reloads)."""
        self.view, self.sort_key, self.descending = view, sort_key, descending

    def set_filter(self, text: str) -> None:
        text = " ".join((text or "").split())
        if text != self.text:
            self.text = text
            self.reload()

    def reload(self, keep_loaded: bool = False, clear: bool = False) -> None:
        """Re-query from the first row in the background; the rows shown stay until the answer
        arrives unless ``clear`` (another list). ``keep_loaded`` re-reads as many rows as were
        shown (after an action, so the row acted on is found again)."""
        limit = max(PAGE, len(self._rows)) if keep_loaded else PAGE
        self.generation += 1
        if clear:
            self.beginResetModel()
            self._rows, self._states, self._more = [], [], False
            self.endResetModel()
        self._request(0, limit)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the query running in the background (its answer arrives as an event)."""
        return self._loader.wait(msecs)

    @property
    def loading(self) -> bool:
        """A query of the current generation is running (a reload or the next page)."""
        return self._pending is not None

    def _request(self, offset: int, limit: int) -> None:
        self._pending = _Pending(offset, limit)
        fetch = self.fetch
        args = (self.view, self.text, self.sort_key, self.descending, offset, limit)
        self._loader.start(self.generation, offset, lambda: fetch(*args), replace=offset == 0)
        self._announce()

    def _loaded(self, generation: int, offset: int, rows: list, error: str) -> None:
        pending = self._pending
        if generation != self.generation or pending is None or pending.offset != offset:
            return  # the answer to a question nobody is asking any more
        self._pending = None
        if error:
            # Not asked again and again; after a failed reload the rows shown are older ones,
            # and a page in the new order must not be appended to them.
            self._more = False
            self._announce()
            self.failed.emit(error)
            return
        if offset == 0:
            self.beginResetModel()
            self._rows, self._states = [], []
            self._append(rows)
            self._more = len(rows) == pending.limit
            self.endResetModel()
        else:
            self._more = len(rows) == pending.limit
            if rows:
                self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
                self._append(rows)
                self.endInsertRows()
        self._announce()
        if offset == 0:
            self.reloaded.emit()

    def _announce(self) -> None:
        """Emit ``loading_changed`` when ``loading`` changed since it was last emitted."""
        if self.loading != self._busy:
            self._busy = self.loading
            self.loading_changed.emit(self._busy)

    def _append(self, rows: list[queries.ResultRow]) -> None:
        self._rows.extend(rows)
        self._states.extend(self._due_state_of(r) for r in rows)

    # -- lookups -----------------------------------------------------------------------

    def row_at(self, row: int) -> queries.ResultRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, result_id: uuid.UUID) -> int:
        for i, r in enumerate(self._rows):
            if r.id == result_id:
                return i
        return -1

    def sort_column(self) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.sort_key == self.sort_key)

    @property
    def has_more(self) -> bool:
        return self._more
