"""Open an .xlsx file safely and see its sheets as grids of values.

Everything that makes a whole file unusable is refused here with one
:class:`~app.services.errors.FileFormatError` in Chinese: a missing or unreadable file, an old
.xls / WPS .et / password-protected workbook (OLE2), a CSV or other non-zip file, a damaged zip,
a zip that is not an Excel workbook, a file over the size limit.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.services.errors import FileFormatError
from app.services.spreadsheets.parsers import tidy

__all__ = ["MAX_FILE_BYTES", "CellError", "Grid", "Source", "open_source"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # the xml inside; guards against zip bombs

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_SAVE_AS = "请在 Excel 或 WPS 中打开它，「另存为」Excel 工作簿（.xlsx）后再导入。"


class CellError(str):
    """An Excel error value (``#N/A``, ``#DIV/0!``...) left by a broken formula."""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _too_big(size: int) -> FileFormatError:
    return FileFormatError(
        f"文件太大（{_mb(size)}），超过 {MAX_FILE_BYTES / 1024 / 1024:g} MB 的上限。"
        "请把表格拆分成几个文件分别导入。"
    )


def _read_bytes(source: object) -> tuple[bytes, str]:
    """The file's bytes and a name for messages."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = "表格"
    elif hasattr(source, "read"):
        data = source.read()  # type: ignore[union-attr]
        name = str(getattr(source, "name", "表格"))
        if not isinstance(data, bytes):
            raise TypeError("read_xlsx needs a binary file object")
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = path.name
        try:
            st = path.stat()
        except FileNotFoundError:
            raise FileFormatError(f"找不到文件：{path}。请确认文件名和位置是否正确。") from None
        except OSError as e:
            raise FileFormatError(f"无法读取文件：{path}（{e.strerror}）。") from None
        if path.is_dir():
            raise FileFormatError(f"选择的是文件夹，不是文件：{path}。请选择一个 .xlsx 文件。")
        if st.st_size > MAX_FILE_BYTES:
            raise _too_big(st.st_size)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise FileFormatError(
                f"无法读取文件：{path}（{e.strerror}）。"
                "请确认文件没有被其他程序占用，并且有读取权限。"
            ) from None
    else:
        raise TypeError(f"read_xlsx needs a path or bytes, not {type(source).__name__}")
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(len(data))
    return data, name


def _looks_like_text(head: bytes) -> bool:
    for enc in ("utf-8", "gb18030", "utf-16"):
        try:
            s = head.decode(enc)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in s)
        return printable >= 0.95 * max(len(s), 1)
    return False


def _check_container(data: bytes, name: str) -> None:
    if not data:
        raise FileFormatError(f"文件「{name}」是空的（0 字节），不是 Excel 表格。请重新选择文件。")
    if data.startswith(_OLE2):
        raise FileFormatError(
            f"「{name}」是旧版 Excel（.xls）或 WPS 表格（.et）文件，或者设置了打开密码，"
            "无法直接读取。请在 Excel 或 WPS 中打开它（如有密码先取消密码），"
            "「另存为」Excel 工作簿（.xlsx）后再导入。"
        )
    if not data.startswith(_ZIP):
        head = data[:4096]
        lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
            kind = "网页（HTML/XML）格式的文件，只是扩展名像 Excel"
        elif _looks_like_text(head):
            kind = "文本文件（如 CSV），不是 Excel .xlsx 文件"
        else:
            kind = "无法识别的格式，不是 Excel .xlsx 文件"
        raise FileFormatError(f"「{name}」是{kind}。{_SAVE_AS}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise FileFormatError(
            f"「{name}」已损坏，无法打开（可能没有复制完整）。请从原处重新复制，"
            "或在 Excel/WPS 中打开后重新保存，再导入。"
        ) from None
    if b"opendocument" in mimetype:
        raise FileFormatError(f"「{name}」是 ODS 格式的表格。{_SAVE_AS}")
    if "xl/workbook.bin" in names:
        raise FileFormatError(f"「{name}」是 Excel 二进制工作簿（.xlsb）。{_SAVE_AS}")
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        raise FileFormatError(f"「{name}」是 Word 或 PowerPoint 文件，不是 Excel 表格。")
    if not any(n.startswith("xl/") for n in names) or "[Content_Types].xml" not in names:
        raise FileFormatError(f"「{name}」是一个压缩包（zip），不是 Excel 表格。请选择 .xlsx 文件。")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise FileFormatError(
            f"「{name}」解压后的内容太大（超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB），"
            "请把表格拆分成几个文件分别导入。"
        )


def _load(data: bytes, name: str, *, data_only: bool) -> Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unsupported extension", "no default style"...
            return load_workbook(io.BytesIO(data), data_only=data_only)
    except Exception:  # openpyxl raises anything from KeyError to zlib.error on a bad file
        raise FileFormatError(
            f"无法打开「{name}」：文件可能已损坏，或不是 Excel 2007 及以后版本的 .xlsx 格式。"
            f"{_SAVE_AS}"
        ) from None


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and tidy(value) is None)


@dataclass
class Grid:
    """The non-empty cells of one sheet, with merged ranges.

    ``raw`` holds only real cells (a merged range's value sits at its top-left cell);
    :meth:`value` also gives the merged value to every cell of the range.
    """

    title: str
    raw: dict[int, dict[int, object]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    _fill: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, ws: Worksheet) -> Grid:
        grid = cls(ws.title)
        cells = getattr(ws, "_cells", None)  # openpyxl's store: only cells present in the file
        it = cells.values() if isinstance(cells, dict) else (c for row in ws.iter_rows()
                                                              for c in row)
        for cell in it:
            value = cell.value
            if _empty(value):
                continue
            if cell.data_type == "e":
                value = CellError(value)
            grid.raw.setdefault(cell.row, {})[cell.column] = value
        last = max(grid.raw, default=0)
        for mr in ws.merged_cells.ranges:
            if (mr.min_row, mr.min_col) not in grid:
                continue
            grid.merges.append((mr.min_row, mr.min_col, mr.max_row, mr.max_col))
            for r in range(mr.min_row, min(mr.max_row, last) + 1):
                for c in range(mr.min_col, mr.max_col + 1):
                    grid._fill[(r, c)] = (mr.min_row, mr.min_col)
        return grid

    def __contains__(self, rc: tuple[int, int]) -> bool:
        return rc[1] in self.raw.get(rc[0], ())

    def value(self, r: int, c: int) -> object:
        """The cell's value; a cell inside a merged range gets the range's value."""
        row = self.raw.get(r)
        if row is not None and c in row:
            return row[c]
        origin = self._fill.get((r, c))
        return self.raw[origin[0]][origin[1]] if origin else None

    def span(self, r: int, c: int) -> int:
        """How many columns the merged range starting at this cell covers (1 if not merged)."""
        return max((m[3] - m[1] + 1 for m in self.merges if m[0] == r and m[1] == c), default=1)

    def origin(self, r: int, c: int) -> tuple[int, int]:
        """The cell a value comes from: the top-left cell of its merged range, or itself."""
        if c in self.raw.get(r, ()):
            return (r, c)
        return self._fill.get((r, c), (r, c))

    @property
    def empty(self) -> bool:
        return not self.raw


@dataclass
class Source:
    """An opened workbook (cached formula results) and, on demand, its formulas."""

    name: str
    data: bytes
    workbook: Workbook
    _formulas: Workbook | None = None

    def is_formula(self, sheet: str, r: int, c: int) -> bool:
        """Whether the cell holds a formula (its value is None when no result was cached)."""
        if self._formulas is None:
            self._formulas = _load(self.data, self.name, data_only=False)
        cell = self._formulas[sheet].cell(r, c)
        return cell.data_type == "f"


def open_source(source: str | os.PathLike | bytes | BinaryIO) -> Source:
    """Read and check a file, then open it with openpyxl (values of formulas, not formulas)."""
    data, name = _read_bytes(source)
    _check_container(data, name)
    return Source(name, data, _load(data, name, data_only=True))
