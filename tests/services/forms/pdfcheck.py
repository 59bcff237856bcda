"""Reading the PDFs we write, as a person's tools would: text, fonts, positions, QR codes."""

from __future__ import annotations

import io

from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTTextContainer
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

MM = 72 / 25.4
PAGE_H_MM = 297.0
BASE14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats", "Times", "Arial"}


def text(pdf: bytes, page: int | None = None) -> str:
    pages = None if page is None else [page]
    return extract_text(io.BytesIO(pdf), page_numbers=pages)


def fonts(pdf: bytes) -> list[dict]:
    """Every font dictionary used on any page, with the bits that matter for embedding."""
    doc = PDFDocument(PDFParser(io.BytesIO(pdf)))
    found = {}
    for page in PDFPage.create_pages(doc):
        for name, ref in (resolve1(page.resources.get("Font")) or {}).items():
            font = resolve1(ref)
            desc = resolve1(font.get("FontDescriptor")) or {}
            base = resolve1(font.get("BaseFont"))
            base = base.name if hasattr(base, "name") else str(base)
            found[base] = {
                "name": name, "base": base, "subtype": getattr(resolve1(font.get("Subtype")), "name", ""),
                "embedded": "FontFile2" in desc, "cff": "FontFile3" in desc,
            }
    return list(found.values())


def chars(pdf: bytes, page: int = 0) -> list[tuple[str, float, float, float, float]]:
    """(char, left, top, right, bottom) in mm from the page's top-left corner."""
    out = []
    layout = next(extract_pages(io.BytesIO(pdf), page_numbers=[page]))

    def walk(obj):
        if isinstance(obj, LTChar):
            out.append((obj.get_text(), obj.x0 / MM, PAGE_H_MM - obj.y1 / MM,
                        obj.x1 / MM, PAGE_H_MM - obj.y0 / MM))
        elif isinstance(obj, LTTextContainer) or hasattr(obj, "__iter__"):
            for child in obj:
                walk(child)

    walk(layout)
    return [c for c in out if c[0].strip()]


def page_count(pdf: bytes) -> int:
    return len(list(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(pdf))))))


def qr_codes(pdf: bytes, page: int = 0, dpi: int = 150) -> list[str]:
    """Render the page (pdfium) and read every QR code on it (zxing-cpp)."""
    import pypdfium2 as pdfium
    import zxingcpp

    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
