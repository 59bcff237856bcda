"""督办统计 (Art. 21): placeholder until the oversight figures service lands."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def open_oversight_page(ws, window):
    QMessageBox.information(window, "督办统计", "督办统计尚未安装。")
