"""Art. 21 through real bundles: the department and the bureau report dispatch metadata to the
oversight office, whose figures then include their dispatches; no applicant data travels."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.models import ApprovalResult, Dispatch, OversightReport
from app.services import results, rules
from app.services.cooperation import oversight, reports
from app.services.errors import ValidationError
from app.services.exchange import importer
from tests.conftest import a_result_input, valid_uscc
from tests.services.cooperation.conftest import decrypted
from tests.services.exchange.conftest import export, import_file, ship


def push_and_sign(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    with ap.session() as s:
        r = results.record(s, a_result_input(), office=ap.office(s), operator="王芳")
        s.flush()
        results.push(s, r, office=ap.office(s), operator="王芳")  # Wed Nov 25, due Nov 25+2
        s.commit()
        rid = r.id
    assert ship(ap, zj, tmp_path).status == importer.APPLIED
    frozen(datetime(2026, 11, 30, 9, 0))  # Mon: sign-off was due Fri Nov 27 → late
    with zj.session() as s:
        results.act(s, s.get(ApprovalResult, rid), "sign_off", office=zj.office(s), operator="赵强")
        s.commit()
    return rid


def send_report(home):
    with home.session() as s:
        sent = reports.send_report(s, office=home.office(s), operator="报送员")
        s.commit()
        return sent


def test_department_report_reaches_the_oversight_office_without_applicant_data(world, tmp_path, frozen):
    ys, zj = world.ys, world.zj
    push_and_sign(world, tmp_path, frozen)
    [d] = send_report(zj)
    assert (d.kind, d.status) == ("oversight_report", rules.SENT)
    path = export(zj, "YK-YSJ", tmp_path)
    text = decrypted(ys, path)
    for personal in ("营口市鲅鱼圈区海兴建筑有限公司", valid_uscc(), "李明", "13904171234", "210800202611240101",
                     "施工许可申请表"):
        assert personal not in text
    assert "approval_push" in text and "YK-ZJJ" in text
    report = import_file(ys, path)
    assert report.status == importer.APPLIED, report.message
    assert [(o.kind, o.outcome) for o in report.outcomes] == [("oversight_report", "created")]
    with ys.session() as s:
        f = oversight.figures(s, ys.office(s), month="2026-11")
        rows = {(r["office"], r["measure"]): r for r in f["by_office"]}
        assert (rows["YK-ZJJ", "sign_off"]["late"], rows["YK-SPJ", "push"]["on_time"]) == (1, 1)
        [late] = oversight.late_items(s, ys.office(s), month="2026-11")
        assert (late["office_name"], late["measure_label"]) == ("营口市住房和城乡建设局", "签收")
        assert s.scalar(select(func.count()).select_from(Dispatch)) == 1  # the report dispatch itself
    # The oversight office acknowledges; the department's report dispatch is done.
    with ys.session() as s:
        from app.services import dispatch as engine

        engine.perform(s, s.get(Dispatch, d.id), "acknowledge", office=ys.office(s), operator="孙丽")
        s.commit()
    assert ship(ys, zj, tmp_path).status == importer.APPLIED
    with zj.session() as s:
        assert s.get(Dispatch, d.id).status == rules.ACKNOWLEDGED


def test_only_changes_are_reported_and_a_stale_report_does_not_undo_a_newer(world, tmp_path, frozen):
    ys, ap, zj = world.ys, world.ap, world.zj
    push_and_sign(world, tmp_path, frozen)
    send_report(ap)  # the bureau has not imported the sign-off yet: status sent, no replied_at
    send_report(zj)
    with zj.session() as s, pytest.raises(ValidationError, match="无需报送"):
        reports.send_report(s, office=zj.office(s), operator="报送员")
    assert ship(zj, ys, tmp_path).status == importer.APPLIED
    assert ship(ap, ys, tmp_path).status == importer.APPLIED  # arrives later, older knowledge
    with ys.session() as s:
        [row] = s.scalars(select(OversightReport)).all()
        assert (row.status, row.replied_at) == (rules.SIGNED_OFF, datetime(2026, 11, 30, 9, 0))
    assert ship(zj, ap, tmp_path).status == importer.APPLIED  # now the bureau knows
    with ap.session() as s:
        assert reports.report_summary(s, ap.office(s))["pending_rows"] == 1
    send_report(ap)
    assert ship(ap, ys, tmp_path).status == importer.APPLIED
    with ys.session() as s:
        [row] = s.scalars(select(OversightReport)).all()
        assert (row.reporting_office, row.status) == ("YK-SPJ", rules.SIGNED_OFF)


def test_a_report_row_of_another_office_or_with_personal_data_is_refused(world, tmp_path, frozen):
    from types import SimpleNamespace

    from app.services.cooperation import codecs
    from app.services.exchange.apply import Rejected
    from app.services.exchange.bundle import SCHEMA_ID
    from app.services.exchange.parser import fast_check

    ys, zj = world.ys, world.zj
    push_and_sign(world, tmp_path, frozen)
    [d] = send_report(zj)
    with zj.session() as s:
        sub = reports.to_dict(s, d.subject_id)
    check = fast_check(SCHEMA_ID, "/$defs/oversight_report")
    assert check(sub)
    assert not check({**sub, "rows": [{**sub["rows"][0], "applicant_name": "张三"}]})
    forged = {**sub, "rows": [{**sub["rows"][0], "sender": "YK-SJJ", "addressee": "YK-SPJ"}]}
    with ys.session() as s, pytest.raises(Rejected, match="不是 YK-ZJJ 本单位"):
        codecs._report_apply(SimpleNamespace(session=s), forged, ys.office(s, "YK-ZJJ"), ys.office(s), d.subject_id)
