"""On-time figures on a constructed October 2026 (National Day holiday Oct 1–7, 调休 Saturday
Oct 10), with a frozen clock: known on-time, late, overdue and pending items."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.services.cooperation import oversight
from app.services.errors import ValidationError


def counts(rows, office, measure):
    [row] = [r for r in rows if r["office"] == office and r["measure"] == measure]
    return row["on_time"], row["late"], row["overdue"], row["pending"], row["rate"]


def test_stored_due_dates_follow_the_working_day_calendar(october):
    assert october["on_time"].send_due == date(2026, 10, 9)
    assert october["on_time"].reply_due == date(2026, 10, 12)
    assert october["late"].reply_due == date(2026, 10, 13)
    assert october["penalty"].send_due == date(2026, 10, 12)
    assert october["referral"].reply_due == date(2026, 10, 20)
    assert october["november"].send_due == date(2026, 11, 2)


def test_figures_of_the_month_at_the_oversight_office(session, city, october):
    f = oversight.figures(session, city.oversight, month="2026-10")
    rows = f["by_office"]
    assert counts(rows, "YK-SPJ", "push") == (2, 1, 1, 1, 0.5)
    assert counts(rows, "YK-ZJJ", "sign_off") == (1, 1, 1, 0, 0.3333)
    assert counts(rows, "YK-ZJJ", "penalty_push") == (1, 0, 0, 0, 1.0)
    assert counts(rows, "YK-SJJ", "referral_decision") == (0, 1, 0, 0, 0.0)
    assert {r["month"] for r in f["rows"]} == {"2026-10"}
    by_month = {r["measure"]: r["total"] for r in f["by_month"]}
    assert by_month == {"push": 5, "sign_off": 3, "penalty_push": 1, "referral_decision": 1}
    assert f["rows"][0]["office_name"]


def test_late_list_names_offices_items_due_and_done(session, city, october):
    late = oversight.late_items(session, city.oversight, month="2026-10")
    got = [(r["office"], r["measure"], r["due"], r["done_at"], r["state"]) for r in late]
    assert got == [
        ("YK-SPJ", "push", date(2026, 10, 9), datetime(2026, 10, 10, 9), "late"),
        ("YK-ZJJ", "sign_off", date(2026, 10, 13), datetime(2026, 10, 14, 9), "late"),
        ("YK-SJJ", "referral_decision", date(2026, 10, 20), datetime(2026, 10, 21, 9), "late"),
        ("YK-SPJ", "push", date(2026, 10, 22), None, "overdue"),
        ("YK-ZJJ", "sign_off", date(2026, 10, 23), None, "overdue"),
    ]
    assert late[0]["kind_label"] == "审批结果信息推送" and late[-1]["state_label"] == "逾期未办"


def test_an_office_sees_its_own_figures_by_default(session, city, october):
    mine = oversight.figures(session, city.housing, month="2026-10")
    assert {r["office"] for r in mine["by_office"]} == {"YK-ZJJ"}
    assert {r["measure"] for r in mine["by_office"]} == {"sign_off", "penalty_push"}
    everything = oversight.figures(session, city.oversight)
    assert {r["month"] for r in everything["rows"]} == {"2026-10", "2026-11"}


def test_the_due_day_itself_is_on_time_and_the_next_day_overdue(session, city, october, frozen):
    frozen(datetime(2026, 10, 30, 23, 0))
    assert counts(oversight.figures(session, city.oversight, month="2026-10")["by_office"],
                  "YK-SPJ", "push")[3] == 1  # due Oct 30: still pending that evening
    frozen(datetime(2026, 10, 31, 8, 0))
    assert counts(oversight.figures(session, city.oversight, month="2026-10")["by_office"],
                  "YK-SPJ", "push")[:4] == (2, 1, 2, 0)


def test_no_items_gives_no_rate_and_a_bad_month_is_refused(session, city, frozen):
    assert oversight.figures(session, city.oversight, month="2026-10")["by_office"] == []
    assert oversight.rate_text(None) == "—" and oversight.rate_text(0.5) == "50.0%"
    with pytest.raises(ValidationError, match="YYYY-MM"):
        oversight.figures(session, city.oversight, month="2026/10")
