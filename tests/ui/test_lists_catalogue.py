"""事项清单 tab: the workflow from a new draft to the version in force, diff, publish, the
catalogue file import refusal, and the Excel import (preview first) and export of a draft."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models import CatalogueEntry, LicensingItem
from app.services.catalogue import working
from app.services.exchange import keys as keys_service
from app.services.lists_sheets import CATALOGUE
from app.services.spreadsheets import read_xlsx
from app.ui.lists_dialogs import (
    ApproveDialog,
    DiffDialog,
    EnforceDialog,
    EntryDialog,
    FileDialog,
    NewDraftDialog,
    OpinionDialog,
)
from app.ui.lists_xlsx_dialog import ImportPreviewDialog
from tests.services.test_lists_xlsx import catalogue_file
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


def _enabled(tab, *names) -> dict:
    return {n: getattr(tab, n).isEnabled() for n in names}


def test_draft_to_in_force_through_the_dialogs(qtbot, session, make_page, no_blocking_message_boxes):
    tab = make_page("YK-YSJ").catalogue
    assert "尚未执行任何版本" in tab.working.text() and tab.version_model.rowCount() == 0
    assert _enabled(tab, "newDraftButton", "approveButton", "addEntryButton") == {
        "newDraftButton": True, "approveButton": False, "addEntryButton": False}

    s = when_dialog(NewDraftDialog, lambda d: submit(d, title="营口市相对集中行政许可事项清单（2027年版）",
                                                     **{"from": "items"}))
    assert tab.new_draft() == 1
    done(s)
    assert cells(tab.versions, 0)[:4] == ["第 1 版", "营口市相对集中行政许可事项清单（2027年版）", "草案", "2"]
    assert column(tab.items) == ["SJ-001", "ZJ-001"]
    assert _enabled(tab, "addEntryButton", "evaluateButton", "approveButton", "enforceButton") == {
        "addEntryButton": True, "evaluateButton": True, "approveButton": False, "enforceButton": False}

    def duplicate_then_new(d):
        fill(d, code="ZJ-001", name="重复", competent="YK-ZJJ")
        d.ok_button.click()
        assert d.isVisible() and "已有编码为 ZJ-001 的事项" in d.error_text()
        submit(d, code="ZJ-002", name="建设工程消防设计审查", competent="YK-ZJJ", level="county")

    s = when_dialog(EntryDialog, duplicate_then_new)
    tab.add_entry()
    done(s)
    assert cells(tab.items, 2) == ["ZJ-002", "建设工程消防设计审查", "行政许可", "营口市住房和城乡建设局", "县（市）区"]

    tab.search.setText("消防")
    assert column(tab.items) == ["ZJ-002"] and tab.items_label.text() == "第 1 版的事项（1/3）："
    tab.search.clear()

    tab.evaluate()  # refused: no opinion of the approval bureau yet
    assert no_blocking_message_boxes[-1] == ("warning", "评估论证须有行政审批部门的意见，请先记录"
                                                        "（shenguan catalogue opinion）。")
    s = when_dialog(OpinionDialog, lambda d: submit(d, office="YK-SPJ", text="同意"))
    tab.opinion()
    done(s)
    tab.evaluate()
    assert "已评估论证" in no_blocking_message_boxes[-1][1] and "YK-SJJ、YK-ZJJ" in no_blocking_message_boxes[-1][1]
    assert cells(tab.versions, 0)[2] == "已评估论证" and tab.approveButton.isEnabled()
    assert not tab.addEntryButton.isEnabled()

    def approve(d):
        fill(d, doc_number="营政发 2026 12号")
        d.ok_button.click()
        assert "文号“营政发 2026 12号”无效" in d.error_text() and d.focusWidget() is d.fields["doc_number"]
        submit(d, doc_number="营政发[2026]12号", date=date(2026, 11, 20))

    s = when_dialog(ApproveDialog, approve)
    tab.approve()
    done(s)
    s = when_dialog(EnforceDialog, lambda d: submit(d, date=date(2026, 11, 25)))
    tab.enforce()
    done(s)
    assert "本机事项清单：新增 1" in no_blocking_message_boxes[-1][1]
    assert cells(tab.versions, 0)[2:] == ["实施中", "3", "营政发〔2026〕12号", "2026-11-20", "2026-11-25", "",
                                          "◀ 执行中"]
    assert tab.working.text().startswith("本单位执行第 1 版清单")
    assert session.scalar(select(LicensingItem.active).where(LicensingItem.code == "ZJ-002"))
    assert working.working_number(session) == 1

    s = when_dialog(FileDialog, lambda d: submit(d, date=date(2026, 11, 25)))
    tab.file()
    done(s)
    assert cells(tab.versions, 0)[2] == "已备案（实施中）" and cells(tab.versions, 0)[7] == "2026-11-25 辽宁省人民政府"
    assert not tab.fileButton.isEnabled() and tab.publishButton.isEnabled()


def test_diff_between_versions(qtbot, session, lists_city, make_page):
    fill_lists(session, lists_city)
    tab = make_page("YK-YSJ").catalogue
    tab.versions.selectRow(1)

    def check(d):
        assert d.summary.text() == "第 1 版 → 第 2 版：新增 1 项，删除 0 项，变更 1 项。"
        assert cells(d.table, 0) == ["新增", "ZJ-002", "建设工程消防设计审查", "主管部门：营口市住房和城乡建设局"]
        assert cells(d.table, 1) == ["变更", "SJ-001", "食品经营许可（含仅销售预包装食品备案）",
                                     "事项名称：食品经营许可 → 食品经营许可（含仅销售预包装食品备案）"]
        d.b.setCurrentIndex(0)  # the same version: no difference
        assert d.model.rowCount() == 0 and "新增 0 项" in d.summary.text()

    s = when_dialog(DiffDialog, check)
    tab.compare()
    done(s)


def test_roles_publish_and_import_refusal(qtbot, session, lists_city, make_page, tmp_path,
                                          no_blocking_message_boxes):
    fill_lists(session, lists_city)
    keys_service.generate(session, lists_city.oversight)
    session.commit()
    bureau = make_page("YK-SPJ").catalogue
    assert bureau.working.text().startswith("本单位执行第 1 版清单")
    assert not any(getattr(bureau, n).isEnabled() for n in ("newDraftButton", "publishButton", "evaluateButton"))
    assert bureau.importFileButton.isEnabled() and bureau.exportXlsxButton.isEnabled()
    broken = tmp_path / "清单.json"
    broken.write_text("{not json", encoding="utf-8")
    assert not bureau.import_file(broken)
    assert no_blocking_message_boxes[-1][0] == "warning" and "事项清单文件" in no_blocking_message_boxes[-1][1]

    tab = make_page("YK-YSJ").catalogue
    tab.versions.selectRow(0)
    assert tab.publishButton.isEnabled()
    out = tmp_path / "第1版.json"
    assert tab.publish(out) and out.stat().st_size > 0
    assert "已写出第 1 版事项清单文件" in no_blocking_message_boxes[-1][1]


def test_excel_import_previews_bad_rows_and_saves_only_when_confirmed(qtbot, session, lists_city, make_page,
                                                                      tmp_path, monkeypatch):
    fill_lists(session, lists_city)
    tab = make_page("YK-YSJ").catalogue
    tab.versions.selectRow(1)
    assert tab.importXlsxButton.isEnabled()
    f = catalogue_file(tmp_path / "清单.xlsx",
                       ["ZJ-003", "建筑业企业资质核准", "行政许可", "营口市住房和城乡建设局", "市本级"],
                       ["ZJ-004", "没有的部门", "行政许可", "营口市不存在局", "市本级"])
    answers = []

    def question(_parent, _title, text, *a, **k):
        answers.append(text)
        return answers_given.pop(0)

    answers_given = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", question)

    def preview(d):
        assert "可以导入 1 行，有问题 1 行。" in d.summary.text()
        assert cells(d.problem_table, 0)[0] == "第 4 行" and "营口市不存在局" in cells(d.problem_table, 0)[1]
        assert cells(d.accepted_table, 0) == ["第 3 行", "新增 ZJ-003 建筑业企业资质核准"]
        assert d.apply_button.text() == "仅导入无误的行"
        assert d.apply() is None and d.isVisible()  # not confirmed: nothing saved
        assert session.scalar(select(CatalogueEntry).where(CatalogueEntry.code == "ZJ-003")) is None
        d.apply_button.click()

    s = when_dialog(ImportPreviewDialog, preview)
    report = tab.import_xlsx(f)
    done(s)
    assert report.saved and report.added == 1 and len(answers) == 2 and "确定只导入无误的 1 行吗" in answers[0]
    assert "ZJ-003" in column(tab.items)
    session.expire_all()
    assert session.scalar(select(CatalogueEntry.name).where(CatalogueEntry.code == "ZJ-003")) == "建筑业企业资质核准"

    out = tmp_path / "导出"
    assert tab.export_xlsx(out) == 4
    back = read_xlsx(out.with_name("导出.xlsx"), CATALOGUE)
    assert [r["code"] for _row, r in back.rows] == ["SJ-001", "ZJ-001", "ZJ-002", "ZJ-003"] and not back.rejected


def test_version_items_model_marks_the_working_version(qtbot, session, lists_city, make_page):
    fill_lists(session, lists_city)
    tab = make_page("YK-SPJ").catalogue
    assert tab.version_model.style(0) == "bold" and tab.version_model.style(1) == ""
    assert cells(tab.versions, 1)[2] == "草案"
