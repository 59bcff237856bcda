"""Art. 8 ¶1 between two installations: the department hands its sheets over → bundle → the
bureau holds that version with all twelve fields and the push sheet → acknowledges → bundle back
→ the department sees 已确认. A hostile hand-over subject is refused and changes nothing."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from app.models import Dispatch, LicensingItem, OfficeKey
from app.services import rules
from app.services.exchange import bundle, importer, keys
from app.services.sheets import sheets
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
    """Both homes hold item ZJ-001 (the bureau's from build_world); no sheets yet."""
    w = build_world(tmp_path)
    with w.zj.session() as s:
        s.add(LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发",
                            competent_office_id=w.zj.office(s).id))
        s.commit()
    yield w
    close_world(w)


def hand_over(home):
    with home.session() as s:
        sheet, push = prepare(s, home.office(s), push="事项名称,申请人,审批结果")
        text = sheets.handover_text(s, sheet, push)
        s.commit()
        return sheet.id, push.id, text


def test_hand_over_travels_and_is_acknowledged(world, tmp_path):
    ap, zj = world.ap, world.zj
    sid, pid, text = hand_over(zj)
    assert "已通过数据交换发送" in text and "YK-SPJ" in text
    with zj.session() as s:  # in force at the department at once; the dispatch waits for the bureau
        d = sheets.sheet_dict(s, sheets.get(s, "ZJ-001"))
        assert d["status"] == "handed_over" and d["handover"]["status_label"] == "待答复"
    report = ship(zj, ap, tmp_path)
    assert report.status == importer.APPLIED, report.message
    assert [(o.kind, o.outcome) for o in report.outcomes] == [("sheet_handover", "created")]
    with ap.session() as s:
        sheet = sheets.current(s, "ZJ-001")
        assert (sheet.id, sheet.version, sheet.status) == (sid, 1, "handed_over")
        assert {k: getattr(sheet, k) for k in FIELDS} == FIELDS  # all twelve
        d = sheets.sheet_dict(s, sheet)
        assert d["prepared_by"]["code"] == "YK-ZJJ"
        assert d["push_sheet"]["version"] == 1 and sheets.current_push(s, "ZJ-001").id == pid
        assert [f["key"] for f in d["push_sheet"]["fields"] if f["pushed"]] == ["item_name", "applicant", "result"]
        sheets.acknowledge_handover(s, "ZJ-001", office=ap.office(s), operator="王芳")
        s.commit()
    assert ship(ap, zj, tmp_path).status == importer.APPLIED
    with zj.session() as s:
        d = sheets.sheet_dict(s, sheets.get(s, "ZJ-001"))
        assert d["handover"]["status_label"] == "已确认"
        disp = s.scalar(select(Dispatch).where(Dispatch.kind == "sheet_handover"))
        assert disp.status == rules.ACKNOWLEDGED
        assert [e.action for e in disp.events] == ["create", "send", "acknowledge"]
    # A re-sent copy changes nothing; a second hand-over supersedes the first at the bureau.
    with zj.session() as s:
        sheets.edit(s, "ZJ-001", "procedure", "申请—受理—决定", office=zj.office(s))
        sheets.hand_over(s, "ZJ-001", office=zj.office(s), operator="赵强")
        s.commit()
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    with ap.session() as s:
        assert (sheets.current(s, "ZJ-001").version, sheets.current(s, "ZJ-001").procedure) == (2, "申请—受理—决定")
        assert s.get(sheets.ImplementationSheet, sid).status == "superseded"


def test_local_bureau_keeps_the_local_hand_over(world):
    """The bureau entering a sheet handed over on paper (acting for the department): no dispatch."""
    with world.ap.session() as s:
        prepare(s, world.ap.office(s, "YK-ZJJ"))
        assert s.scalar(select(Dispatch.id)) is None
        assert sheets.current(s, "ZJ-001").version == 1


def _payload(src, dst, folder):
    path = export(src, dst.code, folder)
    with dst.session() as s:
        own = keys.decryption_key(s.query(OfficeKey).one())
    return bundle.decrypt(bundle.read_envelope(path.read_bytes()), own)


@pytest.mark.parametrize("change, words", [
    (lambda sub: sub.update(item_code="ZJ-999"), "不存在"),
    (lambda sub: sub.update(id=str(uuid.uuid4())), "与发送记录不符"),
    (lambda sub: sub.update(prepared_by_office="YK-SPJ"), "与发送记录不符"),
    (lambda sub: sub["sheet"].update(id=str(uuid.uuid4())), "与发送记录不符"),
    (lambda sub: sub.update(extra="1"), "未知字段 extra"),
    (lambda sub: sub["sheet"]["fields"].pop("planning"), "缺少字段 planning"),
    (lambda sub: sub["sheet"]["fields"].update(colour="红"), "未知字段 colour"),
    (lambda sub: sub["sheet"]["fields"].update(materials="x" * 10001), "不符合格式规范"),
    (lambda sub: sub["push"].update(fields=["result", "password"]), "不符合格式规范"),
    (lambda sub: sub["sheet"].update(version=0), "不符合格式规范"),
])
def test_hostile_hand_over_is_refused_and_changes_nothing(world, tmp_path, change, words):
    hand_over(world.zj)
    payload = _payload(world.zj, world.ap, tmp_path)
    change(payload["messages"][0]["subject"])
    sign, enc = load_keys(world)
    payload = dict(payload, bundle_id=str(uuid.uuid4()))
    data = seal_raw(header_for(payload), json.dumps(payload, ensure_ascii=False).encode(), sign["YK-ZJJ"],
                    enc["YK-SPJ"])
    path = tmp_path / "forged.json"
    path.write_bytes(data)
    before = logical_dump(world.ap)
    report = import_file(world.ap, path)
    assert report.status != importer.APPLIED
    assert words in report.message + " ".join(o.reason for o in report.outcomes)
    assert logical_dump(world.ap) == before
