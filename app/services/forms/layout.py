"""One page layout for every printed form: GB/T 9704-2012 geometry on A4, drawn with reportlab.

The text block is 156 × 225 mm, 37 mm from the top and 28 mm from the left edge; the title
is 2号 (22 pt), body text 3号 (16 pt), table text 4号 (14 pt) or smaller, page numbers
"— 1 —" in 4号 7 mm below the block. A :class:`Sheet` is one PDF; it keeps a cursor that runs
down the text block and starts a new page when a block does not fit. Tables split tall rows
across pages and repeat their header row. Text is wrapped for Chinese (any character may
end a line, except that closing punctuation never starts one and opening punctuation never
ends one), and drawn run by run with the font chain (app.services.forms.fonts), so rare
characters come from the fallback fonts and nothing is dropped.

Forms are plain functions that call a Sheet: transmittal.py, receipt slips, batch.py,
keyform.py; later forms (penalty notices, referral letters, circulars) do the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import BinaryIO

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.services.forms.fonts import FontChain, FontSet

PAGE_W, PAGE_H = A4
TOP, LEFT, BLOCK_W, BLOCK_H = 37 * mm, 28 * mm, 156 * mm, 225 * mm
X0, X1 = LEFT, LEFT + BLOCK_W
Y_TOP, Y_BOTTOM = PAGE_H - TOP, PAGE_H - TOP - BLOCK_H
PAGE_NUMBER_GAP = 7 * mm

# 字号 in points.
ER_HAO, SAN_HAO, SI_HAO, XIAO_SI, WU_HAO = 22.0, 16.0, 14.0, 12.0, 10.5
ASCENT = 0.88  # of the bundled fonts, as a fraction of the size (UMing: 879/1000)
LINE_PITCH = BLOCK_H / 22  # GB/T 9704: 22 lines to the block

NO_START = set("，。、；：？！）》」』〕】〉”’％‰·…—～,.;:?!)]}%")
NO_END = set("（《「『〔【〈“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9@_\-/.:+#%]+|.", re.S)


def cn_date(day: date | None, blank: str = "    年  月  日") -> str:
    """2026年11月25日 (no leading zeros), or a blank to be filled in by hand."""
    return f"{day.year}年{day.month}月{day.day}日" if day else blank


def wrap(text: str, width: float, size: float, chain: FontChain) -> list[str]:
    """Lines of ``text`` no wider than ``width`` points (explicit newlines kept).

    Remembered per font chain: labels, fixed sentences and repeated values are wrapped once
    per batch, not once per form. (Characters no font has are still reported: drawing the
    lines goes through :meth:`FontChain.runs`.)"""
    key = (text, width, size)
    cache = chain.wraps
    lines = cache.get(key)
    if lines is None:
        lines = _wrap(text, width, size, chain)
        if len(cache) >= 20_000:
            cache.clear()
        cache[key] = lines
    return list(lines)


def _wrap(text: str, width: float, size: float, chain: FontChain) -> list[str]:
    lines: list[str] = []
    choose = chain.choose
    for para in (text or "").split("\n"):
        cur: list[str] = []
        used = 0.0
        for tok in _TOKEN.findall(para):
            tw = sum(choose(c)[1] for c in tok) * size
            if used + tw <= width + 0.01:
                cur.append(tok)
                used += tw
                continue
            if len(tok) > 1 and tw > width:  # a word longer than a line: break it anywhere
                for ch in tok:
                    cw = choose(ch)[1] * size
                    if used + cw > width + 0.01 and cur:
                        lines.append("".join(cur))
                        cur, used = [], 0.0
                    cur.append(ch)
                    used += cw
                continue
            carry: list[str] = []
            if tok[0] in NO_START:  # closing punctuation takes the last character along
                while cur and len(carry) < 2 and (not carry or cur[-1] in NO_START):
                    carry.insert(0, cur.pop())
            while cur and cur[-1] and cur[-1][-1] in NO_END:  # opening punctuation moves down
                carry.insert(0, cur.pop())
            if cur:
                lines.append("".join(cur))
            cur = [*carry, tok]
            used = sum(choose(c)[1] for c in "".join(cur)) * size
        lines.append("".join(cur))
    return lines


@lru_cache(maxsize=4096)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The QR modules for an ASCII payload (reportlab's encoder, level M).

    One fixed mask pattern instead of scoring all eight (reportlab's ``make``): every mask
    decodes, and scoring took 85 % of the time of a whole form (6 ms of 7)."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    return tuple(tuple(bool(m) for m in row) for row in qr.modules)


@lru_cache(maxsize=256)
def qr_path(payload: str) -> tuple[int, str]:
    """(modules per side, PDF path operators) of the QR symbol in module units, origin at
    its bottom-left module: one rectangle per horizontal run of dark modules, all filled
    as ONE vector path. Integer coordinates, so the operators are written once per code
    (a form and its slip share it) and stay crisp at any resolution; each run is 1.02
    modules tall so that no hairline shows between rows."""
    modules = qr_matrix(payload)
    n = len(modules)
    ops: list[str] = []
    for r, row in enumerate(modules):
        y = n - 1 - r
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                ops.append(f"{start} {y} {col - start} 1.02 re")
            else:
                col += 1
    ops.append("f")
    return n, "\n".join(ops)


def _num(v: float) -> str:
    """A coordinate for the content stream (reportlab's fp_str is slow in pure Python)."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


@dataclass
class Cell:
    text: str
    width: float  # points
    label: bool = False  # a field name: centred
    align: str = "left"  # left, center, right


@dataclass
class Row:
    cells: list[Cell]
    min_height: float = 0.0


@dataclass
class Sheet:
    """One PDF being written on A4 with the GB/T 9704 text block."""

    target: str | BinaryIO
    fonts: FontSet
    title: str = ""
    author: str = ""
    numbered: bool = True
    y: float = Y_TOP
    page_no: int = 0  # within the current section
    pages: int = 0  # in the whole PDF
    _open: bool = False
    _header_height: float = 0.0
    c: Canvas = field(init=False)

    def __post_init__(self) -> None:
        self.c = Canvas(self.target, pagesize=A4, pageCompression=1,
                        initialFontName=self.fonts.body.primary, initialFontSize=SAN_HAO)
        self.c.setTitle(self.title)
        self.c.setAuthor(self.author)
        self.c.setCreator("审管通 ShenGuan")

    # -- pages ------------------------------------------------------------------------

    def start_page(self) -> None:
        if self._open:
            self._end_page()
        self._open = True
        self.page_no += 1
        self.pages += 1
        self.y = Y_TOP
        self.c.setLineWidth(0.6)

    def _end_page(self) -> None:
        if self.numbered:
            self._page_number()
        self.c.showPage()
        self._open = False

    def new_section(self, numbered: bool = True) -> None:
        """Start a new form: a new page whose numbering starts at 1."""
        if self._open:
            self._end_page()
        self.numbered = numbered
        self.page_no = 0
        self.start_page()

    def _page_number(self) -> None:
        text = f"— {self.page_no} —"
        chain, size = self.fonts.body, SI_HAO
        baseline = Y_BOTTOM - PAGE_NUMBER_GAP - ASCENT * size
        w = chain.width(text, size)
        # GB/T 9704: odd pages on the right, even pages on the left, one character in.
        x = X1 - size - w if self.page_no % 2 else X0 + size
        self.draw_line(text, x, baseline, size, chain)

    def fits(self, height: float) -> bool:
        return self.y - height >= Y_BOTTOM - 0.01

    def need(self, height: float) -> None:
        if not self.fits(height):
            self.start_page()

    def space(self, height: float) -> None:
        self.y -= height

    def save(self) -> None:
        if self._open:
            self._end_page()
        self.c.save()

    # -- text -------------------------------------------------------------------------

    def draw_line(self, text: str, x: float, baseline: float, size: float,
                  chain: FontChain, bold: bool = False) -> float:
        """Draw one line at a baseline, run by run; returns its width."""
        c = self.c
        x0 = x
        if bold:
            c.saveState()
            c.setLineWidth(size * 0.03)
            c._code.append("2 Tr")  # fill and stroke: a heavier title without a bold face
        for font, run in chain.runs(text):
            c.setFont(font, size)
            c.drawString(x, baseline, run)
            x += chain.width(run, size)
        if bold:
            c._code.append("0 Tr")
            c.restoreState()
        return x - x0

    def text(self, text: str, *, size: float = SAN_HAO, indent: float = 0.0,
             align: str = "left", leading: float | None = None, title: bool = False,
             x: float = X0, width: float = BLOCK_W) -> None:
        """A paragraph at the cursor, wrapped to the block (first-line indent in points)."""
        chain = self.fonts.title if title else self.fonts.body
        leading = leading or size * 1.5
        lines = wrap(text, width - indent, size, chain)
        if indent and len(lines) > 1:  # only the first line is indented
            first = lines[0]
            rest = wrap(text[len(first):].lstrip("\n"), width, size, chain)
            lines = [first, *rest]
        for i, line in enumerate(lines):
            self.need(leading)
            baseline = self.y - (leading - size) / 2 - ASCENT * size
            if self.y == Y_TOP:  # the first line of a page sits on the top margin
                baseline = self.y - ASCENT * size
            lx = x + (indent if i == 0 else 0)
            if align != "left":
                w = chain.width(line, size)
                lx = x + (width - w) / 2 if align == "center" else x + width - w
            self.draw_line(line, lx, baseline, size, chain, bold=title and chain.fake_bold)
            self.y = baseline - (leading - size) / 2 - (1 - ASCENT) * size

    def heading(self, text: str, size: float = ER_HAO) -> None:
        """The form's title: 2号, centred, heavy."""
        self.text(text, size=size, align="center", leading=size * 1.45, title=True)

    # -- tables -----------------------------------------------------------------------

    def grid(self, rows: list[Row], *, size: float = SI_HAO, leading: float | None = None,
             pad: float = 3.0, header: Row | None = None) -> None:
        """A ruled table across the block; tall rows split over pages, the header repeats."""
        leading = leading or size * 1.4
        chain = self.fonts.body
        self._header_height = 0.0
        if header is not None:
            top = self.y
            self._row(header, size, leading, pad, chain)
            self._header_height = top - self.y
        for row in rows:
            wrapped = [wrap(cell.text, cell.width - 2 * pad, size, chain) for cell in row.cells]
            while True:
                n = max(len(w) for w in wrapped)
                height = max(n * leading + 2 * pad, row.min_height)
                if self.fits(height):
                    self._draw_row(row, wrapped, height, size, leading, pad, chain)
                    break
                room = int((self.y - Y_BOTTOM - 2 * pad) // leading)
                if n > 1 and room >= 1:  # split: what fits here, the rest on the next page
                    head = [w[:room] for w in wrapped]
                    self._draw_row(row, head, room * leading + 2 * pad, size, leading, pad, chain)
                    wrapped = [w[room:] or [""] for w in wrapped]
                elif self.y >= Y_TOP - 0.01 - (self._header_height if header else 0):
                    # one line taller than an empty page (a huge minimum height): shrink it
                    self._draw_row(row, wrapped, self.y - Y_BOTTOM, size, leading, pad, chain)
                    break
                self.start_page()
                if header is not None:
                    self._row(header, size, leading, pad, chain)

    def _row(self, row: Row, size, leading, pad, chain) -> None:
        wrapped = [wrap(cell.text, cell.width - 2 * pad, size, chain) for cell in row.cells]
        height = max(max(len(w) for w in wrapped) * leading + 2 * pad, row.min_height)
        self.need(height)
        self._draw_row(row, wrapped, height, size, leading, pad, chain)

    def _draw_row(self, row: Row, wrapped, height, size, leading, pad, chain) -> None:
        x, top = X0, self.y
        self._rules(row, top, height)
        for cell, lines in zip(row.cells, wrapped, strict=True):
            block = len(lines) * leading
            # Labels and one-line values sit in the middle of the row; longer values on top.
            first_top = top - (height - block) / 2 if cell.label or len(lines) == 1 else top - pad
            for i, line in enumerate(lines):
                baseline = first_top - i * leading - (leading - size) / 2 - ASCENT * size
                align = "center" if cell.label else cell.align
                lx = x + pad
                if align != "left":
                    w = chain.width(line, size)
                    lx = x + (cell.width - w) / 2 if align == "center" else x + cell.width - pad - w
                self.draw_line(line, lx, baseline, size, chain)
            x += cell.width
        self.y = top - height

    def _rules(self, row: Row, top: float, height: float) -> None:
        """The row's borders as ONE stroked path: its outline and the lines between cells."""
        bottom = top - height
        b, t = _num(bottom), _num(top)
        ops = [f"{_num(X0)} {b} {_num(sum(c.width for c in row.cells))} {_num(height)} re"]
        x = X0
        for cell in row.cells[:-1]:
            x += cell.width
            xs = _num(x)
            ops.append(f"{xs} {b} m {xs} {t} l")
        ops.append("S")
        self.c._code.append(" ".join(ops))

    # -- marks ------------------------------------------------------------------------

    def qr(self, payload: str, x: float, top: float, side: float = 24 * mm) -> None:
        """A QR code whose top-left corner is at (x, top), with its 4-module quiet zone."""
        n, ops = qr_path(payload)
        unit = side / (n + 8)
        c = self.c
        c.saveState()
        c.setFillColorRGB(0, 0, 0)
        c.transform(unit, 0, 0, unit, x + 4 * unit, top - (n + 4) * unit)
        c._code.append(ops)
        c.restoreState()

    def box(self, x: float, top: float, width: float, height: float, dash: bool = False) -> None:
        c = self.c
        c.saveState()
        if dash:
            c.setDash(3, 2)
        c.rect(x, top - height, width, height, stroke=1, fill=0)
        c.restoreState()

    def text_at(self, text: str, x: float, top: float, size: float = SAN_HAO,
                align: str = "left", width: float = 0.0) -> None:
        """One line whose character tops are at ``top`` (not moving the cursor)."""
        chain = self.fonts.body
        if align != "left":
            w = chain.width(text, size)
            x = x + (width - w) / 2 if align == "center" else x + width - w
        self.draw_line(text, x, top - ASCENT * size, size, chain)
