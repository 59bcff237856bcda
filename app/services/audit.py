"""The audit trail: every change of state becomes one hash-chained event (issue 7, item 4).

One mechanism sees every change made through a Session:

- ``after_flush`` turns each inserted, updated and deleted object of every mapped model
  (except the audit tables) into an event row; ``do_orm_execute`` does the same for ORM
  ``UPDATE``/``DELETE`` statements (one event per statement, with the row count);
- :func:`record_pending` is called by :func:`app.services.bulk.insert_pending` for the bulk
  paths that bypass the ORM (bundle import): one event per inserted record;
- ``before_commit`` appends the collected rows to the chain in one executemany, after locking
  the :class:`AuditHead` row (``SELECT … FOR UPDATE``; SQLite serializes writers already), so
  the head lock is the last lock a transaction takes and is held only while it commits.
  A rollback discards the collected rows with the changes they describe.

Who acts comes from ``session.info`` (:func:`set_actor`, set where sessions are opened for a
user's action); unknown → "（系统）". Applicants' ID numbers and phone numbers, keys and
machine texts (JSON) are never copied into the log: only a marker says that they changed.
"""

from __future__ import annotations

from datetime import datetime
from hashlib import sha256

from sqlalchemy import (
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from app import clock
from app.models.audit import GENESIS, AuditEvent, AuditHead
from app.services.audit_values import (  # noqa: F401 - MASK, HIDDEN, shown: part of this API
    _WHAT,
    HIDDEN,
    MASK,
    _bulk_values,
    _kind,
    columns,
    dumps,
    shown,
    values_of,
)

SYSTEM = "（系统）"
OFFICE, OPERATOR = "audit_office", "audit_operator"  # session.info keys
_PENDING = "audit_pending"
INSERT, UPDATE, DELETE, IMPORT = "新建", "修改", "删除", "导入"
BULK_UPDATE, BULK_DELETE = "批量修改", "批量删除"
# Not audited: the log itself, and the inbox's "message already applied" markers (bookkeeping
# of an import, which is audited as its bundle record and the records it changed).
SKIP_TABLES = frozenset({"audit_events", "audit_head", "inbox_messages"})
# The record an entity belongs to, shown with it (table -> column).
PARENT = {"dispatch_events": "dispatch_id", "dispatches": "subject_id",
          "paper_receipts": "dispatch_id", "paper_batch_items": "dispatch_id",
          "outbox_messages": "dispatch_id", "sheet_changes": "sheet_id",
          "catalogue_entries": "version_id", "catalogue_opinions": "version_id"}
NAMES = ("seq", "at", "office", "operator", "action", "entity_type", "entity_id", "parent_id",
         "what", "prev_hash", "hash")


def set_actor(session: Session, office: str | None = None, operator: str | None = None) -> None:
    """Record who acts in ``session`` (office code, operator name) for its audit events."""
    if office is not None:
        session.info[OFFICE] = office
    if operator is not None:
        session.info[OPERATOR] = operator


def actor(session: Session) -> tuple[str, str]:
    return (session.info.get(OFFICE) or SYSTEM)[:32], (session.info.get(OPERATOR) or SYSTEM)[:64]


def event_hash(seq: int, at: datetime, office: str, operator: str, action: str, entity_type: str,
               entity_id: str, parent_id: str, what: str, prev_hash: str) -> str:
    """SHA-256 over the canonical text of one event: each field as ``<length>:<text>\\n``
    (length in characters), in this order, UTF-8; ``at`` as ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    return hash_fields(str(seq), at.isoformat(" ", "microseconds"), office, operator, action,
                 entity_type, entity_id, parent_id, what, prev_hash)


_CANON = "%d:%s\n" * 10


def hash_fields(*fields: str) -> str:
    parts = []
    for f in fields:
        parts += (len(f), f)
    return sha256((_CANON % tuple(parts)).encode("utf-8")).hexdigest()


# -- capture -------------------------------------------------------------------------------------


def _pending(session: Session) -> list:
    rows = session.info.get(_PENDING)
    if rows is None:
        rows = session.info[_PENDING] = []
    return rows


def _label(state, action: str) -> str:
    if state.mapper.local_table.name == "dispatch_events" and action == INSERT:
        from app.services.dispatch import ACTION_LABELS

        step = state.dict.get("action", "")
        return ACTION_LABELS.get(step, step)[:32]
    return action


def _row(session, state, action: str, values: dict, at: datetime, who: tuple[str, str]) -> tuple:
    table = state.mapper.local_table.name
    ident = state.identity or state.mapper.primary_key_from_instance(state.obj())
    parent = PARENT.get(table)
    parent_id = state.dict.get(parent) if parent else None
    if parent_id is None and parent and action == DELETE:
        parent_id = state.committed_state.get(parent)
    return (at, *who, _label(state, action), table, ",".join(str(v) for v in ident),
            "" if parent_id is None else str(parent_id), dumps(values))


def _after_flush(session: Session, _context) -> None:
    rows = []
    at, who = clock.now(), actor(session)
    for state in map(inspect, session.new):
        if state.mapper.local_table.name in SKIP_TABLES:
            continue
        rows.append(_row(session, state, INSERT, values_of(columns(state.mapper), state.dict),
                         at, who))
    for obj in session.dirty:
        state = inspect(obj)
        if state.mapper.local_table.name in SKIP_TABLES or state.deleted:
            continue
        values = {}
        for key, name, conv in columns(state.mapper):
            hist = state.attrs[key].history
            if hist.added or hist.deleted:
                new = hist.added[0] if hist.added else None
                if hist.deleted and hist.deleted[0] == new:
                    continue
                values[name] = None if new is None or new == "" else conv(new)
        if values:
            rows.append(_row(session, state, UPDATE, values, at, who))
    for state in map(inspect, session.deleted):
        if state.mapper.local_table.name not in SKIP_TABLES:
            rows.append(_row(session, state, DELETE, {}, at, who))
    if rows:
        _pending(session).extend(rows)


def _orm_execute(state) -> object:
    """ORM UPDATE / DELETE statements change rows without flushing objects: one event each."""
    if not (state.is_update or state.is_delete):
        return None
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", "")
    if not name or name in SKIP_TABLES:
        return None
    result = state.invoke_statement()
    count = result.rowcount or 0
    if count:
        what: dict = {"条数": count}
        for col, value in (getattr(state.statement, "_values", None) or {}).items():
            column = table.c.get(getattr(col, "key", str(col)))
            if column is not None:
                v = getattr(value, "value", None)  # a bound literal
                what[column.name] = shown(_kind(column), v)
        _pending(state.session).append(
            (clock.now(), *actor(state.session), BULK_UPDATE if state.is_update else BULK_DELETE,
             name, "", "", dumps(what)))
    return result


def record_pending(session: Session, model, records, children: str | None = None,
                   action: str = IMPORT) -> None:
    """One event per record inserted in bulk (``records``: objects with column attributes).
    Child records built with their parent (a dispatch's status history) are listed in the
    parent's event as "办理" instead of an event each."""
    if not records:
        return
    table = model.__table__.name
    if table in SKIP_TABLES:
        return
    values_of_record = _bulk_values(model)
    parent = PARENT.get(table)
    at = clock.now()
    labels = None
    if children:
        from app.services.dispatch import ACTION_LABELS as labels
    office, operator = actor(session)
    encode = _WHAT.encode
    append_row = _pending(session).append
    for r in records:
        d = r.__dict__
        values = values_of_record(d)
        if labels is not None:
            values["办理"] = "、".join([labels.get(c.action, c.action) for c in d[children]])
        p = d.get(parent) if parent else None
        append_row((at, office, operator, action, table, str(d["id"]),
                    "" if p is None else str(p), encode(values)))


def record_rows(session: Session, rows: list[tuple]) -> None:
    """Events built by a caller that knows better than the generic capture what it did (the
    bundle import: one event per applied message). Each row is (at, office, operator, action,
    entity type, entity id, parent id, what as JSON text); chained at the commit."""
    _pending(session).extend(rows)


# -- append at commit ------------------------------------------------------------------------------


def _before_commit(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook
    rows = session.info.pop(_PENDING, None)
    if rows:
        append(session, rows)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def lock_head():
    """SELECT the head row FOR UPDATE: appends of concurrent transactions wait for each other
    (PostgreSQL); SQLite ignores the clause, its writers are serialized already."""
    head_t = AuditHead.__table__
    return select(head_t.c.last_seq, head_t.c.last_hash).where(head_t.c.id == 1).with_for_update()


def append(session: Session, rows: list[tuple]) -> int:
    """Chain ``rows`` (at, office, operator, action, type, id, parent, what) after the head
    and insert them; returns the new last seq. The head row is locked until the commit."""
    conn = session.connection()
    head_t, table = AuditHead.__table__, AuditEvent.__table__
    head = conn.execute(lock_head()).first()
    if head is None:
        conn.execute(insert(head_t).values(id=1, last_seq=0, last_hash=GENESIS))
        head = (0, GENESIS)
    seq, prev = head
    out = []
    stamps: dict = {}
    for at, office, operator, action, etype, eid, parent, what in rows:
        seq += 1
        stamp = stamps.get(at) or stamps.setdefault(at, at.isoformat(" ", "microseconds"))
        h = hash_fields(str(seq), stamp, office, operator, action, etype, eid, parent, what, prev)
        out.append((seq, at, office, operator, action, etype, eid, parent, what, prev, h))
        prev = h
    if conn.dialect.name == "sqlite":
        # The driver's executemany, with `at` in SQLAlchemy's own SQLite text form.
        proc = table.c.at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        texts: dict = {}
        params = [(r[0], texts.get(r[1]) or texts.setdefault(r[1], proc(r[1])), *r[2:]) for r in out]
        conn.exec_driver_sql(f"INSERT INTO audit_events ({', '.join(NAMES)}) "
                             f"VALUES ({', '.join('?' * len(NAMES))})", params)
    else:
        for i in range(0, len(out), 1000):
            conn.execute(insert(table), [dict(zip(NAMES, r, strict=True)) for r in out[i:i + 1000]])
    conn.execute(update(head_t).where(head_t.c.id == 1).values(last_seq=seq, last_hash=prev))
    return seq


_installed = False


def install() -> None:
    """Listen on every Session (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _orm_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
