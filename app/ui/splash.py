"""A start-up card painted at once, while the database layer loads (≈ half a second cold)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QWidget

WIDTH, HEIGHT = 480, 240


def _card(family: str) -> QPixmap:
    pix = QPixmap(WIDTH, HEIGHT)
    pix.fill(QColor("#0B3A6E"))
    p = QPainter(pix)
    p.setPen(QColor("#FFFFFF"))
    p.setFont(QFont(family, 30, QFont.Weight.Bold))
    p.drawText(QRect(32, 36, WIDTH - 64, 60), Qt.AlignmentFlag.AlignLeft, "审管通")
    p.setFont(QFont(family, 12))
    p.drawText(QRect(34, 104, WIDTH - 64, 28), Qt.AlignmentFlag.AlignLeft,
               "相对集中行政许可 审批与监管协同")
    p.setPen(QColor("#A9C4E4"))
    p.setFont(QFont(family, 10))
    p.drawText(QRect(34, 134, WIDTH - 64, 24), Qt.AlignmentFlag.AlignLeft,
               "依据《营口市相对集中行政许可权实施办法（试行）》")
    p.setPen(QColor("#FFFFFF"))
    p.drawText(QRect(34, HEIGHT - 44, WIDTH - 64, 24), Qt.AlignmentFlag.AlignLeft, "正在启动…")
    p.end()
    return pix


class StartupCard(QLabel):
    """A frameless card; unlike QSplashScreen it never waits for the window to be exposed."""

    def __init__(self, pixmap: QPixmap):
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setPixmap(pixmap)
        self.setFixedSize(pixmap.size())

    def finish(self, window: QWidget) -> None:
        """Close once the main window is up (closing twice is harmless)."""
        self.close()
        self.deleteLater()


def show_splash(app: QApplication) -> StartupCard:
    card = StartupCard(_card(app.font().family()))
    screen = app.primaryScreen()
    if screen is not None:
        card.move(screen.availableGeometry().center() - card.rect().center())
    card.show()
    app.processEvents()
    return card
