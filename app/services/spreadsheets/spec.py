"""What a list looks like in a spreadsheet: its columns, and what reading a file gave back.

A list (expert pool, item catalogue, ...) is declared once as a :class:`SheetSpec`; the reader
and the writer in this package work from it. The standard cell parsers live in
:mod:`app.services.spreadsheets.parsers` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.services.spreadsheets.parsers import (
    Choice,
    choice,
    date_cell,
    int_cell,
    phone,
    text,
)

__all__ = [
    "Choice",
    "Column",
    "ReadReport",
    "RowProblem",
    "SheetSpec",
    "choice",
    "date_cell",
    "int_cell",
    "phone",
    "text",
]


@dataclass(frozen=True)
class Column:
    """One column of a list.

    ``parse`` turns a non-empty cell into the value stored under ``key`` and raises
    ``ValueError("中文原因")`` for a bad cell. If ``parse`` has a ``to_cell(value)`` method (as
    :class:`~app.services.spreadsheets.parsers.Choice` does), the writer uses it on export.
    ``max_length`` limits text results, counted in characters.
    """

    key: str
    title: str  # canonical Chinese header, used for export
    aliases: tuple[str, ...] = ()  # other header spellings accepted on import
    required: bool = False
    parse: Callable[[object], object] = text
    width: int = 16  # export column width, in Excel character units
    max_length: int | None = None

    def __post_init__(self):
        if not self.key or not self.title:
            raise ValueError("Column needs a key and a title")
        if isinstance(self.aliases, str):
            raise TypeError("Column.aliases must be a tuple of strings, not a string")


@dataclass(frozen=True)
class SheetSpec:
    """A list: its name (sheet title on export), columns, and the keys unique within a file."""

    title: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()  # keys whose combination must be unique within the file

    def __post_init__(self):
        keys = [c.key for c in self.columns]
        if not keys:
            raise ValueError("SheetSpec needs at least one column")
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys in {self.title!r}")
        unknown = [k for k in self.unique if k not in keys]
        if unknown:
            raise ValueError(f"unique keys {unknown} are not columns of {self.title!r}")

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass(frozen=True)
class RowProblem:
    """A refused data row. ``row`` is the Excel row number the user sees (1-based)."""

    row: int
    reason: str  # every problem of the row, joined with "；"


@dataclass(frozen=True)
class ReadReport:
    """What :func:`~app.services.spreadsheets.reader.read_xlsx` found in a file."""

    sheet: str  # the sheet read
    header_row: int  # Excel row number of the (last) header row
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (excel row, {key: value})
    rejected: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # headers matching no column
