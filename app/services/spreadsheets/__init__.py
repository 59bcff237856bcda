"""Import and export of the lists offices keep in Excel/WPS (.xlsx), without the database.

A list is declared as a :class:`SheetSpec` of :class:`Column` s; :func:`read_xlsx` reads such a
list from a hand-made file and reports every bad row, :func:`write_xlsx` writes one. See
``docs/spreadsheets.md``.
"""

from app.services.spreadsheets.headers import normalize_header
from app.services.spreadsheets.reader import MAX_DATA_ROWS, read_xlsx
from app.services.spreadsheets.spec import (
    Choice,
    Column,
    ReadReport,
    RowProblem,
    SheetSpec,
    choice,
    date_cell,
    int_cell,
    phone,
    text,
)
from app.services.spreadsheets.workbook import MAX_FILE_BYTES
from app.services.spreadsheets.writer import write_xlsx

__all__ = [
    "MAX_DATA_ROWS",
    "MAX_FILE_BYTES",
    "Choice",
    "Column",
    "ReadReport",
    "RowProblem",
    "SheetSpec",
    "choice",
    "date_cell",
    "int_cell",
    "normalize_header",
    "phone",
    "read_xlsx",
    "text",
    "write_xlsx",
]
