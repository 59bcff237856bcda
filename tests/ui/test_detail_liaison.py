"""The detail pane shows the current liaison of both ends of the push (Art. 16)."""

from __future__ import annotations

from app.services import liaison, results
from app.services.detail import result_detail
from app.services.workdays import load_calendar
from app.ui.detail_pane import DetailPane
from tests.conftest import a_result_input


def test_pane_shows_both_liaisons(qtbot, session, ui_city):
    city = ui_city
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    liaison.add(session, city.approval, "王芳", "0417-2811234")
    session.commit()
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_detail(result_detail(session, r.id, load_calendar(session)), str(city.approval.id))
    assert pane.values["sender_liaison"].text() == "王芳  0417-2811234"
    assert pane.values["addressee_liaison"].text() == "未指定"
    liaison.add(session, city.housing, "赵强", "0417-2821234")
    session.commit()
    pane.show_detail(result_detail(session, r.id, load_calendar(session)), str(city.approval.id))
    assert pane.values["addressee_liaison"].text() == "赵强  0417-2821234"
