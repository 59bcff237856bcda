"""Standard cell parsers for spreadsheet columns.

A parser takes one cell value as openpyxl gives it (``str``, ``int``, ``float``, ``bool``,
``datetime``, ``date``, ``time`` or ``None``) and returns the parsed value, ``None`` for an
empty cell. A bad value raises ``ValueError`` whose message is a Simplified Chinese phrase that
reads after the column title, e.g. ``「联系电话」`` + ``不是有效的电话号码：12345（…）``.
The reader never calls a parser with an empty cell; the parsers still accept ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

__all__ = ["Choice", "choice", "date_cell", "int_cell", "phone", "shown", "text"]

# Whitespace an office file really contains: ASCII, full-width space, no-break space, and
# the zero-width characters that come with text pasted from web pages.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
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
    return s if len(s) <= limit else s[:limit] + "…"


def text(value: object) -> str | None:
    """Text of a cell, tidied the way a person would read it.

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
    s = str(value).translate(_ZERO_WIDTH)
    pieces = [p for line in _LINE_BREAKS.split(s) for p in _SPACES.split(line) if p]
    return _join(pieces) if pieces else None


# --- dates -------------------------------------------------------------------------------

_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?"
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (10_000, 80_000)  # 1927-05-18 .. 2119-01-10: a date cell that lost its format
_DATE_HINT = "请写成 2026-11-25、2026/11/25 或 2026年11月25日 这样的日期"


def date_cell(value: object) -> date | None:
    """A date: an Excel date cell, or text like ``2026-11-25``, ``2026/11/25``, ``2026.11.25``,
    ``2026年11月25日``, ``20261125``. A whole number in the range of Excel date serials
    (10000–80000, a date cell whose format was lost) is read as such a serial.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (bool, time, timedelta)):
        raise ValueError(f"不是日期：{shown(value)}。{_DATE_HINT}")
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            n = int(value)
            if _SERIAL_RANGE[0] <= n <= _SERIAL_RANGE[1]:
                return _EXCEL_EPOCH + timedelta(days=n)
            value = str(n)
        else:
            raise ValueError(f"不是日期：{shown(value)}。{_DATE_HINT}")
    s = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_TEXT.fullmatch(s) or _DATE_COMPACT.fullmatch(s)
    if not m:
        raise ValueError(f"不是可识别的日期：{shown(value)}。{_DATE_HINT}")
    y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(
            f"日期不存在：{shown(value)}（{y}年没有{mo}月{d}日）。请核对年月日"
        ) from None


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

_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# Area code 010/02x (3 digits) or 0xxx (4 digits), 7–8 digit local number, optional extension.
_LANDLINE = re.compile(
    r"\(?(0(?:10|2\d|[3-9]\d{2}))\)?-?(\d{7,8})(?:(?:-|转|ext\.?|分机)(\d{1,6}))?"
)
_PHONE_HINT = "应为 11 位手机号，或带区号的固定电话，如 0417-1234567"


def phone(value: object) -> str | None:
    """One phone number, normalised: an 11-digit mobile (``13800000000``; spaces, dashes and a
    ``+86`` prefix are dropped) or a landline with area code (``0417-1234567``, with an
    optional extension ``0417-1234567-801``). Local numbers without area code are refused.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"不是有效的电话号码：{shown(value)}（{_PHONE_HINT}）")
    if isinstance(value, (int, float)):
        s = text(value) or ""
    else:
        s = unicodedata.normalize("NFKC", str(value)).translate(_ZERO_WIDTH)
    compact = re.sub(r"[\s\u00a0]+", "", s).lower()
    digits_only = re.sub(r"[-]", "", compact)
    m = _MOBILE.fullmatch(digits_only)
    if m:
        return m.group(1)
    m = _LANDLINE.fullmatch(compact)
    if m:
        area, local, ext = m.groups()
        return f"{area}-{local}" + (f"-{ext}" if ext else "")
    raise ValueError(f"不是有效的电话号码：{shown(value)}（{_PHONE_HINT}）")


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
