"""How a record's values are written into an audit event's ``what`` (app.services.audit).

Applicants' ID numbers and phone numbers, keys and passwords are never copied into the log:
a marker says that they changed. ID- or phone-like text inside free text is hidden; machine
texts (JSON) appear as their size only; long texts are clipped.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from operator import itemgetter, methodcaller

from sqlalchemy import Date, DateTime, LargeBinary, String, Text, Uuid, inspect

MASK = "（已修改）"
HIDDEN = "（已隐去）"
_SECRET_WORDS = ("phone", "applicant_id", "id_number", "id_card", "password", "secret",
                 "private", "salt")
_PERSONAL = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"  # resident ID
                       r"|(?<!\d)1[3-9]\d{9}(?!\d)"  # mobile phone
                       r"|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")  # fixed-line phone
CLIP = 80  # characters of a text value kept in the log

_MASKED, _TEXT, _PLAIN = 0, 1, 2
_columns: dict = {}  # table -> ((attribute key, column name, converter), ...)
_WHAT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # keys in column order


def _kind(column) -> int:
    name = column.name.lower()
    if isinstance(column.type, LargeBinary) or any(w in name for w in _SECRET_WORDS):
        return _MASKED
    return _TEXT if isinstance(column.type, Text) else _PLAIN


def _masked(_value) -> str:
    return MASK


def _clip(value: str) -> str:
    return value if len(value) <= CLIP else value[:CLIP - 1] + "…"


def _text(value: str) -> str:
    if value[:1] in "{[":  # a machine text (JSON): its size only
        return f"（{len(value)} 字）"
    return _clip(_PERSONAL.sub(HIDDEN, value))


def _converter(column):
    """How a non-empty value of ``column`` is kept in the log."""
    kind = _kind(column)
    if kind == _MASKED:
        return _masked
    if kind == _TEXT:
        return _text
    if isinstance(column.type, String):
        return _clip
    if isinstance(column.type, Uuid):
        return str
    if isinstance(column.type, DateTime):
        return methodcaller("isoformat", " ")
    if isinstance(column.type, Date):
        return methodcaller("isoformat")
    return partial(shown, kind)


def columns(mapper) -> tuple:
    table = mapper.local_table
    cols = _columns.get(table)
    if cols is None:
        pk = {c.name for c in table.primary_key.columns}
        cols = _columns[table] = tuple(
            (prop.key, prop.columns[0].name, _converter(prop.columns[0]))
            for prop in mapper.column_attrs if prop.columns[0].name not in pk
            and prop.columns[0].table is table)
    return cols


def values_of(cols: tuple, d: dict) -> dict:
    """The non-empty column values of a new record (attribute dict ``d``), as kept in the log."""
    out = {}
    for key, name, conv in cols:
        v = d.get(key)
        if v is not None and (v.__class__ is not str or v):
            out[name] = conv(v)
    return out


def _bulk_values(model) -> Callable[[dict], dict]:
    """values_of for records that have every column attribute (bulk): one C-level getter."""
    cols = columns(inspect(model))
    if len(cols) < 2:
        return partial(values_of, cols)
    getter = itemgetter(*(key for key, _, _ in cols))
    pairs = tuple((name, conv) for _, name, conv in cols)

    def values(d: dict) -> dict:
        out = {}
        for (name, conv), v in zip(pairs, getter(d)):  # noqa: B905 - same length by making
            if v is not None and (v.__class__ is not str or v):
                out[name] = conv(v)
        return out

    return values


def shown(kind: int, value):
    """``value`` as kept in the log (None: not worth keeping)."""
    if value is None or value == "":
        return None
    if kind == _MASKED:
        return MASK
    if isinstance(value, str):
        return _text(value) if kind == _TEXT else _clip(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return value
    return str(value)[:CLIP]


def dumps(what: dict) -> str:
    return _WHAT.encode(what)


