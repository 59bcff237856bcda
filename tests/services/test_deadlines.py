"""Provisional due dates for a year nobody knows yet, recomputed when its calendar arrives."""

from __future__ import annotations

import json
from datetime import date, datetime

from app.services import deadlines, results, rules
from app.services.calendar_import import import_calendar
from app.services.workdays import WorkCalendar
from tests.conftest import a_result_input


def test_due_after_immediately_is_same_or_next_working_day():
    cal = WorkCalendar()
    same = rules.Limit(0, "立即")
    assert deadlines.due_after(same, date(2026, 11, 25), cal).due == date(2026, 11, 25)
    assert deadlines.due_after(same, date(2026, 11, 28), cal).due == date(2026, 11, 30)
    assert deadlines.due_after(rules.PROMPTLY, date(2026, 11, 28), cal) is None


def test_due_state_edges():
    cal = WorkCalendar()
    fri = date(2026, 11, 20)
    assert deadlines.due_state(date(2026, 11, 19), fri, cal) == deadlines.OVERDUE
    assert deadlines.due_state(fri, fri, cal) == deadlines.DUE_SOON
    assert deadlines.due_state(date(2026, 11, 23), fri, cal) == deadlines.DUE_SOON  # next working day
    assert deadlines.due_state(date(2026, 11, 24), fri, cal) == deadlines.ON_TRACK
    assert deadlines.due_state(None, fri, cal) is None


def test_provisional_dates_are_recomputed_when_the_year_arrives(session, city, frozen, tmp_path):
    frozen(datetime(2026, 12, 31, 10, 0))
    r = results.record(session, a_result_input(decided=date(2026, 12, 31)),
                       office=city.approval, operator="王芳")
    session.commit()
    d = results.current_push(session, r)
    # Thu 31 Dec + 2: Fri 1 Jan 2027 is 元旦 by law, so Mon 4 and Tue 5 Jan — provisional.
    assert (d.send_due, d.send_due_provisional) == (date(2027, 1, 5), True)
    assert d.current_due_provisional

    # The notice for 2027 arrives and (in this example) makes Sat 2 Jan a working day.
    notice = {
        "format": "shenguan-calendar", "version": 1, "year": 2027, "source": "测试用安排",
        "holidays": [{"name": "元旦", "days": ["2027-01-01"]}],
        "workdays": [{"name": "元旦调休", "days": ["2027-01-02"]}],
    }
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(notice, ensure_ascii=False), encoding="utf-8")
    report = import_calendar(session, path)
    session.commit()
    assert report.recomputed == 1
    session.refresh(d)
    assert (d.send_due, d.send_due_provisional) == (date(2027, 1, 4), False)
    assert (d.current_due, d.current_due_provisional) == (date(2027, 1, 4), False)
