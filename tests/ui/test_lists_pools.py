"""专家库 / 中介机构库 and 联络员 tabs: search and expiry marking with the frozen clock, dialogs
with field messages, deactivation, set current, Excel import (preview) and export."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models import Expert
from app.services import offices
from app.services.lists_sheets import AGENCIES, EXPERTS, LIAISON
from app.services.spreadsheets import read_xlsx
from app.ui.lists_forms import LiaisonDialog, PoolDialog, ReplyDialog
from app.ui.lists_models import EXPIRED_BG
from app.ui.lists_xlsx_dialog import ImportPreviewDialog
from tests.services.spreadsheets.xlsxbuild import xlsx
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


def test_pool_search_and_expiry_marking(qtbot, session, lists_city, make_page):
    fill_lists(session, lists_city)
    tab = make_page("YK-SPJ").experts
    assert column(tab.table) == ["张伟", "李娜", "王强"]
    assert tab.count.text() == "共 3 条，其中 1 条已过期（红色）。"
    li = column(tab.table).index("李娜")
    assert cells(tab.table, li)[7:] == ["2026-10-31", "已过期"]
    assert tab.model.index(li, 0).data(Qt.ItemDataRole.BackgroundRole).color() == EXPIRED_BG
    assert tab.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    tab.expiring.setChecked(True)  # 30 days from Wed 2026-11-25, and the expired ones
    assert column(tab.table) == ["李娜", "王强"]
    tab.days.setValue(10)
    assert column(tab.table) == ["李娜"]
    tab.expiring.setChecked(False)
    tab.office.setCurrentIndex(tab.office.findData("YK-ZJJ"))
    assert column(tab.table) == ["张伟", "王强"]
    tab.office.setCurrentIndex(0)
    tab.text.setText("食品")
    tab.refresh()
    assert column(tab.table) == ["李娜"]
    agencies = make_page("YK-SPJ").agencies
    assert cells(agencies.table, 0)[-2:] == ["2026-11-01", "已过期"] and agencies.model.style(0) == "expired"


def test_pool_dialogs_and_roles(qtbot, session, lists_city, make_page):
    fill_lists(session, lists_city)
    assert not make_page("YK-ZJJ").experts.addButton.isEnabled()  # the bureau keeps the pools
    tab = make_page("YK-SPJ").experts

    def add(d):
        fill(d, name="周敏", phone="12345", office="YK-ZJJ")
        d.ok_button.click()
        assert "「联系电话」" in d.error_text() and d.focusWidget() is d.fields["phone"]
        submit(d, phone="13904170009", specialty="给排水")

    s = when_dialog(PoolDialog, add)
    assert tab.add()
    done(s)
    assert "周敏" in column(tab.table)
    tab.table.selectRow(column(tab.table).index("周敏"))
    assert tab.deactivateButton.isEnabled()
    s = when_dialog(ReplyDialog, lambda d: submit(d, text="调离本市"))
    assert tab.deactivate()
    done(s)
    assert "周敏" not in column(tab.table)
    tab.inactive.setChecked(True)
    row = column(tab.table).index("周敏")
    assert cells(tab.table, row)[-1] == "已停用" and tab.model.style(row) == "inactive"
    assert session.scalar(select(Expert.note).where(Expert.name == "周敏")) == "调离本市"


def test_pool_excel_import_and_export(qtbot, session, lists_city, make_page, tmp_path):
    fill_lists(session, lists_city)
    tab = make_page("YK-SPJ").experts
    f = xlsx(tmp_path / "专家.xlsx", [["姓名", "专业领域", "联系电话", "推荐单位", "有效期至"],
                                      ["赵刚", "电气", "13904170010", "营口市住房和城乡建设局", "2027-12-31"]])

    def preview(d):
        assert "可以导入 1 行，有问题 0 行。" in d.summary.text() and d.apply_button.text() == "导入"
        assert session.scalar(select(Expert).where(Expert.name == "赵刚")) is None
        d.apply_button.click()

    s = when_dialog(ImportPreviewDialog, preview)
    report = tab.import_xlsx(f)
    done(s)
    assert report.added == 1 and "赵刚" in column(tab.table)
    assert tab.export_xlsx(tmp_path / "专家库.xlsx") == 4


def test_liaison_set_current_deactivate_add(qtbot, session, lists_city, make_page, monkeypatch,
                                            no_blocking_message_boxes):
    fill_lists(session, lists_city)
    tab = make_page("YK-SPJ").liaison
    assert tab.office.currentData() == "YK-SPJ"
    assert [cells(tab.table, r)[1:] for r in range(2)] == [
        ["王芳", "139****1111", "审批结果推送", "2026-11-25", "◀ 当前"],
        ["陈静", "139****2222", "推送、回执登记", "2026-11-25", ""]]
    assert tab.model.style(0) == "bold"
    tab.table.selectRow(0)
    assert not tab.currentButton.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert not tab.deactivate()  # the current one: choose the successor first
    assert "请先把另一位联络员设为当前联络员" in no_blocking_message_boxes[-1][1]
    tab.table.selectRow(1)
    assert tab.set_current()
    assert column(tab.table, 1) == ["陈静", "王芳"] and cells(tab.table, 0)[5] == "◀ 当前"
    assert offices.current_liaison(session, lists_city.approval.id).name == "陈静"
    tab.table.selectRow(1)
    assert tab.deactivate() and column(tab.table, 1) == ["陈静"]

    def add(d):
        fill(d, name="刘洋", phone="0417-123")
        d.ok_button.click()
        assert "联系电话" in d.error_text()
        submit(d, phone="0417-2801234", duties="推送", current=True)

    s = when_dialog(LiaisonDialog, add)
    assert tab.add()
    done(s)
    assert cells(tab.table, 0)[1] == "刘洋" and cells(tab.table, 0)[5] == "◀ 当前"
    tab.office.setCurrentIndex(0)
    assert "孙磊" in column(tab.table, 1)


def test_liaison_excel_round_trip(qtbot, session, lists_city, make_page, tmp_path):
    fill_lists(session, lists_city)
    tab = make_page("YK-SPJ").liaison
    out = tmp_path / "联络员.xlsx"
    assert tab.export_xlsx(out) == 3
    back = read_xlsx(out, LIAISON)
    assert sorted(r["name"] for _n, r in back.rows) == ["孙磊", "王芳", "陈静"]
    f = xlsx(tmp_path / "新.xlsx", [["单位", "姓名", "联系电话", "当前联络员"],
                                    ["营口市行政审批局", "何军", "13904175555", "是"],
                                    ["营口市不存在局", "某某", "13904176666", "否"]])

    def preview(d):
        assert cells(d.problem_table, 0)[0] == "第 3 行" and "营口市不存在局" in cells(d.problem_table, 0)[1]
        d.reject()  # closed: nothing saved

    s = when_dialog(ImportPreviewDialog, preview)
    assert tab.import_xlsx(f) is None
    done(s)
    assert "何军" not in column(tab.table, 1)


def _all_cells(table) -> str:
    return " ".join(" ".join(cells(table, r)) for r in range(table.model().rowCount()))


def test_lists_mask_phones_edit_and_export_full(qtbot, session, lists_city, make_page, tmp_path,
                                                no_blocking_message_boxes):
    """Issue 7: the expert, agency and liaison tables show phones masked; the 修改 dialog reads
    the record in full (and saving it keeps the number); the Excel export keeps it too."""
    fill_lists(session, lists_city)
    page = make_page("YK-SPJ")
    for n, (tab, full, masked) in enumerate([(page.experts, "13904170001", "139****0001"),
                                           (page.agencies, "0417-2345678", "0417-***5678"),
                                           (page.liaison, "13904171111", "139****1111")]):
        shown = _all_cells(tab.table)
        assert full not in shown and masked in shown
        row = next(r for r in range(tab.model.rowCount()) if masked in cells(tab.table, r))
        assert full not in str(tab.model.item(row))  # the row behind the table: masked too
        tab.table.selectRow(row)
        dialog = LiaisonDialog if tab is page.liaison else PoolDialog
        seen = {}

        def keep(d, seen=seen):
            seen["phone"] = d.fields["phone"].text()
            submit(d)  # saved unchanged

        s = when_dialog(dialog, keep)
        assert tab.edit()
        done(s)
        assert seen["phone"] == full and masked in _all_cells(tab.table)
        out = tmp_path / f"export{n}.xlsx"
        tab.export_xlsx(out)
        spec = LIAISON if tab is page.liaison else (AGENCIES if tab is page.agencies else EXPERTS)
        assert full in str(read_xlsx(out, spec).rows)
    assert session.scalar(select(Expert.phone).where(Expert.name == "张伟")) == "13904170001"
