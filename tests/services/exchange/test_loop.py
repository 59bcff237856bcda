"""The Art. 17 loop between two installations through bundles: push at the bureau → bundle →
sign-off at the department → bundle back → the bureau sees the sign-off and the holder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.models import ApprovalResult, Dispatch, DispatchEvent, OutboxMessage
from app.services import results, rules
from app.services.exchange import importer, outbox
from app.services.exchange.result_subject import RESULT_FIELDS
from tests.conftest import a_result_input
from tests.services.exchange.conftest import export, import_file, ship


def record_and_push(home, frozen, when=datetime(2026, 11, 25, 15, 0), **kw):
    with home.session() as s:
        r = results.record(s, a_result_input(**kw), office=home.office(s), operator="王芳")
        frozen(when)
        results.push(s, r, office=home.office(s), operator="王芳")
        s.commit()
        return r.id


def snapshot(home, rid):
    with home.session() as s:
        r = s.get(ApprovalResult, rid)
        d = s.get(Dispatch, r.current_dispatch_id)
        codes = {o.id: o.code for o in s.scalars(select(home.office(s).__class__))}
        res = {f: getattr(r, f) for f in RESULT_FIELDS} | {
            "decided_on": r.decided_on, "issued": r.licence_issued_on, "holder": codes[r.responsible_office_id],
            "since": r.responsible_since, "recorded_at": r.recorded_at, "current": r.current_dispatch_id}
        disp = {c: getattr(d, c) for c in (
            "id", "kind", "status", "clock_start", "send_due", "send_due_provisional", "sent_at", "channel",
            "agreed_due", "reply_due", "reply_due_provisional", "replied_at", "current_due", "created_at")}
        disp["parties"] = (codes[d.sender_office_id], codes[d.addressee_office_id])
        events = [(e.id, e.seq, e.action, e.from_status, e.to_status, e.at, e.operator, codes[e.office_id], e.note)
                  for e in s.scalars(select(DispatchEvent).where(DispatchEvent.dispatch_id == d.id)
                                     .order_by(DispatchEvent.seq))]
        return res, disp, events


def test_push_sign_off_supervise_round_trip(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    rid = record_and_push(ap, frozen)
    with ap.session() as s:
        assert len(outbox.pending(s, ap.office(s).id, ap.office(s, "YK-ZJJ").id)) == 1

    report = ship(ap, zj, tmp_path)
    assert report.status == importer.APPLIED, report.message
    assert [o.outcome for o in report.outcomes] == ["created"]
    assert snapshot(zj, rid) == snapshot(ap, rid)  # same result, dispatch, due dates and events

    frozen(datetime(2026, 11, 26, 9, 0))
    with zj.session() as s:
        results.act(s, s.get(ApprovalResult, rid), "sign_off", office=zj.office(s), operator="赵强")
        s.commit()
    report = ship(zj, ap, tmp_path)
    assert report.status == importer.APPLIED and report.acknowledged == 1
    res, disp, events = snapshot(ap, rid)
    assert disp["status"] == rules.SIGNED_OFF and res["holder"] == "YK-ZJJ"
    assert res["since"] == datetime(2026, 11, 25, 15, 0)
    assert [(e[2], e[6], e[7]) for e in events] == [
        ("create", "王芳", "YK-SPJ"), ("send", "王芳", "YK-SPJ"), ("sign_off", "赵强", "YK-ZJJ")]
    assert snapshot(ap, rid) == snapshot(zj, rid)
    with ap.session() as s:  # acknowledged: the push left the bureau's outbox
        assert outbox.pending(s, ap.office(s).id, ap.office(s, "YK-ZJJ").id) == []

    frozen(datetime(2026, 11, 26, 10, 0))
    with zj.session() as s:
        results.act(s, s.get(ApprovalResult, rid), "start_supervision", office=zj.office(s), operator="赵强")
        s.commit()
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    assert snapshot(ap, rid) == snapshot(zj, rid)
    assert snapshot(ap, rid)[1]["status"] == rules.SUPERVISING


def test_lost_stick_costs_nothing(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    first = record_and_push(ap, frozen)
    lost = export(ap, "YK-ZJJ", tmp_path / "lost")  # bundle 1, never arrives
    second = record_and_push(ap, frozen, licence_number="LIC-2")
    report = ship(ap, zj, tmp_path)  # bundle 2 carries both pushes again
    assert report.status == importer.APPLIED and "未收到第 1 号" in report.message
    assert sorted(o.outcome for o in report.outcomes) == ["created", "created"]
    with zj.session() as s:
        assert {first, second} <= set(s.scalars(select(ApprovalResult.id)))
    late = import_file(zj, lost)  # the lost stick turns up: nothing to do
    assert late.status == importer.ALREADY and "无需导入" in late.message


def test_unacknowledged_messages_are_resent_and_duplicates_ignored(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    rid = record_and_push(ap, frozen)
    assert ship(ap, zj, tmp_path).status == importer.APPLIED
    # No bundle came back yet: the next export carries the push again; the department ignores it.
    report = ship(ap, zj, tmp_path)
    assert report.status == importer.APPLIED
    assert [(o.outcome, o.reason) for o in report.outcomes] == [("unchanged", "已导入过（重复发送的消息）")]
    with zj.session() as s:
        assert s.scalar(select(ApprovalResult.id)) == rid
    ship(zj, ap, tmp_path)  # an empty bundle that acknowledges
    with ap.session() as s:
        assert s.scalars(select(OutboxMessage.acked_at)).all()[0] is not None
        assert outbox.pending(s, ap.office(s).id, ap.office(s, "YK-ZJJ").id) == []


def test_return_travels_and_holder_goes_back(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    rid = record_and_push(ap, frozen)
    ship(ap, zj, tmp_path)
    frozen(datetime(2026, 11, 25, 16, 0))
    with zj.session() as s:
        results.act(s, s.get(ApprovalResult, rid), "return", office=zj.office(s), operator="赵强",
                    reason="不属于本部门监管")
        s.commit()
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    res, disp, events = snapshot(ap, rid)
    assert disp["status"] == rules.RETURNED and res["holder"] == "YK-SPJ"
    assert events[-1][8] == "不属于本部门监管"


def test_dry_run_previews_and_writes_nothing(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    record_and_push(ap, frozen)
    path = export(ap, "YK-ZJJ", tmp_path)
    preview = import_file(zj, path, dry_run=True)
    assert preview.status == importer.PREVIEW and [o.outcome for o in preview.outcomes] == ["created"]
    with zj.session() as s:
        assert s.scalar(select(ApprovalResult.id)) is None
    assert import_file(zj, path).status == importer.APPLIED


def test_demo_mode_queues_nothing(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳")
    session.commit()
    assert session.scalar(select(OutboxMessage.id)) is None
