"""Benchmark: 1,000 transmittal forms (with their receipt slips) into one PDF, as a ratio to
raw reportlab drawing the same text with the same fonts in the same run. Goal: ≤ 2×.

The baseline replays exactly the text runs our layout drew (font, size, position, string)
with ``canvas.setFont`` + ``canvas.drawString`` on the same pages, so the ratio is the cost
of the layout itself: wrapping, font fallback, tables, rules and the QR codes.

    python3 benchmarks/bench_forms.py [--forms 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from app import clock  # noqa: E402
from app.db import open_database  # noqa: E402
from app.models import LicensingItem  # noqa: E402
from app.services import offices, results  # noqa: E402
from app.services.forms import layout, render, transmittal  # noqa: E402
from app.services.forms.fonts import font_set  # noqa: E402
from app.services.results import ResultInput  # noqa: E402


def make_forms(n: int) -> list[transmittal.TransmittalData]:
    clock.freeze(datetime(2026, 11, 25, 10, 0))
    folder = tempfile.mkdtemp(prefix="sg-bench-forms-")
    db = open_database(f"sqlite:///{folder}/bench.db")
    with db.sessions() as s:
        ap = offices.add_office(s, "YK-SPJ", "营口市行政审批局", "approval", "市本级", local=True)
        zj = offices.add_office(s, "YK-ZJJ", "营口市住房和城乡建设局", "competent", "市本级")
        item = LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发", competent_office_id=zj.id)
        s.add(item)
        s.flush()
        ids = []
        for i in range(n):
            data = ResultInput(
                item_code="ZJ-001", applicant_name=f"营口市鲅鱼圈区䶮𠮷建筑工程有限公司第{i}分公司",
                applicant_id=_uscc(), contact_name="李明", contact_phone="13904171234",
                result="准予许可", decided_on=date(2026, 11, 24), licence_number=f"2108002026{i:08d}",
                licence_issued_on=date(2026, 11, 24), materials="施工许可申请表；建设工程规划许可证；施工合同；安全生产许可证",
            )
            r = results.record(s, data, office=ap, operator="王芳")
            d = results.push(s, r, office=ap, operator="王芳", channel="fax", agreed_due=date(2026, 11, 27))
            ids.append(d.id)
        s.commit()
        t0 = time.perf_counter()
        forms = transmittal.load(s, ids)
        print(f"loaded the fields of {n} forms in {time.perf_counter() - t0:.2f} s")
    db.engine.dispose()
    return forms


def _uscc() -> str:
    from app.services.ids import uscc_check_char

    body = "91210800MA0TEXT01"
    return body + uscc_check_char(body)


def ours(forms) -> tuple[float, int]:
    fonts = font_set()
    t0 = time.perf_counter()
    out = render.transmittals(forms, io.BytesIO(), fonts=fonts)
    return time.perf_counter() - t0, out.pages


def record_runs(forms) -> list[list[tuple[str, float, float, float, str]]]:
    """The text runs our layout draws, page by page (not timed)."""
    pages: list[list] = [[]]
    original_draw, original_end = layout.Sheet.draw_line, layout.Sheet._end_page

    def draw_line(self, text, x, baseline, size, chain, bold=False):
        for font, run in chain.runs(text):
            pages[-1].append((font, size, x, baseline, run))
            x += chain.width(run, size)
        return 0.0

    def end_page(self):
        original_end(self)
        pages.append([])

    layout.Sheet.draw_line, layout.Sheet._end_page = draw_line, end_page
    try:
        render.transmittals(forms, io.BytesIO(), fonts=font_set())
    finally:
        layout.Sheet.draw_line, layout.Sheet._end_page = original_draw, original_end
    return [p for p in pages if p]


def raw(pages) -> float:
    fonts = font_set()  # the same registered TrueType fonts
    t0 = time.perf_counter()
    c = Canvas(io.BytesIO(), pagesize=A4, pageCompression=1, initialFontName=fonts.body.primary)
    for runs in pages:
        for font, size, x, y, text in runs:
            c.setFont(font, size)
            c.drawString(x, y, text)
        c.showPage()
    c.save()
    return time.perf_counter() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--forms", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    forms = make_forms(a.forms)
    pages = record_runs(forms)
    best_ours, best_raw, n_pages = float("inf"), float("inf"), 0
    for _ in range(a.repeat):
        t, n_pages = ours(forms)
        best_ours = min(best_ours, t)
        best_raw = min(best_raw, raw(pages))
    runs = sum(len(p) for p in pages)
    print(f"{a.forms} transmittal forms + receipt slips: {n_pages} pages, {runs} text runs")
    print(f"  our layout      {best_ours:6.2f} s  ({best_ours / a.forms * 1000:.1f} ms per form)")
    print(f"  raw reportlab   {best_raw:6.2f} s  (same text, fonts and positions)")
    ratio = best_ours / best_raw
    print(f"  ratio {ratio:.2f}×  (goal ≤ 2×: {'met' if ratio <= 2 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
