"""Chinese statutory working days and due dates (DESIGN.md "Working days").

Where a day's status comes from, first match wins:

1. a :class:`~app.models.calendar.CalendarOverride` row (an imported State Council notice);
2. the ``chinese-calendar`` package, when it has data for the year (1.11: 2004–2026);
3. weekends only, when the year's arrangement has been imported (``known_years``) but the
   day is not listed in it;
4. for a year known to neither: the *provisional* rule — weekends plus the holidays fixed by
   the law itself (全国年节及纪念日放假办法, as amended in 2024, in force from 2025), with a
   fixed holiday that falls on a weekend made up on the next working day. Everything from
   such a year is flagged ``provisional`` and recomputed once the year's calendar arrives.

Periods never count the day of the event (民法典 第二百零一条): ``add(start, n)`` is the end
of the n-th working day *after* ``start``, even when ``start`` is itself a working day.

``chinese_calendar.find_workday`` is deliberately not used: from a rest day it counts the
first following working day as day 0 and so gives a date one working day too late.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as _CC_HOLIDAYS
from lunardate import LunarDate

from app.services.errors import ValidationError

__all__ = [
    "DayStatus",
    "DueDate",
    "WorkCalendar",
    "load_calendar",
    "provisional_rest_days",
    "qingming_day",
    "statutory_holidays",
]

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# chinese-calendar names its holidays in English; the program shows Chinese.
_CC_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

# The years chinese-calendar has data for, read from its own table so that an upgraded
# package is picked up without a code change.
_CC_FIRST_YEAR = min(_CC_HOLIDAYS).year
_CC_LAST_YEAR = max(_CC_HOLIDAYS).year

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DueDate:
    """The last day of a period; ``provisional`` when it depends on an unknown year."""

    due: date
    provisional: bool


@dataclass(frozen=True)
class DayStatus:
    """Whether ``day`` is a working day, and why (``reason`` is shown to the user)."""

    day: date
    workday: bool
    reason: str
    provisional: bool


def _cc_name(raw: str | None) -> str:
    if not raw:
        return ""
    if raw in _CC_NAMES:
        return _CC_NAMES[raw]
    try:
        return Holiday(raw).chinese
    except ValueError:
        return raw


def _weekday_status(d: date, provisional: bool) -> DayStatus:
    """Plain rule: Monday to Friday work, Saturday and Sunday rest."""
    wd = WEEKDAY_NAMES[d.weekday()]
    if d.weekday() >= 5:
        return DayStatus(d, False, f"{wd}，休息日", provisional)
    return DayStatus(d, True, f"{wd}，工作日", provisional)


def _makeup_workday_reason(d: date, name: str) -> str:
    wd = WEEKDAY_NAMES[d.weekday()]
    if not name:
        return f"{wd}，调休上班"
    if "调休" in name or "上班" in name:
        return f"{wd}，{name}"
    return f"{wd}，调休上班（{name}）"


def qingming_day(year: int) -> date:
    """The date of the Qingming solar term (清明), which is the 清明节 holiday.

    The well-known "寿星" formula: day = floor(Y * 0.2422 + C) - floor(Y / 4) in April, with
    Y = year % 100 and C = 4.81 for the 21st century (exact for 2001–2099, and for 2000 and
    2100 too) or C = 5.59 for the 20th century (exact for 1900–1999). Both are checked
    against chinese-calendar in the tests. Outside 1900–2100 (only reached by nonsense dates)
    we fall back to 5 April; such dates are provisional anyway.
    """
    if 2000 <= year <= 2100:
        c = 4.81
    elif 1900 <= year <= 1999:
        c = 5.59
    else:
        return date(year, 4, 5)
    y = year % 100
    return date(year, 4, math.floor(y * 0.2422 + c) - math.floor(y / 4))


def statutory_holidays(year: int) -> dict[date, str]:
    """The public holidays the law itself fixes for ``year`` (without any 调休 or 补休).

    全国年节及纪念日放假办法 (amended 2024, in force 1 January 2025): 元旦 1 January; 春节 4 days
    (农历除夕 and 正月初一 to 初三); 清明节 1 day; 劳动节 1–2 May; 端午节 农历五月初五;
    中秋节 农历八月十五; 国庆节 1–3 October. Lunar dates come from ``lunardate`` (1900–2099);
    outside that range the lunar festivals are left out rather than guessed.
    """
    days: dict[date, str] = {}

    def put(d: date, name: str) -> None:
        # Two festivals on one day (e.g. 中秋 on 1 October) share it.
        days[d] = f"{days[d]}、{name}" if d in days else name

    put(date(year, 1, 1), "元旦")
    try:
        new_year = LunarDate(year, 1, 1).to_solar_date()  # 正月初一
        dragon_boat = LunarDate(year, 5, 5).to_solar_date()
        mid_autumn = LunarDate(year, 8, 15).to_solar_date()
    except (ValueError, IndexError, OverflowError):
        new_year = dragon_boat = mid_autumn = None
    if new_year is not None:
        for offset in range(-1, 3):  # 除夕 is the day before 正月初一
            put(new_year + timedelta(days=offset), "春节")
    put(qingming_day(year), "清明节")
    put(date(year, 5, 1), "劳动节")
    put(date(year, 5, 2), "劳动节")
    if dragon_boat is not None:
        put(dragon_boat, "端午节")
    if mid_autumn is not None:
        put(mid_autumn, "中秋节")
    for day in (1, 2, 3):
        put(date(year, 10, day), "国庆节")
    return {d: name for d, name in days.items() if d.year == year}


def provisional_rest_days(year: int) -> dict[date, str]:
    """Rest days (other than plain weekends) of the provisional rule for ``year``.

    The statutory holidays, plus 补休: each statutory holiday on a Saturday or Sunday is
    made up on the next weekday that is neither a holiday nor already a 补休 day.
    """
    law = statutory_holidays(year)
    rest = dict(law)
    for holiday in sorted(law):
        if holiday.weekday() < 5:
            continue
        d = holiday
        while d < date.max:
            d += _ONE_DAY
            if d.weekday() < 5 and d not in rest:
                rest[d] = f"{law[holiday]}（补休）"
                break
    return {d: name for d, name in rest.items() if d.year == year}


class WorkCalendar:
    """Working-day arithmetic over chinese-calendar, imported overrides and the law.

    Immutable once built; statuses are computed one whole year at a time, on first use,
    and cached, so :meth:`add` is a handful of dictionary look-ups per day.
    """

    def __init__(
        self,
        overrides: Mapping[date, tuple[bool, str]] | None = None,
        known_years: Iterable[int] = (),
    ):
        self._overrides: dict[date, tuple[bool, str]] = {
            d: (bool(w), name or "") for d, (w, name) in (overrides or {}).items()
        }
        self._known_years: frozenset[int] = frozenset(int(y) for y in known_years)
        self._years: dict[int, dict[date, DayStatus]] = {}

    # -- years ---------------------------------------------------------------------------

    def is_known_year(self, year: int) -> bool:
        """True when the year's arrangement is known: chinese-calendar has it or it was imported."""
        return _CC_FIRST_YEAR <= year <= _CC_LAST_YEAR or year in self._known_years

    def _year(self, year: int) -> dict[date, DayStatus]:
        statuses = self._years.get(year)
        if statuses is None:
            statuses = self._build_year(year)
            self._years[year] = statuses
        return statuses

    def _build_year(self, year: int) -> dict[date, DayStatus]:
        provisional = not self.is_known_year(year)
        in_cc = _CC_FIRST_YEAR <= year <= _CC_LAST_YEAR
        law = provisional_rest_days(year) if provisional else {}
        statuses: dict[date, DayStatus] = {}
        d = date(year, 1, 1)
        while d.year == year:
            if d in self._overrides:
                statuses[d] = self._override_status(d, provisional)
            elif in_cc:
                statuses[d] = self._cc_status(d)
            elif d in law:
                statuses[d] = DayStatus(d, False, law[d], provisional)
            else:
                statuses[d] = _weekday_status(d, provisional)
            if d == date.max:
                break
            d += _ONE_DAY
        return statuses

    def _override_status(self, d: date, provisional: bool) -> DayStatus:
        workday, name = self._overrides[d]
        if workday:
            if d.weekday() >= 5:
                return DayStatus(d, True, _makeup_workday_reason(d, name), provisional)
            reason = f"{WEEKDAY_NAMES[d.weekday()]}，工作日"
            return DayStatus(d, True, f"{reason}（{name}）" if name else reason, provisional)
        return DayStatus(d, False, name or f"{WEEKDAY_NAMES[d.weekday()]}，休息日", provisional)

    @staticmethod
    def _cc_status(d: date) -> DayStatus:
        workday = chinese_calendar.is_workday(d)
        _, raw = chinese_calendar.get_holiday_detail(d)
        name = _cc_name(raw)
        if workday:
            if d.weekday() >= 5:  # a 调休 make-up working day
                return DayStatus(d, True, _makeup_workday_reason(d, name), False)
            return DayStatus(d, True, f"{WEEKDAY_NAMES[d.weekday()]}，工作日", False)
        if name:
            return DayStatus(d, False, name, False)
        return DayStatus(d, False, f"{WEEKDAY_NAMES[d.weekday()]}，休息日", False)

    # -- days ----------------------------------------------------------------------------

    def day_status(self, d: date) -> DayStatus:
        return self._year(d.year)[d]

    def is_workday(self, d: date) -> bool:
        return self._year(d.year)[d].workday

    def add(self, start: date, n: int) -> DueDate:
        """End of the n-th working day after ``start``; ``start`` itself is never counted."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValidationError("期限天数必须是整数。", field="days")
        if n < 1:
            raise ValidationError("期限天数必须至少为 1 个工作日。", field="days")
        provisional = False
        d = start
        year = -1
        statuses: dict[date, DayStatus] = {}
        remaining = n
        while remaining:
            if d >= date.max:
                raise ValidationError("期限超出可计算的日期范围，请检查日期。", field="days")
            d += _ONE_DAY
            if d.year != year:
                year = d.year
                statuses = self._year(year)
            status = statuses[d]
            provisional = provisional or status.provisional
            if status.workday:
                remaining -= 1
        return DueDate(d, provisional)

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add(d, 1).due


def load_calendar(session) -> WorkCalendar:
    """A :class:`WorkCalendar` with every override row and imported year in the database."""
    from sqlalchemy import select

    from app.models.calendar import CalendarOverride, CalendarYear

    overrides = {
        row.day: (row.is_workday, row.name or "")
        for row in session.scalars(select(CalendarOverride))
    }
    years = session.scalars(select(CalendarYear.year)).all()
    return WorkCalendar(overrides, years)
