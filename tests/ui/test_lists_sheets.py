"""实施清单 and 征求意见与告知 tabs: the department edits and hands over, the bureau proposes a
key-element change, the department answers it through the table, notices are acknowledged."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models import SheetChange
from app.services.sheets import sheets
from app.ui.forms_preview import PdfPreviewDialog
from app.ui.lists_forms import FieldDialog, PolicyDialog, ProposeDialog, PushDialog, ReplyDialog
from tests.ui import test_lists_support as support
from tests.ui.test_lists_support import (
    cells,
    column,
    done,
    fill,
    fill_lists,
    submit,
    when_dialog,
)

lists_city, make_page = support.lists_city, support.make_page  # fixtures


def _choose(tab, code: str) -> None:
    tab.item.setCurrentIndex(tab.item.findData(code))


def _row(table, text: str) -> int:
    return next(r for r in range(table.model().rowCount()) if text in " ".join(cells(table, r)))


def test_department_drafts_and_hands_over(qtbot, session, lists_city, make_page, monkeypatch):
    fill_lists(session, lists_city)
    tab = make_page("YK-ZJJ").sheets
    assert tab.item_code() == "ZJ-001"  # the department's own item first
    assert "实施清单：第 1 版，已移交（现行）" in tab.info.text() and "推送 事项名称、申请人" in tab.info.text()
    assert tab.editButton.isEnabled() and tab.pushButton.isEnabled() and not tab.handOverButton.isEnabled()
    assert not tab.proposeButton.isEnabled()
    tab.fields.selectRow(column(tab.fields).index("办理流程"))
    assert tab.full.toPlainText().startswith("办理流程：\n申请—受理")

    def edit(d):
        assert d.field.currentData() == "procedure" and d.value.toPlainText() == "申请—受理—审查—决定—送达"
        submit(d, value="申请—受理—审查—决定—送达（全程网办）")

    s = when_dialog(FieldDialog, edit)
    assert tab.edit()
    done(s)
    assert "第 2 版，草稿" in tab.info.text() and tab.handOverButton.isEnabled()
    assert cells(tab.versions, 0)[:2] == ["第 2 版", "草稿"]
    s = when_dialog(PushDialog, lambda d: (d.boxes["materials"].setChecked(False), d.ok_button.click()))
    assert tab.edit_push()
    done(s)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert tab.hand_over()
    assert "第 2 版，已移交（现行）" in tab.info.text() and "推送 事项名称、申请人、联系人、审批结果" in tab.info.text()
    assert cells(tab.versions, 1)[:2] == ["第 1 版", "已被替代"]
    assert sheets.current(session, "ZJ-001").procedure.endswith("（全程网办）")

    tab.choose_version(1)
    assert "第 1 版，已被替代" in tab.info.text() and tab.currentButton.isEnabled()
    s = when_dialog(PdfPreviewDialog, lambda d: d.windowTitle().endswith("ZJ-001 实施清单") or 1 / 0)
    assert tab.print_sheet() is not None
    done(s)


def test_bureau_proposes_and_department_refuses_then_consents(qtbot, session, lists_city, make_page,
                                                               no_blocking_message_boxes):
    fill_lists(session, lists_city)
    bureau = make_page("YK-SPJ")
    tab = bureau.sheets
    _choose(tab, "ZJ-001")
    assert tab.proposeButton.isEnabled() and tab.editButton.isEnabled() and not tab.pushButton.isEnabled()
    assert cells(tab.fields, column(tab.fields).index("申请材料"))[2] == "待主管部门同意"

    def propose(d):
        fill(d, field="time_limit", value="2个工作日")
        d.ok_button.click()
        assert "请填写调整理由" in d.error_text()
        submit(d, reason="压缩办结时限")

    s = when_dialog(ProposeDialog, propose)
    assert tab.propose()
    done(s)
    assert cells(tab.fields, column(tab.fields).index("办结时限"))[2:] == ["待主管部门同意", "3个工作日"]
    notes = bureau.notices
    r = _row(notes.table, "ZJ-001 办结时限")
    assert cells(notes.table, r)[4:6] == ["待答复", ""]  # the bureau waits: nothing to do

    dept = make_page("YK-ZJJ").notices
    r = _row(dept.table, "ZJ-001 办结时限")
    assert cells(dept.table, r)[5] == "同意、不同意"
    dept.table.selectRow(r)
    assert dept.consentButton.isEnabled() and dept.refuseButton.isEnabled() and not dept.ackButton.isEnabled()

    def refuse(d):
        d.ok_button.click()
        assert "请填写不同意的理由" in d.error_text()
        submit(d, reason="办结时限由部门规章规定")

    s = when_dialog(ReplyDialog, refuse)
    assert dept.take("refuse")
    done(s)
    r = _row(dept.table, "ZJ-001 办结时限")
    assert cells(dept.table, r)[4:6] == ["不同意", ""] and "办结时限由部门规章规定" in cells(dept.table, r)[7]
    assert sheets.current(session, "ZJ-001").time_limit == "3个工作日"  # the old value stays

    dept.table.selectRow(_row(dept.table, "ZJ-001 申请材料"))
    assert dept.take("consent")
    session.expire_all()
    assert sheets.current(session, "ZJ-001").materials == "施工许可申请表；建设工程规划许可证"
    assert session.scalar(select(SheetChange.status).where(SheetChange.field == "materials")) == "consented"
    tab.refresh()
    assert "第 2 版，已移交（现行）" in tab.info.text()


def test_notices_acknowledge_and_send(qtbot, session, lists_city, make_page):
    fill_lists(session, lists_city)
    market = make_page("YK-SJJ").notices
    assert market.sendButton.isEnabled()

    def send(d):
        fill(d, kind="opinion_request", title="《营口市食品经营许可审查细则》征求意见", content="请于月底前反馈。")
        assert d.form.isRowVisible(d.fields["due"])
        submit(d)

    s = when_dialog(PolicyDialog, send)
    assert market.send()
    done(s)
    bureau = make_page("YK-SPJ").notices
    assert not bureau.sendButton.isEnabled()
    r = _row(bureau.table, "食品经营许可审查细则修订")
    bureau.table.selectRow(r)
    assert bureau.ackButton.isEnabled() and not bureau.replyButton.isEnabled()
    assert bureau.take("acknowledge")
    assert cells(bureau.table, _row(bureau.table, "审查细则修订"))[4:6] == ["已确认", ""]
    bureau.table.selectRow(_row(bureau.table, "征求意见"))
    assert bureau.replyButton.isEnabled()
    s = when_dialog(ReplyDialog, lambda d: submit(d, text="无意见"))
    assert bureau.take("reply")
    done(s)
    assert "反馈意见：无意见" in bureau.detail.toPlainText()
