"""督办统计 (Art. 21): on-time rates per office and measure for a month, the chart, the late
items; 起草通报… (oversight office: draft, edit, keep and print the circular) and 月度汇总函…
(any office: the month's letter to another office as PDF and .xlsx), in app.ui.oversight_dialogs.

The oversight office sees every office (from the reports the offices send it); any other office
sees its own figures. Figures come from app.services.cooperation.oversight as plain rows.
"""

from __future__ import annotations

from datetime import date
from importlib.util import find_spec

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.ui.dispatch_page import _table
from app.ui.exchange_models import _RowsModel
from app.ui.pages import show_once
from app.ui.workspace import Workspace

RATE_COLUMNS = ("单位", "指标", "按时", "逾期办结", "逾期未办", "未到期", "按时率")
LATE_COLUMNS = ("单位", "指标", "事项类别", "对方单位", "期限", "办理时间", "情况")


def _oversight():
    from app.services.cooperation import oversight

    return oversight


def installed(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ImportError:
        return False


class RatesModel(_RowsModel):
    """One ``figures()["by_office"]`` row a row: office × measure with its counts and rate."""

    HEADERS = RATE_COLUMNS

    def _row_cells(self, r: dict) -> tuple[str, ...]:
        return (r["office_name"], r["measure_label"], str(r["on_time"]), str(r["late"]), str(r["overdue"]),
                str(r["pending"]), _oversight().rate_text(r["rate"]))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid() and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


class LateModel(_RowsModel):
    """One ``late_items()`` row a row."""

    HEADERS = LATE_COLUMNS

    def _row_cells(self, r: dict) -> tuple[str, ...]:
        done = r["done_at"].strftime("%Y-%m-%d %H:%M") if r["done_at"] else "未办理"
        return (r["office_name"], r["measure_label"], r["kind_label"], r["counterpart_name"],
                r["due"].isoformat(), done, r["state_label"])


def months(today: date, count: int = 13) -> list[str]:
    """This month and the ``count - 1`` before it, newest first (YYYY-MM)."""
    y, m, out = today.year, today.month, []
    for _ in range(count):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


class OversightPage(QDialog):
    """A window of its own beside the main window (not modal)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("督办统计（第二十一条）")
        self.resize(1180, 820)
        self.figures: dict = {}
        self.late: list[dict] = []
        self.rates_model, self.late_model = RatesModel(self), LateModel(self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.scope = QLabel(objectName="scopeLabel")
        bar.addWidget(self.scope)
        bar.addWidget(QLabel("月份："))
        self.month_box = QComboBox(objectName="monthBox")
        self.month_box.addItem("全部月份", None)
        for m in months(clock.today()):
            self.month_box.addItem(f"{m[:4]}年{int(m[5:])}月", m)
        self.month_box.setCurrentIndex(1)
        self.month_box.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.month_box)
        bar.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("circular", "起草通报…", self.draft_circular),
                                ("summary", "月度汇总函…", self.monthly_summary), ("refresh", "刷新", self.refresh)):
            b = QPushButton(text, objectName=f"{key}Button")
            b.clicked.connect(slot)
            bar.addWidget(b)
            self.buttons[key] = b
        layout.addLayout(bar)
        self.message = QLabel(objectName="oversightMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter(Qt.Orientation.Horizontal)
        self.rates = _table(self.rates_model, "ratesTable")
        top.addWidget(self.rates)
        self.chart = QLabel(objectName="chartLabel", alignment=Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        top.addWidget(scroll)
        top.setSizes([560, 600])
        split.addWidget(top)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        self.late_label = QLabel("逾期事项：")
        lay.addWidget(self.late_label)
        self.late_table = _table(self.late_model, "lateTable")
        lay.addWidget(self.late_table)
        split.addWidget(box)
        layout.addWidget(split, 1)
        ws.changed.connect(lambda *_: self.refresh())
        ws.office_changed.connect(self.refresh)
        self.refresh()

    def month(self) -> str | None:
        return self.month_box.currentData()

    def say(self, text: str, bad: bool = False) -> None:
        self.message.setStyleSheet(f"QLabel {{ color:{'#A40000' if bad else '#1B5E20'}; padding:4px; }}")
        self.message.setText(text)
        self.message.show()

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    def refresh(self) -> None:
        office = self.ws.office
        if office is None:
            return
        everyone = office.role == "oversight"
        self.buttons["circular"].setEnabled(everyone)
        self.buttons["circular"].setToolTip("" if everyone else "通报由营商环境建设主管部门起草（第二十一条）。")
        self.scope.setText("全市各单位" if everyone else f"本单位：{office.name}")
        try:
            with self.ws.session() as s:
                viewer = self.ws.acting_office(s)
                self.figures = _oversight().figures(s, viewer, month=self.month())
                self.late = _oversight().late_items(s, viewer, month=self.month())
        except Exception as exc:  # noqa: BLE001 - the window stays up; the reason is shown
            self.figures, self.late = {"by_office": []}, []
            self.say(f"无法计算统计：{getattr(exc, 'message', None) or exc}", bad=True)
        try:
            png = chart_png(self.figures) if self.figures["by_office"] else None
        except Exception:  # noqa: BLE001 - no chart is better than no window
            png = None
        self.rates_model.set_rows(self.figures["by_office"])
        self.late_model.set_rows(self.late)
        self.late_label.setText(f"逾期事项（{len(self.late)} 件）：")
        for t in (self.rates, self.late_table):
            t.resizeColumnsToContents()
        self.show_chart(png)

    def draft_circular(self):
        from app.ui import oversight_dialogs

        shown = oversight_dialogs.draft_circular(self.ws, self.month(), self)
        if shown is not None:
            self.say(f"已保存{oversight_dialogs.month_label(self.month())}的通报。")
        return shown

    def monthly_summary(self):
        from app.ui import oversight_dialogs

        months_ = [self.month_box.itemData(i) for i in range(1, self.month_box.count())]
        made = oversight_dialogs.monthly_summary(self.ws, months_, self.month(), self)
        if made is not None:
            n, pdf, xlsx = made
            self.say(f"已生成月度汇总函（{n} 条）：{pdf}；Excel 表格：{xlsx.name}")
        return made

    def show_chart(self, png: bytes | None) -> None:
        pixmap = QPixmap()
        if png and pixmap.loadFromData(png, "PNG"):
            pixmap.setDevicePixelRatio(2.0)  # rendered at twice the size: sharp, and it fits
            self.chart.setPixmap(pixmap)
        else:
            self.chart.setText("（无图表）" if self.figures.get("by_office") else "本月没有需统计的事项。")


def chart_png(figures: dict) -> bytes | None:
    """The on-time chart of ``figures`` as PNG bytes (None when the charts service is missing)."""
    if not installed("app.services.cooperation.charts"):
        return None
    from app.services.cooperation import charts

    return charts.png(charts.by_office(figures))


def open_oversight_page(ws: Workspace, window) -> OversightPage:
    """Show the one 督办统计 window of this main window (created on first use)."""
    return show_once(window, "oversight_page", lambda: OversightPage(ws, window))
