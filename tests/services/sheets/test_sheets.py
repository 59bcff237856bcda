"""Sheets in one installation (the demo: every office local): drafts, hand-over, versions,
which fields need consent, and the consent flow through the engine."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from app.models import Dispatch, ImplementationSheet, PushSheet, SheetChange
from app.models.sheets import SHEET_FIELDS
from app.services import rules
from app.services.errors import ValidationError, WorkflowError
from app.services.sheets import consent, sheets
from tests.services.sheets.conftest import FIELDS, prepare


def test_department_drafts_and_hands_over_both_sheets(session, city, frozen):
    sheet, push = prepare(session, city.housing)
    assert (sheet.version, sheet.status, push.version, push.status) == (1, "handed_over", 1, "handed_over")
    assert sheet.handed_over_at == datetime(2026, 11, 25, 10, 0)
    data = sheets.sheet_dict(session, sheets.get(session, "ZJ-001"))
    assert [f["label"] for f in data["fields"]] == list(SHEET_FIELDS.values())
    assert {f["key"] for f in data["fields"] if f["key_element"]} == set(sheets.KEY_FIELDS)
    assert [f["pushed"] for f in data["push_sheet"]["fields"]] == [True] * 5
    # A second round: the draft starts from the version in force; hand-over supersedes it.
    sheets.edit(session, "ZJ-001", "办理流程", "申请—受理—决定", office=city.housing)
    sheets.edit(session, "ZJ-001", "push_fields", "事项名称、申请人、审批结果", office=city.housing)
    assert sheets.current(session, "ZJ-001").procedure == FIELDS["procedure"]  # draft not in force yet
    new, new_push = sheets.hand_over(session, "ZJ-001", office=city.housing)
    assert (new.version, new.procedure, new.materials) == (2, "申请—受理—决定", FIELDS["materials"])
    assert json.loads(new_push.fields) == ["item_name", "applicant", "result"]
    assert [v.status for v in sheets.versions(session, "ZJ-001")] == ["superseded", "handed_over"]
    assert session.scalars(select(PushSheet.status).order_by(PushSheet.version)).all() == [
        "superseded", "handed_over"]


def test_hand_over_needs_the_key_elements_and_the_competent_department(session, city, frozen):
    sheets.edit(session, "ZJ-001", "legal_basis", "《建筑法》", office=city.housing)
    with pytest.raises(ValidationError, match="关键要素未填写：实施对象、办结时限"):
        sheets.hand_over(session, "ZJ-001", office=city.housing)
    with pytest.raises(WorkflowError, match="只有事项 ZJ-001 的主管部门"):
        sheets.hand_over(session, "ZJ-001", office=city.market)
    with pytest.raises(WorkflowError, match="不是事项 ZJ-001 的主管部门"):
        sheets.edit(session, "ZJ-001", "duties", "x", office=city.market)
    with pytest.raises(ValidationError, match="没有“许可期限”这一项"):
        sheets.edit(session, "ZJ-001", "许可期限", "x", office=city.housing)


def test_bureau_changes_non_key_fields_freely_but_not_key_elements(session, handed, city):
    new = sheets.edit(session, "ZJ-001", "procedure", "网上申请—受理—决定", office=city.approval)
    assert (new.version, new.status, new.procedure) == (2, "handed_over", "网上申请—受理—决定")
    assert sheets.get(session, "ZJ-001", 1).status == "superseded"
    with pytest.raises(WorkflowError, match="关键要素，调整前须征得主管部门同意（第八条第二款）"):
        sheets.edit(session, "ZJ-001", "申请材料", "施工许可申请表", office=city.approval)
    with pytest.raises(WorkflowError, match="推送清单由主管部门制作"):
        sheets.edit(session, "ZJ-001", "push_fields", "申请人", office=city.approval)
    with pytest.raises(ValidationError, match="不是关键要素，无需征得同意"):
        consent.propose(session, "ZJ-001", "procedure", "x", "y", office=city.approval, operator="王芳")
    assert session.scalar(select(Dispatch.id)) is None  # nothing was sent


def propose(session, city, field="materials", value="施工许可申请表；施工合同", reason="规划许可证已共享，免于提交"):
    return consent.propose(session, "ZJ-001", field, value, reason, office=city.approval, operator="王芳")


def test_consent_makes_a_new_version_with_the_new_value(session, handed, city, frozen):
    change = propose(session, city)
    d = session.get(Dispatch, change.dispatch_id)
    rule = rules.rule("key_element_consent")
    assert (d.kind, d.status, d.subject_type, d.addressee_office_id) == (
        rule.kind, rules.SENT, rule.subject_type, city.housing.id)
    assert d.send_due is None and d.reply_due is None and d.current_due is None  # the rule has no limit
    assert sheets.current(session, "ZJ-001").materials == FIELDS["materials"]  # old value until consent
    with pytest.raises(WorkflowError, match="正在征求主管部门同意"):
        propose(session, city, value="其他")
    with pytest.raises(WorkflowError, match="正在征求主管部门同意"):
        sheets.edit(session, "ZJ-001", "materials", "x", office=city.housing)
    sheets.edit(session, "ZJ-001", "duties", "受理、审查", office=city.housing)  # other fields still free
    frozen(datetime(2026, 11, 26, 9, 0))
    consent.answer(session, change, True, office=city.housing, operator="赵强")
    assert (change.status, change.decided_at) == ("consented", datetime(2026, 11, 26, 9, 0))
    now = sheets.current(session, "ZJ-001")
    assert (now.version, now.materials, now.prepared_by_office_id) == (3, "施工许可申请表；施工合同", city.approval.id)
    draft = sheets.draft(session, "ZJ-001")  # the department's draft (version 2) follows the consent
    assert (draft.version, draft.materials, draft.duties) == (2, "施工许可申请表；施工合同", "受理、审查")
    assert change.new_sheet_id == now.id and "经主管部门同意" in now.note
    assert sheets.get(session, "ZJ-001", 1).status == "superseded"
    propose(session, city, value="施工许可申请表")  # no longer pending: a new proposal is allowed
    handed_over, _ = sheets.hand_over(session, "ZJ-001", office=city.housing)
    assert (handed_over.version, handed_over.materials) == (4, "施工许可申请表；施工合同")


def test_refusal_keeps_the_old_value_and_records_the_reason(session, handed, city, frozen):
    change = propose(session, city, field="办结时限", value="1个工作日")
    with pytest.raises(ValidationError, match="理由"):
        consent.answer(session, change, False, office=city.housing, operator="赵强")
    with pytest.raises(WorkflowError, match="只有营口市住房和城乡建设局可以"):
        consent.answer(session, change, True, office=city.approval, operator="王芳")
    consent.answer(session, change, False, office=city.housing, operator="赵强", reason="现场踏勘需时")
    assert (change.status, change.refusal_reason) == ("refused", "现场踏勘需时")
    assert sheets.current(session, "ZJ-001").time_limit == "3个工作日"
    assert session.scalar(select(ImplementationSheet.version).order_by(ImplementationSheet.version.desc())) == 1
    with pytest.raises(WorkflowError, match="不能同意"):
        consent.answer(session, change, True, office=city.housing, operator="赵强")
    listed = consent.list_changes(session)
    assert [(c["status_label"], c["refusal_reason"]) for c in listed] == [("不同意", "现场踏勘需时")]


def test_proposal_checks(session, city, handed):
    with pytest.raises(ValidationError, match="与现行清单相同"):
        propose(session, city, value=FIELDS["materials"])
    with pytest.raises(ValidationError, match="请填写调整理由"):
        propose(session, city, reason=" ")
    with pytest.raises(WorkflowError, match="由行政审批部门提出"):
        consent.propose(session, "ZJ-001", "materials", "x", "y", office=city.housing, operator="赵强")
    assert session.scalar(select(SheetChange.id)) is None
