"""The navigation list of work views with their counts (待推送 / 待签收 / 即将到期 / 已逾期 / 全部)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.services import queries

VIEW_ROLE = Qt.ItemDataRole.UserRole + 1
MARKS = {  # view: (marker colour, background when it has entries)
    queries.TO_PUSH: ("#2F6DB5", None),
    queries.TO_SIGN: ("#2F6DB5", None),
    queries.DUE_SOON: ("#E0B400", "#FFF1A8"),
    queries.OVERDUE: ("#C62828", "#F9C0C0"),
    queries.ALL: ("#7A7A7A", None),
}


def _marker(colour: str) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(QColor(colour))
    return QIcon(pix)


class NavList(QListWidget):
    """One row per view; ``view_selected(view)`` when the user picks one."""

    view_selected = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setIconSize(QSize(12, 12))
        self.setSpacing(2)
        self.setMinimumWidth(150)
        self.setMaximumWidth(220)
        self._counts: dict[str, int | None] = {}
        self.currentItemChanged.connect(self._changed)

    def set_views(self, views: tuple[str, ...]) -> None:
        self.blockSignals(True)
        self.clear()
        for view in views:
            item = QListWidgetItem(_marker(MARKS[view][0]), queries.VIEW_LABELS[view])
            item.setData(VIEW_ROLE, view)
            item.setSizeHint(QSize(0, 34))
            self.addItem(item)
        self._counts = dict.fromkeys(views)
        self.setCurrentRow(0)
        self.blockSignals(False)

    def views(self) -> tuple[str, ...]:
        return tuple(self.item(i).data(VIEW_ROLE) for i in range(self.count()))

    def current_view(self) -> str:
        item = self.currentItem()
        return item.data(VIEW_ROLE) if item else queries.ALL

    def select_view(self, view: str) -> None:
        for i in range(self.count()):
            if self.item(i).data(VIEW_ROLE) == view:
                self.setCurrentRow(i)
                return

    def set_count(self, view: str, count: int | None) -> None:
        for i in range(self.count()):
            item = self.item(i)
            if item.data(VIEW_ROLE) != view:
                continue
            self._counts[view] = count
            label = queries.VIEW_LABELS[view]
            item.setText(label if count is None else f"{label}　{count}")
            background = MARKS[view][1]
            busy = bool(count) and background is not None
            item.setBackground(QBrush(QColor(background)) if busy else QBrush())
            item.setForeground(QBrush(QColor("#1A1A1A")) if busy else QBrush())
            font = QFont(item.font())
            font.setBold(bool(count) and view != queries.ALL)
            item.setFont(font)

    def set_work_counts(self, counts: queries.WorkCounts) -> None:
        for view in (queries.TO_PUSH, queries.TO_SIGN, queries.DUE_SOON, queries.OVERDUE):
            self.set_count(view, getattr(counts, view))

    def count_of(self, view: str) -> int | None:
        return self._counts.get(view)

    def _changed(self, current, _previous) -> None:
        if current is not None:
            self.view_selected.emit(current.data(VIEW_ROLE))
