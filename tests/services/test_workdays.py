"""Working-day rule: chinese-calendar years, imported years and the provisional rule."""

from __future__ import annotations

import json
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunardate import LunarDate
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.models.base import Base
from app.models.calendar import CalendarOverride
from app.services.calendar_import import apply_arrangement, parse_calendar_file
from app.services.errors import ValidationError
from app.services.workdays import (
    DayStatus,
    DueDate,
    WorkCalendar,
    load_calendar,
    provisional_rest_days,
    qingming_day,
    statutory_holidays,
)
from tests.backends import database_url

D = date
CAL = WorkCalendar()


@pytest.fixture
def session(tmp_path):
    engine = create_engine(database_url(tmp_path / "t.db"))
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def write_2027(tmp_path, workdays=None, holidays=None):
    data = {
        "format": "shenguan-calendar",
        "version": 1,
        "year": 2027,
        "source": "测试用安排",
        "holidays": holidays
        or [
            {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
            {"name": "春节", "start": "2027-02-05", "end": "2027-02-12"},
            {"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"},
        ],
        "workdays": workdays
        if workdays is not None
        else [{"name": "春节", "days": ["2027-02-20"]}],
    }
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# -- deadlines in years chinese-calendar knows ------------------------------------------


def test_design_example_counts_the_make_up_saturday():
    # Fri 2026-02-13: Sat 02-14 is a 调休 working day (day 1), 春节 02-15..02-23 off.
    assert CAL.add(D(2026, 2, 13), 1) == DueDate(D(2026, 2, 14), False)
    assert CAL.add(D(2026, 2, 13), 2) == DueDate(D(2026, 2, 24), False)


def test_start_on_rest_day_counts_from_the_next_working_day():
    # Sat 2026-10-03 (国庆): 10-08 is day 1, 10-09 day 2.
    assert CAL.add(D(2026, 10, 3), 2) == DueDate(D(2026, 10, 9), False)
    # chinese_calendar.find_workday gets this wrong, which is why it is not used.
    assert chinese_calendar.find_workday(2, D(2026, 10, 3)) == D(2026, 10, 10)


def test_start_on_make_up_saturday_is_not_counted():
    assert CAL.is_workday(D(2026, 2, 14))
    assert CAL.add(D(2026, 2, 14), 1).due == D(2026, 2, 24)
    assert CAL.is_workday(D(2026, 2, 28))  # Sat, 调休 working day
    assert CAL.add(D(2026, 2, 28), 1).due == D(2026, 3, 2)


def test_start_on_working_day_is_not_counted():
    assert CAL.add(D(2026, 3, 2), 1).due == D(2026, 3, 3)  # Mon -> Tue
    assert CAL.add(D(2026, 3, 6), 1).due == D(2026, 3, 9)  # Fri -> Mon
    assert CAL.add(D(2026, 3, 6), 5).due == D(2026, 3, 13)


def test_spring_festival_2026():
    for d in range(15, 24):
        assert not CAL.is_workday(D(2026, 2, d)), d
    assert CAL.add(D(2026, 2, 15), 1).due == D(2026, 2, 24)
    # Thu 02-12: Fri 02-13 is day 1, Sat 02-14 (调休) day 2, Tue 02-24 day 3.
    assert CAL.add(D(2026, 2, 12), 3).due == D(2026, 2, 24)
    assert CAL.add(D(2026, 2, 12), 4).due == D(2026, 2, 25)


def test_national_day_2026_follows_chinese_calendar_data():
    expected = next(
        D(2026, 9, 30) + timedelta(days=i)
        for i in range(1, 30)
        if chinese_calendar.is_workday(D(2026, 9, 30) + timedelta(days=i))
    )
    assert expected == D(2026, 10, 8)  # 10-01..10-07 off in chinese-calendar 1.11
    assert CAL.add(D(2026, 9, 30), 1) == DueDate(expected, False)
    assert CAL.add(D(2026, 9, 30), 3).due == D(2026, 10, 10)  # Sat 10-10 is a 调休 working day
    assert CAL.next_workday(D(2026, 9, 30)) == expected


def test_agrees_with_chinese_calendar_for_every_day_it_knows():
    d = D(2004, 1, 1)
    while d <= D(2026, 12, 31):
        status = CAL.day_status(d)
        assert status.workday == chinese_calendar.is_workday(d), d
        assert not status.provisional
        d += timedelta(days=1)


def test_reasons_are_chinese():
    assert CAL.day_status(D(2026, 2, 14)) == DayStatus(
        D(2026, 2, 14), True, "周六，调休上班（春节）", False
    )
    assert CAL.day_status(D(2026, 10, 1)).reason == "国庆节"
    assert CAL.day_status(D(2026, 3, 2)).reason == "周一，工作日"
    assert CAL.day_status(D(2026, 3, 8)).reason == "周日，休息日"
    assert CAL.day_status(D(2026, 1, 4)).reason == "周日，调休上班（元旦）"
    assert CAL.day_status(D(2015, 9, 3)).reason == "抗战胜利纪念日"
    assert CAL.day_status(D(2026, 4, 5)).reason == "清明节"
    assert CAL.day_status(D(2026, 6, 19)).reason == "端午节"
    assert CAL.day_status(D(2026, 9, 25)).reason == "中秋节"
    assert CAL.day_status(D(2026, 5, 1)).reason == "劳动节"


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_bad_period_is_a_validation_error(n):
    with pytest.raises(ValidationError):
        CAL.add(D(2026, 3, 2), n)


# -- years nobody knows: the provisional rule -------------------------------------------


def test_lunar_dates_for_2027():
    assert LunarDate(2027, 1, 1).to_solar_date() == D(2027, 2, 6)  # 正月初一, a Saturday
    law = statutory_holidays(2027)
    assert [d for d, n in sorted(law.items()) if n == "春节"] == [
        D(2027, 2, 5),  # 除夕
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
    ]
    assert law[D(2027, 6, 9)] == "端午节"
    assert law[D(2027, 9, 15)] == "中秋节"
    assert law[D(2027, 4, 5)] == "清明节"


def test_unknown_year_2027_is_provisional_and_skips_fixed_holidays():
    assert not CAL.is_known_year(2027)
    assert CAL.is_known_year(2026) and CAL.is_known_year(2004)
    status = CAL.day_status(D(2027, 1, 1))
    assert status == DayStatus(D(2027, 1, 1), False, "元旦", True)
    # 春节: 除夕 Fri 02-05 to 初三 Mon 02-08; Sat/Sun 02-06/07 made up on Tue 02-09, Wed 02-10.
    for d in range(5, 11):
        assert not CAL.is_workday(D(2027, 2, d)), d
    assert CAL.day_status(D(2027, 2, 9)).reason == "春节（补休）"
    assert CAL.add(D(2027, 2, 4), 1) == DueDate(D(2027, 2, 11), True)
    # 国庆 Fri 10-01 to Sun 10-03; Sat/Sun made up on Mon 10-04 and Tue 10-05.
    for d in range(1, 6):
        assert not CAL.is_workday(D(2027, 10, d)), d
    assert CAL.add(D(2027, 9, 30), 1) == DueDate(D(2027, 10, 6), True)
    # 劳动节 Sat 05-01, Sun 05-02 made up on Mon 05-03 and Tue 05-04.
    assert CAL.add(D(2027, 4, 30), 1) == DueDate(D(2027, 5, 5), True)
    # An ordinary day in 2027 is still provisional.
    assert CAL.day_status(D(2027, 3, 1)) == DayStatus(D(2027, 3, 1), True, "周一，工作日", True)


def test_late_december_crossing_into_unknown_year_is_provisional():
    assert CAL.add(D(2026, 12, 30), 1) == DueDate(D(2026, 12, 31), False)
    assert CAL.add(D(2026, 12, 31), 1) == DueDate(D(2027, 1, 4), True)
    assert CAL.add(D(2026, 12, 29), 2) == DueDate(D(2026, 12, 31), False)
    assert CAL.add(D(2026, 12, 29), 3) == DueDate(D(2027, 1, 4), True)


def test_qingming_formula_matches_chinese_calendar():
    for year in range(1900, 2101):
        terms = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 30))
        assert qingming_day(year) == next(d for d, name in terms if name == "清明"), year
    # And 清明节 has been a public holiday since 2008: the computed day is always off.
    for year in range(2008, 2027):
        assert not chinese_calendar.is_workday(qingming_day(year)), year


@pytest.mark.parametrize("year", [2025, 2026])
def test_provisional_rule_is_within_the_real_arrangement(year):
    # Since the 2024 amendment every statutory day and every weekend make-up was really off.
    for d, name in provisional_rest_days(year).items():
        assert not chinese_calendar.is_workday(d), (d, name)


def test_coinciding_festivals_share_a_day():
    # 2028: 中秋 (农历八月十五) falls on 10-03, inside 国庆.
    assert LunarDate(2028, 8, 15).to_solar_date() == D(2028, 10, 3)
    assert statutory_holidays(2028)[D(2028, 10, 3)] == "中秋节、国庆节"


@pytest.mark.parametrize("year", [1, 1899, 1900, 2003, 2099, 2100, 2101, 5000, 9999])
def test_far_years_never_crash(year):
    start = D(year, 12, 1) if year == 9999 else D(year, 1, 1)
    due = CAL.add(start, 10)
    assert due.provisional
    assert CAL.is_workday(due.due)


def test_past_the_end_of_time_is_a_validation_error():
    with pytest.raises(ValidationError):
        CAL.add(D(9999, 12, 30), 5)


# -- overrides and imported years --------------------------------------------------------


def test_override_wins_over_chinese_calendar():
    cal = WorkCalendar({D(2026, 3, 2): (False, "临时放假"), D(2026, 2, 15): (True, "")})
    assert cal.day_status(D(2026, 3, 2)) == DayStatus(D(2026, 3, 2), False, "临时放假", False)
    assert cal.day_status(D(2026, 2, 15)).reason == "周日，调休上班"
    assert cal.add(D(2026, 2, 13), 2).due == D(2026, 2, 15)


def test_known_year_without_overrides_uses_weekends_only():
    cal = WorkCalendar(known_years=[2027])
    assert cal.is_known_year(2027)
    assert cal.day_status(D(2027, 1, 1)) == DayStatus(D(2027, 1, 1), True, "周五，工作日", False)
    assert cal.add(D(2026, 12, 31), 1) == DueDate(D(2027, 1, 1), False)


def test_load_calendar_reads_rows(session):
    session.add(CalendarOverride(day=D(2026, 3, 2), is_workday=False, name="测试", source="x"))
    session.commit()
    cal = load_calendar(session)
    assert not cal.is_workday(D(2026, 3, 2))
    assert not cal.is_known_year(2027)


def test_after_import_2027_is_final_and_follows_the_file(session, tmp_path):
    before = load_calendar(session)
    assert before.add(D(2027, 2, 19), 1) == DueDate(D(2027, 2, 22), True)
    assert before.add(D(2026, 12, 31), 1) == DueDate(D(2027, 1, 4), True)

    apply_arrangement(session, parse_calendar_file(write_2027(tmp_path)))
    session.commit()
    after = load_calendar(session)
    assert after.is_known_year(2027)
    # Imported make-up Saturday 02-20 counts; nothing in 2027 is provisional any more.
    assert after.day_status(D(2027, 2, 20)) == DayStatus(
        D(2027, 2, 20), True, "周六，调休上班（春节）", False
    )
    assert after.add(D(2027, 2, 19), 1) == DueDate(D(2027, 2, 20), False)
    assert after.add(D(2026, 12, 31), 1) == DueDate(D(2027, 1, 4), False)
    # The file's 春节 runs to 02-12, longer than the provisional rule's 02-10.
    assert after.add(D(2027, 2, 4), 1) == DueDate(D(2027, 2, 15), False)
    # 清明 is not in this test file, so 2027-04-05 (Mon) is an ordinary working day.
    assert after.day_status(D(2027, 4, 5)).workday


def test_example_file_imports(session):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "resources" / "calendars" / "example-2027.json"
    arrangement = parse_calendar_file(path)
    assert "示例" in arrangement.source and "非官方" in arrangement.source
    apply_arrangement(session, arrangement)
    cal = load_calendar(session)
    assert cal.is_known_year(2027)
    assert cal.add(D(2027, 2, 19), 1) == DueDate(D(2027, 2, 20), False)


# -- properties ----------------------------------------------------------------------------

dates = st.dates(min_value=D(2019, 1, 1), max_value=D(2031, 12, 31))
overrides = st.dictionaries(
    st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31)),
    st.tuples(st.booleans(), st.sampled_from(["", "测试"])),
    max_size=30,
)


def _working_days_between(cal: WorkCalendar, start: date, end: date) -> int:
    count, d = 0, start + timedelta(days=1)
    while d <= end:
        count += cal.is_workday(d)
        d += timedelta(days=1)
    return count


@settings(max_examples=300, deadline=None)
@given(d=dates, n=st.integers(min_value=1, max_value=40))
def test_add_property(d, n):
    result = CAL.add(d, n)
    assert result.due > d
    assert CAL.is_workday(result.due)
    assert _working_days_between(CAL, d, result.due) == n
    assert result.provisional == (result.due.year >= 2027)
    assert CAL.add(d, n + 1).due > result.due


@settings(max_examples=100, deadline=None)
@given(d=dates, n=st.integers(min_value=1, max_value=20), ov=overrides)
def test_add_property_with_overrides(d, n, ov):
    cal = WorkCalendar(ov, known_years=[2028])
    result = cal.add(d, n)
    assert result.due > d and cal.is_workday(result.due)
    assert _working_days_between(cal, d, result.due) == n
    assert cal.next_workday(d) == cal.add(d, 1).due
    assert cal.add(d, n + 1).due > result.due
    examined = range((d + timedelta(days=1)).year, result.due.year + 1)  # days in (d, due]
    assert result.provisional == any(not cal.is_known_year(y) for y in examined)
