"""清单与名录: a window of its own beside the main window (not modal), one tab per list —
事项清单 (Art. 7), 实施清单 (Art. 8 ¶1–2), 征求意见与告知 (Art. 8 ¶2–4, Art. 11 letters),
专家库 and 中介机构库 (Art. 11), 联络员 (Art. 16).

The tabs write through :mod:`app.ui.lists_actions` and then emit ``ws.changed``; the window
refreshes every tab on it (and when the acting office changes), so what one tab did shows in
the others.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.services import pools
from app.ui.lists_catalogue import CatalogueTab
from app.ui.lists_liaison import LiaisonTab
from app.ui.lists_notices import NoticesTab
from app.ui.lists_pools import PoolTab
from app.ui.lists_sheets import SheetsTab
from app.ui.pages import show_once
from app.ui.workspace import Workspace

TAB_TITLES = ("事项清单", "实施清单", "征求意见与告知", "专家库", "中介机构库", "联络员")


class ListsPage(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("清单与名录")
        self.resize(1180, 720)
        layout = QVBoxLayout(self)
        self.identity = QLabel(objectName="listsIdentity")
        layout.addWidget(self.identity)
        self.tabs = QTabWidget(objectName="listsTabs")
        self.catalogue = CatalogueTab(ws)
        self.sheets = SheetsTab(ws)
        self.notices = NoticesTab(ws)
        self.experts = PoolTab(ws, pools.EXPERT)
        self.agencies = PoolTab(ws, pools.AGENCY)
        self.liaison = LiaisonTab(ws)
        for tab, title in zip(self.all_tabs(), TAB_TITLES, strict=True):
            self.tabs.addTab(tab, title)
        layout.addWidget(self.tabs, 1)
        ws.changed.connect(lambda _rid: self.refresh())
        ws.office_changed.connect(self.refresh)
        self.refresh()

    def all_tabs(self) -> tuple[QWidget, ...]:
        return (self.catalogue, self.sheets, self.notices, self.experts, self.agencies, self.liaison)

    def refresh(self) -> None:
        office = self.ws.office
        self.identity.setText(f"本单位：{office.name}（{office.role_label}）" if office else "本数据库尚未设置本单位。")
        for tab in self.all_tabs():
            tab.refresh()


def open_lists_page(ws: Workspace, window) -> ListsPage:
    """Show the one 清单与名录 window of this main window (created on first use)."""
    return show_once(window, "lists_page", lambda: ListsPage(ws, window))
