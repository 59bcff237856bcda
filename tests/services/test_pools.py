"""Expert and agency pools (Art. 11): fields, search, validity, and departments' update letters."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.models import Agency, Expert
from app.services import pools
from app.services.errors import NotFoundError, ValidationError
from app.services.pool_letters import LetterError, apply_update
from tests.conftest import valid_uscc

USCC = valid_uscc()
USCC2 = valid_uscc("91210800MA0TEXT02")


def expert(session, name="张伟", **kw):
    values = {"name": name, "specialty": "建筑结构", "title": "高级工程师", "employer": "营口市建筑设计院",
              "phone": "139 0417 0001", "office": "YK-ZJJ", "valid_until": date(2027, 12, 31), **kw}
    return pools.add(session, pools.EXPERT, values)


def agency(session, code=USCC, **kw):
    values = {"name": "营口市华信工程咨询有限公司", "credit_code": code, "scope": "工程造价咨询",
              "qualification": "甲级", "phone": "0417-2345678", "office": "营口市住房和城乡建设局", **kw}
    return pools.add(session, pools.AGENCY, values)


def snapshot(session):
    return (sorted((e.name, e.phone, e.active, e.note) for e in session.scalars(select(Expert))),
            sorted((a.credit_code, a.name, a.active) for a in session.scalars(select(Agency))))


def test_add_normalises_and_rows_are_plain(session, city, frozen):
    eid = expert(session)
    aid = agency(session)
    e = pools.row(session.get(Expert, eid))
    assert (e["phone"], e["office_code"], e["status"], e["expired"]) == ("13904170001", "YK-ZJJ", "有效", False)
    a = pools.row(session.get(Agency, aid))
    assert (a["credit_code"], a["office_name"]) == (USCC, "营口市住房和城乡建设局")


def test_lists_mask_phones_and_numbers_in_texts(session, city, frozen):
    """Issue 7: search/expiring are lists (masked); row() of one record and masked=False are full."""
    eid = expert(session, note="联系 13904179999")
    agency(session)
    listed = pools.search(session, pools.EXPERT)[0]
    assert (listed["phone"], listed["note"]) == ("139****0001", "联系 139****9999")
    assert pools.expiring(session, pools.EXPERT, 3650)[0]["phone"] == "139****0001"
    assert pools.row(session.get(Expert, eid))["phone"] == "13904170001"
    assert pools.search(session, pools.EXPERT, masked=False)[0]["phone"] == "13904170001"
    a = pools.search(session, pools.AGENCY)[0]
    assert (a["credit_code"], a["phone"]) == (USCC, "0417-***5678")  # the credit code is public


@pytest.mark.parametrize("values, field, words", [
    ({"name": " "}, "name", "姓名"),
    ({"phone": "12345"}, "phone", "电话"),
    ({"office": "YK-SPJ"}, "office", "不是行政主管部门"),
    ({"office": "YK-NONE"}, "office", "YK-NONE"),
    ({"valid_from": "2027-01-01", "valid_until": "2026-01-01"}, "valid_until", "早于"),
    ({"valid_until": "2026-02-30"}, "valid_until", "日期不存在"),
    ({"title": "长" * 65}, "title", "过长"),
    ({"salary": 1}, "salary", "未知字段"),
])
def test_expert_validation_names_the_field(session, city, values, field, words):
    with pytest.raises(ValidationError) as e:
        expert(session, **{"name": "张伟", **values})
    assert e.value.field == field and words in e.value.message


def test_agency_credit_code_checked_and_unique(session, city):
    with pytest.raises(ValidationError, match="校验位"):
        agency(session, code=USCC[:-1] + ("0" if USCC[-1] != "0" else "1"))
    with pytest.raises(ValidationError, match="18位"):
        agency(session, code="9121")
    agency(session)
    with pytest.raises(ValidationError, match="已有统一社会信用代码"):
        agency(session, code=USCC.lower())


def test_update_deactivate_and_search(session, city, frozen):
    a = expert(session, "张伟")
    b = expert(session, "李娜", specialty="食品安全", employer="营口职业技术学院", office="YK-SJJ",
               phone="13904170002")
    pools.update(session, pools.EXPERT, a, {"employer": "辽宁省建筑设计研究院"})
    assert [r["name"] for r in pools.search(session, pools.EXPERT, "设计研究")] == ["张伟"]
    assert [r["name"] for r in pools.search(session, pools.EXPERT, office="营口市市场监督管理局")] == ["李娜"]
    assert [r["name"] for r in pools.search(session, pools.EXPERT, "食品 学院")] == ["李娜"]
    assert pools.search(session, pools.EXPERT, "100%") == []
    pools.deactivate(session, pools.EXPERT, b, "调离")
    assert [r["name"] for r in pools.search(session, pools.EXPERT)] == ["张伟"]
    gone = [r for r in pools.search(session, pools.EXPERT, include_inactive=True) if r["name"] == "李娜"][0]
    assert (gone["status"], gone["note"], gone["active"]) == ("已停用", "调离", False)
    assert session.scalar(select(func.count()).select_from(Expert)) == 2  # never deleted
    pools.update(session, pools.EXPERT, b, {}, active=True)
    assert len(pools.search(session, pools.EXPERT)) == 2
    with pytest.raises(NotFoundError):
        pools.deactivate(session, pools.EXPERT, "not-an-id")


def test_validity_and_expiring_with_frozen_clock(session, city, frozen):
    expert(session, "已过期", valid_until=date(2026, 11, 24), phone="13904170003")
    expert(session, "今天到期", valid_until=date(2026, 11, 25), phone="13904170004")
    expert(session, "月底到期", valid_until=date(2026, 12, 25), phone="13904170005")
    expert(session, "明年生效", valid_from=date(2027, 1, 1), valid_until=date(2029, 1, 1), phone="13904170006")
    expert(session, "长期", valid_until=None, phone="13904170007")
    rows = {r["name"]: r for r in pools.search(session, pools.EXPERT)}
    assert rows["已过期"]["expired"] and rows["已过期"]["status"] == "已过期"
    assert not rows["今天到期"]["expired"] and rows["明年生效"]["status"] == "未生效"
    valid_now = {r["name"] for r in pools.search(session, pools.EXPERT, valid_on=date(2026, 11, 25))}
    assert valid_now == {"今天到期", "月底到期", "长期"}
    assert [r["name"] for r in pools.expiring(session, pools.EXPERT, 30)] == ["已过期", "今天到期", "月底到期"]
    assert [r["name"] for r in pools.expiring(session, pools.EXPERT, 0)] == ["已过期", "今天到期"]
    frozen(datetime(2026, 12, 26, 9, 0))
    assert pools.row(session.scalar(select(Expert).where(Expert.name == "月底到期")))["expired"]


# -- update letters ---------------------------------------------------------------------------------


def test_letter_applies_whole(session, city, frozen):
    old = expert(session, "王强", phone="13904170010")
    agency(session)
    counts = apply_update(session, {
        "office": "YK-ZJJ",
        "experts": [
            {"action": "add", "name": "赵敏", "specialty": "岩土工程", "phone": "13904170011",
             "valid_until": "2028-06-30"},
            {"action": "update", "name": "王强", "phone": "13904170012", "title": "正高级工程师"},
        ],
        "agencies": [
            {"action": "add", "credit_code": USCC2, "name": "营口市信达检测有限公司", "scope": "建设工程质量检测"},
            {"action": "remove", "credit_code": USCC, "note": "资质被撤销"},
        ],
    })
    assert counts == {"experts": {"add": 1, "update": 1, "remove": 0},
                      "agencies": {"add": 1, "update": 0, "remove": 1}}
    wang = session.get(Expert, old)
    assert (wang.phone, wang.title) == ("13904170012", "正高级工程师")
    zhao = session.scalar(select(Expert).where(Expert.name == "赵敏"))
    assert zhao.recommending_office.code == "YK-ZJJ" and zhao.valid_until == date(2028, 6, 30)
    gone = session.scalar(select(Agency).where(Agency.credit_code == USCC))
    assert (gone.active, gone.note) == (False, "资质被撤销")
    apply_update(session, {"office": "YK-ZJJ", "experts": [{"action": "remove", "id": str(old)}]})
    assert session.get(Expert, old).active is False


@pytest.mark.parametrize("letter, words", [
    ("not a dict", "对象"),
    ({"office": "YK-NONE", "experts": []}, "函告单位"),
    ({"office": "YK-SPJ", "experts": []}, "不是行政主管部门"),
    ({"office": "YK-ZJJ", "experts": [], "extra": 1}, "未知项"),
    ({"office": "YK-ZJJ"}, "没有任何"),
    ({"office": "YK-ZJJ", "experts": "x"}, "应为列表"),
    ({"office": "YK-ZJJ", "experts": [{"action": "drop", "name": "x"}]}, "action"),
    ({"office": "YK-ZJJ", "experts": [{"action": "add", "name": "好人", "phone": "13904170099"},
                                      {"action": "add", "name": "孙丽", "phone": "123"}]}, "第 2 条（孙丽）"),
    ({"office": "YK-ZJJ", "experts": [{"action": "update", "name": "不存在"}]}, "没有“不存在”"),
    ({"office": "YK-SJJ", "experts": [{"action": "update", "name": "王强"}]}, "没有“王强”"),
    ({"office": "YK-SJJ", "agencies": [{"action": "remove", "credit_code": USCC}]}, "不是本单位推荐"),
    ({"office": "YK-ZJJ", "agencies": [{"action": "add", "credit_code": USCC, "name": "x"}]}, "请用 update"),
    ({"office": "YK-ZJJ", "agencies": [{"action": "add", "credit_code": "123", "name": "x"}]}, "18位"),
    ({"office": "YK-ZJJ", "experts": [{"action": "update", "name": "王强", "office": "YK-SJJ"}]}, "office"),
    ({"office": "YK-ZJJ", "experts": [{"action": "remove", "id": "zz"}]}, "不是有效的编号"),
    ({"office": "YK-ZJJ", "experts": [{"action": "update", "name": "王强"}, {"action": "remove", "name": "王强"}]},
     "重复"),
    ({"office": "YK-ZJJ", "experts": [{"action": "add", "name": "王强", "phone": "13904170010"}]}, "已有 王强"),
])
def test_bad_letters_change_nothing(session, city, frozen, letter, words):
    expert(session, "王强", phone="13904170010")
    agency(session)
    before = snapshot(session)
    with pytest.raises(LetterError) as e:
        apply_update(session, letter)
    assert words in e.value.message and e.value.problems, e.value.message
    assert e.value.message.count("\n") == 0 and "未作任何更改" in e.value.message
    assert snapshot(session) == before
