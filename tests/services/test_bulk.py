"""The bulk insert of pending records (SQLite: DBAPI executemany of values converted by
SQLAlchemy's own bind processors) writes exactly what the ORM writes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import delete

from app.models import ApprovalResult, Dispatch, DispatchEvent
from app.services.bulk import Pending, insert_pending


def _values(city):
    did, rid = uuid.uuid4(), uuid.uuid4()
    d = dict(id=did, kind="approval_result", sender_office_id=city.approval.id,
             addressee_office_id=city.housing.id, subject_type="approval_result", subject_id=rid,
             status="sent", clock_start=date(2026, 11, 24), send_due=date(2026, 11, 26),
             send_due_provisional=True, sent_at=datetime(2026, 11, 25, 10, 0, 0),
             channel="exchange", agreed_due=None, reply_due=date(2026, 12, 9),
             reply_due_provisional=False, replied_at=None, current_due=date(2026, 12, 9),
             current_due_provisional=False, created_at=datetime(2026, 11, 24, 9, 30, 5, 123456),
             previous_id=None)
    events = [dict(id=uuid.uuid4(), dispatch_id=did, seq=i, action=a, from_status=f, to_status=t,
                   at=datetime(2026, 11, 25, 10, 0, i, 7 * i), operator="张三", office_id=city.approval.id,
                   note="说明 'quoted' \"x\"" if i else "")
              for i, (a, f, t) in enumerate([("create", None, "pending"), ("send", "pending", "sent")])]
    r = dict(id=rid, item_id=city.item_building.id, approval_office_id=city.approval.id,
             applicant_name="营口某建设有限公司", applicant_id_type="uscc", applicant_id="91210800MA0TEXT01X",
             contact_name="李四", contact_phone="0417-1234567", materials="材料一\n材料二",
             result="准予许可", licence_number="ZJ-2026-001", decided_on=date(2026, 11, 24),
             licence_issued_on=None, recorded_at=datetime(2026, 11, 24, 16, 0), recorded_by="王五",
             responsible_office_id=city.housing.id, responsible_since=datetime(2026, 11, 25, 10, 0),
             current_dispatch_id=did)
    return d, events, r


def _raw(session, table):
    return session.connection().exec_driver_sql(f"SELECT * FROM {table} ORDER BY id").all()


def _clear(session):
    session.execute(delete(ApprovalResult))
    session.execute(delete(DispatchEvent))
    session.execute(delete(Dispatch))
    session.flush()


def test_fast_insert_writes_what_the_orm_writes(session, city):
    d, events, r = _values(city)
    tables = ("dispatches", "dispatch_events", "approval_results")

    pd = Pending(Dispatch, **d)
    pd.events.extend(Pending(DispatchEvent, **e) for e in events)
    insert_pending(session, [pd])
    insert_pending(session, [Pending(ApprovalResult, **r)])
    fast = {t: _raw(session, t) for t in tables}
    assert all(len(fast[t]) for t in tables)
    session.expire_all()
    got = session.get(Dispatch, d["id"])
    assert {k: getattr(got, k) for k in d} == d
    assert {k: getattr(session.get(ApprovalResult, r["id"]), k) for k in r} == r
    for e in events:
        assert {k: getattr(session.get(DispatchEvent, e["id"]), k) for k in e} == e
    _clear(session)
    session.expunge_all()

    session.add(Dispatch(**d))
    session.flush()
    session.add_all(DispatchEvent(**e) for e in events)
    session.add(ApprovalResult(**r))
    session.flush()
    orm = {t: _raw(session, t) for t in tables}
    for t in tables:
        assert [tuple(row) for row in fast[t]] == [tuple(row) for row in orm[t]], t
        assert [[type(v) for v in row] for row in fast[t]] == [[type(v) for v in row] for row in orm[t]]
    session.rollback()


def test_inbox_rows_match_the_orm(session, city):
    from app.models import InboxMessage

    values = dict(id=uuid.uuid4(), sender_office_id=city.housing.id, bundle_id=uuid.uuid4(),
                  action="sign_off", applied_at=datetime(2026, 11, 25, 10, 0, 0))
    insert_pending(session, [Pending(InboxMessage, **values)])
    fast = _raw(session, "inbox_messages")
    session.execute(delete(InboxMessage))
    session.add(InboxMessage(**values))
    session.flush()
    assert [tuple(r) for r in fast] == [tuple(r) for r in _raw(session, "inbox_messages")]
    session.rollback()


def test_a_fast_converter_that_disagrees_with_sqlalchemy_is_not_used():
    from sqlalchemy import Column, DateTime

    from app.services import bulk

    def odd_processor(value):  # a storage format other than SQLAlchemy's default
        return value.strftime("%Y/%m/%d %H:%M:%S")

    assert bulk._converter(Column("t", DateTime()), odd_processor) is odd_processor
    same = bulk._converter(Column("t", DateTime()), lambda v: v.isoformat(" ", "microseconds"))
    assert same is not None and same(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02 03:04:05.000000"
