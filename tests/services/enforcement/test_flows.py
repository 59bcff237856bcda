"""Art. 19 and Art. 20 in one database (every office local, as in the demo): deadlines from the
rules table in working days, the licence's state and history, the checks of each step."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.models import Dispatch
from app.services import results, rules
from app.services.enforcement import licences, penalties, referrals
from app.services.enforcement.licences import LicenceDecisionInput
from app.services.enforcement.penalties import PenaltyInput
from app.services.errors import ValidationError, WorkflowError
from tests.conftest import a_result_input


def a_penalty(licence: str, **kw) -> PenaltyInput:
    values = dict(decision_number="营住建罚〔2026〕15号", decided_on=date(2026, 11, 25), measure="撤销",
                  facts="以欺骗手段取得施工许可证。", legal_basis="《建筑工程施工许可管理办法》第十三条",
                  licence=licence)
    values.update(kw)
    return PenaltyInput(**values)


def a_decision(**kw) -> LicenceDecisionInput:
    values = dict(kind="revoke", decision_number="营审批撤〔2026〕3号", decided_on=date(2026, 11, 25),
                  content="撤销建筑工程施工许可证 210800202611240101。")
    values.update(kw)
    return LicenceDecisionInput(**values)


@pytest.fixture
def licence(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    session.commit()
    return r


def test_penalty_is_pushed_within_two_working_days_of_the_decision(session, city, licence, frozen):
    # Fri 2026-11-27 decision: due Tue 2026-12-01 (weekend not counted).
    frozen(datetime(2026, 11, 27, 16, 0))
    pd = penalties.record(session, a_penalty(str(licence.id)[:8], decided_on=date(2026, 11, 27)),
                          office=city.housing, operator="赵强", push=False)
    d = penalties.notice(session, pd)
    assert (d.kind, d.status, d.clock_start, d.send_due) == (
        "penalty_notice", rules.PENDING, date(2026, 11, 27), date(2026, 12, 1))
    assert d.current_due == date(2026, 12, 1)
    assert (pd.licence_number, pd.holder_name, pd.item_code) == (
        licence.licence_number, licence.applicant_name, "ZJ-001")
    assert d.addressee_office_id == city.approval.id
    penalties.send(session, pd, office=city.housing, operator="赵强")
    assert d.status == rules.SENT and d.reply_due is None and d.current_due is None


def test_licence_decision_pushes_back_and_the_licence_shows_state_and_history(session, city, licence, frozen):
    pd = penalties.record(session, a_penalty(licence.licence_number), office=city.housing, operator="赵强")
    assert licences.licence_state(session, licence.licence_number)["state_label"] == "有效"
    frozen(datetime(2026, 11, 27, 9, 0))
    lc = licences.decide(session, pd, a_decision(decided_on=date(2026, 11, 27)), office=city.approval,
                         operator="王芳")
    session.commit()
    notice = penalties.notice(session, pd)
    assert notice.status == rules.DECIDED
    assert [e.action for e in notice.events] == ["create", "send", "decide"]
    assert pd.licence_decided_at == datetime(2026, 11, 27, 9, 0)
    [push] = licences.pushes(session, lc)
    assert (push.addressee_office_id, push.clock_start, push.send_due, push.status) == (
        city.housing.id, date(2026, 11, 27), date(2026, 12, 1), rules.SENT)
    assert push.reply_due == date(2026, 12, 1)
    licences.act(session, lc, "sign_off", office=city.housing, operator="赵强")
    state = licences.licence_state(session, str(licence.id))
    assert (state["state"], state["state_label"], state["in_force"]) == ("revoke", "已撤销", False)
    assert [h["event"] for h in state["history"]] == ["颁发许可", "行政处罚决定（要求撤销许可）", "撤销许可"]
    assert "已签收" in state["history"][-1]["status"]
    with pytest.raises(WorkflowError, match="已撤销"):  # an ended licence is not changed again
        pd2 = penalties.record(session, a_penalty(licence.licence_number, decision_number="营住建罚〔2026〕16号",
                                                  measure="amend"), office=city.housing, operator="赵强")
        licences.decide(session, pd2, a_decision(kind="amend"), office=city.approval, operator="王芳")


def test_enforcement_bureau_penalty_goes_back_to_it_and_to_the_competent_department(session, city, licence):
    pd = penalties.record(session, a_penalty(licence.licence_number), office=city.enforcement, operator="刘军")
    lc = licences.decide(session, pd, a_decision(kind="变更", decision_number="营审批变〔2026〕1号",
                                                 content="变更施工单位名称。"),
                         office=city.approval, operator="王芳")
    assert {d.addressee_office_id for d in licences.pushes(session, lc)} == {city.enforcement.id, city.housing.id}
    assert licences.licence_state(session, licence.licence_number)["state_label"] == "已变更"


def test_licence_issued_before_shenguan_is_named_by_number_item_and_holder(session, city, frozen):
    with pytest.raises(ValidationError, match="许可事项"):
        penalties.record(session, a_penalty("YK-OLD-0001"), office=city.housing, operator="赵强")
    pd = penalties.record(session, a_penalty("YK-OLD-0001", item="ZJ-001", holder="营口老字号建筑公司"),
                          office=city.housing, operator="赵强")
    assert (pd.approval_result_id, pd.item_name) == (None, "建筑工程施工许可证核发")
    licences.decide(session, pd, a_decision(kind="cancel", content="注销。"), office=city.approval, operator="王芳")
    state = licences.licence_state(session, "YK-OLD-0001")
    assert (state["state_label"], state["holder_name"]) == ("已注销", "营口老字号建筑公司")


@pytest.mark.parametrize("change, words", [
    (dict(measure="罚款"), "不是许可处理方式"),
    (dict(decided_on=date(2026, 11, 26)), "不能晚于今天"),
    (dict(decision_number=" "), "处罚决定书文号"),
    (dict(facts=""), "违法事实"),
])
def test_penalty_checks(session, city, licence, change, words):
    with pytest.raises(ValidationError, match=words):
        penalties.record(session, a_penalty(licence.licence_number, **change), office=city.housing, operator="赵强")


def test_only_the_addressed_bureau_decides_and_not_before_the_penalty(session, city, licence):
    pd = penalties.record(session, a_penalty(licence.licence_number), office=city.housing, operator="赵强")
    with pytest.raises(WorkflowError, match="营口市行政审批局"):
        licences.decide(session, pd, a_decision(), office=city.housing, operator="赵强")
    with pytest.raises(ValidationError, match="不能早于处罚决定日期"):
        licences.decide(session, pd, a_decision(decided_on=date(2026, 11, 20)), office=city.approval, operator="王芳")
    with pytest.raises(WorkflowError, match="不能推送行政处罚信息"):
        penalties.record(session, a_penalty(licence.licence_number), office=city.approval, operator="王芳")


def refer(session, city, **kw):
    values = dict(office=city.housing, to=city.market, party_name="营口市某食品店", operator="赵强",
                  case_summary="检查工地时发现现场食堂无证经营。", evidence="现场检查笔录\n照片 12 张\n\n询问笔录",
                  found_on=date(2026, 11, 25))
    values.update(kw)
    return referrals.refer(session, **values)


def test_referral_is_sent_at_once_and_answered_within_five_working_days(session, city, frozen):
    ref = refer(session, city)
    d = referrals.referral_dispatch(session, ref)
    assert ref.evidence.splitlines() == ["现场检查笔录", "照片 12 张", "询问笔录"]
    assert (d.status, d.send_due, d.reply_due) == (rules.SENT, date(2026, 11, 25), date(2026, 12, 2))
    frozen(datetime(2026, 11, 27, 9, 0))
    with pytest.raises(WorkflowError):
        referrals.file_case(session, ref, office=city.market, operator="孙丽", filed_on=date(2026, 11, 27))
    referrals.accept(session, ref, office=city.market, operator="孙丽", note="指定食品科承办")
    assert (ref.decision, ref.decided_on, ref.decision_reason) == ("accepted", date(2026, 11, 27), "指定食品科承办")
    referrals.file_case(session, ref, office=city.market, operator="孙丽", filed_on=date(2026, 11, 27),
                        case_number="营市监立〔2026〕88号")
    sent = referrals.report_result(session, ref, office=city.market, operator="孙丽", result_on=date(2026, 11, 27),
                                   result_text="责令停止经营，罚款5000元。")
    assert [(x.kind, x.addressee_office_id, x.status) for x in sent] == [
        ("case_result", city.housing.id, rules.SENT), ("case_result", city.approval.id, rules.SENT)]
    row = referrals.referral_dict(session, ref)
    assert row["decision_label"] == "受理" and len(row["results"]) == 2
    referrals.acknowledge_result(session, ref, office=city.approval, operator="王芳")
    assert session.get(Dispatch, sent[1].id).status == rules.ACKNOWLEDGED


def test_decline_needs_a_reason_and_is_kept(session, city, frozen):
    ref = refer(session, city)
    with pytest.raises(ValidationError, match="理由"):
        referrals.decline(session, ref, office=city.market, operator="孙丽", reason=" ")
    referrals.decline(session, ref, office=city.market, operator="孙丽", reason="不属于本部门职责，建议移送卫健委")
    assert (ref.decision, ref.decision_reason) == ("declined", "不属于本部门职责，建议移送卫健委")
    assert referrals.list_referrals(session)[0]["status_label"] == "不予受理"
    with pytest.raises(ValidationError, match="材料清单"):
        refer(session, city, evidence="\n \n")
