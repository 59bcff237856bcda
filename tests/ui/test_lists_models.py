"""Every model of the 清单与名录 window passes qtmodeltester, empty and filled; the menu opens it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from PySide6.QtCore import Qt

from app.services.spreadsheets import RowProblem
from app.ui.lists_actions import Correspondence
from app.ui.lists_models import (
    AcceptedModel,
    CorrespondenceModel,
    DiffModel,
    EntryModel,
    LiaisonModel,
    PoolModel,
    ProblemModel,
    SheetFieldModel,
    SheetVersionModel,
    VersionModel,
    diff_rows,
    filter_entries,
)

VERSION = {"number": 1, "title": "清单", "status": "in_force", "status_label": "实施中", "entries": 2,
           "approved_doc_number": "营政发〔2026〕12号", "approved_on": date(2026, 11, 20),
           "in_force_from": date(2026, 11, 25), "filed_on": None, "filed_with": None, "working": True}
ENTRY = {"code": "ZJ-001", "name": "建筑工程施工许可证核发", "category": "行政许可",
         "competent_office": {"code": "YK-ZJJ", "name": "营口市住房和城乡建设局"}, "level": "city",
         "level_label": "市本级"}
DIFF = {"from": 1, "to": 2, "added": [], "removed": [
    {"code": "SJ-001", "name": "食品经营许可", "competent_office_name": "营口市市场监督管理局"}],
    "changed": [{"code": "ZJ-001", "name": "建筑", "fields": {"jurisdiction_level": ["city", "county"]}}]}
POOL = {"id": uuid.uuid4(), "name": "张伟", "specialty": "建筑结构", "title": "", "employer": "", "qualification": "",
        "phone": "13904170001", "office_name": "", "valid_until": date(2026, 1, 1), "status": "已过期",
        "expired": True, "active": True, "credit_code": "", "scope": "", "contact_name": ""}
LIAISON = {"id": uuid.uuid4(), "office_name": "营口市行政审批局", "name": "王芳", "phone": "13904171111",
           "duties": "推送", "since": date(2026, 1, 1), "active": True, "current": True}


def _check(qtmodeltester, model, rows, first: list[str]) -> None:
    qtmodeltester.check(model)
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(model.columnCount())] == first
    assert model.headerData(0, Qt.Orientation.Horizontal) == model.HEADERS[0]
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    model.set_rows([])
    qtmodeltester.check(model)


def test_catalogue_models(qtmodeltester):
    _check(qtmodeltester, VersionModel(), [VERSION], [
        "第 1 版", "清单", "实施中", "2", "营政发〔2026〕12号", "2026-11-20", "2026-11-25", "", "◀ 执行中"])
    _check(qtmodeltester, EntryModel(), [ENTRY], ["ZJ-001", "建筑工程施工许可证核发", "行政许可",
                                                  "营口市住房和城乡建设局", "市本级"])
    rows = diff_rows(DIFF)
    assert rows[1][3] == "层级：市本级 → 县（市）区"
    _check(qtmodeltester, DiffModel(), rows, ["删除", "SJ-001", "食品经营许可", "主管部门：营口市市场监督管理局"])
    assert filter_entries([ENTRY], "住房 zj-001") == [ENTRY] and filter_entries([ENTRY], "食品") == []


def test_sheet_and_correspondence_models(qtmodeltester):
    field = {"key": "materials", "label": "申请材料", "value": "申请表\n合同", "key_element": True, "pending": True}
    _check(qtmodeltester, SheetFieldModel(), [field], ["申请材料", "是", "待主管部门同意", "申请表 合同"])
    version = {"version": 2, "status_label": "草稿", "prepared_by": "住建局", "created_at": datetime(2026, 11, 25, 10),
               "handed_over_at": None, "note": ""}
    _check(qtmodeltester, SheetVersionModel(), [version], ["第 2 版", "草稿", "住建局", "2026-11-25 10:00", "", ""])
    c = Correspondence("notice", "政策调整告知", uuid.uuid4(), "标题", "市场监管局", "审批局", "待确认", "及时",
                       datetime(2026, 11, 25, 9), "内容", (("acknowledge", "确认收到"),))
    model = CorrespondenceModel()
    _check(qtmodeltester, model, [c], ["政策调整告知", "标题", "市场监管局", "审批局", "待确认", "确认收到",
                                       "2026-11-25 09:00", "及时"])


def test_pool_liaison_and_import_models(qtmodeltester):
    _check(qtmodeltester, PoolModel(), [POOL], ["张伟", "建筑结构", "", "", "", "13904170001", "", "2026-01-01",
                                                "已过期"])
    agencies = PoolModel(agencies=True)
    assert agencies.columnCount() == 9 and agencies.HEADERS[1] == "统一社会信用代码"
    _check(qtmodeltester, agencies, [POOL], ["张伟", "", "", "", "", "13904170001", "", "2026-01-01", "已过期"])
    _check(qtmodeltester, LiaisonModel(), [LIAISON], ["营口市行政审批局", "王芳", "13904171111", "推送",
                                                      "2026-01-01", "◀ 当前"])
    _check(qtmodeltester, ProblemModel(), [RowProblem(4, "缺少姓名")], ["第 4 行", "缺少姓名"])
    _check(qtmodeltester, AcceptedModel(), [(3, "新增 张伟")], ["第 3 行", "新增 张伟"])


def test_main_window_menu_opens_the_lists_window(qtbot, window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("清单与名录(&L)") < titles.index("帮助(&H)")
    window.act_lists.trigger()
    page = window.lists_page
    assert page.isVisible() and [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "事项清单", "实施清单", "征求意见与告知", "专家库", "中介机构库", "联络员"]
    assert page.identity.text() == "本单位：营口市行政审批局（行政审批部门）"
    window.act_lists.trigger()
    assert window.lists_page is page
    page.close()
