"""The audit trail: capture through the normal services, masking, bulk import, the hash chain
and each kind of tampering (raw SQL outside the program), serialized appends."""

from __future__ import annotations

import json
import threading
from datetime import datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql

from app.models import AuditEvent, Setting
from app.models.audit import GENESIS
from app.services import audit, audit_log, results, settings
from tests.conftest import a_result_input, valid_uscc


def events(session, **where) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.seq)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(session.scalars(stmt))


def record_and_push(session, city, operator="王芳"):
    audit.set_actor(session, city.approval.code, operator)
    r = results.record(session, a_result_input(), office=city.approval, operator=operator)
    results.push(session, r, office=city.approval, operator=operator)
    session.commit()
    return r


def test_inserts_updates_and_steps_are_recorded_with_office_and_operator(session, city, frozen):
    r = record_and_push(session, city)
    rows = events(session, entity_id=str(r.id))
    assert [e.action for e in rows][:1] == [audit.INSERT]
    assert {(e.office, e.operator) for e in rows} == {("YK-SPJ", "王芳")}
    assert rows[0].at == datetime(2026, 11, 25, 10, 0)
    steps = [e.action for e in events(session, entity_type="dispatch_events")]
    assert steps == ["登记", "推送"]
    d = results.current_push(session, r)
    assert any(json.loads(e.what).get("status") == "sent"
               for e in events(session, entity_id=str(d.id), action=audit.UPDATE))
    # Another office signs off: its own code and operator.
    audit.set_actor(session, city.housing.code, "赵强")
    results.act(session, r, "sign_off", office=city.housing, operator="赵强")
    session.commit()
    last = events(session, entity_type="dispatch_events")[-1]
    assert (last.office, last.operator, last.action, last.parent_id) == ("YK-ZJJ", "赵强", "签收",
                                                                        str(d.id))


def test_deletes_are_recorded_and_unknown_actor_is_the_system(session, city):
    settings.put(session, "audit-test", "1")
    session.commit()
    row = session.scalar(select(Setting).where(Setting.key == "audit-test"))
    session.delete(row)
    session.commit()
    deleted = events(session, entity_id=str(row.id))
    assert [e.action for e in deleted] == [audit.INSERT, audit.DELETE]
    assert deleted[-1].office == audit.SYSTEM and deleted[-1].operator == audit.SYSTEM


def test_applicant_id_and_phone_never_stored_in_clear(session, city, frozen):
    r = record_and_push(session, city)
    r.contact_phone = "13800001111"
    r.materials = "身份证 210802199003071234，电话 13912345678"
    session.commit()
    texts = " ".join(e.what for e in events(session))
    for secret in (valid_uscc(), "13904171234", "13800001111", "210802199003071234",
                   "13912345678"):
        assert secret not in texts
    first = json.loads(events(session, entity_id=str(r.id))[0].what)
    assert first["applicant_id"] == audit.MASK and first["contact_phone"] == audit.MASK
    assert first["applicant_name"] == "营口市鲅鱼圈区海兴建筑有限公司"
    change = json.loads(events(session, entity_id=str(r.id), action=audit.UPDATE)[-1].what)
    assert change["contact_phone"] == audit.MASK and audit.HIDDEN in change["materials"]


def test_rollback_discards_the_events_with_the_changes(session, city):
    before = audit_log.head(session)
    settings.put(session, "x", "y")
    session.flush()
    session.rollback()
    assert audit_log.head(session) == before
    assert audit_log.verify(session).ok


def test_orm_update_and_delete_statements_are_one_event_each(session, city):
    from sqlalchemy import delete, update

    for i in range(3):
        settings.put(session, f"k{i}", "old")
    session.commit()
    audit.set_actor(session, "YK-SPJ", "王芳")
    session.execute(update(Setting).where(Setting.key.like("k%")).values(value="new"))
    session.execute(update(Setting).where(Setting.key == "none").values(value="x"))  # no rows
    session.execute(delete(Setting).where(Setting.key == "k0"))
    session.commit()
    up, = events(session, action=audit.BULK_UPDATE)
    assert json.loads(up.what) == {"条数": 3, "value": "new"} and up.operator == "王芳"
    down, = events(session, action=audit.BULK_DELETE)
    assert json.loads(down.what) == {"条数": 1} and down.entity_type == "settings"


def test_bundle_import_writes_one_event_per_applied_message(tmp_path, frozen):
    """A created dispatch's event names the bundle, its steps and (as parent) the record it
    carried; a bundle of 10,000 pushes writes 10,000 events, not one per row of every table."""
    from tests.services.exchange.conftest import build_world, close_world, export, import_file

    w = build_world(tmp_path)
    try:
        with w.ap.session() as s:
            audit.set_actor(s, "YK-SPJ", "王芳")
            r = results.record(s, a_result_input(), office=w.ap.office(s), operator="王芳")
            results.push(s, r, office=w.ap.office(s), operator="王芳")
            s.commit()
            rid = r.id
        report = import_file(w.zj, export(w.ap, "YK-ZJJ", tmp_path))
        assert report.status == "applied", report.message
        with w.zj.session() as s:
            imported = events(s, action=audit.IMPORT)
            assert [e.entity_type for e in imported] == ["dispatches"]
            [d] = imported
            what = json.loads(d.what)
            assert d.parent_id == str(rid) and what["办理"] == "登记、推送"
            assert what["附带记录"] == "approval_result" and what["来源"].startswith("YK-SPJ 数据包")
            assert (d.office, d.operator) != ("", "")
            assert valid_uscc() not in " ".join(e.what for e in events(s))
            assert [e.entity_type for e in events(s, entity_type="bundle_records")]
            assert audit_log.verify(s).ok
            assert "dispatches" in {e.entity_type for e in audit_log.record_events(s, rid)}
    finally:
        close_world(w)


# -- the chain and tampering --------------------------------------------------------------------


@pytest.fixture
def logged(db, city, frozen):
    """A database with a dozen audit events; returns the count."""
    with db.sessions() as s:
        for i in range(3):
            audit.set_actor(s, "YK-SPJ", f"经办人{i}")
            results.record(s, a_result_input(licence_number=f"L{i}"), office=s.merge(city.approval),
                           operator="王芳")
            s.commit()
        n = audit_log.head(s)[0]
    assert n >= 12
    return n


def tamper(db, *statements: str) -> None:
    with db.engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))


def check(db, external=None) -> audit_log.Verification:
    with db.sessions() as s:
        return audit_log.verify(s, external)


def test_an_untouched_chain_verifies(db, logged):
    v = check(db)
    assert v.ok and v.count == logged == v.head_seq
    with db.sessions() as s:
        seq, digest = audit_log.head(s)
    assert check(db, f"{seq}:{digest}").ok and check(db, digest).ok


def test_an_edited_row_is_found_at_its_seq(db, logged):
    tamper(db, "UPDATE audit_events SET operator = '李四' WHERE seq = 5")
    v = check(db)
    assert (v.ok, v.kind, v.seq, v.count) == (False, audit_log.EDITED, 5, 4)


def test_an_edited_time_is_found(db, logged):
    tamper(db, "UPDATE audit_events SET at = '2020-01-01 00:00:00.000000' WHERE seq = 7")
    assert (check(db).kind, check(db).seq) == (audit_log.EDITED, 7)


def test_a_deleted_row_is_a_gap(db, logged):
    tamper(db, "DELETE FROM audit_events WHERE seq = 6")
    v = check(db)
    assert (v.kind, v.seq) == (audit_log.DELETED, 6)
    tamper(db, "DELETE FROM audit_events WHERE seq = 1")
    assert (check(db).kind, check(db).seq) == (audit_log.DELETED, 1)


def test_reordered_rows_are_found(db, logged):
    tamper(db, "UPDATE audit_events SET seq = -1 WHERE seq = 4",
           "UPDATE audit_events SET seq = 4 WHERE seq = 5",
           "UPDATE audit_events SET seq = 5 WHERE seq = -1")
    v = check(db)
    assert (v.kind, v.seq) == (audit_log.REORDERED, 4)


def test_a_row_rewritten_with_a_valid_hash_breaks_the_next_link(db, logged):
    with db.sessions() as s:
        e = s.get(AuditEvent, 3)
        forged = audit.event_hash(3, e.at, e.office, "李四", e.action, e.entity_type, e.entity_id,
                                  e.parent_id, e.what, e.prev_hash)
    tamper(db, f"UPDATE audit_events SET operator = '李四', hash = '{forged}' WHERE seq = 3")
    v = check(db)
    assert (v.kind, v.seq) == (audit_log.REORDERED, 4)


def test_a_truncated_tail_is_found_by_the_head(db, logged):
    tamper(db, f"DELETE FROM audit_events WHERE seq > {logged - 2}")
    v = check(db)
    assert (v.kind, v.seq, v.count) == (audit_log.TRUNCATED, logged - 1, logged - 2)


def test_head_edits_and_rows_added_outside_are_found(db, logged):
    tamper(db, "UPDATE audit_head SET last_hash = '" + "a" * 64 + "'")
    assert check(db).kind == audit_log.HEAD
    tamper(db, f"UPDATE audit_head SET last_seq = {logged - 1}")
    v = check(db)
    assert (v.kind, v.seq) == (audit_log.HEAD, logged)
    tamper(db, "DELETE FROM audit_head")
    assert check(db).kind == audit_log.HEAD


def test_a_rewritten_log_is_found_only_against_a_head_written_down(db, logged):
    with db.sessions() as s:
        seq, digest = audit_log.head(s)
        rows = list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    statements, prev = [], GENESIS
    for e in rows:  # the whole chain rewritten consistently, the operator changed everywhere
        h = audit.event_hash(e.seq, e.at, e.office, "冒名", e.action, e.entity_type, e.entity_id,
                             e.parent_id, e.what, prev)
        statements.append(f"UPDATE audit_events SET operator = '冒名', prev_hash = '{prev}', "
                          f"hash = '{h}' WHERE seq = {e.seq}")
        prev = h
    tamper(db, *statements, f"UPDATE audit_head SET last_hash = '{prev}'")
    assert check(db).ok  # undetectable from inside the database alone…
    v = check(db, f"{seq}:{digest}")
    assert (v.ok, v.kind) == (False, audit_log.EXTERNAL)  # …but not against the copy


def test_bad_external_head_is_a_validation_error(db, logged):
    from app.services.errors import ValidationError

    with pytest.raises(ValidationError):
        check(db, "12:xyz")


# -- serialized appends ---------------------------------------------------------------------------


def test_head_is_read_at_commit_so_two_sessions_chain_linearly(db, city):
    with db.sessions() as a, db.sessions() as b, a.no_autoflush:
        a.add(Setting(key="from-a", value="1"))
        b.add(Setting(key="from-b", value="2"))
        b.commit()  # b appends first although a started first
        a.commit()
    with db.sessions() as s:
        keys = [json.loads(e.what).get("key") for e in events(s, entity_type="settings")]
        assert keys[-2:] == ["from-b", "from-a"]
        assert audit_log.verify(s).ok


def test_concurrent_writers_keep_one_gap_free_chain(db, city):
    errors = []

    def work(name: str) -> None:
        try:
            for i in range(15):
                with db.sessions() as s:
                    audit.set_actor(s, None, name)
                    s.add(Setting(key=f"{name}-{i}", value=str(i)))
                    s.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"desk{k}",)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.sessions() as s:
        v = audit_log.verify(s)
        assert v.ok
        ops = [e.operator for e in events(s, entity_type="settings")]
        assert sorted(set(ops)) == ["desk0", "desk1"] and len(ops) == 30
        assert [e.seq for e in events(s)] == list(range(1, v.count + 1))


def test_the_head_row_is_locked_for_update():
    sql = str(audit.lock_head().compile(dialect=postgresql.dialect()))
    assert "audit_head" in sql and sql.endswith("FOR UPDATE")
