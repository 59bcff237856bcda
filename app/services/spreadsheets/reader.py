"""Read a list from an .xlsx file made by hand in Excel or WPS.

:func:`read_xlsx` finds the sheet and its header row (see :mod:`.headers`), then parses every
data row with the spec's column parsers. Bad rows do not stop the import: each is returned in
``ReadReport.rejected`` with all its problems, named by column, and its Excel row number.
Whole-file problems raise :class:`~app.services.errors.FileFormatError`. See
``docs/spreadsheets.md``.
"""

from __future__ import annotations

import os
import re
from typing import BinaryIO

from openpyxl.worksheet.worksheet import Worksheet

from app.services.errors import FileFormatError
from app.services.spreadsheets.headers import HeaderMatch, find_header, missing_message
from app.services.spreadsheets.parsers import shown, tidy
from app.services.spreadsheets.spec import ReadReport, RowProblem, SheetSpec
from app.services.spreadsheets.workbook import CellError, Grid, Source, open_source

__all__ = ["MAX_DATA_ROWS", "read_xlsx"]

MAX_DATA_ROWS = 100_000

# A row holding one text that starts like this is a note under the table, not data.
_NOTE = re.compile(
    r"^(?:填表说明|填报说明|填写说明|说明|备注|附注|注意事项|注意|注)"
    r"\s*(?:[:：]|$|\d|[一二三四五六七八九十]、|[（(])"
)


def _sheets_to_try(source: Source, sheet: str | None) -> list[Worksheet]:
    wb = source.workbook
    if sheet is not None:
        if sheet not in wb.sheetnames or not isinstance(wb[sheet], Worksheet):
            names = "、".join(f"「{n}」" for n in wb.sheetnames)
            raise FileFormatError(
                f"「{source.name}」中没有名为「{sheet}」的工作表。文件中的工作表有：{names}。"
                "请选择其中一个，或把工作表改名后再导入。"
            )
        return [wb[sheet]]
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    hidden = [ws for ws in wb.worksheets if ws.sheet_state != "visible"]
    return visible + hidden


def _pick(source: Source, spec: SheetSpec, sheet: str | None) -> tuple[Grid, HeaderMatch]:
    tried: list[tuple[Grid, HeaderMatch | None]] = []
    for ws in _sheets_to_try(source, sheet):
        grid = Grid.of(ws)
        if grid.empty:
            continue
        m = find_header(grid, spec)
        if m is not None and not m.missing:
            return grid, m
        tried.append((grid, m))
    if not tried:
        where = f"工作表「{sheet}」" if sheet is not None else f"「{source.name}」"
        raise FileFormatError(f"{where}是空的，没有任何数据。请确认选对了文件。")
    grid, m = max(tried, key=lambda t: t[1].score if t[1] else (False, 0, 0, False, 0))
    message = missing_message(m, spec)
    if len(tried) > 1 or sheet is not None or len(source.workbook.worksheets) > 1:
        message = f"工作表「{grid.title}」中{message}"
    raise FileFormatError(message)


def _is_note(cells: dict[int, object]) -> bool:
    if len(cells) != 1:
        return False
    value = next(iter(cells.values()))
    return isinstance(value, str) and bool(_NOTE.match(tidy(value) or ""))


def read_xlsx(
    path_or_bytes: str | os.PathLike | bytes | BinaryIO,
    spec: SheetSpec,
    *,
    sheet: str | None = None,
) -> ReadReport:
    """Read the rows of ``spec`` from an .xlsx file (a path, the bytes, or a binary file).

    ``sheet`` names the sheet to read; by default the first sheet whose header matches.
    """
    source = open_source(path_or_bytes)
    grid, header = _pick(source, spec, sheet)
    report = ReadReport(sheet=grid.title, header_row=header.bottom,
                        ignored_columns=list(header.ignored))
    columns = [(col, header.columns[col.key]) for col in spec.columns if col.key in header.columns]
    physical = {c for _, c in columns}
    unique = [spec.column(k) for k in spec.unique if k in header.columns]
    seen: dict[tuple, int] = {}
    in_notes = False
    count = 0
    for r in sorted(grid.raw):
        if r <= header.bottom:
            continue
        cells = grid.raw[r]
        if len(cells) == 1 and (in_notes or _is_note(cells)):
            in_notes = True  # a note below the table, and the lines that follow it
            continue
        in_notes = False
        if len(cells) == 1 and grid.span(r, next(iter(cells))) > 1:
            continue  # one text merged across the row: a section heading like "一、住建局（15项）"
        if not physical.intersection(cells):
            continue  # blank in every known column
        count += 1
        if count > MAX_DATA_ROWS:
            raise FileFormatError(
                f"表格的数据行太多（超过 {MAX_DATA_ROWS} 行的上限）。请拆分成几个文件分别导入。"
            )
        values, problems = _parse_row(source, grid, r, columns)
        if unique and all(values.get(c.key) is not None for c in unique):
            key = tuple(values[c.key] for c in unique)
            if key in seen:
                what = "，".join(f"{c.title} {shown(values[c.key])}" for c in unique)
                problems.append(f"与第 {seen[key]} 行重复（{what}）")
            else:
                seen[key] = r
        if problems:
            report.rejected.append(RowProblem(r, "；".join(problems)))
        else:
            report.rows.append((r, values))
    return report


def _parse_row(source: Source, grid: Grid, r: int, columns) -> tuple[dict, list[str]]:
    values: dict[str, object] = {}
    problems: list[str] = []
    for col, c in columns:
        raw = grid.value(r, c)
        values[col.key] = None
        if isinstance(raw, CellError):
            problems.append(f"「{col.title}」是公式错误值 {raw}，请在 Excel/WPS 中改正公式后再导入")
            continue
        if raw is None:
            if col.required:
                reason = f"「{col.title}」为空"
                if source.is_formula(grid.title, r, c):
                    reason += "（这一格是公式，但文件中没有保存计算结果；请在 Excel/WPS 中打开并保存后再导入）"
                problems.append(reason)
            continue
        try:
            value = col.parse(raw)
        except ValueError as e:
            problems.append(f"「{col.title}」{e}")
            continue
        if value is None and col.required:
            problems.append(f"「{col.title}」为空")
        elif col.max_length is not None and isinstance(value, str) and len(value) > col.max_length:
            problems.append(
                f"「{col.title}」太长：{len(value)} 个字，最多 {col.max_length} 个字，请删减"
            )
        else:
            values[col.key] = value
    return values, problems
