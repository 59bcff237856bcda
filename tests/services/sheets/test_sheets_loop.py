"""Art. 8 and Art. 11 between two installations through real bundles: the bureau asks consent
for a key element → bundle → the department answers → bundle back → the bureau's sheet; the
department's notices, opinion requests and pool letters the other way. Hostile subjects."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from sqlalchemy import select

from app.models import (
    Dispatch,
    Expert,
    LicensingItem,
    OfficeKey,
    PolicyChange,
    PoolLetter,
    SheetChange,
)
from app.services import pools, rules
from app.services.exchange import bundle, importer, keys
from app.services.sheets import consent, letters, notices, sheets
from tests.services.exchange.conftest import (
    build_world,
    close_world,
    export,
    import_file,
    logical_dump,
    ship,
)
from tests.services.exchange.corpus import header_for, load_keys, seal_raw
from tests.services.sheets.conftest import FIELDS, prepare


@pytest.fixture
def world(tmp_path, frozen):
    """The exchange world; both homes hold item ZJ-001 and the department's handed-over sheet
    (handed over through a bundle, acknowledged; every outbox empty again)."""
    w = build_world(tmp_path)
    with w.zj.session() as s:  # build_world gives the bureau the item
        s.add(LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发",
                            competent_office_id=w.zj.office(s).id))
        prepare(s, w.zj.office(s))
        s.commit()
    folder = tmp_path / "handover"
    folder.mkdir()
    assert ship(w.zj, w.ap, folder).status == importer.APPLIED
    with w.ap.session() as s:
        sheets.acknowledge_handover(s, "ZJ-001", office=w.ap.office(s), operator="王芳")
        s.commit()
    assert ship(w.ap, w.zj, folder).status == importer.APPLIED
    assert ship(w.zj, w.ap, folder).status == importer.APPLIED
    yield w
    close_world(w)


def propose(home, field="materials", value="施工许可申请表；施工合同"):
    with home.session() as s:
        change = consent.propose(s, "ZJ-001", field, value, "规划许可证已共享", office=home.office(s),
                                 operator="王芳")
        s.commit()
        return change.id


def answer(home, cid, yes: bool, reason=""):
    with home.session() as s:
        consent.answer(s, s.get(SheetChange, cid), yes, office=home.office(s), operator="赵强", reason=reason)
        s.commit()


def state(home, cid):
    with home.session() as s:
        c = s.get(SheetChange, cid)
        return (c.status, c.refusal_reason, c.new_value, sheets.current(s, "ZJ-001").materials,
                sheets.current(s, "ZJ-001").version)


def test_consent_travels_and_the_bureau_applies_the_new_value(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    cid = propose(ap)
    report = ship(ap, zj, tmp_path)
    assert report.status == importer.APPLIED, report.message
    assert [(o.kind, o.outcome) for o in report.outcomes] == [("key_element_consent", "created")]
    assert "申请材料" in report.outcomes[0].applicant
    assert state(zj, cid)[0] == "pending"
    frozen(datetime(2026, 11, 26, 9, 0))
    answer(zj, cid, True)
    assert state(zj, cid) == ("consented", "", "施工许可申请表；施工合同", "施工许可申请表；施工合同", 2)
    assert state(ap, cid)[0] == "pending" and state(ap, cid)[3] == FIELDS["materials"]
    report = ship(zj, ap, tmp_path)
    assert report.status == importer.APPLIED and report.acknowledged == 1
    assert state(ap, cid) == ("consented", "", "施工许可申请表；施工合同", "施工许可申请表；施工合同", 2)
    with ap.session() as s:
        c = s.get(SheetChange, cid)
        d = s.get(Dispatch, c.dispatch_id)
        assert d.status == rules.CONSENTED and c.decided_at == datetime(2026, 11, 26, 9, 0)
        assert [e.action for e in d.events] == ["create", "send", "consent"]


def test_refusal_travels_and_the_old_value_stays(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    cid = propose(ap, "review_standard", "告知承诺制，当场办结")
    ship(ap, zj, tmp_path)
    answer(zj, cid, False, "涉及公共安全，不适用告知承诺")
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    with ap.session() as s:
        c = s.get(SheetChange, cid)
        assert (c.status, c.refusal_reason) == ("refused", "涉及公共安全，不适用告知承诺")
        assert sheets.current(s, "ZJ-001").review_standard == FIELDS["review_standard"]
        assert sheets.current(s, "ZJ-001").version == 1


def test_policy_notice_and_opinion_request_travel_and_are_answered(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    with zj.session() as s:
        n = notices.send(s, notices.NOTICE, office=zj.office(s), operator="赵强", title="限额调整",
                         content="施工许可限额调整为100万元。", basis="住建部令第52号",
                         to=zj.office(s, "YK-SPJ"))
        q = notices.send(s, notices.REQUEST, office=zj.office(s), operator="赵强", title="办法修订征求意见",
                         content="请提出意见。", to=zj.office(s, "YK-SPJ"))
        s.commit()
        nid, qid = n.id, q.id
    report = ship(zj, ap, tmp_path)
    assert sorted((o.kind, o.outcome) for o in report.outcomes) == [
        ("opinion_request", "created"), ("policy_notice", "created")]
    with ap.session() as s:
        me = ap.office(s)
        notices.acknowledge(s, s.get(PolicyChange, nid), office=me, operator="王芳")
        notices.reply(s, s.get(PolicyChange, qid), "建议增加告知承诺制。", office=me, operator="王芳")
        s.commit()
    assert ship(ap, zj, tmp_path).status == importer.APPLIED
    with zj.session() as s:
        statuses = {d.subject_id: d.status for d in s.scalars(select(Dispatch).where(
            Dispatch.kind != "sheet_handover"))}
        assert statuses == {nid: rules.ACKNOWLEDGED, qid: rules.CLOSED}
        assert s.get(PolicyChange, qid).reply_text == "建议增加告知承诺制。"


def test_pool_letter_travels_and_is_applied_at_the_bureau_on_acknowledgement(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    letter = {"experts": [{"action": "add", "name": "张三", "specialty": "建筑结构", "phone": "13904170001"}]}
    with zj.session() as s:
        pl = letters.send(s, letter, office=zj.office(s), operator="赵强", to=zj.office(s, "YK-SPJ"))
        s.commit()
        lid = pl.id
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    with ap.session() as s:
        assert s.scalar(select(Expert.id)) is None  # received, not applied yet
        letters.acknowledge(s, s.get(PoolLetter, lid), office=ap.office(s), operator="王芳")
        s.commit()
        assert [e["name"] for e in pools.search(s, pools.EXPERT, "建筑")] == ["张三"]
    assert ship(ap, zj, tmp_path).status == importer.APPLIED
    with zj.session() as s:  # the acknowledgement arrived; the department keeps no pools
        assert s.scalar(select(Dispatch.status).where(Dispatch.kind == "pool_update")) == rules.ACKNOWLEDGED
        assert s.get(PoolLetter, lid).applied_at is None and s.scalar(select(Expert.id)) is None


def _payload(src, dst, folder):
    path = export(src, dst.code, folder)
    with dst.session() as s:
        own = keys.decryption_key(s.query(OfficeKey).one())
    return bundle.decrypt(bundle.read_envelope(path.read_bytes()), own)


def _reseal(world, payload, signer, to) -> bytes:
    sign, enc = load_keys(world)
    payload = dict(payload, bundle_id=str(uuid.uuid4()))
    return seal_raw(header_for(payload), json.dumps(payload, ensure_ascii=False).encode(), sign[signer], enc[to])


@pytest.mark.parametrize("change, words", [
    (lambda sub: sub.update(field="colour"), "不符合格式规范"),
    (lambda sub: sub.update(new_value="x" * 10001), "超出上限"),
    (lambda sub: sub.update(extra="1"), "未知字段 extra"),
    (lambda sub: sub.update(id=str(uuid.uuid4())), "与发送记录不符"),
    (lambda sub: sub.update(proposed_by_office="YK-ZJJ"), "与发送记录不符"),
])
def test_hostile_sheet_change_is_refused_and_changes_nothing(world, tmp_path, change, words):
    propose(world.ap)
    payload = _payload(world.ap, world.zj, tmp_path)
    change(payload["messages"][0]["subject"])
    data = _reseal(world, payload, "YK-SPJ", "YK-ZJJ")
    before = logical_dump(world.zj)
    path = tmp_path / "forged.json"
    path.write_bytes(data)
    report = import_file(world.zj, path)
    assert report.status != importer.APPLIED
    assert words in report.message + " ".join(o.reason for o in report.outcomes)
    assert logical_dump(world.zj) == before


@pytest.mark.parametrize("part, change, words", [
    ("letter", lambda sub: sub["experts"][0].pop("phone"), "缺少字段 phone"),
    ("letter", lambda sub: sub["experts"][0].update(action="hire"), "不符合格式规范"),
    ("letter", lambda sub: sub.update(office="YK-SPJ"), "与发送记录不符"),
    ("policy", lambda sub: sub.update(kind="decree"), "不符合格式规范"),
    ("policy", lambda sub: sub.update(id=str(uuid.uuid4())), "与发送记录不符"),
])
def test_hostile_letter_and_policy_are_refused_and_change_nothing(world, tmp_path, part, change, words):
    with world.zj.session() as s:
        me, bureau = world.zj.office(s), world.zj.office(s, "YK-SPJ")
        if part == "letter":
            letters.send(s, {"experts": [{"action": "add", "name": "张三", "phone": "13904170001"}]},
                         office=me, operator="赵强", to=bureau)
        else:
            notices.send(s, notices.NOTICE, office=me, operator="赵强", title="t", content="c", basis="b",
                         to=bureau)
        s.commit()
    payload = _payload(world.zj, world.ap, tmp_path)
    change(payload["messages"][0]["subject"])
    path = tmp_path / "forged.json"
    path.write_bytes(_reseal(world, payload, "YK-ZJJ", "YK-SPJ"))
    before = logical_dump(world.ap)
    report = import_file(world.ap, path)
    assert report.status != importer.APPLIED
    assert words in report.message + " ".join(o.reason for o in report.outcomes)
    assert logical_dump(world.ap) == before
