"""A record's audit events in the result detail pane and on the 办件 page."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from app.services import audit, results
from app.services.audit_log import AuditRow
from app.ui.audit_model import AuditModel, AuditSection
from app.ui.dispatch_page import DispatchPage
from app.ui.workspace import Workspace
from tests.conftest import a_result_input


def test_audit_model(qtmodeltester):
    model = AuditModel()
    qtmodeltester.check(model)
    model.set_rows([
        AuditRow(7, datetime(2026, 11, 25, 9, 5, 3), "YK-SPJ", "王芳", "新建", "approval_results",
                 "审批结果", "0f", "applicant_name：某公司；applicant_id：（已修改）"),
        AuditRow(8, datetime(2026, 11, 25, 9, 6), "YK-SPJ", "王芳", "推送", "dispatch_events",
                 "办理记录", "1e", "to_status：sent"),
    ])
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == 7
    assert model.rows()[1] == ("8", "2026-11-25 09:06:00", "YK-SPJ", "王芳", "推送", "办理记录",
                               "to_status：sent")
    assert model.headerData(6, Qt.Orientation.Horizontal) == "内容"
    assert model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole).endswith("（已修改）")


def test_a_failing_loader_leaves_the_table_empty(qtbot):
    section = AuditSection()
    qtbot.addWidget(section)

    def broken(_id):
        raise RuntimeError("no database")

    section.loader = broken
    section.show_record("x")
    assert section.model.rowCount() == 0


def _texts(section) -> list[tuple[str, ...]]:
    return section.model.rows()


def test_detail_pane_shows_the_results_events(qtbot, window, ui_city, session):
    audit.set_actor(session, ui_city.approval.code, "王芳")
    r = results.record(session, a_result_input(), office=ui_city.approval, operator="王芳")
    results.push(session, r, office=ui_city.approval, operator="王芳")
    session.commit()
    window.show_result(r.id)
    assert window.shown_result_id() == r.id
    rows = _texts(window.detail.audit)
    actions = [row[4] for row in rows]
    assert actions[:3] == ["新建", "新建", "登记"] and "推送" in actions
    assert {row[5] for row in rows} >= {"审批结果", "办件", "办理记录"}
    assert all(row[2:4] == ("YK-SPJ", "王芳") for row in rows)
    assert not any("13904171234" in row[6] for row in rows)


def test_dispatch_page_shows_the_dispatch_and_its_subject(qtbot, db, ui_city, session):
    r = results.record(session, a_result_input(), office=ui_city.approval, operator="王芳")
    session.commit()
    ws = Workspace(db)
    page = DispatchPage(ws)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    assert page.current is not None
    rows = _texts(page.audit)
    assert {row[5] for row in rows} >= {"审批结果", "办件", "办理记录"}
    assert any(r.applicant_name in row[6] for row in rows)
    # A step taken in the page is recorded as the page's office and operator.
    from app.ui import dispatch_actions

    dispatch_actions.perform_step(ws, page.current.row.id, "send", channel="exchange")
    page.refresh()
    last = _texts(page.audit)[-1]
    assert last[4] in ("推送", "修改") and last[2] == ws.office.code and last[3] == ws.operator
