"""A record's audit events in a detail panel: a QAbstractTableModel over plain rows, the small
table that shows it, and the query through the workspace's sessions."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.text_rows_model import TextRowsModel

if TYPE_CHECKING:
    from app.services.audit_log import AuditRow
    from app.ui.workspace import Workspace

HEADERS = ("序号", "时间", "单位", "操作员", "操作", "对象", "内容")


class AuditModel(TextRowsModel):
    HEADERS = HEADERS

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.replace((str(r.seq), r.at.strftime("%Y-%m-%d %H:%M:%S"), r.office, r.operator,
                      r.action, r.entity_label, r.what) for r in rows)


def audit_rows(ws: Workspace, record_id: uuid.UUID) -> list[AuditRow]:
    """The audit events of a record and the records that belong to it (its own session)."""
    from app.services.audit_log import record_events

    with ws.session() as s:
        return record_events(s, record_id)


class AuditSection(QWidget):
    """"审计记录" and its table; ``loader(record_id)`` gives the rows (set by the owner)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loader: Callable[[uuid.UUID], Sequence[AuditRow]] | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("审计记录（谁、何时、改了什么）"))
        self.model = AuditModel(self)
        self.table = QTableView(objectName="auditTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(120)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        box.addWidget(self.table)

    def show_record(self, record_id: uuid.UUID | None) -> None:
        rows: Sequence[AuditRow] = ()
        if record_id is not None and self.loader is not None:
            try:
                rows = self.loader(record_id)
            except Exception:  # noqa: BLE001 - the rest of the detail is still shown
                rows = ()
        self.model.set_rows(rows)
