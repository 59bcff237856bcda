"""Several desks on one database: lock the row a step changes, then read it again.

A desk reads a record, the clerk decides, the desk writes. Between the read and the write another
desk may have taken the same step. Every read-check-write of shared state therefore starts with
:func:`lock`: it writes out what this session has pending, waits for the row (PostgreSQL:
``SELECT … FOR UPDATE``; SQLite: the database's one write lock, taken by a no-op ``UPDATE`` of
the row) and loads the row's committed state into the object, so the check that follows sees
what the other desk did. The lock is held until the commit or rollback.

Pessimistic row locks rather than a version column: desks act on one record per short
transaction, and a refused step must name who took it (which a version mismatch cannot tell);
no retry loop, no schema change. A busy database (a lock not granted within the timeout) is
reported in words by :mod:`app.db` (:class:`app.services.errors.DatabaseBusyError`).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, event, inspect, select, update
from sqlalchemy.orm import Session

from app.models import ExchangeChannel, Office
from app.services.errors import DatabaseBusyError

# How long a desk waits for a row another desk holds before it gives up with a message.
LOCK_TIMEOUT_SECONDS = 15
BUSY = ("数据库正忙：另一台电脑（或另一个窗口）正在修改同一批记录，等待{0}秒后仍未完成。"
        "本次操作未保存任何内容，请稍后再试。")
DEADLOCK = "另一台电脑同时在修改相同的记录，本次操作已撤销、未保存任何内容，请再试一次。"


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def lock(session: Session, obj):
    """Lock ``obj``'s row until the end of the transaction and reload its committed state.

    An object this session has just added (not in the database yet) needs no lock. Returns the
    object (the same instance, refreshed)."""
    state = inspect(obj)
    if state.pending or state.transient:
        return obj
    session.flush()  # our own changes go first: the reload below must not discard them
    model = type(obj)
    key = model.__mapper__.primary_key[0]
    ident = getattr(obj, key.key)
    if _sqlite(session):
        table = model.__table__
        session.connection().execute(update(table).where(table.c.id == ident).values(id=table.c.id))
        stmt = select(model).where(key == ident)
    else:
        stmt = select(model).where(key == ident).with_for_update()
    session.execute(stmt.execution_options(populate_existing=True)).scalar_one()
    for rel in model.__mapper__.relationships:  # collections loaded before the lock are stale
        if rel.uselist and rel.key in state.dict:
            session.expire(obj, [rel.key])
    return obj


def lock_by_id(session: Session, model, ident: uuid.UUID):
    """The row of ``model`` with id ``ident``, locked and freshly read (None if it is gone)."""
    obj = session.get(model, ident)
    return lock(session, obj) if obj is not None else None


def channel(session: Session, sender_id: uuid.UUID, addressee_id: uuid.UUID,
            local_id: uuid.UUID) -> ExchangeChannel:
    """The exchange channel sender → addressee, created if missing, locked: sequence numbers
    (export) and the already-imported check (import) are decided under this lock. A missing
    channel is created under the lock of the local office ``local_id`` (two desks never both
    create it)."""
    where = (ExchangeChannel.sender_office_id == sender_id,
             ExchangeChannel.addressee_office_id == addressee_id)
    ch = session.scalar(select(ExchangeChannel).where(*where))
    if ch is None:
        lock_by_id(session, Office, local_id)
        ch = session.scalar(select(ExchangeChannel).where(*where).execution_options(
            populate_existing=True))
        if ch is None:
            ch = ExchangeChannel(id=uuid.uuid4(), sender_office_id=sender_id,
                                 addressee_office_id=addressee_id, last_seq=0, acked_seq=0)
            session.add(ch)
            return ch
    return lock(session, ch)


def _pg_connect(dbapi_conn, _record) -> None:
    with dbapi_conn.cursor() as cur:
        cur.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
    dbapi_conn.commit()


def _busy(context) -> None:
    """A lock not granted in time (SQLite "database is locked"; PostgreSQL 55P03) or a
    deadlock (40P01) is told in words instead of a driver error."""
    orig = context.original_exception
    code = getattr(orig, "sqlstate", None)
    text = str(orig).lower()
    if code == "40P01":
        raise DatabaseBusyError(DEADLOCK) from orig
    if code == "55P03" or (context.engine is not None and context.engine.dialect.name == "sqlite"
                           and ("database is locked" in text or "database is busy" in text)):
        raise DatabaseBusyError(BUSY.format(LOCK_TIMEOUT_SECONDS)) from orig


def watch(engine: Engine) -> Engine:
    """Give ``engine`` the lock timeout and the busy messages (called by app.db.make_engine)."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _pg_connect)
    event.listen(engine, "handle_error", _busy)
    return engine
