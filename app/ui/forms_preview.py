"""Preview a printed form in the program, print it (QPrinter), or save it as a PDF.

Pages are rendered with PDFium (pypdfium2): QtPdf for PySide6 6.11 only ships in the
175 MB PySide6-Addons wheel. Preview pages are rendered when they scroll into view, so a
batch of a thousand forms opens at once. Printing renders each page at the printer's
resolution (at most 300 dpi) and paints it on the QPrinter, in a worker thread with a
cancellable progress dialog (QPainter on a QPrinter is allowed outside the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.workers import run_with_progress

PREVIEW_DPI = 80
PRINT_DPI_MAX = 300
WARNING_STYLE = "background:#FFF4E0; color:#6B3E00; border:1px solid #F0C27A; padding:6px;"


def page_image(doc: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """One page as a QImage (white background, RGB)."""
    bitmap = doc[index].render(scale=dpi / 72, fill_color=(255, 255, 255, 255))
    pil = bitmap.to_pil().convert("RGB")
    data = pil.tobytes("raw", "RGB")
    return QImage(data, pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888).copy()


def paint_pdf(printer: QPrinter, pdf: bytes, progress: Callable[[int, int], None] | None = None) -> int:
    """Paint every page of ``pdf`` on ``printer``, each filling the paper; returns pages."""
    doc = pdfium.PdfDocument(pdf)
    painter = QPainter()
    try:
        n = len(doc)
        if not painter.begin(printer):
            raise OSError("无法开始打印：打印机不可用。")
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        for i in range(n):
            if i:
                printer.newPage()
            image = page_image(doc, i, dpi)
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            painter.drawImage(QRectF(0, 0, paper.width(), paper.height()), image)
            if progress is not None:
                progress(i + 1, n)
        return n
    finally:
        if painter.isActive():
            painter.end()
        doc.close()


class PdfPreviewDialog(QDialog):
    """The pages of one PDF, with 打印 and 另存为 PDF."""

    def __init__(self, pdf: bytes, title: str, *, warning: str = "", file_name: str = "单据.pdf",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self.pdf = pdf
        self.file_name = file_name
        self.printer: QPrinter | None = None  # kept: Qt crashes if it is freed while in use
        self.doc: pdfium.PdfDocument | None = pdfium.PdfDocument(pdf)
        self.saved_to: Path | None = None
        self.printed_pages = 0
        layout = QVBoxLayout(self)
        self.warning = QLabel(warning, objectName="formsWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.setVisible(bool(warning))
        layout.addWidget(self.warning)

        self.scroll = QScrollArea(objectName="previewScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setStyleSheet("QScrollArea { background:#8A8F96; }")
        pages = QWidget()
        pages.setStyleSheet("background:#8A8F96;")
        box = QVBoxLayout(pages)
        box.setSpacing(12)
        self.page_labels: list[QLabel] = []
        self._rendered: set[int] = set()
        for i in range(len(self.doc)):
            w, h = self.doc[i].get_size()
            label = QLabel(objectName=f"page{i + 1}")
            label.setFixedSize(int(w * PREVIEW_DPI / 72), int(h * PREVIEW_DPI / 72))
            label.setStyleSheet("background:white;")
            box.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.scroll.setWidget(pages)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _v: self._render_visible())
        layout.addWidget(self.scroll, 1)

        row = QHBoxLayout()
        self.count = QLabel(f"共 {len(self.doc)} 页")
        row.addWidget(self.count)
        row.addStretch(1)
        self.print_button = QPushButton("打印…", objectName="printButton")
        self.save_button = QPushButton("另存为 PDF…", objectName="saveButton")
        close = QPushButton("关闭", objectName="closeButton")
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.accept)
        for b in (self.print_button, self.save_button, close):
            row.addWidget(b)
        layout.addLayout(row)
        self.resize(760, 900)
        QTimer.singleShot(0, self._render_visible)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._render_visible()

    def _render_visible(self) -> None:
        if self.doc is None:
            return
        top = self.scroll.verticalScrollBar().value()
        bottom = top + max(self.scroll.viewport().height(), 1)
        for i, label in enumerate(self.page_labels):
            if i in self._rendered:
                continue
            y = label.y()
            if i == 0 or (y + label.height() >= top and y <= bottom):
                label.setPixmap(QPixmap.fromImage(page_image(self.doc, i, PREVIEW_DPI)))
                self._rendered.add(i)

    def save_as(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", self.file_name, "PDF 文件 (*.pdf)")
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            target.write_bytes(self.pdf)
        except OSError as exc:
            QMessageBox.warning(self, "另存为 PDF", f"无法保存到 {target}：{exc.strerror or exc}")
            return None
        self.saved_to = target
        return target

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)
        printer.setDocName(self.windowTitle())
        return printer

    def print_(self) -> bool:
        self.printer = self.make_printer()
        dialog = QPrintDialog(self.printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        outcome = run_with_progress(self, "打印", "正在打印…",
                                    lambda progress: paint_pdf(self.printer, self.pdf, progress))
        if outcome.error is not None:
            QMessageBox.warning(self, "打印", f"打印失败：{outcome.error}")
            return False
        if outcome.ok:
            self.printed_pages = outcome.value
        return outcome.ok

    def done(self, result: int) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc = None
        super().done(result)
