"""The 办件 page's query side: every kind of dispatch for one office, read through the rules."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from app.services import dispatch as engine
from app.services import results, rules, worklist
from app.services.errors import NotFoundError
from app.services.sheets import notices
from app.services.workdays import load_calendar
from tests.conftest import a_result_input


@pytest.fixture
def mix(session, city, frozen):
    """Two approval pushes (one sent), a policy notice, an opinion request and a referral."""
    pending = results.record(session, a_result_input(licence_number="LIC-1"), office=city.approval,
                             operator="王芳")
    sent = results.record(session, a_result_input(licence_number="LIC-2", applicant_name="营口甲商贸有限公司"),
                          office=city.approval, operator="王芳")
    results.push(session, sent, office=city.approval, operator="王芳")
    notice = notices.send(session, notices.NOTICE, office=city.housing, operator="李明", title="建筑业资质新规",
                          content="自12月1日起施行。", basis="建市规〔2026〕1号")
    request = notices.send(session, notices.REQUEST, office=city.market, operator="赵丽", title="食品经营办法草案",
                           content="请提出意见。")
    referral = engine.create(session, "referral", sender=city.housing, addressee=city.market,
                             subject_id=uuid.uuid4(), clock_start=date(2026, 11, 25), operator="李明")
    session.commit()
    return {"pending": pending, "sent": sent, "notice": notice, "request": request, "referral": referral}


def _rows(session, office, **kw):
    return worklist.list_rows(session, office, load_calendar(session), worklist.Filter(**kw))


def test_rows_of_every_kind_for_the_office(session, city, mix):
    rows = _rows(session, city.approval)
    assert {r.kind for r in rows} == {"approval_push", "policy_notice", "opinion_request"}
    by_kind = {r.kind: r for r in rows if r.kind != "approval_push"}
    notice = by_kind["policy_notice"]
    assert (notice.kind_name, notice.article) == ("法规政策调整告知", "第八条第三款")
    assert notice.direction == worklist.IN and notice.direction_label == "收到"
    assert notice.counterpart_name == "营口市住房和城乡建设局"
    assert notice.summary == "建筑业资质新规"
    assert notice.status_label == "待答复"
    assert [(a.action, a.label) for a in notice.actions] == [("acknowledge", "确认收到")]
    request = by_kind["opinion_request"]
    assert [(a.action, a.label, a.needs_reason) for a in request.actions] == [("reply", "反馈意见", False)]
    pushes = [r for r in rows if r.kind == "approval_push"]
    assert {r.summary for r in pushes} == {"建筑工程施工许可证核发：营口市鲅鱼圈区海兴建筑有限公司",
                                           "建筑工程施工许可证核发：营口甲商贸有限公司"}
    assert all(r.direction == worklist.OUT for r in pushes)
    # sorted by the awaited step's due date; the rows with none come last
    dues = [r.current_due for r in rows]
    known = [d for d in dues if d is not None]
    assert known == sorted(known) and dues[:len(known)] == known


def test_actions_follow_the_rules_table_and_the_side(session, city, mix):
    housing = {r.kind: r for r in _rows(session, city.housing)}
    sent_push = housing["approval_push"]
    labels = {t.label for t in rules.rule("approval_push").actions_from(rules.SENT) if t.actor == rules.ADDRESSEE}
    assert {a.label for a in sent_push.actions} == labels == {"签收", "退回"}
    assert next(a for a in sent_push.actions if a.action == "return").needs_reason
    assert housing["referral"].actions == (worklist.ActionChoice("send", "移送", False),)
    assert housing["policy_notice"].actions == () and housing["policy_notice"].waiting_other
    market = {r.kind: r for r in _rows(session, city.market)}
    assert market["referral"].actions == ()  # pending: only the sender may move it


def test_filters_by_kind_direction_state_and_text(session, city, mix, frozen):
    ap = city.approval
    assert {r.kind for r in _rows(session, ap, kind="policy_notice")} == {"policy_notice"}
    assert {r.direction for r in _rows(session, ap, direction=worklist.OUT)} == {worklist.OUT}
    assert {r.kind for r in _rows(session, ap, direction=worklist.IN)} == {"policy_notice", "opinion_request"}
    mine = _rows(session, ap, state=worklist.MINE)
    assert {r.kind for r in mine} == {"approval_push", "policy_notice", "opinion_request"}
    assert all(r.actions for r in mine)
    theirs = _rows(session, ap, state=worklist.THEIRS)
    assert [r.subject_id for r in theirs] == [mix["sent"].id]
    assert _rows(session, ap, state=worklist.DONE) == []
    assert [r.summary for r in _rows(session, ap, text="新规 住房")] == ["建筑业资质新规"]
    assert _rows(session, ap, text="新规 市场") == []
    # due soon: the pending push (send by 2026-11-26) and the sent one (reply by 2026-11-27)
    soon = _rows(session, ap, state=worklist.DUE_SOON)
    assert [r.subject_id for r in soon] == [mix["pending"].id]
    frozen(datetime(2026, 11, 30, 9, 0))
    late = _rows(session, ap, state=worklist.OVERDUE)
    assert {r.subject_id for r in late} == {mix["pending"].id, mix["sent"].id}
    assert all(r.due_state == "overdue" and r.due_state_label == "已逾期" for r in late)


def test_done_rows_and_the_timeline(session, city, mix):
    notices.acknowledge(session, mix["notice"], office=city.approval, operator="王芳")
    session.commit()
    done = _rows(session, city.approval, state=worklist.DONE)
    assert [r.kind for r in done] == ["policy_notice"] and done[0].status_label == "已确认"
    assert done[0].actions == () and not done[0].waiting_other
    det = worklist.detail(session, city.approval, load_calendar(session), done[0].id)
    assert [(e.action_label, e.office_name, e.status_label) for e in det.timeline] == [
        ("登记", "营口市住房和城乡建设局", "待发送"),
        ("推送", "营口市住房和城乡建设局", "待答复"),
        ("确认收到", "营口市行政审批局", "已确认"),
    ]
    assert det.sender_name == "营口市住房和城乡建设局" and det.addressee_name == "营口市行政审批局"
    assert det.clock_start_text == rules.rule("policy_notice").clock_start
    assert "建市规〔2026〕1号" in det.subject_detail


def test_a_dispatch_of_other_offices_is_not_found(session, city, mix):
    with pytest.raises(NotFoundError):
        worklist.detail(session, city.approval, load_calendar(session), mix["referral"].id)
    row = worklist.get_row(session, city.market, load_calendar(session), mix["referral"].id)
    assert row.direction == worklist.IN and row.status_label == "待发送"


def test_kinds_come_from_the_rules_table():
    assert worklist.kinds() == [(r.kind, r.name, r.article) for r in rules.RULES]
