"""Standard cell parsers for spreadsheet columns.

A parser takes one cell value as openpyxl gives it (``str``, ``int``, ``float``, ``bool``,
``datetime``, ``date``, ``time`` or ``None``) and returns the parsed value, ``None`` for an
empty cell. A bad value raises ``ValueError`` whose message is a Simplified Chinese phrase that
reads after the column title, e.g. ``「联系电话」`` + ``格式不对（“12345”）：应为…``.
The reader never calls a parser with an empty cell; the parsers still accept ``None``.

Text, dates and phone numbers follow the one input policy of :mod:`app.services.textinput`, so a
cell is accepted or refused as the same value typed in a dialog: control characters and bidi
marks are refused in text, dates and phones are read by ``parse_date`` and ``clean_phone``
(with the same messages, minus the field name, which the reader puts in front). Only the
Excel-specific parts live here: date cells and serial numbers, numbers stored as floats.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from app.services import textinput
from app.services.errors import ValidationError

__all__ = ["Choice", "choice", "date_cell", "int_cell", "phone", "shown", "text", "tidy"]

_T = TypeVar("_T")

# Whitespace an office file really contains: ASCII, full-width space, no-break space, and
# the zero-width characters that come with text pasted from web pages (dropped, as textinput
# drops them from long texts: invisible in Excel, and nothing of them is stored).
_ZERO_WIDTH = dict.fromkeys(map(ord, textinput.ZERO_WIDTH))
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002-\u200a\u202f\u205f]+")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_CJK = re.compile(
    r"[\u2e80-\u2fff\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    r"\U00020000-\U0003ffff]"
)
# Excel keeps 15 significant digits; beyond that a number typed into a cell is already damaged.
_EXACT_INTEGER_LIMIT = 10**15


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def _join(parts: list[str]) -> str:
    """Join text pieces: nothing between two Chinese characters, one space otherwise."""
    out = parts[0]
    for part in parts[1:]:
        out += part if _is_cjk(out[-1]) and _is_cjk(part[0]) else " " + part
    return out


def shown(value: object, limit: int = 30) -> str:
    """A cell value as it appears in a message, shortened to ``limit`` characters."""
    if isinstance(value, datetime):
        s = value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    elif isinstance(value, float) and value.is_integer():
        s = str(int(value))
    else:
        s = str(value).strip()
    return textinput.shorten(s, limit)


def _policy(check: Callable[..., _T], value: object, **kw: object) -> _T:
    """Run a textinput check with no field name; its refusal becomes the parser's ValueError,
    which the reader puts after the column title (「联系电话」格式不对…)."""
    try:
        return check(value, None, "", **kw)
    except ValidationError as e:
        raise ValueError(e.message.rstrip("。")) from None


def text(value: object) -> str | None:
    """Text of a cell (see :func:`tidy`), refusing what a dialog refuses: control characters
    (other than tabs and line breaks), bidi marks and other invisible format characters."""
    if isinstance(value, str):
        _policy(textinput.check_invisible, value.translate(_ZERO_WIDTH), allow=textinput.LINE_SPACES)
    return tidy(value)


def tidy(value: object) -> str | None:
    """Text of a cell, tidied the way a person would read it (never refuses; see :func:`text`).

    Leading/trailing whitespace goes; a run of spaces or line breaks becomes nothing between two
    Chinese characters (``张  三`` → ``张三``, a name padded to line up) and one space elsewhere.
    A whole number that Excel stored as a float becomes its integer text
    (``13800000000.0`` → ``13800000000``); a code typed as ``0123`` into a number cell is
    already ``123`` in the file and stays so. Dates become ``2026-11-25``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.strftime(
            "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    s = unicodedata.normalize("NFC", str(value).translate(_ZERO_WIDTH))
    pieces = [p for line in _LINE_BREAKS.split(s) for p in _SPACES.split(line) if p]
    return _join(pieces) if pieces else None


# --- dates -------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (10_000, 80_000)  # 1927-05-18 .. 2119-01-10: a date cell that lost its format


def date_cell(value: object) -> date | None:
    """A date: an Excel date cell, or text read by :func:`textinput.parse_date`
    (``2026-11-25``, ``2026/11/25``, ``2026.11.25``, ``2026年11月25日``, ``20261125``, also
    with a time after it; years 1900–2200). A whole number in the range of Excel date serials
    (10000–80000, a date cell whose format was lost) is read as such a serial; another whole
    number as its digits (``20261125``).
    """
    if value is None:
        return None
    if isinstance(value, (bool, time, timedelta)) or (
            isinstance(value, float) and not value.is_integer()):
        raise ValueError(textinput.not_a_date(shown(value), None, "").message.rstrip("。"))
    if isinstance(value, (int, float)):
        n = int(value)
        in_range = _SERIAL_RANGE[0] <= n <= _SERIAL_RANGE[1]
        value = _EXCEL_EPOCH + timedelta(days=n) if in_range else str(n)
    return _policy(textinput.parse_date, value, required=False)


# --- integers ----------------------------------------------------------------------------

# "20", "20.0", "20个工作日", "20 天", "20（工作日）": a number followed by a unit in words.
_INT_TEXT = re.compile(r"(\d+)(?:\.0+)?\s*([\u4e00-\u9fff（）()]*)")


def int_cell(value: object) -> int | None:
    """A whole number, ``0`` or more: ``20``, ``"20"``, ``"20个工作日"`` → 20."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"不是整数：{shown(value)}。请填写阿拉伯数字，如 20")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float) and value.is_integer():
        n = int(value)
    elif isinstance(value, str):
        s = unicodedata.normalize("NFKC", value).strip()
        m = _INT_TEXT.fullmatch(s)
        if not m:
            raise ValueError(f"不是整数：{shown(value)}。请填写阿拉伯数字，如 20 或 20个工作日")
        n = int(m.group(1))
    else:
        raise ValueError(f"不是整数：{shown(value)}。请填写阿拉伯数字，如 20")
    if n < 0:
        raise ValueError(f"不能是负数：{shown(value)}")
    return n


# --- phone numbers -----------------------------------------------------------------------

def phone(value: object) -> str | None:
    """One phone number, checked and normalised by :func:`textinput.clean_phone`: an 11-digit
    mobile (``13800000000``) or a landline with area code (``0417-1234567``,
    ``0417-1234567-801``). A number cell is read as its digits (``13800000000.0``)."""
    if value is None:
        return None
    s = value if isinstance(value, str) else tidy(value) or ""
    return _policy(textinput.clean_phone, s, required=False) or None


# --- choices -----------------------------------------------------------------------------


def _label_key(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


class Choice:
    """Parser for a column with a fixed list of labels, each mapped to a code.

    ``Choice({"市本级": "city", "县（市）区": "county"})`` turns the label into its code; spaces
    and full-width/half-width variants of the label are accepted. Several labels may map to
    one code; on export :meth:`to_cell` writes the first label of a code.
    """

    def __init__(self, mapping: Mapping[str, object]):
        if not mapping:
            raise ValueError("Choice needs at least one label")
        self.mapping = dict(mapping)
        self._by_key = {_label_key(label): code for label, code in self.mapping.items()}
        self._label_of: dict[object, str] = {}
        for label, code in self.mapping.items():
            self._label_of.setdefault(code, label)

    def __call__(self, value: object) -> object:
        if value is None:
            return None
        key = _label_key(text(value) or "")
        if key in self._by_key:
            return self._by_key[key]
        allowed = "、".join(self.mapping)
        raise ValueError(f"不是可选的值：{shown(value)}。只能填写：{allowed}")

    def to_cell(self, code: object) -> object:
        """The label written on export for a code (the code itself if it has no label)."""
        return self._label_of.get(code, code)

    def __repr__(self) -> str:
        return f"Choice({self.mapping!r})"


def choice(mapping: Mapping[str, object]) -> Choice:
    """A parser turning a Chinese label into its code; see :class:`Choice`."""
    return Choice(mapping)
