"""A QAbstractTableModel over a result's timeline (plain TimelineEntry values)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.ui.text_rows_model import TextRowsModel

if TYPE_CHECKING:
    from app.services.detail import TimelineEntry

HEADERS = ("时间", "单位", "操作员", "操作", "说明")


class TimelineModel(TextRowsModel):
    HEADERS = HEADERS

    def set_entries(self, entries: Sequence[TimelineEntry]) -> None:
        self.replace(
            (e.at.strftime("%Y-%m-%d %H:%M"), e.office_name, e.operator, e.action_label, e.note)
            for e in entries
        )
