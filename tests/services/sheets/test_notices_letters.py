"""Policy notices, opinion requests and pool update letters in one installation (demo)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.models import Dispatch, Expert, PoolLetter
from app.services import pools, rules
from app.services.errors import ValidationError, WorkflowError
from app.services.exchange.bundle import SCHEMA_ID
from app.services.exchange.parser import fast_check
from app.services.sheets import letters, notices

LETTER = {"office": "YK-ZJJ", "experts": [
    {"action": "add", "name": "张三", "specialty": "建筑结构", "phone": "13904170001", "valid_until": "2028-12-31"}]}


def test_policy_notice_is_sent_promptly_and_acknowledged(session, city, frozen):
    pc = notices.send(session, notices.NOTICE, office=city.housing, operator="赵强", title="施工许可限额调整",
                      content="施工许可限额调整为100万元。", basis="住建部令第52号", effective_on=date(2027, 1, 1))
    d = session.get(Dispatch, pc.dispatch_id)
    assert (d.kind, d.status, d.addressee_office_id) == ("policy_notice", rules.SENT, city.approval.id)
    assert d.send_due is None and d.reply_due is None  # "及时": no countable limit in the rules table
    shown = notices.policy_dict(session, pc)
    assert shown["limits"] == "第八条第三款：发送及时（无固定工作日期限）；确认收到无期限"
    assert shown["status_label"] == "待答复"
    with pytest.raises(WorkflowError, match="只需确认收到"):
        notices.reply(session, pc, "意见", office=city.approval, operator="王芳")
    notices.acknowledge(session, pc, office=city.approval, operator="王芳")
    assert d.status == rules.ACKNOWLEDGED
    with pytest.raises(ValidationError, match="请填写依据"):
        notices.send(session, notices.NOTICE, office=city.housing, operator="赵强", title="t", content="c")


def test_opinion_request_reply_is_kept_on_the_record(session, city, frozen):
    pc = notices.send(session, notices.REQUEST, office=city.housing, operator="赵强", title="《施工许可办法》修订征求意见",
                      content="请对修订稿第三条提出意见。", reply_wanted_by=date(2026, 12, 4))
    d = session.get(Dispatch, pc.dispatch_id)
    assert d.reply_due is None and pc.reply_wanted_by == date(2026, 12, 4)  # a wish, not a due date
    with pytest.raises(WorkflowError, match="只有营口市行政审批局可以"):
        notices.reply(session, pc, "同意", office=city.housing, operator="赵强")
    frozen(datetime(2026, 11, 27, 11, 0))
    notices.reply(session, pc, "建议第三条增加告知承诺制。", office=city.approval, operator="王芳")
    assert (d.status, pc.reply_text, pc.replied_at) == (
        rules.CLOSED, "建议第三条增加告知承诺制。", datetime(2026, 11, 27, 11, 0))
    with pytest.raises(WorkflowError, match="不能发起"):
        notices.send(session, notices.REQUEST, office=city.approval, operator="王芳", title="t", content="c",
                     to=city.housing)


def test_pool_letter_is_applied_when_the_bureau_acknowledges_it(session, city, frozen):
    pl = letters.send(session, LETTER, office=city.housing, operator="赵强")
    d = session.get(Dispatch, pl.dispatch_id)
    assert (d.kind, d.status, d.send_due) == ("pool_update", rules.SENT, None)
    assert session.scalar(select(Expert.id)) is None  # not on receipt
    letters.acknowledge(session, pl, office=city.approval, operator="王芳")
    assert d.status == rules.ACKNOWLEDGED and pl.applied_at == datetime(2026, 11, 25, 10, 0)
    found = pools.search(session, pools.EXPERT, "张三")
    assert [(e["name"], e["office_code"], e["valid_until"]) for e in found] == [
        ("张三", "YK-ZJJ", date(2028, 12, 31))]
    assert json.loads(pl.applied_counts)["experts"]["add"] == 1


def test_a_letter_that_cannot_be_applied_is_not_acknowledged(session, city, frozen):
    bad = {"office": "YK-ZJJ", "experts": [{"action": "remove", "name": "不存在的专家"}]}
    pl = letters.send(session, bad, office=city.housing, operator="赵强")
    session.commit()
    with pytest.raises(ValidationError, match="本单位推荐的专家中没有“不存在的专家”"):
        letters.acknowledge(session, pl, office=city.approval, operator="王芳")
    session.rollback()
    assert session.get(Dispatch, pl.dispatch_id).status == rules.SENT


@pytest.mark.parametrize("letter, words", [
    ({"office": "YK-SJJ", "experts": LETTER["experts"]}, "函告单位应为本单位"),
    ({"experts": [{"action": "add", "name": "张三", "age": "50"}]}, "未知项：age"),
    ({"experts": [{"action": "hire", "name": "张三"}]}, "action 应为"),
    ({"experts": []}, "没有任何专家"),
    ({"experts": [{"action": "add", "name": "张" * 65}]}, "位置 experts/0/name"),
    ({"teachers": []}, "未知项：teachers"),
])
def test_a_bad_letter_is_refused_before_it_is_sent(session, city, frozen, letter, words):
    with pytest.raises(ValidationError, match=words):
        letters.send(session, letter, office=city.housing, operator="赵强")
    session.rollback()
    assert session.scalar(select(PoolLetter.id)) is None


def test_transport_form_matches_the_schema_entries():
    from app.services.exchange.parser import _registry

    defs = _registry().contents(SCHEMA_ID)["$defs"]
    assert tuple(defs["pool_expert_entry"]["properties"]) == letters.ENTRY_KEYS["experts"]
    assert tuple(defs["pool_agency_entry"]["properties"]) == letters.ENTRY_KEYS["agencies"]
    sub = letters.transport(LETTER, __import__("uuid").uuid4(), date(2026, 11, 25), datetime(2026, 11, 25))
    assert fast_check(SCHEMA_ID, "/$defs/pool_update")(sub)
    assert letters.letter_of(sub) == {**LETTER, "agencies": []}
