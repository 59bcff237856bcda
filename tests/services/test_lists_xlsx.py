"""Excel import/export of catalogue entries, pools and liaison officers, with real .xlsx files."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.models import Agency, CatalogueEntry, Expert, LiaisonOfficer
from app.services import liaison, lists_xlsx, offices, pools
from app.services.catalogue import versions
from app.services.errors import FileFormatError, WorkflowError
from tests.conftest import valid_uscc
from tests.services.spreadsheets.xlsxbuild import xlsx

USCC = valid_uscc()
USCC2 = valid_uscc("91210800MA0TEXT02")
CAPTION = ["营口市相对集中行政许可事项清单（2027年版）", None, None, None, None]


def dump(session):
    def rows(model, *cols):
        return sorted(tuple(getattr(x, c) for c in cols) for x in session.scalars(select(model)))
    return (rows(CatalogueEntry, "version_id", "code", "name", "category", "competent_office_code",
                 "jurisdiction_level"),
            rows(Expert, "name", "specialty", "title", "employer", "qualification", "certificate_number", "phone",
                 "recommending_office_id", "valid_from", "valid_until", "active", "note"),
            rows(Agency, "name", "credit_code", "scope", "qualification", "certificate_number", "valid_until",
                 "contact_name", "phone", "recommending_office_id", "active", "note"),
            rows(LiaisonOfficer, "office_id", "name", "phone", "duties", "active", "since", "is_current"))


@pytest.fixture
def draft(session, city, frozen):
    number = versions.create_draft(session, city.oversight, "营口市相对集中行政许可事项清单（2027年版）")
    versions.add_entry(session, number, "ZJ-001", "建筑工程施工许可证核发", "行政许可", "YK-ZJJ", "city")
    return number


def catalogue_file(path, *rows):
    return xlsx(path, [CAPTION, ["序号", "事项编码*", "事项名称", "类别", "主管部门", "层级"],
                       *[[i, *r] for i, r in enumerate(rows, start=1)]], merges=["A1:F1"])


def test_catalogue_preview_refuses_bad_rows_then_saves(session, draft, tmp_path):
    f = catalogue_file(tmp_path / "清单.xlsx",
                       ["ZJ-002", "消防设计审查", "行政许可", "营口市住房和城乡建设局", "县（市）区"],
                       ["SJ-001", "食品经营许可", "行政许可", "YK-SJJ", "市本级"],
                       ["ZJ-001", "重复的事项", "行政许可", "YK-ZJJ", "市本级"],
                       ["XX-001", "未知部门的事项", "", "营口市不存在局", "市本级"],
                       ["SP-001", "审批局不是主管部门", "", "YK-SPJ", ""],
                       ["ZJ-009", "层级不对", "", "YK-ZJJ", "省级"])
    before = dump(session)
    report = lists_xlsx.import_catalogue(session, draft, f)
    assert not report.saved and dump(session) == before
    assert [r for r, _ in report.accepted] == [3, 4]
    reasons = {p.row: p.reason for p in report.rejected}
    assert set(reasons) == {5, 6, 7, 8}
    assert "已有编码为 ZJ-001" in reasons[5] and "营口市不存在局" in reasons[6]
    assert "不是行政主管部门" in reasons[7] and "省级" in reasons[8]
    assert report.ignored_columns == ["序号"]
    assert not lists_xlsx.import_catalogue(session, draft, f, dry_run=True, skip_bad=True).saved
    report = lists_xlsx.import_catalogue(session, draft, f, skip_bad=True)
    assert report.saved and report.added == 2
    entries = {e.code: e for e in versions.get_version(session, draft).entries}
    assert entries["ZJ-002"].jurisdiction_level == "county"
    assert entries["ZJ-002"].competent_office_code == "YK-ZJJ"
    assert entries["SJ-001"].competent_office_name == "营口市市场监督管理局"


def test_catalogue_round_trip_and_draft_only(session, city, draft, tmp_path):
    versions.add_entry(session, draft, "SJ-001", "食品经营许可", "", "YK-SJJ", "ftz")
    out = tmp_path / "export.xlsx"
    assert lists_xlsx.export_catalogue(session, draft, out) == 2
    second = versions.create_draft(session, city.oversight, "第二版")
    report = lists_xlsx.import_catalogue(session, second, out)
    assert report.saved and report.clean and report.added == 2

    def content(n):
        return sorted((e.code, e.name, e.category, e.competent_office_code, e.jurisdiction_level)
                      for e in versions.get_version(session, n).entries)
    assert content(second) == content(draft)
    versions.record_opinion(session, second, "YK-SPJ", True, "")
    versions.evaluate(session, second)
    with pytest.raises(WorkflowError, match="只有草案"):
        lists_xlsx.import_catalogue(session, second, out)


EXPERT_HEADER = ["姓名", "专业领域", "职称", "工作单位", "联系电话", "推荐单位", "有效期至", "备注"]


def test_experts_import_preview_save_and_update(session, city, frozen, tmp_path):
    f = xlsx(tmp_path / "专家.xlsx", [
        ["营口市住建局推荐专家名单"], EXPERT_HEADER,
        ["张伟", "建筑结构", "高级工程师", "营口市建筑设计院", "139 0417 0001", "YK-ZJJ", "2027-12-31", None],
        ["李娜", "食品安全", "教授", "营口职业技术学院", "13904170002", "营口市市场监督管理局", "2026/12/01", "x"],
        [],
        ["王五", "岩土", None, None, "12345", "YK-ZJJ", "2027-13-01", None],
        ["赵六", "岩土", None, None, "13904170006", "营口市行政审批局", None, None],
        ["张伟", "重复", None, None, "13904170001", "YK-ZJJ", None, None],
    ])
    before = dump(session)
    report = lists_xlsx.import_experts(session, f)
    assert not report.saved and dump(session) == before
    reasons = {p.row: p.reason for p in report.rejected}
    assert set(reasons) == {6, 7, 8}
    assert "联系电话" in reasons[6] and "有效期至" in reasons[6]  # every problem of the row
    assert "不是行政主管部门" in reasons[7] and "与第 3 行重复" in reasons[8]
    assert report.accepted == [(3, "新增 张伟"), (4, "新增 李娜")]
    report = lists_xlsx.import_experts(session, f, skip_bad=True)
    assert (report.saved, report.added, report.updated) == (True, 2, 0)
    li = session.scalar(select(Expert).where(Expert.name == "李娜"))
    assert (li.valid_until, li.recommending_office.code) == (date(2026, 12, 1), "YK-SJJ")
    again = xlsx(tmp_path / "again.xlsx", [EXPERT_HEADER, ["李娜", "食品检验", "教授", "", "13904170002",
                                                           "YK-SJJ", "2028-12-01", None]])
    report = lists_xlsx.import_experts(session, again)
    assert (report.saved, report.added, report.updated, report.accepted) == (True, 0, 1, [(2, "更新 李娜")])
    session.refresh(li)
    assert (li.specialty, li.valid_until) == ("食品检验", date(2028, 12, 1))


def test_pools_round_trip(session, city, frozen, tmp_path, db):
    pools.add(session, pools.EXPERT, {"name": "张伟", "specialty": "建筑结构", "phone": "0417-1234567-801",
                                      "office": "YK-ZJJ", "valid_from": "2025-01-01", "valid_until": "2027-12-31",
                                      "certificate_number": "0012345", "note": "=不是公式"})
    pools.add(session, pools.AGENCY, {"name": "营口市华信工程咨询有限公司", "credit_code": USCC,
                                      "scope": "工程造价咨询", "contact_name": "孙丽", "phone": "13904170001",
                                      "valid_until": date(2027, 6, 30), "office": "YK-ZJJ"})
    gone = pools.add(session, pools.AGENCY, {"name": "营口市旧机构", "credit_code": USCC2})
    pools.deactivate(session, pools.AGENCY, gone)
    liaison.add(session, "YK-ZJJ", "刘洋", "13904170001", "数据维护", since=date(2025, 3, 1))
    liaison.add(session, "YK-ZJJ", "陈静", "13904170002", "推送接收", current=True, since=date(2026, 1, 1))
    session.commit()
    files = {name: tmp_path / f"{name}.xlsx" for name in ("experts", "agencies", "liaison")}
    assert lists_xlsx.export_experts(session, files["experts"]) == 1
    assert lists_xlsx.export_agencies(session, files["agencies"], include_inactive=True) == 2
    assert lists_xlsx.export_liaison(session, files["liaison"]) == 2
    before = dump(session)
    # into the same database: every row matches and updates, nothing changes
    for name in files:
        report = getattr(lists_xlsx, f"import_{name}")(session, files[name])
        assert report.clean and report.saved and report.added == 0, report.rejected
    assert dump(session) == before
    # into a fresh database with the same offices: the same lists
    session.query(Expert).delete()
    session.query(Agency).delete()
    session.query(LiaisonOfficer).delete()
    session.flush()
    for name in files:
        report = getattr(lists_xlsx, f"import_{name}")(session, files[name])
        assert report.clean and report.saved and report.updated == 0
    assert dump(session)[1:3] == before[1:3]
    assert [(lo.name, lo.is_current) for lo in sorted(city.housing.liaison_officers, key=lambda x: x.name)] == [
        ("刘洋", False), ("陈静", True)]


def test_liaison_import_checks(session, city, tmp_path):
    f = xlsx(tmp_path / "联络员.xlsx", [
        ["单位", "姓名", "联系电话", "工作职责", "当前联络员", "状态"],
        ["YK-ZJJ", "刘洋", "13904170001", "数据维护", "是", None],
        ["营口市住房和城乡建设局", "陈静", "13904170002", "推送", "是", None],
        ["YK-NONE", "周涛", "13904170003", None, "否", None],
        ["YK-SJJ", "吴昊", "13904170004", None, "是", "已停用"],
        ["YK-SJJ", "郑爽", "13904170005", None, None, None],
    ])
    report = lists_xlsx.import_liaison(session, f)
    assert not report.saved and [p.row for p in report.rejected] == [3, 4, 5]
    assert "与第 2 行同为" in report.rejected[0].reason and "YK-NONE" in report.rejected[1].reason
    report = lists_xlsx.import_liaison(session, f, skip_bad=True)
    assert report.saved and report.added == 2
    assert offices.current_liaison(session, city.housing.id).name == "刘洋"
    assert offices.current_liaison(session, city.market.id).name == "郑爽"
    assert offices.current_liaison(session, city.market.id).is_current


@pytest.mark.parametrize("content, words", [
    (b"", "0 字节"),
    ("姓名,联系电话\n张伟,13904170001\n".encode("gbk"), "文本文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel"),
    (b"PK\x03\x04broken", "已损坏"),
])
def test_malformed_files_are_refused_and_nothing_changes(session, city, tmp_path, content, words):
    pools.add(session, pools.EXPERT, {"name": "张伟", "phone": "13904170001"})
    before = dump(session)
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    for fn in (lists_xlsx.import_experts, lists_xlsx.import_agencies, lists_xlsx.import_liaison):
        with pytest.raises(FileFormatError, match=words):
            fn(session, path)
    assert dump(session) == before


def test_missing_header_is_refused(session, city, tmp_path):
    f = xlsx(tmp_path / "x.xlsx", [["名称", "地址"], ["某公司", "营口"]])
    with pytest.raises(FileFormatError, match="统一社会信用代码"):
        lists_xlsx.import_agencies(session, f)


def test_agency_rows_checked(session, city, tmp_path):
    f = xlsx(tmp_path / "中介.xlsx", [
        ["机构名称", "统一社会信用代码", "服务范围", "资质有效期至", "推荐单位", "状态"],
        ["营口市华信工程咨询有限公司", USCC, "造价咨询", "2027-06-30", "YK-ZJJ", "在库"],
        ["坏代码公司", USCC[:-1] + ("0" if USCC[-1] != "0" else "1"), None, None, None, None],
        ["短代码公司", "91210800", None, None, None, None],
        ["状态不对", USCC2, None, None, None, "作废"],
    ])
    report = lists_xlsx.import_agencies(session, f)
    assert [p.row for p in report.rejected] == [3, 4, 5] and not report.saved
    assert "校验位" in report.rejected[0].reason and "18位" in report.rejected[1].reason
    assert "只能填写" in report.rejected[2].reason
    assert session.scalar(select(Agency)) is None
