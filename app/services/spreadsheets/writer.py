"""Write a list to an .xlsx file that opens cleanly in Excel and WPS and reads back the same.

Layout: an optional caption row (merged across the columns), a bold header row with a fill,
panes frozen below it and an auto-filter over the table. Text is written as text (cell format
``@``) so codes, phone and ID numbers are not turned into numbers, and text starting with
``=``, ``+``, ``-`` or ``@`` stays text, never a formula. Dates are real date cells shown as
``yyyy-mm-dd``. The file is written to a temporary file in the same folder and then moved
over the target, so a failure leaves an existing file untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.services.errors import ShenGuanError, ValidationError
from app.services.spreadsheets.spec import SheetSpec

__all__ = ["MAX_CELL_CHARS", "write_xlsx"]

MAX_CELL_CHARS = 32_767  # Excel's limit; a longer text makes Excel call the file damaged
_EXACT_INTEGER_LIMIT = 10**15  # Excel keeps 15 significant digits
_BAD_TITLE_CHARS = str.maketrans({ch: "_" for ch in "[]:*?/\\"})

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_CAPTION_FONT = Font(bold=True, size=14)
_CAPTION_ALIGN = Alignment(horizontal="center", vertical="center")


def _sheet_title(title: str) -> str:
    cleaned = title.translate(_BAD_TITLE_CHARS).strip("'")[:31]
    return cleaned or "Sheet1"


def _put(cell: Cell, value: object, where: str) -> None:
    """Store one value with the cell type Excel should see."""
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, datetime):
        cell.value = value
        cell.number_format = "yyyy-mm-dd" if value.time() == time() else "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int) and abs(value) < _EXACT_INTEGER_LIMIT or isinstance(
        value, (float, Decimal)
    ):
        cell.value = value
    elif isinstance(value, (str, int)):
        s = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters Excel cannot store
        if len(s) > MAX_CELL_CHARS:
            raise ValidationError(
                f"{where}有 {len(s)} 个字，超过 Excel 单元格 {MAX_CELL_CHARS} 个字的上限，"
                "无法导出。请先缩短这段文字。"
            )
        cell.value = s
        cell.data_type = "s"  # never a formula, whatever the first character
        cell.number_format = "@"
    else:
        raise TypeError(f"{where}: cannot write a {type(value).__name__} to a spreadsheet")


def _build(spec: SheetSpec, rows: Iterable[Mapping], caption: str | None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(spec.title)
    n = len(spec.columns)
    last_letter = get_column_letter(n)
    header_row = 1
    if caption:
        _put(ws.cell(1, 1), caption, "标题")
        ws.cell(1, 1).font = _CAPTION_FONT
        ws.cell(1, 1).alignment = _CAPTION_ALIGN
        ws.row_dimensions[1].height = 28
        if n > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        header_row = 2
    for i, col in enumerate(spec.columns, start=1):
        cell = ws.cell(header_row, i)
        _put(cell, col.title, "表头")
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment, cell.border = _HEADER_ALIGN, _BORDER
        ws.column_dimensions[get_column_letter(i)].width = col.width
    converters = [getattr(col.parse, "to_cell", None) for col in spec.columns]
    r = header_row
    for r, row in enumerate(rows, start=header_row + 1):
        for i, (col, convert) in enumerate(zip(spec.columns, converters, strict=True), start=1):
            value = row.get(col.key)
            if convert is not None and value is not None:
                value = convert(value)
            _put(ws.cell(r, i), value, f"第 {r} 行「{col.title}」")
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    ws.auto_filter.ref = f"A{header_row}:{last_letter}{max(r, header_row + 1)}"
    return wb


def write_xlsx(
    path: str | os.PathLike,
    spec: SheetSpec,
    rows: Iterable[Mapping],
    *,
    caption: str | None = None,
) -> None:
    """Write ``rows`` (mappings keyed by column key) to ``path`` as one sheet named after
    ``spec.title``, with ``caption`` as a title row above the header if given.

    Raises :class:`~app.services.errors.ValidationError` for a text too long for a cell and
    :class:`~app.services.errors.ShenGuanError` if the file cannot be written; in both cases
    an existing file at ``path`` is left as it was.
    """
    target = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp",
                                        dir=target.parent)
    except OSError as e:
        raise _cannot_write(target, e) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            _build(spec, rows, caption).save(f)
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except OSError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _cannot_write(target, e) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _cannot_write(target: Path, e: OSError) -> ShenGuanError:
    return ShenGuanError(
        f"无法写入文件：{target}（{e.strerror or e}）。请确认文件夹存在并且有写入权限；"
        "如果这个文件正在 Excel/WPS 中打开，请先关闭它。"
    )
