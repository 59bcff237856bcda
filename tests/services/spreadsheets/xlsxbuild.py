"""Build real .xlsx files the way offices make them, for the spreadsheet tests."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from app.services.spreadsheets import Column, SheetSpec, choice, date_cell, int_cell, phone

LEVELS = {"市本级": "city", "县（市）区": "county", "自贸区营口片区": "ftz"}

EXPERTS = SheetSpec(
    "专家库",
    (
        Column("code", "专家编号", aliases=("编号", "编码"), required=True),
        Column("name", "姓名", required=True, max_length=10),
        Column("org", "工作单位"),
        Column("phone", "联系电话", aliases=("电话", "手机"), required=True, parse=phone),
        Column("level", "县（市）区", aliases=("层级",), parse=choice(LEVELS)),
        Column("since", "入库日期", parse=date_cell),
        Column("days", "办结时限", parse=int_cell),
    ),
    unique=("code",),
)

HEADER = ["专家编号", "姓名", "工作单位", "联系电话", "县（市）区", "入库日期", "办结时限"]


def xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    title: str = "Sheet1",
    sheets: dict[str, Sequence[Sequence[object]]] | None = None,
) -> Path:
    """Write ``rows`` (``None`` = no cell) to the first sheet, merge ranges like ``"A1:G1"``,
    and add further sheets after it."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    _fill(ws, rows)
    for rng in merges:
        ws.merge_cells(rng)
    for name, more in (sheets or {}).items():
        _fill(wb.create_sheet(name), more)
    wb.save(path)
    return path


def _fill(ws, rows) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c).value = value


def set_cached_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells a cached result, as Excel does when it saves (openpyxl cannot)."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for ref, cached in values.items():
        kind = "" if re.fullmatch(r"-?\d+(\.\d+)?", cached) else ' t="str"'  # as Excel writes
        sheet, n = re.subn(
            rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
            rf'<c r="{ref}"\1{kind}><f>\2</f><v>{cached}</v>',
            sheet,
        )
        assert n == 1, sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
