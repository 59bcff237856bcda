"""The windows opened from the menu bar (办件, 督办统计, 清单与名录, 数据交换): one of each per
main window, made on first use and brought to the front, refreshed, when asked for again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

PageT = TypeVar("PageT", bound=QWidget)


def show_once(window: QWidget, attr: str, make: Callable[[], PageT]) -> PageT:
    """Show ``window.<attr>`` (made by ``make()`` the first time, else refreshed) in front."""
    page = getattr(window, attr, None)
    if page is None:
        page = make()
        setattr(window, attr, page)
    else:
        page.refresh()
    page.show()
    page.raise_()
    page.activateWindow()
    return page
