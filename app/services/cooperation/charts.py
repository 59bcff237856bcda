"""Charts of the on-time figures, drawn with reportlab.graphics (no Qt, no QtCharts).

A chart is a reportlab ``Drawing``: the circular PDF draws it as vectors, and :func:`png`
renders it to PNG bytes for the GUI or a file (the drawing as a one-page PDF, rasterised with
pdfium: reportlab's own bitmap renderer needs a cairo backend that is not installed). Labels use
the bundled CJK font of the printed forms.
"""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from app.services.cooperation.oversight import MEASURES
from app.services.forms.fonts import font_set

WIDTH, HEIGHT = 520, 290
PALETTE = (colors.HexColor("#2F5597"), colors.HexColor("#C55A11"), colors.HexColor("#548235"),
           colors.HexColor("#7F6000"))


def _font() -> str:
    return font_set().body.primary


def short_name(name: str) -> str:
    """营口市住房和城乡建设局 → 住房和城乡建设局 (the city prefix says nothing on a chart)."""
    for prefix in ("营口市",):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
    return name if len(name) <= 10 else name[:9] + "…"


def _series(rows: list[dict], key: str) -> tuple[list[str], list, list[str]]:
    """Categories (offices or months), one series of rates (percent) per measure present."""
    cats = sorted({r[key] for r in rows})
    measures = [m for m in MEASURES if any(r["measure"] == m.key for r in rows)]
    rate = {(r[key], r["measure"]): r["rate"] for r in rows}
    data = [tuple(None if rate.get((c, m.key)) is None else rate[c, m.key] * 100 for c in cats)
            for m in measures]  # None: nothing counted — no bar, a gap in the line
    return cats, data, [m.label for m in measures]


def _frame(title: str, labels: list[str]) -> Drawing:
    font = _font()
    d = Drawing(WIDTH, HEIGHT)
    d.add(String(WIDTH / 2, HEIGHT - 18, title, fontName=font, fontSize=12, textAnchor="middle"))
    if labels:
        legend = Legend()
        legend.x, legend.y, legend.fontName, legend.fontSize = 60, 16, font, 8
        legend.alignment, legend.columnMaximum, legend.dx, legend.dy = "right", 1, 8, 8
        legend.colorNamePairs = list(zip(PALETTE, labels, strict=False))
        d.add(legend)
    return d


def _axes(chart, cats: list[str], font: str) -> None:
    """Axes of a chart; with many categories their names are slanted so none overlap."""
    slanted = len(cats) > 5
    bottom = 84 if slanted else 60
    chart.x, chart.y, chart.width, chart.height = 50, bottom, WIDTH - 70, HEIGHT - bottom - 40
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.categoryAxis.categoryNames = cats
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize = font, 8
    if slanted:
        labels.angle, labels.boxAnchor, labels.dx, labels.dy = 35, "ne", 4, -2


def by_office(figures: dict, title: str = "各单位按时率") -> Drawing:
    """Bars: the on-time rate of each office, one bar per measure."""
    cats, data, labels = _series(figures["by_office"], "office")
    names = {r["office"]: r.get("office_name", r["office"]) for r in figures["by_office"]}
    d = _frame(title, labels)
    if not cats:
        d.add(String(WIDTH / 2, HEIGHT / 2, "本期没有应办事项", fontName=_font(), fontSize=10, textAnchor="middle"))
        return d
    chart = VerticalBarChart()
    _axes(chart, [short_name(names[c]) for c in cats], _font())
    chart.data = data
    chart.groupSpacing, chart.barSpacing = 8, 1
    for i in range(len(data)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    d.add(chart, name="chart")
    return d


def by_month(figures: dict, title: str = "各月按时率") -> Drawing:
    """Lines: the on-time rate of each month, one line per measure."""
    cats, data, labels = _series(figures["by_month"], "month")
    d = _frame(title, labels)
    if not cats:
        d.add(String(WIDTH / 2, HEIGHT / 2, "本期没有应办事项", fontName=_font(), fontSize=10, textAnchor="middle"))
        return d
    chart = HorizontalLineChart()
    _axes(chart, cats, _font())
    chart.data = data
    for i in range(len(data)):
        chart.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
        chart.lines[i].strokeWidth = 1.5
        chart.lines[i].symbol = None
    d.add(chart, name="chart")
    return d


def pdf(drawing: Drawing) -> bytes:
    """The drawing as a one-page PDF (vector)."""
    return renderPDF.drawToString(drawing)


def png(drawing: Drawing, scale: float = 2.0) -> bytes:
    """The drawing as PNG bytes (``scale`` 2: 880 × 500 pixels)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf(drawing))
    try:
        image = doc[0].render(scale=scale).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
