"""The 办件 page: every dispatch kind in one window, steps generated from the rules table."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtWidgets import QMenu
from sqlalchemy import select

from app.models import Dispatch, PolicyChange
from app.services import dispatch as engine
from app.services import results, rules, worklist
from app.services.sheets import notices
from app.ui.dispatch_models import DispatchTimelineModel, WorkRowModel
from app.ui.dispatch_page import DispatchPage
from app.ui.workspace import Workspace
from tests.conftest import a_result_input
from tests.ui.conftest import check, on_next_dialog


@pytest.fixture
def mix(session, ui_city):
    city = ui_city
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳")
    notice = notices.send(session, notices.NOTICE, office=city.housing, operator="李明", title="建筑业资质新规",
                          content="自12月1日起施行。", basis="建市规〔2026〕1号")
    request = notices.send(session, notices.REQUEST, office=city.market, operator="赵丽", title="食品经营办法草案",
                           content="请提出意见。")
    referral = engine.create(session, "referral", sender=city.housing, addressee=city.market,
                             subject_id=uuid.uuid4(), clock_start=date(2026, 11, 25), operator="李明")
    session.commit()
    return {"result": r, "notice": notice, "request": request, "referral": referral}


def _page(qtbot, db, office_code: str | None = None) -> DispatchPage:
    ws = Workspace(db)
    if office_code:
        ws.set_office(next(o.id for o in ws.local_offices if o.code == office_code))
    page = DispatchPage(ws)
    qtbot.addWidget(page)
    return page


def _column(page, col: int) -> list[str]:
    m = page.table.model()
    return [m.index(r, col).data() for r in range(m.rowCount())]


def _select(page, kind_name: str) -> None:
    page.table.selectRow(_column(page, 0).index(kind_name))
    assert page.current is not None and page.current.row.kind_name == kind_name


def test_rows_of_every_kind_with_names_from_the_rules_table(qtbot, db, mix, qtmodeltester):
    page = _page(qtbot, db, "YK-SPJ")
    assert sorted(_column(page, 0)) == sorted(
        rules.rule(k).name for k in ("approval_push", "policy_notice", "opinion_request"))
    assert page.count.text() == "共 3 件"
    qtmodeltester.check(page.model)
    _select(page, "法规政策调整告知")
    assert "建市规〔2026〕1号" in page.header.text()
    assert list(page.action_buttons) == ["acknowledge"]
    assert page.action_buttons["acknowledge"].text() == "确认收到"
    assert [r[3] for r in page.timeline_model._cells] == ["登记", "推送"]
    qtmodeltester.check(page.timeline_model)


def test_filters_narrow_the_rows(qtbot, db, mix):
    page = _page(qtbot, db, "YK-SPJ")
    page.direction_box.setCurrentIndex(page.direction_box.findData(worklist.OUT))
    assert _column(page, 0) == ["审批结果信息推送"]
    page.direction_box.setCurrentIndex(0)
    page.kind_box.setCurrentIndex(page.kind_box.findData("opinion_request"))
    assert _column(page, 0) == ["征求意见"]
    page.kind_box.setCurrentIndex(0)
    page.state_box.setCurrentIndex(page.state_box.findData(worklist.THEIRS))
    assert _column(page, 0) == ["审批结果信息推送"]
    page.state_box.setCurrentIndex(0)
    page.search.setText("新规")
    page.refresh()
    assert _column(page, 4) == ["建筑业资质新规"]


def test_a_step_through_the_flow_service_refreshes_the_table(qtbot, db, mix):
    page = _page(qtbot, db, "YK-SPJ")
    _select(page, "征求意见")
    assert page.action_buttons["reply"].text() == "反馈意见"

    def answer(dlg):
        assert dlg.windowTitle() == "反馈意见 — 征求意见"
        dlg.accept()  # empty opinion: the service refuses in the dialog
        assert dlg.isVisible() and dlg.error_text() == "请填写意见。"
        dlg.text.setPlainText("建议明确过渡期。")
        dlg.accept()

    state = on_next_dialog(answer)
    assert page.run_action("reply")
    check(state)
    assert "已反馈意见" in page.message_text()
    with db.sessions() as s:
        assert s.get(PolicyChange, mix["request"].id).reply_text == "建议明确过渡期。"
    assert page.current.row.status_label == "已办结" and page.action_buttons == {}
    assert [r[3] for r in page.timeline_model._cells][-1] == "反馈意见"


def test_a_reason_is_asked_when_the_rule_needs_one(qtbot, db, mix):
    with db.sessions() as s:  # the referral is sent, then the market bureau declines it
        d = s.get(Dispatch, mix["referral"].id)
        engine.perform(s, d, "send", office=d.sender, operator="李明")
        s.commit()
    page = _page(qtbot, db, "YK-SJJ")
    _select(page, "违法线索移送")
    assert {a: b.text() for a, b in page.action_buttons.items()} == {"accept": "受理", "decline": "不予受理…"}

    def decline(dlg):
        assert dlg.ok_button.text() == "不予受理"
        dlg.accept()
        assert dlg.error_text() == "请填写不予受理的理由。"
        dlg.text.setPlainText("不属于本部门职责。")
        dlg.accept()

    state = on_next_dialog(decline)
    assert page.run_action("decline")
    check(state)
    assert page.current.row.status_label == "不予受理"
    assert page.timeline_model._cells[-1][5] == "不属于本部门职责。"


def test_a_refused_step_shows_the_engines_message(qtbot, db, mix, no_blocking_message_boxes):
    page = _page(qtbot, db, "YK-SPJ")
    _select(page, "法规政策调整告知")
    with db.sessions() as s:  # meanwhile the notice was acknowledged at another desk
        d = s.scalar(select(Dispatch).where(Dispatch.kind == "policy_notice"))
        engine.perform(s, d, "acknowledge", office=d.addressee, operator="张三")
        s.commit()

    def confirm(dlg):
        dlg.accept()
        assert dlg.isVisible()
        assert "张三" in dlg.error_text() and "无需再次确认收到" in dlg.error_text()  # who did it, and when
        dlg.reject()

    state = on_next_dialog(confirm)
    assert not page.run_action("acknowledge")
    check(state)
    assert page.current.row.status_label == "已确认"  # refreshed after the dialog


def test_approval_pushes_use_the_main_windows_dialogs(qtbot, db, mix):
    page = _page(qtbot, db, "YK-ZJJ")
    _select(page, "审批结果信息推送")
    assert [b.text() for b in page.action_buttons.values()] == ["签收", "退回…"]

    def sign(dlg):
        assert dlg.windowTitle() == "确认签收"
        dlg.accept()

    state = on_next_dialog(sign)
    assert page.run_action("sign_off")
    check(state)
    assert page.current.row.status_label == "已签收"
    assert list(page.action_buttons) == ["start_supervision"]
    assert page.print_button.isVisibleTo(page)


def test_menu_opens_the_page_and_the_new_menu(qtbot, window, mix):
    window.act_dispatches.trigger()
    page = window.dispatch_page
    assert page.isVisible() and page.windowTitle() == "办件（全部事项）"
    page._fill_new_menu()
    assert all(a.text() for a in page.new_menu.actions())
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "办理(&W)", "办件(&D)", "清单与名录(&L)", "数据交换(&X)", "设置(&S)", "帮助(&H)"]
    assert isinstance(page.new_menu, QMenu)
    page.close()


def test_models_on_empty_and_odd_rows(qtmodeltester):
    model = WorkRowModel()
    qtmodeltester.check(model)
    timeline = DispatchTimelineModel()
    qtmodeltester.check(timeline)
    assert model.item(3) is None and model.row_of(uuid.uuid4()) == -1


def _fill_and_accept(values: dict, first_error: str | None = None):
    def handler(dlg):
        if first_error is not None:
            dlg.accept()
            assert dlg.isVisible() and first_error in dlg.error_text()
        for name, value in values.items():
            dlg.set_value(name, value)
        dlg.accept()
        assert not dlg.isVisible(), dlg.error_text()

    return handler


def test_penalty_notice_then_licence_decision(qtbot, db, mix):
    pytest.importorskip("app.services.enforcement.penalties")
    from app.ui.dispatch_dialogs import new_penalty

    page = _page(qtbot, db, "YK-ZJJ")
    state = on_next_dialog(_fill_and_accept(
        {"decision_number": "营住建罚〔2026〕12号", "measure": "revoke", "licence": "210800202611240101",
         "facts": "未按规定施工。", "legal_basis": "《建筑法》第六十四条"}, first_error="请填写"))
    assert page.create(new_penalty)
    check(state)
    assert "行政处罚信息推送" in _column(page, 0)
    bureau = _page(qtbot, db, "YK-SPJ")
    _select(bureau, "行政处罚信息推送")
    assert "decide" in bureau.action_buttons
    state = on_next_dialog(_fill_and_accept({"decision_number": "营审批撤〔2026〕1号", "content": "撤销施工许可。"}))
    assert bureau.run_action("decide")
    check(state)
    assert bureau.current.row.status_label == "已决定"
    assert "许可变更信息推送" in _column(bureau, 0)


def test_referral_with_evidence_then_case_filing_and_result(qtbot, db, mix, ui_city):
    pytest.importorskip("app.services.enforcement.referrals")
    from app.ui.dispatch_dialogs import new_referral

    page = _page(qtbot, db, "YK-ZJJ")
    state = on_next_dialog(_fill_and_accept(
        {"to": ui_city.market.id, "party_name": "营口某食品店", "case_summary": "无证经营。",
         "evidence": "现场检查笔录\n照片 5 张"}, first_error="请选择接收部门"))
    done = page.create(new_referral)
    check(state)
    assert done
    market = _page(qtbot, db, "YK-SJJ")
    market.kind_box.setCurrentIndex(market.kind_box.findData("referral"))
    market.direction_box.setCurrentIndex(market.direction_box.findData(worklist.IN))
    market.table.selectRow(_column(market, 4).index(next(s for s in _column(market, 4) if "营口某食品店" in s)))
    assert set(market.action_buttons) == {"accept", "decline"}
    state = on_next_dialog(lambda dlg: dlg.accept())
    assert market.run_action("accept")
    check(state)
    assert list(market.action_buttons) == ["file_case"]
    state = on_next_dialog(_fill_and_accept({"case_number": "营市监立〔2026〕3号"}))
    market.action_buttons["file_case"].click()
    check(state)
    assert list(market.action_buttons) == ["case_result"]
    state = on_next_dialog(_fill_and_accept({"result_text": "罚款五千元。"}))
    market.action_buttons["case_result"].click()
    check(state)
    assert market.action_buttons == {}
    market.kind_box.setCurrentIndex(market.kind_box.findData("case_result"))
    market.direction_box.setCurrentIndex(market.direction_box.findData(worklist.OUT))
    assert sorted(_column(market, 3)) == ["营口市住房和城乡建设局", "营口市行政审批局"]


def test_consultation_and_support_requests(qtbot, db, mix, ui_city):
    pytest.importorskip("app.services.cooperation.requests")
    from app.ui.dispatch_dialogs import creators

    page = _page(qtbot, db, "YK-SPJ")
    page._fill_new_menu()
    texts = [a.text() for a in page.new_menu.actions()]
    assert "发起会商…" in texts and "记录行政处罚决定并推送…" not in texts  # the bureau sends no penalties
    made = {label: fn for label, fn, _roles in creators()}
    state = on_next_dialog(_fill_and_accept(
        {"topic": "联合踏勘", "to": [ui_city.housing.id, ui_city.market.id], "agenda": "现场踏勘安排。"},
        first_error="请指定会商的单位"))
    assert page.create(made["发起会商…"])
    check(state)
    page.kind_box.setCurrentIndex(page.kind_box.findData("consultation"))
    assert set(_column(page, 3)) == {"营口市市场监督管理局", "营口市住房和城乡建设局"}
    page.table.selectRow(0)
    assert "minutes" in page.action_buttons
    support = next(label for label in made if label.startswith(rules.rule("certificate_stock").name))
    state = on_next_dialog(_fill_and_accept(
        {"to": ui_city.housing.id, "title": "申领施工许可证", "content": "请协助申领。", "quantity": 200},
        first_error="请选择主管部门"))
    assert page.create(made[support])
    check(state)
    housing = _page(qtbot, db, "YK-ZJJ")
    housing.kind_box.setCurrentIndex(housing.kind_box.findData("certificate_stock"))
    housing.table.selectRow(0)
    assert [b.text() for b in housing.action_buttons.values()] == ["反馈意见…"]


@pytest.fixture
def flows(session, mix, ui_city):
    """One dispatch of each printed flow: penalty → licence change, a declined referral, a
    consultation and a support request (through their services). Committed."""
    from app.services.cooperation import requests
    from app.services.enforcement import licences, penalties, referrals
    from tests.services.enforcement.test_flows import a_decision, a_penalty, refer

    city = ui_city
    pd = penalties.record(session, a_penalty(mix["result"].licence_number), office=city.housing, operator="赵强")
    licences.decide(session, pd, a_decision(), office=city.approval, operator="王芳")
    ref = refer(session, city)
    referrals.decline(session, ref, office=city.market, operator="孙丽", reason="属卫生健康部门职责")
    requests.send_consultation(session, office=city.approval, operator="王芳", mode="meeting", topic="联合踏勘",
                               to=[city.housing], agenda="现场踏勘安排。", participants="各单位分管科长")
    requests.send_support(session, "technical_support", office=city.approval, operator="王芳", to=city.housing,
                          title="商请专家评审", content="请派员参加施工图评审。")
    session.commit()


PRINTED = {  # kind name on the row -> what its printed form must say
    "行政处罚信息推送": ("行政处罚信息推送单", "行政处罚信息签收回执", "营住建罚〔2026〕15号"),
    "许可变更信息推送": ("许可变更信息推送单", "许可变更信息签收回执", "营审批撤〔2026〕3号"),
    "违法线索移送": ("违法线索移送函", "移送材料清单", "受理决定回复函", "属卫生健康部门职责"),
    "会商": ("会商工作会议通知", "联合踏勘", "各单位分管科长"),
    "商请技术支持": ("关于商请技术支持的函", "请派员参加施工图评审"),
    "审批结果信息推送": ("审批结果信息推送单",),
}


@pytest.mark.parametrize("office", ["YK-SPJ", "YK-ZJJ"])
def test_every_flow_with_a_printed_form_prints_from_the_page(qtbot, db, flows, office,
                                                             no_blocking_message_boxes):
    from tests.services.forms.pdfcheck import text

    page = _page(qtbot, db, office)
    kinds = set(_column(page, 0))
    todo = [k for k in PRINTED if k in kinds]
    assert len(todo) >= 4, kinds
    for kind_name in todo:  # (the mix's bare referral has no record: the flow's own one)
        page.table.selectRow(next(i for i, r in enumerate(page.rows) if r.kind_name == kind_name
                                  and (kind_name != "违法线索移送" or "某食品店" in r.summary)))
        assert page.print_button.isVisibleTo(page), kind_name
        seen = {}

        def look(dlg, seen=seen):
            seen["title"], seen["pdf"], seen["name"] = dlg.windowTitle(), dlg.pdf, dlg.file_name
            dlg.accept()

        state = on_next_dialog(look)
        page.print_current()
        assert not no_blocking_message_boxes, (kind_name, no_blocking_message_boxes)
        check(state)
        flat = text(seen["pdf"]).replace(" ", "").replace("\n", "")
        for value in PRINTED[kind_name]:
            assert value in flat, (kind_name, value)
        assert seen["title"].startswith("打印预览") and seen["name"].endswith(".pdf")


def test_a_row_without_a_form_hides_print_and_a_failing_form_is_explained(
        qtbot, db, session, mix, ui_city, no_blocking_message_boxes):
    from app.services.forms import dispatch_forms
    from app.ui import dispatch_actions

    assert set(dispatch_forms.BUILDERS) <= {r.kind for r in rules.RULES}
    unsent = results.record(session, a_result_input(licence_number="X-9"), office=ui_city.approval,
                            operator="王芳")
    session.commit()
    page = _page(qtbot, db, "YK-SPJ")
    _select(page, "法规政策调整告知")
    assert not page.print_button.isVisibleTo(page)
    row = next(r for r in page.rows if r.id == unsent.current_dispatch_id)
    assert dispatch_actions.print_row(page.ws, row, page) is None  # not pushed yet: explained
    assert no_blocking_message_boxes[-1][0] == "warning"


def test_menu_order_is_decided_in_one_place(qtbot):
    from PySide6.QtWidgets import QMenuBar

    from app.ui.wiring import order_menus

    bar = QMenuBar()
    qtbot.addWidget(bar)
    for title in ("帮助(&H)", "数据交换(&X)", "新页面", "文件(&F)", "设置(&S)", "办件(&D)"):
        bar.addMenu(title)
    assert order_menus(bar) == ["文件(&F)", "办件(&D)", "数据交换(&X)", "设置(&S)", "新页面", "帮助(&H)"]
