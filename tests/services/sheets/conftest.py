from __future__ import annotations

import pytest

from app.services.sheets import sheets

FIELDS = {
    "legal_basis": "《建筑法》第七条；《建筑工程施工许可管理办法》",
    "applicants": "在本市行政区域内从事建筑工程施工的建设单位",
    "scope": "工程投资额在30万元以上或者建筑面积在300平方米以上的建筑工程",
    "time_limit": "3个工作日",
    "conditions": "已办理用地批准手续；已取得建设工程规划许可证；有满足施工需要的资金安排",
    "materials": "施工许可申请表；建设工程规划许可证；施工合同",
    "special_steps": "无",
    "review_standard": "书面审查，符合《建筑工程施工许可管理办法》第四条规定的条件",
    "procedure": "申请—受理—审查—决定—送达",
    "duties": "受理、审查、决定、送达",
    "accountability": "对不符合条件的申请作出准予许可决定的",
    "planning": "无数量控制",
}


def prepare(session, office, code="ZJ-001", fields=FIELDS, push="事项名称,申请人,联系人,申请材料,审批结果"):
    """The department drafts both sheets and hands them over. Not committed."""
    for key, value in fields.items():
        sheets.edit(session, code, key, value, office=office)
    sheets.edit(session, code, sheets.PUSH_KEY, push, office=office)
    return sheets.hand_over(session, code, office=office)


@pytest.fixture
def handed(session, city, frozen):
    sheet, push = prepare(session, city.housing)
    session.commit()
    return sheet
