"""Bulk inserts of new records built in memory (the import of a large bundle).

A :class:`Pending` record has plain attributes named like its model's columns, so the dispatch
engine handles it exactly as the mapped object (same rules-table checks), without the ORM's
per-object cost; :func:`insert_pending` writes a list of them with one executemany.

On SQLite the values are converted to driver form once, column by column, with the bind
processors SQLAlchemy itself would apply (UUID → hex, dates → ISO text, booleans → 0/1), or
with a C-level equivalent that is checked against SQLAlchemy's processor when first built;
then the DBAPI's executemany runs in the session's transaction. Other databases (PostgreSQL)
take the generic Core path. tests/services/test_bulk.py checks that both write exactly what
the ORM writes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from operator import attrgetter, itemgetter, methodcaller

from sqlalchemy import Boolean, Date, DateTime, Uuid, insert
from sqlalchemy.orm import Session

from app.models import Dispatch, DispatchEvent
from app.services import audit

# Records with child records built with them: model -> (attribute, child model).
CHILDREN = {Dispatch: ("events", DispatchEvent)}


class Pending:
    """A new record of ``model`` kept in memory until :func:`insert_pending` writes it."""

    __slots__ = ("__dict__", "model")

    _columns: dict = {}  # model -> ((column key, scalar default or None), ...), built once
    _defaults: dict = {}  # model -> {column key: scalar default or None}

    @classmethod
    def columns(cls, model) -> tuple:
        cols = cls._columns.get(model)
        if cols is None:
            cols = cls._columns[model] = tuple(
                (c.key, c.default.arg if c.default is not None and c.default.is_scalar else None)
                for c in model.__table__.columns)
            cls._defaults[model] = dict(cols)
        return cols

    def __init__(self, model, **values):
        self.model = model
        defaults = Pending._defaults.get(model)
        if defaults is None:
            Pending.columns(model)
            defaults = Pending._defaults[model]
        self.__dict__.update(defaults)
        self.__dict__.update(values)
        child = CHILDREN.get(model)
        if child is not None:
            self.__dict__[child[0]] = []

    def row(self) -> dict:
        d = self.__dict__
        return {key: d[key] for key, _ in Pending.columns(self.model)}


def insert_pending(session: Session, records: list[Pending], *, audited: bool = True) -> None:
    """Insert pending records (all of one model), then their children, one executemany each.

    ``audited``: one audit event per record (children listed in their parent's), written at
    the commit; False when the caller records its own events for these records (the bundle
    import writes one event per applied message, naming the bundle)."""
    if not records:
        return
    model = records[0].model
    _insert_rows(session, model, records)
    child = CHILDREN.get(model)
    if audited:
        audit.record_pending(session, model, records, child[0] if child else None)
    if child is not None:
        attr, child_model = child
        _insert_rows(session, child_model, [c for r in records for c in getattr(r, attr)])


# C-level equivalents of SQLAlchemy's SQLite bind processors, with a sample value each; one is
# used only if it gives exactly what SQLAlchemy's processor gives for the sample.
_FAST = (
    (Uuid, attrgetter("hex"), uuid.UUID("0123abcd-4567-89ef-0123-456789abcdef")),
    (DateTime, methodcaller("isoformat", " ", "microseconds"), datetime(2026, 2, 3, 4, 5, 6, 7)),
    (Date, methodcaller("isoformat"), date(2026, 2, 3)),
    (Boolean, int, True),
)

# (model, dialect) -> (SQL text, ((key, converter or None, nullable), ...))
_driver_inserts: dict = {}


def _converter(column, proc):
    if proc is None:
        return None
    for type_, fast, sample in _FAST:
        if isinstance(column.type, type_):
            try:
                same = fast(sample) == proc(sample) and type(fast(sample)) is type(proc(sample))
            except Exception:  # noqa: BLE001 - any difference means: keep SQLAlchemy's own
                same = False
            return fast if same else proc
    return proc


def _driver_insert(model, dialect) -> tuple:
    """The INSERT SQLAlchemy compiles for ``model`` on ``dialect`` (positional parameters), and
    for each parameter the conversion of a value to driver form."""
    cached = _driver_inserts.get((model, dialect))
    if cached is None:
        table = model.__table__
        keys = [key for key, _ in Pending.columns(model)]
        compiled = insert(table).compile(dialect=dialect, column_keys=keys)
        procs = compiled._bind_processors
        cached = _driver_inserts[(model, dialect)] = (
            compiled.string,
            tuple((name, _converter(table.c[name], procs.get(name)), table.c[name].nullable)
                  for name in compiled.positiontup))
    return cached


def _insert_rows(session: Session, model, records: list[Pending]) -> None:
    if not records:
        return
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":  # the generic Core path (PostgreSQL)
        table = model.__table__
        for i in range(0, len(records), 1000):
            session.execute(insert(table), [r.row() for r in records[i:i + 1000]])
        return
    sql, params = _driver_insert(model, dialect)
    dicts = [r.__dict__ for r in records]
    columns = []
    for key, convert, nullable in params:
        values = list(map(itemgetter(key), dicts))
        if convert is not None:
            if nullable:
                values = [None if v is None else convert(v) for v in values]
            else:
                values = list(map(convert, values))
        columns.append(values)
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))
