"""Find the header row of a hand-made sheet and match its cells to a spec's columns.

Offices put title rows above the header ("XX市…清单（2026年版）", "填报单位：…"), mark
required columns with ``*`` or ``（必填）``, break long headers over two lines, and group
sub-headers under a merged cell ("联系人" over "姓名" | "电话"). The first
:data:`HEADER_SCAN_ROWS` rows are tried, each as a one-row header and together with the row
above as a two-row header; the candidate matching the most columns wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from app.services.spreadsheets.parsers import tidy
from app.services.spreadsheets.spec import SheetSpec
from app.services.spreadsheets.workbook import CellError, Grid

__all__ = ["HEADER_SCAN_ROWS", "HeaderMatch", "find_header", "normalize_header"]

HEADER_SCAN_ROWS = 30

_BRACKETS = str.maketrans("【】〔〕［］[]｛｝{}〈〉<>《》", "()" * 9)
_MARKS = re.compile(r"^[*※★☆]+|[*※★☆]+$")
_REQUIRED_NOTE = re.compile(r"\((?:必填项?|必须填写|必需|选填项?|可选|非必填)\)$")
_TRAILING = re.compile(r"[:;,.、。]+$")


def normalize_header(value: object) -> str:
    """Header text reduced for comparison: no spaces or line breaks, half-width punctuation,
    one kind of bracket, no required markers (``*``, ``（必填）``), no trailing colon.
    """
    if value is None or isinstance(value, CellError):
        return ""
    s = unicodedata.normalize("NFKC", tidy(value) or "").translate(_BRACKETS)
    s = re.sub(r"\s+", "", s).lower()
    previous = None
    while s != previous:
        previous = s
        s = _TRAILING.sub("", _REQUIRED_NOTE.sub("", _MARKS.sub("", s)))
    return s


def _display(value: object) -> str:
    return "" if value is None or isinstance(value, CellError) else (tidy(value) or "")


@dataclass
class HeaderMatch:
    """A header candidate: rows ``top``..``bottom`` and the physical column of each key."""

    top: int
    bottom: int
    columns: dict[str, int] = field(default_factory=dict)  # key -> 1-based column
    ambiguous: dict[str, list[int]] = field(default_factory=dict)  # key -> candidate columns
    ignored: list[str] = field(default_factory=list)  # header texts matching no column
    missing: list[str] = field(default_factory=list)  # titles of required columns not found

    @property
    def score(self) -> tuple:
        return (not self.missing, len(self.columns), len(self.ambiguous), self.top == self.bottom,
                -self.top)


def _match(grid: Grid, spec: SheetSpec, top: int, bottom: int, width: int) -> HeaderMatch:
    names: dict[str, str] = {}  # normalised header -> key (first declaring column wins)
    for col in spec.columns:
        for name in (col.title, *col.aliases):
            names.setdefault(normalize_header(name), col.key)
    subs: dict[int, str] = {}
    groups: dict[int, str] = {}
    shown: dict[int, str] = {}
    for c in range(1, width + 1):
        sub_raw = grid.value(bottom, c)
        group_raw = grid.value(top, c) if top < bottom else None
        sub, group = normalize_header(sub_raw), normalize_header(group_raw)
        if not sub:
            sub, sub_raw, group = group, group_raw, ""
        if group == sub:
            group = ""
        if sub:
            subs[c], groups[c] = sub, group
            shown[c] = f"{_display(group_raw)}/{_display(sub_raw)}" if group else _display(sub_raw)

    def header_cell(c: int) -> tuple:
        return grid.origin(bottom, c), grid.origin(top, c)

    m = HeaderMatch(top, bottom)
    taken: set[int] = set()
    for c, sub in subs.items():  # group + sub text, e.g. 联系人 + 电话 = 联系人电话
        key = names.get(groups[c] + sub) if groups[c] else None
        if key and key not in m.columns:
            m.columns[key] = c
            taken.add(c)
    # The sub-header alone, when it names one column only (one header cell merged across
    # several columns counts once: its leftmost column is taken).
    for col in spec.columns:
        if col.key in m.columns:
            continue
        found = [c for c, sub in subs.items() if c not in taken and names.get(sub) == col.key]
        if len({header_cell(c) for c in found}) > 1:
            # "姓名" twice, or under both 联系人 and 负责人: cannot choose, the user must rename
            m.ambiguous[col.key] = found
        elif found:
            m.columns[col.key] = found[0]
            taken.add(found[0])
    used = {header_cell(c) for c in taken}  # a merged header is not "ignored" twice
    m.ignored = [shown[c] for c in subs if c not in taken and header_cell(c) not in used]
    m.missing = [col.title for col in spec.columns if col.required and col.key not in m.columns]
    return m


def find_header(grid: Grid, spec: SheetSpec) -> HeaderMatch | None:
    """The best header candidate of the sheet, or ``None`` if no cell names any column.

    The result may still lack required columns (``missing``); the caller refuses it then.
    """
    rows = [r for r in sorted(grid.raw) if r <= HEADER_SCAN_ROWS]
    width = max((c for r in rows for c in grid.raw[r]), default=0)
    best: HeaderMatch | None = None
    for bottom in range(1, HEADER_SCAN_ROWS + 1):
        for top in (bottom, bottom - 1) if bottom > 1 else (bottom,):
            m = _match(grid, spec, top, bottom, width)
            if (m.columns or m.ambiguous) and (best is None or m.score > best.score):
                best = m
    return best


def missing_message(m: HeaderMatch | None, spec: SheetSpec) -> str:
    """Why no usable header was found, in Chinese."""
    if m is None:
        wanted = [c.title for c in spec.columns if c.required] or [c.title for c in spec.columns]
        what = "缺少列" + "、".join(f"「{t}」" for t in wanted)
    else:
        what = "缺少列" + "、".join(f"「{t}」" for t in m.missing)
        for key, cols in m.ambiguous.items():
            title = spec.column(key).title
            if title in m.missing:
                letters = "、".join(get_column_letter(c) for c in cols)
                what += f"（有几列都可以是「{title}」：{letters} 列，请修改列名加以区分）"
    return (
        f"未找到表头：{what}。请确认表格第一行附近（前 {HEADER_SCAN_ROWS} 行内）有列名，"
        "列名可参照本程序导出的表格。"
    )
