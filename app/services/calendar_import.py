"""Import one year's holiday arrangement (the State Council notice) from a JSON file.

The format is documented in ``docs/calendar-format.md``; an example ships in
``resources/calendars/example-2027.json``. In short::

    {"format": "shenguan-calendar", "version": 1, "year": 2027,
     "source": "国务院办公厅关于2027年部分节假日安排的通知",
     "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
     "workdays": [{"name": "春节", "days": ["2027-02-20"]}]}

The whole file is checked before anything is written; a bad file raises
:class:`~app.services.errors.FileFormatError` with one Chinese message naming the problem
and where it is, and leaves the database untouched. A good file replaces every
:class:`~app.models.calendar.CalendarOverride` row of that year, records the year in
:class:`~app.models.calendar.CalendarYear` and then has the provisional due dates recomputed.
Nothing is committed here: the caller owns the transaction.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import clock
from app.models.calendar import CalendarOverride, CalendarYear
from app.services.errors import FileFormatError
from app.services.jsontext import json_error_reason

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_FILE_SIZE",
    "CalendarArrangement",
    "CalendarImportReport",
    "apply_arrangement",
    "import_calendar",
    "parse_calendar_file",
]

FORMAT_NAME = "shenguan-calendar"
FORMAT_VERSION = 1
MAX_FILE_SIZE = 1024 * 1024  # 1 MB
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_NAME_LENGTH = 64  # CalendarOverride.name
MAX_SOURCE_LENGTH = 256  # CalendarOverride.source / CalendarYear.source

_TOP_KEYS_REQUIRED = ("format", "version", "year", "source", "holidays", "workdays")
_TOP_KEYS_OPTIONAL = ("note",)
_ENTRY_KEYS = ("name", "days", "start", "end")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_LIST_LABEL = {"holidays": "放假（holidays）", "workdays": "调休上班（workdays）"}


@dataclass(frozen=True)
class CalendarArrangement:
    """A parsed, fully checked calendar file."""

    year: int
    source: str
    holidays: dict[date, str]  # rest days -> holiday name
    workdays: dict[date, str]  # make-up working Saturdays/Sundays -> holiday name


@dataclass(frozen=True)
class CalendarImportReport:
    year: int
    holidays: int  # rest days written
    workdays: int  # make-up working days written
    replaced: bool  # the year had been imported before or already had override rows
    recomputed: int  # provisional due dates recomputed


class _Bad(Exception):
    """Internal: one problem found in the file; turned into a FileFormatError."""




def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Bad(f"键“{key}”重复出现")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise _Bad(f"含有 JSON 不允许的数值“{name}”")


def _read_json(path: Path) -> Any:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _Bad("文件不存在") from None
    except OSError as exc:
        raise _Bad(f"无法读取文件（{exc.strerror or exc}）") from None
    if not path.is_file():
        raise _Bad("不是一个文件")
    if size > MAX_FILE_SIZE:
        raise _Bad(f"文件过大（{size} 字节，上限 1 MB），不像是节假日安排文件")
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_SIZE + 1)
    except OSError as exc:
        raise _Bad(f"无法读取文件（{exc.strerror or exc}）") from None
    if len(raw) > MAX_FILE_SIZE:
        raise _Bad("文件过大（上限 1 MB），不像是节假日安排文件")
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM Windows Notepad writes
    except UnicodeDecodeError as exc:
        raise _Bad(
            f"不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节处出错），请以 UTF-8 保存"
        ) from None
    try:
        return json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise _Bad(
            f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{json_error_reason(exc.msg)}）"
        ) from None
    except ValueError:  # an integer with thousands of digits
        raise _Bad("含有位数过多、无法读取的数值") from None
    except RecursionError:
        raise _Bad("JSON 嵌套层数过多") from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_day(value: Any, where: str, year: int, what: str = "日期") -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        shown = json.dumps(value, ensure_ascii=False)
        raise _Bad(f'{where}的{what} {shown} 格式不对，应写成 YYYY-MM-DD，如 "{year}-01-01"')
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{where}的{what}“{value}”不存在") from None
    if day.year != year:
        raise _Bad(f"{where}的{what}“{value}”不在 {year} 年内（文件的 year 为 {year}）")
    return day


def _parse_entries(data: dict[str, Any], key: str, year: int) -> list[tuple[date, str, str]]:
    """Return (day, name, where) for every day listed under ``key``."""
    label = _LIST_LABEL[key]
    entries = data[key]
    if not isinstance(entries, list):
        raise _Bad(f"{label}应为列表")
    result: list[tuple[date, str, str]] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{label}第 {index} 项"
        if not isinstance(entry, dict):
            raise _Bad(f'{where}应为对象（{{"name": ..., "days": [...]}}）')
        unknown = [k for k in entry if k not in _ENTRY_KEYS]
        if unknown:
            raise _Bad(f"{where}有无法识别的键“{unknown[0]}”（只允许 name、days、start、end）")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _Bad(f"{where}缺少名称（name），如“春节”")
        name = name.strip()
        if len(name) > MAX_NAME_LENGTH:
            raise _Bad(f"{where}的名称过长（上限 {MAX_NAME_LENGTH} 字）")
        where = f"{label}第 {index} 项（{name}）"
        has_days = "days" in entry
        has_range = "start" in entry or "end" in entry
        if has_days == has_range:
            raise _Bad(f"{where}应给出 days 列表，或者 start 和 end，二者选一")
        if has_days:
            days_raw = entry["days"]
            if not isinstance(days_raw, list) or not days_raw:
                raise _Bad(f"{where}的 days 应为非空的日期列表")
            for value in days_raw:
                result.append((_parse_day(value, where, year), name, where))
        else:
            if "start" not in entry or "end" not in entry:
                raise _Bad(f"{where}应同时给出 start 和 end")
            start = _parse_day(entry["start"], where, year, "开始日期（start）")
            end = _parse_day(entry["end"], where, year, "结束日期（end）")
            if start > end:
                raise _Bad(f"{where}的开始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}")
            day = start
            while day <= end:
                result.append((day, name, where))
                day += timedelta(days=1)
    return result


def _check(data: Any) -> CalendarArrangement:
    if not isinstance(data, dict):
        raise _Bad("最外层应为 JSON 对象（{ ... }）")
    if data.get("format") != FORMAT_NAME:
        raise _Bad(f'不是审管通节假日安排文件（format 应为 "{FORMAT_NAME}"）')
    version = data.get("version")
    if not _is_int(version) or version != FORMAT_VERSION:
        raise _Bad(
            f"格式版本 {json.dumps(version, ensure_ascii=False)} 不受支持（本程序支持 version {FORMAT_VERSION}），"
            "请升级程序或索取相应版本的文件"
        )
    for key in _TOP_KEYS_REQUIRED:
        if key not in data:
            raise _Bad(f"缺少必填项“{key}”")
    unknown = [k for k in data if k not in _TOP_KEYS_REQUIRED + _TOP_KEYS_OPTIONAL]
    if unknown:
        raise _Bad(f"有无法识别的键“{unknown[0]}”")
    year = data["year"]
    if not _is_int(year) or not MIN_YEAR <= year <= MAX_YEAR:
        raise _Bad(
            f"年份（year）{json.dumps(year, ensure_ascii=False)} 无效，应为 {MIN_YEAR}–{MAX_YEAR} 之间的整数"
        )
    source = data["source"]
    if not isinstance(source, str) or not source.strip():
        raise _Bad("缺少来源（source），请写明通知的名称和文号")
    source = source.strip()
    if len(source) > MAX_SOURCE_LENGTH:
        raise _Bad(f"来源（source）过长（上限 {MAX_SOURCE_LENGTH} 字）")
    if "note" in data and not isinstance(data["note"], str):
        raise _Bad("备注（note）应为文字")

    holiday_days = _parse_entries(data, "holidays", year)
    workday_days = _parse_entries(data, "workdays", year)
    if not holiday_days:
        raise _Bad("放假（holidays）列表为空：一年的安排至少应有元旦等节日")

    holidays: dict[date, str] = {}
    first_place: dict[date, str] = {}

    def twice(day: date, where: str) -> _Bad:
        if first_place[day] == where:
            return _Bad(f"{where}中日期 {day.isoformat()} 出现了两次")
        return _Bad(f"日期 {day.isoformat()} 重复列出：{first_place[day]}和{where}中都有")

    for day, name, where in holiday_days:
        if day in holidays:
            raise twice(day, where)
        holidays[day] = name
        first_place[day] = where
    workdays: dict[date, str] = {}
    for day, name, where in workday_days:
        if day in holidays:
            raise _Bad(
                f"日期 {day.isoformat()} 既在{first_place[day]}中放假，"
                f"又在{where}中调休上班，只能是其中一种"
            )
        if day in workdays:
            raise twice(day, where)
        if day.weekday() < 5:
            raise _Bad(
                f"{where}的 {day.isoformat()} 是{_WEEKDAYS[day.weekday()]}，本来就上班；"
                "调休上班日只能是周六或周日"
            )
        workdays[day] = name
        first_place[day] = where
    return CalendarArrangement(year=year, source=source, holidays=holidays, workdays=workdays)


def parse_calendar_file(path: Path) -> CalendarArrangement:
    """Read and check a calendar file completely; raise FileFormatError on any problem."""
    path = Path(path)
    try:
        return _check(_read_json(path))
    except _Bad as exc:
        raise FileFormatError(
            f"节假日安排文件“{path.name}”无法导入：{exc}。未做任何更改。"
        ) from None


def apply_arrangement(session, arrangement: CalendarArrangement) -> bool:
    """Replace the year's override rows and record the year; return True if it replaced data.

    Rows for days present both before and after are updated in place (keeping their ids),
    so the unique ``day`` constraint never sees two rows for one day during the flush.
    Does not commit.
    """
    year = arrangement.year
    first, last = date(year, 1, 1), date(year, 12, 31)
    wanted: dict[date, tuple[bool, str]] = {d: (False, n) for d, n in arrangement.holidays.items()}
    wanted.update({d: (True, n) for d, n in arrangement.workdays.items()})

    existing = session.scalars(
        select(CalendarOverride).where(CalendarOverride.day >= first, CalendarOverride.day <= last)
    ).all()
    year_row = session.scalars(select(CalendarYear).where(CalendarYear.year == year)).first()
    replaced = bool(existing) or year_row is not None

    for row in existing:
        if row.day in wanted:
            row.is_workday, row.name = wanted.pop(row.day)
            row.source = arrangement.source
        else:
            session.delete(row)
    session.flush()  # deletions before insertions
    for day in sorted(wanted):
        is_workday, name = wanted[day]
        session.add(
            CalendarOverride(day=day, is_workday=is_workday, name=name, source=arrangement.source)
        )
    if year_row is None:
        session.add(CalendarYear(year=year, source=arrangement.source, imported_at=clock.now()))
    else:
        year_row.source = arrangement.source
        year_row.imported_at = clock.now()
    session.flush()
    return replaced


def import_calendar(session, path: Path) -> CalendarImportReport:
    """Check ``path``, write its arrangement and recompute provisional due dates (no commit).
    Only 管理员 may do it once operator accounts exist."""
    from app.services import operators

    operators.require_admin(session, "导入节假日安排")
    arrangement = parse_calendar_file(path)
    from app.services import backups

    backups.auto(session, "before-calendar")
    replaced = apply_arrangement(session, arrangement)
    session.flush()
    # Imported lazily: deadlines depends on this module's neighbours, not the other way round.
    from app.services.deadlines import recompute_provisional

    recomputed = recompute_provisional(session)
    return CalendarImportReport(
        year=arrangement.year,
        holidays=len(arrangement.holidays),
        workdays=len(arrangement.workdays),
        replaced=replaced,
        recomputed=int(recomputed or 0),
    )
