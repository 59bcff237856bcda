"""登记回执: a scanned code finds the push and records the paper sign-off through the engine."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.models import DispatchEvent, PaperReceipt
from app.services import receipts, results, rules
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.forms import batch, transmittal
from app.services.forms.keyform import keyform_data
from tests.conftest import a_result_input


def _push(session, city, name="营口海兴建筑有限公司", channel="fax"):
    r = results.record(session, a_result_input(applicant_name=name), office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳", channel=channel,
                 agreed_due=date(2026, 11, 27))
    session.commit()
    return r


def _nothing_written(session, d):
    session.rollback()
    assert session.scalar(select(func.count()).select_from(PaperReceipt)) == 0
    session.refresh(d)
    assert d.status == rules.SENT


@pytest.fixture
def pushed(session, city, frozen):
    return _push(session, city)


def test_scan_then_sign_off_round_trip(session, city, frozen, pushed):
    code = transmittal.for_result(session, pushed).code
    frozen(datetime(2026, 11, 26, 9, 30))
    target = receipts.lookup(session, code)
    assert target.kind == "transmittal" and [i.result_id for i in target.items] == [pushed.id]
    assert target.addressee_name == city.housing.name and target.signable

    done = receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 26),
                                   office=city.approval, operator="王芳")
    session.commit()
    assert [i.result_id for i in done.signed] == [pushed.id]
    d = results.current_push(session, pushed)
    assert d.status == rules.SIGNED_OFF and d.replied_at == datetime(2026, 11, 26, 9, 30)
    event = d.events[-1]
    assert (event.action, event.office_id, event.operator) == ("sign_off", city.housing.id, "赵强")
    assert "纸质签收回执" in event.note and "王芳" in event.note
    paper = session.scalars(select(PaperReceipt)).one()
    assert (paper.dispatch_id, paper.signer, paper.signed_on, paper.event_id, paper.office_id,
            paper.recorded_by, paper.code) == (d.id, "赵强", date(2026, 11, 26), event.id,
                                               city.approval.id, "王芳", code)
    # the record goes on as usual: the competent department starts supervision
    results.act(session, pushed, "start_supervision", office=city.housing, operator="赵强")


def test_earlier_slip_date_is_kept_and_the_addressee_may_scan_too(session, city, frozen, pushed, tmp_path):
    code = transmittal.for_result(session, pushed).code
    frozen(datetime(2026, 11, 30, 15, 0))
    scan = tmp_path / "回执.png"
    scan.write_bytes(b"png")
    receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 26),
                            office=city.housing, operator="赵强", scan_path=str(scan))
    d = results.current_push(session, pushed)
    assert d.replied_at.date() == date(2026, 11, 26)
    assert session.scalars(select(PaperReceipt)).one().scan_path == str(scan.resolve())


def test_scanner_quirks_are_forgiven(session, city, frozen, pushed):
    code = transmittal.for_result(session, pushed).code
    typed = "  " + code.lower().replace(":", "：") + "\n"  # Caps Lock off, Chinese IME on
    assert receipts.lookup(session, typed).items[0].result_id == pushed.id


@pytest.mark.parametrize("code, error, message", [
    ("", ValidationError, "请扫描"),
    ("hello", ValidationError, "不是审管通的回执码"),
    ("SG1:12345678-1234-1234-1234-123456789ABC:0000000", ValidationError, "不是审管通的回执码"),
    ("SG1:12345678-1234-1234-1234-123456789ABC:00000000", NotFoundError, "没有这张回执对应的推送记录"),
    ("SG1L:12345678-1234-1234-1234-123456789ABC:00000000", NotFoundError, "没有这份移交清单"),
])
def test_bad_codes_are_refused_and_nothing_written(session, city, frozen, pushed, code, error, message):
    with pytest.raises(error, match=message):
        receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 25),
                                office=city.approval, operator="王芳")
    _nothing_written(session, results.current_push(session, pushed))


def test_code_of_a_changed_record_is_refused(session, city, frozen, pushed):
    code = transmittal.for_result(session, pushed).code
    pushed.result = "准予变更许可"
    session.commit()
    with pytest.raises(ValidationError, match="二维码与记录不符"):
        receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 25),
                                office=city.approval, operator="王芳")
    _nothing_written(session, results.current_push(session, pushed))


def test_key_form_code_is_not_a_receipt(session, city, frozen):
    with pytest.raises(WorkflowError, match="密钥登记表"):
        receipts.lookup(session, keyform_data(session, city.approval).code)


@pytest.mark.parametrize("signer, day, field", [
    ("", date(2026, 11, 25), "signer"),
    ("赵强", None, "signed_on"),
    ("赵强", date(2026, 11, 26), "signed_on"),  # tomorrow
    ("赵强", date(2026, 11, 20), "signed_on"),  # before the push
])
def test_bad_signer_or_date_is_refused(session, city, frozen, pushed, signer, day, field):
    code = transmittal.for_result(session, pushed).code
    with pytest.raises(ValidationError) as info:
        receipts.record_receipt(session, code, signer=signer, signed_on=day, office=city.approval,
                                operator="王芳")
    assert info.value.field == field
    _nothing_written(session, results.current_push(session, pushed))


def test_missing_scan_file_and_other_offices_are_refused(session, city, frozen, pushed, tmp_path):
    code = transmittal.for_result(session, pushed).code
    with pytest.raises(ValidationError, match="找不到回执扫描件"):
        receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 25),
                                office=city.approval, operator="王芳", scan_path=str(tmp_path / "no.png"))
    with pytest.raises(WorkflowError, match="只有"):
        receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 25),
                                office=city.market, operator="某人")
    _nothing_written(session, results.current_push(session, pushed))


def test_second_scan_of_the_same_slip_changes_nothing(session, city, frozen, pushed):
    code = transmittal.for_result(session, pushed).code
    receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 25),
                            office=city.approval, operator="王芳")
    session.commit()
    events = session.scalar(select(func.count()).select_from(DispatchEvent))
    with pytest.raises(WorkflowError, match="已签收"):
        receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 25),
                                office=city.approval, operator="王芳")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(DispatchEvent)) == events
    assert session.scalar(select(func.count()).select_from(PaperReceipt)) == 1


def test_batch_code_signs_off_every_push_still_waiting(session, city, frozen):
    made = [_push(session, city, f"营口{i}号公司", channel) for i, channel in
            enumerate(("fax", "onsite", "photocopy"))]
    ids = batch.candidates(session, city.approval, city.housing)
    assert len(ids) == 3
    b = batch.create(session, city.approval, city.housing, ids, operator="王芳")
    session.commit()
    code = batch.load(session, b).code
    assert code.startswith("SG1L:")
    results.act(session, made[0], "sign_off", office=city.housing, operator="赵强")  # one signed online
    session.commit()
    done = receipts.record_receipt(session, code, signer="赵强", signed_on=date(2026, 11, 25),
                                   office=city.approval, operator="王芳")
    session.commit()
    assert {i.result_id for i in done.signed} == {made[1].id, made[2].id}
    assert [i.result_id for i in done.skipped] == [made[0].id]
    assert all(results.current_push(session, r).status == rules.SIGNED_OFF for r in made)
    assert {p.batch_id for p in session.scalars(select(PaperReceipt))} == {b.id}


def test_batch_code_is_refused_when_a_listed_record_changed(session, city, frozen):
    made = [_push(session, city, f"营口{i}号公司") for i in range(2)]
    b = batch.create(session, city.approval, city.housing,
                     batch.candidates(session, city.approval, city.housing), operator="王芳")
    session.commit()
    code = batch.load(session, b).code
    made[1].applicant_name = "营口改名公司"
    session.commit()
    with pytest.raises(ValidationError, match="移交清单"):
        receipts.lookup(session, code)


# -- Art. 19 slips: the same table, the same checks ------------------------------------------

def _penalty(session, city):
    from app.services.enforcement import penalties
    from tests.services.enforcement.test_flows import a_penalty

    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    pd = penalties.record(session, a_penalty(r.licence_number), office=city.housing, operator="赵强")
    session.commit()
    return r, pd


def test_penalty_notice_slip_is_scanned_like_any_other(session, city, frozen):
    from app.services.enforcement import penalties
    from app.services.forms import enforcement_forms as ef

    r, pd = _penalty(session, city)
    code = ef.penalty_form(session, pd).code
    target = receipts.lookup(session, code.lower())
    assert target.dispatch_kind == "penalty_notice" and target.title.startswith("行政处罚信息推送单 营住建罚")
    assert (target.sender_name, target.addressee_name) == ("营口市住房和城乡建设局", "营口市行政审批局")
    [item] = target.items
    assert (item.result_id, item.applicant_name, item.status_label) == (r.id, r.applicant_name, "待签收")
    frozen(datetime(2026, 11, 26, 9, 0))
    done = receipts.record_receipt(session, code, signer="王芳", signed_on=date(2026, 11, 26),
                                   office=city.approval, operator="刘晓燕")
    d = penalties.notice(session, pd)
    assert [i.dispatch_id for i in done.signed] == [d.id] and d.status == rules.SIGNED_OFF
    assert d.events[-1].office_id == city.approval.id and d.events[-1].operator == "王芳"
    assert session.scalars(select(PaperReceipt)).one().code == code


def test_licence_change_slip_through_receipts_and_the_licence_alias(session, city, frozen):
    from app.services.enforcement import licences, paper
    from app.services.forms import enforcement_forms as ef
    from tests.services.enforcement.test_flows import a_decision

    _r, pd = _penalty(session, city)
    lc = licences.decide(session, pd, a_decision(), office=city.approval, operator="王芳")
    session.commit()
    [form] = ef.licence_forms(session, lc)
    target = receipts.lookup(session, form.code)
    assert target.dispatch_kind == "licence_change_push" and target.addressee_name == "营口市住房和城乡建设局"
    with pytest.raises(NotFoundError, match="不是处罚信息或许可变更"):  # the alias takes Art. 19 only
        paper.lookup(session, transmittal.for_result(session, _push(session, city, "别家公司")).code)
    d = paper.record_slip(session, form.code, signer="赵强", signed_on=date(2026, 11, 25),
                          office=city.housing, operator="赵强")
    assert d.kind == "licence_change_push" and d.status == rules.SIGNED_OFF
    with pytest.raises(WorkflowError, match="无需再登记"):
        receipts.record_receipt(session, form.code, signer="赵强", signed_on=date(2026, 11, 25),
                                office=city.housing, operator="赵强")


def test_stale_art19_slip_is_refused_and_nothing_is_written(session, city, frozen):
    from app.services.enforcement import penalties
    from app.services.forms import enforcement_forms as ef

    _r, pd = _penalty(session, city)
    code = ef.penalty_form(session, pd).code
    pd.legal_basis = "改过的依据"
    session.commit()
    with pytest.raises(ValidationError, match="二维码与记录不符") as info:
        receipts.record_receipt(session, code, signer="王芳", signed_on=date(2026, 11, 25),
                                office=city.approval, operator="王芳")
    assert "行政处罚信息推送单" in info.value.message
    _nothing_written(session, penalties.notice(session, pd))
