"""The roster: register, publish, import with a pinned oversight key; rollback refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.models import Office, RosterKey
from app.services.errors import FileFormatError, WorkflowError
from app.services.exchange import keys, roster
from tests.services.exchange.conftest import (
    BUREAU,
    HOUSING,
    MARKET,
    OVERSIGHT,
    import_roster,
    make_home,
    oversight_fingerprint,
    publish,
)


@pytest.fixture
def homes(tmp_path, frozen):
    made = [make_home(tmp_path, n, i) for n, i in
            (("ys", OVERSIGHT), ("ap", BUREAU), ("zj", HOUSING), ("sj", MARKET))]
    yield made
    for h in made:
        h.db.engine.dispose()


def test_first_import_needs_the_confirmed_fingerprint(homes):
    ys, ap, zj, _ = homes
    data = publish(ys, ap, zj)
    with pytest.raises(WorkflowError, match="首次导入单位名录.*--fingerprint"):
        import_roster(ap, data, None)
    with pytest.raises(WorkflowError, match="不一致"):
        import_roster(ap, data, "0000 " * 9 + "0000")
    summary = import_roster(ap, data, oversight_fingerprint(ys))
    assert summary.first and sorted(summary.added) == ["YK-SPJ", "YK-YSJ", "YK-ZJJ"]
    with ap.session() as s:
        zj_office = ap.office(s, "YK-ZJJ")
        assert zj_office is not None and not zj_office.is_local
        assert s.scalar(select(RosterKey).where(RosterKey.office_id == zj_office.id)) is not None
    assert import_roster(ap, data, None).already


def test_newer_version_accepted_older_refused_and_removed_offices_lose_trust(homes):
    ys, ap, zj, sj = homes
    v1 = publish(ys, ap, zj)
    v2 = publish(ys, sj)
    fp = oversight_fingerprint(ys)
    import_roster(ap, v2, fp)
    with pytest.raises(WorkflowError, match="回退"):
        import_roster(ap, v1, None)
    with ys.session() as s:  # the oversight office drops the housing department
        zj_id = ys.office(s, "YK-ZJJ").id
        s.query(RosterKey).filter(RosterKey.office_id == zj_id).delete()
        v3, version = roster.publish(s, ys.office(s))
        s.commit()
    assert version == 3
    summary = import_roster(ap, v3, None)
    assert summary.removed == ["YK-ZJJ"]
    with ap.session() as s:
        assert roster.trusted_key(s, ap.office(s, "YK-ZJJ")) is None


def test_roster_from_another_oversight_key_is_refused(homes, tmp_path):
    ys, ap, zj, _ = homes
    import_roster(ap, publish(ys, ap, zj), oversight_fingerprint(ys))
    impostor = make_home(tmp_path, "fake", OVERSIGHT)  # same code, its own key
    forged = publish(impostor, ap, zj)
    with ap.session() as s:  # make it look newer
        current = roster.status(s)["version"]
    assert json.loads(forged)["body"]["version"] <= current + 1
    for _ in range(3):
        forged = publish(impostor, ap)
    with pytest.raises(WorkflowError, match="不是由已确认"):
        import_roster(ap, forged, None)
    impostor.db.engine.dispose()


def test_tampered_roster_is_refused(homes):
    ys, ap, zj, _ = homes
    doc = json.loads(publish(ys, ap, zj))
    doc["body"]["offices"][0]["office"]["name"] = "改过的名称"
    with pytest.raises(FileFormatError, match="签名无效"):
        roster.read(json.dumps(doc, ensure_ascii=False).encode())


def test_only_the_oversight_office_registers(homes):
    ys, ap, zj, _ = homes
    with ap.session() as s:
        reg = keys.read_registration(keys.registration_bytes(s, ap.office(s)))
        with pytest.raises(WorkflowError, match="营商环境建设主管部门"):
            roster.register(s, ap.office(s), reg)


def test_roster_warns_when_own_key_differs(homes):
    ys, ap, zj, _ = homes
    data = publish(ys, ap, zj)
    with ap.session() as s:  # the bureau lost its database and made new keys
        s.query(keys.OfficeKey).delete()
        keys.generate(s, ap.office(s))
        s.commit()
    summary = import_roster(ap, data, oversight_fingerprint(ys))
    assert any("与本机密钥不一致" in w for w in summary.warnings)
    with ap.session() as s:
        assert {o.code for o in s.scalars(select(Office))} >= {"YK-SPJ", "YK-ZJJ", "YK-YSJ"}
