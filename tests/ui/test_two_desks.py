"""Two desks on one database: the second desk's 签收 is refused, naming the first desk's, and
its window shows the new state (issue 7 item 2)."""

from __future__ import annotations

from datetime import datetime

from app.db import open_database
from app.models import Office
from app.services import results
from tests.conftest import a_result_input
from tests.ui.conftest import check, on_next_dialog, wait_loaded
from tests.ui.test_flow import _select_first_row, _switch


def test_second_desk_sign_off_is_refused_and_refreshed(qtbot, window, ui_city, session, frozen):
    city = ui_city
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳")
    session.commit()
    _switch(qtbot, window, city.housing)
    _select_first_row(qtbot, window)
    assert window.detail.status.text() == "状态：待签收"
    other = open_database(window.ws.database.url)  # the first desk: its own engine and connections
    frozen(datetime(2026, 11, 26, 10, 32))

    def desk_one_first(dlg):
        with other.sessions() as s:
            res = results.get(s, r.id)
            results.act(s, res, "sign_off", office=s.get(Office, city.housing.id), operator="张三")
            s.commit()
        dlg.ok_button.click()  # the second desk confirms its own 签收 a moment later
        assert dlg.isVisible()
        assert dlg.error_text() == ("这条审批结果信息推送已由 张三（营口市住房和城乡建设局）于 "
                                    "2026-11-26 10:32 签收，无需再次签收。")
        assert not dlg.ok_button.isEnabled()
        qtbot.waitUntil(lambda: window.detail.status.text() == "状态：已签收")  # refreshed behind
        dlg.reject()

    state = on_next_dialog(desk_one_first)
    try:
        window.result_actions["sign_off"].trigger()
        check(state)
    finally:
        other.engine.dispose()
    assert window.detail.allowed_actions() == ("start_supervision",)
    wait_loaded(qtbot, window.model)
    assert "签收" in window.detail.status.text()
