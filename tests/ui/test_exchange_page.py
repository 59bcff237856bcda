"""The 数据交换 page and the import wizard over real databases in two data folders."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models import ApprovalResult
from app.services import results
from app.services.exchange import apply as applier
from app.services.exchange import importer
from app.services.exchange.outbox import PeerState
from app.ui.exchange_actions import HistoryRow
from app.ui.exchange_import import ImportWizard
from app.ui.exchange_models import HistoryModel, PeerModel, PreviewModel
from app.ui.exchange_page import ExchangePage
from app.ui.workspace import Workspace
from tests.conftest import a_result_input
from tests.services.exchange.conftest import (
    BUREAU,
    build_world,
    close_world,
    export,
    make_home,
    oversight_fingerprint,
)


@pytest.fixture
def world(tmp_path, frozen):
    w = build_world(tmp_path)
    yield w
    close_world(w)


def _push(home):
    with home.session() as s:
        r = results.record(s, a_result_input(), office=home.office(s), operator="王芳")
        results.push(s, r, office=home.office(s), operator="王芳")
        s.commit()
        return r.id


def _page(qtbot, home) -> ExchangePage:
    page = ExchangePage(Workspace(home.db), home.path)
    qtbot.addWidget(page)
    return page


def _cells(table, row):
    model = table.model()
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _column(table, col=0):
    model = table.model()
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_export_from_the_page_and_import_through_the_wizard(qtbot, world, tmp_path):
    rid = _push(world.ap)
    sender = _page(qtbot, world.ap)
    codes = _column(sender.peers)
    row = codes.index("YK-ZJJ")
    assert _cells(sender.peers, row)[2:4] == ["1", "0"]  # one waiting, none unacknowledged
    assert "密钥指纹：" in sender.identity.text()
    sender.peers.selectRow(row)
    usb = tmp_path / "usb"
    usb.mkdir()
    assert sender.export_selected(usb)
    assert "第 1 号数据包" in sender.message_text()
    assert _cells(sender.peers, row)[2:5] == ["0", "1", "1"]  # now sent, not acknowledged yet
    assert sender.peers.currentIndex().row() == row  # the refresh keeps the chosen peer
    assert _cells(sender.history, 0)[1:4] == ["导出", "营口市住房和城乡建设局", "1"]
    path = next(usb.glob("*.json"))

    wizard = ImportWizard(Workspace(world.zj.db), world.zj.path)
    qtbot.addWidget(wizard)
    report = wizard.check(path)
    assert report.status == importer.PREVIEW
    assert "签名有效" in wizard.verdict_text() and "新建 1 条" in wizard.verdict_text()
    assert wizard.apply_button.isEnabled() and _cells(wizard.table, 0)[2] == "新建"
    with world.zj.session() as s:
        assert s.scalar(select(ApprovalResult.id)) is None  # the preview wrote nothing
    applied = wizard.apply()
    assert [r.status for r in applied] == [importer.APPLIED]
    assert "已导入来自 营口市行政审批局 的第 1 号数据包" in wizard.verdict_text()
    assert not wizard.apply_button.isEnabled()
    with world.zj.session() as s:
        assert s.scalar(select(ApprovalResult.id)) == rid

    receiver = _page(qtbot, world.zj)
    assert _cells(receiver.history, 0)[1:4] == ["导入", "营口市行政审批局", "1"]
    assert json.loads(receiver.history_rows[0].report)["status"] == "applied"


def test_wizard_shows_a_refusal_in_words_and_quarantines(qtbot, world, tmp_path):
    _push(world.ap)
    path = export(world.ap, "YK-ZJJ", tmp_path)
    doc = json.loads(path.read_text())
    doc["header"]["sequence"] = 5
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc))
    wizard = ImportWizard(Workspace(world.zj.db), world.zj.path)
    qtbot.addWidget(wizard)
    assert wizard.check(forged).status == importer.REJECTED
    assert "\n已拒绝：签名无效" in wizard.verdict_text() and "隔离" in wizard.verdict_text()
    assert not wizard.apply_button.isEnabled()
    assert len(list((world.zj.path / "quarantine").glob("*.report.json"))) == 1
    page = _page(qtbot, world.zj)
    assert any(h.direction == "隔离" for h in page.history_rows)


def test_roster_import_asks_to_confirm_the_fingerprint(qtbot, world, tmp_path, monkeypatch):
    fresh = make_home(tmp_path, "fresh", ("YK-SJJ", "营口市市场监督管理局", "competent"))
    roster_file = tmp_path / "roster.json"
    roster_file.write_bytes(world.roster_file)
    page = _page(qtbot, fresh)
    asked = []

    def answer(button):
        def question(_parent, _title, text, *a, **k):
            asked.append(text)
            return button
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert not page.import_roster(roster_file)
    assert oversight_fingerprint(world.ys) in asked[0] and "未导入名录" in page.message_text()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    assert page.import_roster(roster_file)
    assert "已导入第 1 版单位名录" in page.message_text()
    assert page.import_roster(roster_file) and "已导入过" in page.message_text()
    assert len(asked) == 2  # pinned: no second question
    fresh.db.engine.dispose()
    assert BUREAU  # the bureau is listed too
    assert set(_column(page.peers)) >= {"YK-SPJ", "YK-ZJJ"}


def test_main_window_menu_opens_the_page(qtbot, window):
    action = window.act_exchange
    assert action.text().startswith("数据交换")
    titles = [a.text() for a in window.menuBar().actions()]
    assert "数据交换(&X)" in titles and titles[-1] == "帮助(&H)"
    action.trigger()
    page = window.exchange_page
    assert page.isVisible() and page.peer_model.rowCount() == 0
    assert "还没有可交换的单位" in page.message_text()
    page.close()


def test_double_click_on_history_opens_the_report(qtbot, world, tmp_path, monkeypatch):
    _push(world.ap)
    export(world.ap, "YK-ZJJ", tmp_path)
    page = _page(qtbot, world.ap)
    shown = []
    monkeypatch.setattr(page, "show_report", shown.append)
    page.history.doubleClicked.emit(page.history_model.index(0, 2))
    assert shown == [0] and page.history_model.item(0) is page.history_rows[0]


def test_export_without_a_chosen_peer_says_so(qtbot, world, tmp_path):
    page = _page(qtbot, world.ap)
    assert page.peer_model.rowCount() > 0 and not page.export_selected(tmp_path)
    assert "请先在上表中选择" in page.message_text()


# -- the models ------------------------------------------------------------------------------

def _peer(code="YK-ZJJ", name="营口市住房和城乡建设局", when=None):
    return PeerState(uuid.uuid4(), code, name, 2, 1, 3, 2, 4, when, None)


def test_peer_model(qtmodeltester):
    model = PeerModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.peer_id(0) is None
    states = [_peer(when=datetime(2026, 3, 1, 9, 30)), _peer("YK-SPJ", "营口市行政审批局")]
    model.set_rows(states)
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "单位"
    assert [model.index(0, c).data() for c in range(9)] == [
        "YK-ZJJ", "营口市住房和城乡建设局", "2", "1", "3", "2", "4", "2026-03-01 09:30", ""]
    assert model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole) == "营口市行政审批局"
    assert model.peer_ids() == [s.office_id for s in states] and model.peer_id(1) == states[1].office_id
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_history_model(qtmodeltester):
    model = HistoryModel()
    qtmodeltester.check(model)
    model.set_rows([HistoryRow(datetime(2026, 3, 2, 8, 0), "导出", "营口市住房和城乡建设局", 1, 3, "已导出", "{}"),
                    HistoryRow(None, "隔离", "YK-SPJ", None, 0, "已拒绝", "{}")])
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "时间", "类别", "对方单位", "序号", "消息", "结果"]
    assert [model.index(0, c).data() for c in range(6)] == [
        "2026-03-02 08:00", "导出", "营口市住房和城乡建设局", "1", "3", "已导出"]
    assert [model.index(1, c).data() for c in range(6)] == ["", "隔离", "YK-SPJ", "", "0", "已拒绝"]


def test_preview_model(qtmodeltester):
    model = PreviewModel()
    qtmodeltester.check(model)
    outcome = next(iter(applier.OUTCOME_LABELS))
    model.set_rows([applier.Outcome("0123456789ab", "result", "no-such-action", outcome, reason="原因",
                                    subject_id="abcdef0123", applicant="某公司")])
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(6)] == [
        "01234567", "no-such-action", applier.OUTCOME_LABELS[outcome], "abcdef01", "某公司", "原因"]
    model.set_rows([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0
