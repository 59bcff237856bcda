"""Publication of a catalogue in force: the oversight home signs it, the housing department's home
imports it with the pinned oversight key; every refused file leaves the database unchanged."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.models import LicensingItem
from app.services import offices
from app.services.catalogue import publish, versions, working
from app.services.errors import FileFormatError, WorkflowError
from app.services.exchange import keys, roster
from tests.services.exchange.conftest import build_world, close_world, logical_dump, make_home


@pytest.fixture
def world(tmp_path, frozen):
    w = build_world(tmp_path)
    yield w
    close_world(w)


def enact(ys, title: str, items: list[tuple[str, str, str]], base: int | None = None) -> bytes:
    """A version with ``items`` (code, name, competent code) put in force at ``ys``; its file."""
    with ys.session() as s:
        oversight = ys.office(s)
        n = versions.create_draft(s, oversight, title, base)
        for code in [e.code for e in versions.get_version(s, n).entries]:
            versions.remove_entry(s, n, code)
        for code, name, competent in items:
            versions.add_entry(s, n, code, name, "行政许可", competent, "city")
        versions.record_opinion(s, n, "YK-SPJ", True, "同意")
        versions.evaluate(s, n)
        versions.approve(s, n, f"营政发〔2026〕{n}号", date(2026, 11, 24))
        versions.put_in_force(s, oversight, n, date(2026, 11, 25))
        data = publish.publish(s, oversight, n)
        s.commit()
    return data


def do_import(home, data: bytes) -> publish.CatalogueImport:
    with home.session() as s:
        try:
            result = publish.import_catalogue(s, data)
        except Exception:
            s.rollback()
            raise
        s.commit()
    return result


V1 = [("ZJ-001", "建筑工程施工许可证核发", "YK-ZJJ"), ("ZJ-002", "建设工程消防设计审查", "YK-ZJJ")]


def test_round_trip_rollback_and_already_held(world):
    one = enact(world.ys, "2027年版", V1)
    result = do_import(world.ap, one)
    assert (result.number, result.entries, result.already) == (1, 2, False)
    # ZJ-001 was known already: only its category (行政许可) is new.
    assert result.sync.added == ["ZJ-002"] and result.sync.updated == ["ZJ-001"]
    with world.ap.session() as s:
        assert working.working_number(s) == 1
        v = working.working_version(s)
        assert (v.origin, v.status, v.approved_doc_number) == ("imported", "in_force", "营政发〔2026〕1号")
        assert [e.competent_office_name for e in v.entries] == ["营口市住房和城乡建设局"] * 2
    before = logical_dump(world.ap)
    assert do_import(world.ap, one).already is True
    assert logical_dump(world.ap) == before

    two = enact(world.ys, "2028年版", V1[:1] + [("ZJ-003", "排水许可", "YK-ZJJ")], 1)
    result = do_import(world.ap, two)
    assert result.sync.added == ["ZJ-003"] and result.sync.deactivated == ["ZJ-002"]
    with world.ap.session() as s:
        assert versions.get_version(s, 1).status == "superseded"
        gone = s.scalar(select(LicensingItem).where(LicensingItem.code == "ZJ-002"))
        assert gone is not None and gone.active is False
    before = logical_dump(world.ap)
    with pytest.raises(WorkflowError, match="防止回退"):
        do_import(world.ap, one)
    assert logical_dump(world.ap) == before


def test_filed_republication_takes_over_the_filing(world):
    one = enact(world.ys, "2027年版", V1)
    do_import(world.zj, one)
    with world.ys.session() as s:
        versions.mark_filed(s, 1, date(2026, 11, 25), "辽宁省人民政府")
        filed = publish.publish(s, world.ys.office(s), 1)
        s.commit()
    assert do_import(world.zj, filed).already is True
    with world.zj.session() as s:
        v = versions.get_version(s, 1)
        assert (v.status, v.filed_on, v.filed_with) == ("filed", date(2026, 11, 25), "辽宁省人民政府")


def test_same_number_other_content_is_refused(world):
    one = enact(world.ys, "2027年版", V1)
    do_import(world.zj, one)
    doc = json.loads(one)
    doc["body"]["catalogue"]["entries"].pop()
    with world.ys.session() as s:
        forged = roster.signed_file(keys.require_key(s, world.ys.office(s)), publish.FORMAT, publish.DOMAIN,
                                    doc["body"])
    before = logical_dump(world.zj)
    with pytest.raises(WorkflowError, match="内容与该文件不同"):
        do_import(world.zj, forged)
    assert logical_dump(world.zj) == before


def _tampered(data: bytes) -> bytes:
    return data.replace("消防设计审查".encode(), "消防验收备案".encode())


def _forged(world, data: bytes) -> bytes:
    doc = json.loads(data)
    with world.zj.session() as s:  # signed by a key that is not the pinned oversight key
        return roster.signed_file(keys.require_key(s, world.zj.office(s)), publish.FORMAT, publish.DOMAIN,
                                  doc["body"])


@pytest.mark.parametrize(("mutate", "error", "message"), [
    (lambda w, d: _tampered(d), FileFormatError, "签名"),
    (_forged, FileFormatError, "签名"),
    (lambda w, d: d[: len(d) // 2], FileFormatError, "不是完整有效的 JSON"),
    (lambda w, d: b"", FileFormatError, "空文件"),
    (lambda w, d: d.replace(b'"level": "city"', b'"level": "province"', 1), FileFormatError, "不符合格式规范"),
    (lambda w, d: d.replace(b'"format": "shenguan-catalogue"', b'"format": "shenguan-roster"'),
     FileFormatError, "不符合格式规范"),
])
def test_hostile_files_change_nothing(world, mutate, error, message):
    data = mutate(world, enact(world.ys, "2027年版", V1))
    before = logical_dump(world.ap)
    with pytest.raises(error, match=message):
        do_import(world.ap, data)
    assert logical_dump(world.ap) == before


def test_unknown_competent_office_is_refused_with_its_code(world):
    with world.ys.session() as s:
        offices.add_office(s, "YK-SJJ", "营口市市场监督管理局", "competent", "市本级")
        s.commit()
    data = enact(world.ys, "2027年版", V1 + [("SJ-001", "食品经营许可", "YK-SJJ")])
    before = logical_dump(world.zj)
    with pytest.raises(WorkflowError, match="YK-SJJ 不在本机单位名录中"):
        do_import(world.zj, data)
    assert logical_dump(world.zj) == before


def test_without_a_roster_there_is_no_key_to_check(world, tmp_path):
    data = enact(world.ys, "2027年版", V1)
    fresh = make_home(tmp_path, "fresh", ("YK-SJJ", "营口市市场监督管理局", "competent"))
    try:
        with pytest.raises(WorkflowError, match="请先导入.*单位名录"):
            do_import(fresh, data)
    finally:
        fresh.db.engine.dispose()


def test_only_versions_in_force_are_published(world):
    with world.ys.session() as s:
        n = versions.create_draft(s, world.ys.office(s), "草案")
        with pytest.raises(WorkflowError, match="不在实施中"):
            publish.publish(s, world.ys.office(s), n)
        with pytest.raises(WorkflowError, match="营商环境建设主管部门"):
            publish.publish(s, world.ys.office(s, "YK-ZJJ"), n)
