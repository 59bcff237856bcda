"""Art. 16: the approval-result detail names the current liaison of both ends of the push."""

from __future__ import annotations

from app.services import liaison, results
from app.services.detail import Liaison, result_detail
from app.services.workdays import load_calendar
from tests.conftest import a_result_input


def test_detail_names_the_current_liaisons_of_the_push(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    session.commit()
    detail = result_detail(session, r.id, load_calendar(session))
    assert (detail.sender_liaison, detail.addressee_liaison) == (None, None)  # none named yet

    liaison.add(session, city.approval, "王芳", "0417-2811234")
    liaison.add(session, city.housing, "赵强", "0417-2821234")
    second = liaison.add(session, city.housing, "钱进", "13904175678")  # not current: the first stays
    session.commit()
    detail = result_detail(session, r.id, load_calendar(session))
    assert detail.sender_liaison == Liaison("王芳", "0417-2811234")
    assert detail.addressee_liaison == Liaison("赵强", "0417-2821234")

    liaison.set_current(session, second)  # a new current liaison is named on the record at once
    session.commit()
    assert result_detail(session, r.id, load_calendar(session)).addressee_liaison.text == "钱进  13904175678"
