"""The bundled CJK font, so Chinese renders on machines without a system CJK font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.config import resources_dir

FONT_FILE = "wqy-microhei.ttc"
FALLBACK_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "SimHei", "Noto Sans CJK SC")
POINT_SIZE = 10


def font_path():
    return resources_dir() / "fonts" / FONT_FILE


def load_bundled_font(app: QApplication | None = None) -> str | None:
    """Register the bundled font and make it the application font; returns its family.

    Returns None (and leaves the default font) when the file is missing or unreadable, so
    a broken installation still starts; Windows then falls back to its own CJK fonts.
    """
    path = font_path()
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    family = families[0]
    app = app or QApplication.instance()
    if app is not None:
        font = QFont(family, POINT_SIZE)
        font.setFamilies([family, *FALLBACK_FAMILIES])
        app.setFont(font)
    return family
