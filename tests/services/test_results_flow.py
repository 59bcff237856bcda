"""The Art. 17 loop against a real SQLite database: record → push → sign-off → supervision."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.models import Dispatch, DispatchEvent
from app.services import results, rules
from app.services.errors import ValidationError, WorkflowError
from tests.conftest import a_result_input


def test_record_starts_push_clock_and_bureau_holds_responsibility(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    session.commit()
    d = results.current_push(session, r)
    assert d.status == rules.PENDING
    assert d.clock_start == date(2026, 11, 24)
    # Tue 24 Nov + 2 working days = Thu 26 Nov.
    assert d.send_due == date(2026, 11, 26) and d.current_due == date(2026, 11, 26)
    assert d.addressee_office_id == city.housing.id
    assert r.responsible_office_id == city.approval.id


def test_push_moves_responsibility_and_sets_sign_off_due(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    frozen(datetime(2026, 11, 27, 9, 30))  # Friday
    d = results.push(session, r, office=city.approval, operator="王芳")
    session.commit()
    assert d.status == rules.SENT and d.channel == rules.EXCHANGE
    assert d.reply_due == date(2026, 12, 1)  # Fri + 2 working days = Tue
    assert r.responsible_office_id == city.housing.id
    assert r.responsible_since == datetime(2026, 11, 27, 9, 30)
    results.act(session, r, "sign_off", office=city.housing, operator="赵强")
    results.act(session, r, "start_supervision", office=city.housing, operator="赵强")
    session.commit()
    assert d.status == rules.SUPERVISING and d.current_due is None
    actions = [e.action for e in session.scalars(select(DispatchEvent).order_by(DispatchEvent.seq))]
    assert actions == ["create", "send", "sign_off", "start_supervision"]


def test_only_the_addressee_signs_off(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳")
    with pytest.raises(WorkflowError, match="只有营口市住房和城乡建设局可以签收"):
        results.act(session, r, "sign_off", office=city.market, operator="x")
    with pytest.raises(WorkflowError, match="待签收.*不能启动监管"):
        results.act(session, r, "start_supervision", office=city.housing, operator="x")


def test_return_needs_reason_and_gives_responsibility_back(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳")
    with pytest.raises(ValidationError):
        results.act(session, r, "return", office=city.housing, operator="赵强", reason="  ")
    results.act(session, r, "return", office=city.housing, operator="赵强", reason="不属于本部门监管")
    assert r.responsible_office_id == city.approval.id
    with pytest.raises(ValidationError, match="重新推送"):
        results.push(session, r, office=city.approval, operator="王芳")
    d2 = results.push(session, r, office=city.approval, operator="王芳", addressee=city.market)
    session.commit()
    assert d2.addressee_office_id == city.market.id and d2.previous_id is not None
    assert r.responsible_office_id == city.market.id
    assert len(results.pushes_of(session, r)) == 2


def test_paper_push_needs_agreed_limit(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    with pytest.raises(ValidationError, match="商定"):
        results.push(session, r, office=city.approval, operator="王芳", channel="fax")
    d = results.push(session, r, office=city.approval, operator="王芳", channel="fax",
                     agreed_due=date(2026, 12, 4))
    assert d.reply_due == date(2026, 12, 4) and d.channel == "fax"


def test_rejected_input_writes_nothing(session, city, frozen):
    bad = a_result_input(applicant_id="91210800MA0TEXT01X")
    with pytest.raises(ValidationError) as err:
        results.record(session, bad, office=city.approval, operator="王芳")
    assert err.value.field == "applicant_id"
    session.rollback()
    assert session.scalars(select(Dispatch)).all() == []


def test_competent_department_cannot_record(session, city, frozen):
    with pytest.raises(WorkflowError):
        results.record(session, a_result_input(), office=city.housing, operator="x")


def test_timeline_keeps_order_when_everything_happens_in_one_second(session, city, frozen):
    from app.services.detail import result_detail
    from app.services.workdays import load_calendar

    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳")
    results.act(session, r, "return", office=city.housing, operator="赵强", reason="错发")
    results.push(session, r, office=city.approval, operator="王芳", addressee=city.market)
    results.act(session, r, "sign_off", office=city.market, operator="孙丽")
    session.commit()
    detail = result_detail(session, r.id, load_calendar(session))
    assert [e.action for e in detail.timeline] == [
        "create", "send", "return", "create", "send", "sign_off"
    ]
    assert detail.holder_name == "营口市市场监督管理局"
