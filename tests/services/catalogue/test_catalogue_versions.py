"""The catalogue's workflow (Art. 7): draft → evaluated → approved → in force → filed, the
working item list that follows the version in force, and the difference between versions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.models import CatalogueVersion, LicensingItem
from app.services import results
from app.services.catalogue import diff as diff_service
from app.services.catalogue import versions, working
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.items import active_items
from tests.conftest import a_result_input

TITLE = "营口市相对集中行政许可事项清单（2027年版）"


def evaluated(session, city, source="items") -> int:
    n = versions.create_draft(session, city.oversight, TITLE, source)
    versions.record_opinion(session, n, "YK-SPJ", True, "同意")
    versions.evaluate(session, n)
    return n


def in_force(session, city, source="items", start=date(2026, 11, 25)) -> int:
    n = evaluated(session, city, source)
    versions.approve(session, n, "营政发〔2026〕12号", date(2026, 11, 20))
    versions.put_in_force(session, city.oversight, n, start)
    return n


def item(session, code: str) -> LicensingItem:
    return session.scalar(select(LicensingItem).where(LicensingItem.code == code))


def test_whole_workflow(session, city, frozen):
    n = versions.create_draft(session, city.oversight, TITLE, "items")
    assert n == 1
    versions.add_entry(session, n, "ZJ-002", "建设工程消防设计审查", "行政许可", "YK-ZJJ", "县（市）区")
    d = versions.details(session, n)
    assert [i["code"] for i in d["items"]] == ["SJ-001", "ZJ-001", "ZJ-002"]
    assert d["items"][2]["level"] == "county" and d["items"][2]["competent_office"]["name"] == "营口市住房和城乡建设局"
    versions.record_opinion(session, n, "YK-SPJ", True, "同意")
    versions.record_opinion(session, n, "YK-ZJJ", False, "ZJ-002 暂不划转")
    assert versions.evaluate(session, n) == ["YK-SJJ"]  # heard nothing from 市场监管
    versions.approve(session, n, "营政发[2026]12号", date(2026, 11, 24))
    v = versions.get_version(session, n)
    assert v.approved_doc_number == "营政发〔2026〕12号" and v.approved_on == date(2026, 11, 24)
    report = versions.put_in_force(session, city.oversight, n, date(2026, 11, 25))
    assert report.added == ["ZJ-002"] and report.deactivated == [] and report.updated == []
    assert working.working_number(session) == 1 and working.working_version(session).id == v.id
    versions.mark_filed(session, n, date(2026, 11, 25), "辽宁省人民政府")
    session.commit()
    assert [(r["number"], r["status"]) for r in versions.list_versions(session)] == [(1, "filed")]
    assert item(session, "ZJ-002").competent_office_id == city.housing.id


def test_next_version_supersedes_and_syncs_the_working_list(session, city, frozen):
    r = results.record(session, a_result_input("SJ-001"), office=city.approval, operator="王芳")
    first = in_force(session, city)
    n = versions.create_draft(session, city.oversight, "2028年版", first)
    assert versions.get_version(session, n).based_on_id == versions.get_version(session, first).id
    versions.remove_entry(session, n, "SJ-001")
    versions.edit_entry(session, n, "ZJ-001", name="建筑工程施工许可", category="行政许可")
    versions.add_entry(session, n, "ZJ-003", "城镇污水排入排水管网许可", "", "YK-ZJJ", "city")
    versions.record_opinion(session, n, "YK-SPJ", True, "")
    versions.evaluate(session, n)
    versions.approve(session, n, "营政发〔2026〕30号", date(2026, 11, 25))
    report = versions.put_in_force(session, city.oversight, n, date(2026, 11, 25))
    session.commit()
    assert (report.added, report.updated, report.deactivated) == (["ZJ-003"], ["ZJ-001"], ["SJ-001"])
    assert versions.get_version(session, first).status == "superseded"
    food = item(session, "SJ-001")
    assert food is not None and food.active is False  # never deleted: results refer to it
    assert [c.code for c in active_items(session)] == ["ZJ-001", "ZJ-003"]
    assert item(session, "ZJ-001").name == "建筑工程施工许可"
    # The result of the removed item keeps working: it can still be pushed.
    d = results.push(session, results.get(session, r.id), office=city.approval, operator="王芳")
    session.commit()
    assert d.addressee_office_id == city.market.id and results.get(session, r.id).item.code == "SJ-001"
    # Putting a version back in the list reactivates the item.
    m = versions.create_draft(session, city.oversight, "2029年版", first)
    versions.record_opinion(session, m, "YK-SPJ", True, "")
    versions.evaluate(session, m)
    versions.approve(session, m, "营政发〔2026〕31号", date(2026, 11, 25))
    report = versions.put_in_force(session, city.oversight, m, date(2026, 11, 25))
    assert report.reactivated == ["SJ-001"] and report.deactivated == ["ZJ-003"]


def test_diff(session, city, frozen):
    a = in_force(session, city)
    b = versions.create_draft(session, city.oversight, "2028年版", a)
    versions.remove_entry(session, b, "SJ-001")
    versions.edit_entry(session, b, "ZJ-001", name="建筑工程施工许可", level="devzone")
    versions.add_entry(session, b, "ZJ-003", "城镇污水排入排水管网许可", "", "YK-ZJJ", "ftz")
    d = diff_service.diff(session, a, b)
    assert [r["code"] for r in d["added"]] == ["ZJ-003"]
    assert [r["code"] for r in d["removed"]] == ["SJ-001"]
    assert d["changed"] == [{"code": "ZJ-001", "name": "建筑工程施工许可", "fields": {
        "name": ["建筑工程施工许可证核发", "建筑工程施工许可"], "jurisdiction_level": ["city", "devzone"]}}]
    text = "\n".join(diff_service.diff_text(d))
    assert "新增 1 项，删除 1 项，变更 1 项" in text and "事项名称：建筑工程施工许可证核发 → 建筑工程施工许可" in text
    assert diff_service.diff(session, a, a) == {"from": a, "to": a, "added": [], "removed": [], "changed": []}
    with pytest.raises(NotFoundError, match="第 9 版"):
        diff_service.diff(session, a, 9)


def _run(session, city, step: str, n: int):
    return {
        "add": lambda: versions.add_entry(session, n, "X-1", "某事项", "", "YK-ZJJ", "city"),
        "edit": lambda: versions.edit_entry(session, n, "ZJ-001", name="新名称"),
        "remove": lambda: versions.remove_entry(session, n, "ZJ-001"),
        "opinion": lambda: versions.record_opinion(session, n, "YK-SPJ", True, ""),
        "evaluate": lambda: versions.evaluate(session, n),
        "approve": lambda: versions.approve(session, n, "营政发〔2026〕12号", date(2026, 11, 24)),
        "enforce": lambda: versions.put_in_force(session, city.oversight, n, date(2026, 11, 25)),
        "file": lambda: versions.mark_filed(session, n, date(2026, 11, 25), "辽宁省人民政府"),
    }[step]()


ALLOWED = {"draft": {"add", "edit", "remove", "opinion", "evaluate"}, "evaluated": {"approve"},
           "approved": {"enforce"}, "in_force": {"file"}, "filed": set(), "superseded": set()}


def _at(session, city, status: str) -> int:
    n = versions.create_draft(session, city.oversight, TITLE, "items")
    for step, reached in (("opinion", None), ("evaluate", "evaluated"), ("approve", "approved"),
                          ("enforce", "in_force"), ("file", "filed")):
        if versions.get_version(session, n).status == status:
            break
        _run(session, city, step, n)
        assert reached is None or versions.get_version(session, n).status == reached
    if status == "superseded":
        m = in_force(session, city, n)
        assert versions.get_version(session, m).status == "in_force"
    assert versions.get_version(session, n).status == status
    return n


@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("step", ["add", "edit", "remove", "opinion", "evaluate", "approve", "enforce", "file"])
def test_illegal_transitions_are_refused(session, city, frozen, status, step):
    if step in ALLOWED[status]:
        return
    n = _at(session, city, "filed" if status == "superseded" else status)
    if status == "superseded":
        in_force(session, city, n)
    before = versions.details(session, n)
    with pytest.raises(WorkflowError, match=f"第 {n} 版清单当前为“{versions.STATUS_LABELS[status]}”，不能"):
        _run(session, city, step, n)
    assert versions.details(session, n) == before


def test_evaluation_needs_entries_and_the_approval_bureaus_opinion(session, city, frozen):
    n = versions.create_draft(session, city.oversight, TITLE)
    versions.record_opinion(session, n, "YK-SPJ", True, "")
    with pytest.raises(WorkflowError, match="还没有事项"):
        versions.evaluate(session, n)
    m = versions.create_draft(session, city.oversight, TITLE, "items")
    versions.record_opinion(session, m, "YK-ZJJ", True, "")
    with pytest.raises(WorkflowError, match="行政审批部门的意见"):
        versions.evaluate(session, m)
    versions.record_opinion(session, m, "YK-SPJ", False, "请补充")
    versions.record_opinion(session, m, "YK-SPJ", True, "已补充")  # replaces the first
    assert [(o["office_code"], o["agrees"]) for o in versions.details(session, m)["opinions"]] == [
        ("YK-ZJJ", True), ("YK-SPJ", True)]
    versions.evaluate(session, m)


def test_only_the_oversight_office_drafts_and_puts_in_force(session, city, frozen):
    with pytest.raises(WorkflowError, match="营商环境建设主管部门"):
        versions.create_draft(session, city.approval, TITLE)
    n = evaluated(session, city)
    versions.approve(session, n, "营政发〔2026〕12号", date(2026, 11, 24))
    with pytest.raises(WorkflowError, match="营商环境建设主管部门"):
        versions.put_in_force(session, city.housing, n, date(2026, 11, 25))


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"code": "ZJ 002"}, "code", "事项编码"),
    ({"code": "ZJ-001"}, "code", "已有编码"),
    ({"name": "  "}, "name", "事项名称"),
    ({"name": "许" * 257}, "name", "过长"),
    ({"category": "类" * 65}, "category", "过长"),
    ({"competent": "YK-XXX"}, "competent", "没有代码为 YK-XXX"),
    ({"competent": "YK-SPJ"}, "competent", "不是行政主管部门"),
    ({"level": "省级"}, "level", "层级"),
])
def test_entry_validation(session, city, frozen, kwargs, field, message):
    n = versions.create_draft(session, city.oversight, TITLE, "items")
    values = {"code": "ZJ-002", "name": "建设工程消防设计审查", "category": "", "competent": "YK-ZJJ",
              "level": "city", **kwargs}
    with pytest.raises(ValidationError, match=message) as err:
        versions.add_entry(session, n, **values)
    assert err.value.field == field
    assert len(versions.get_version(session, n).entries) == 2


def test_levels_accept_codes_and_labels():
    assert [versions.normalize_level(t) for t in ("city", "市本级", "县(市)区", "开发区", "自贸区")] == [
        "city", "city", "county", "devzone", "ftz"]


@pytest.mark.parametrize(("text", "expected"), [
    ("营政发〔2026〕12号", "营政发〔2026〕12号"),
    ("营政发[2026]12号", "营政发〔2026〕12号"),
    (" 营政办发［2020］25号 ", "营政办发〔2020〕25号"),
])
def test_doc_numbers(text, expected):
    assert versions.normalize_doc_number(text) == expected


@pytest.mark.parametrize("text", ["", "营政发12号", "营政发〔26〕12号"])
def test_bad_doc_numbers(text):
    with pytest.raises(ValidationError, match="文号"):
        versions.normalize_doc_number(text)


def test_dates_are_checked(session, city, frozen):
    n = evaluated(session, city)
    with pytest.raises(ValidationError, match="晚于今天"):
        versions.approve(session, n, "营政发〔2026〕12号", date(2026, 11, 26))
    versions.approve(session, n, "营政发〔2026〕12号", date(2026, 11, 25))
    with pytest.raises(ValidationError, match="早于批准日期"):
        versions.put_in_force(session, city.oversight, n, date(2026, 11, 24))
    versions.put_in_force(session, city.oversight, n, date(2026, 12, 1))
    with pytest.raises(ValidationError, match="早于批准日期"):
        versions.mark_filed(session, n, date(2026, 11, 1), "辽宁省人民政府")
    with pytest.raises(ValidationError, match="备案机关"):
        versions.mark_filed(session, n, date(2026, 11, 25), " ")
    with pytest.raises(ValidationError, match="不同意时请写明理由"):
        versions.record_opinion(session, versions.create_draft(session, city.oversight, TITLE), "YK-SPJ",
                                False, "")


def test_draft_title_and_source(session, city, frozen):
    with pytest.raises(ValidationError, match="清单名称"):
        versions.create_draft(session, city.oversight, " ")
    with pytest.raises(NotFoundError, match="第 7 版"):
        versions.create_draft(session, city.oversight, TITLE, 7)
    assert versions.create_draft(session, city.oversight, TITLE) == 1
    assert versions.get_version(session, 1).entries == []
    assert session.scalar(select(CatalogueVersion.number)) == 1
