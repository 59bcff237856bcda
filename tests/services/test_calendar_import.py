"""Importing a year's holiday arrangement: every bad file is refused and changes nothing."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app import clock
from app.models.base import Base
from app.models.calendar import CalendarOverride, CalendarYear
from app.services.calendar_import import (
    CalendarArrangement,
    CalendarImportReport,
    apply_arrangement,
    import_calendar,
    parse_calendar_file,
)
from app.services.errors import FileFormatError
from app.services.workdays import DueDate, load_calendar
from tests.backends import database_url

D = date


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(database_url(tmp_path / "t.db"))
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        yield s


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze(datetime(2026, 11, 25, 9, 30))
    yield
    clock.freeze(None)


def valid(**changes):
    data = {
        "format": "shenguan-calendar",
        "version": 1,
        "year": 2027,
        "source": "测试用安排",
        "holidays": [
            {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
            {"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"},
            {"name": "端午节", "days": ["2027-06-09"]},
        ],
        "workdays": [{"name": "国庆节", "days": ["2027-09-26", "2027-10-09"]}],
    }
    data.update(changes)
    return data


def write(tmp_path, content, name="cal.json"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot(engine):
    """Every calendar row's full contents, read through a fresh session."""
    with Session(engine) as s:
        overrides = sorted(
            (str(r.id), r.day, r.is_workday, r.name, r.source)
            for r in s.scalars(select(CalendarOverride))
        )
        years = sorted(
            (str(r.id), r.year, r.source, r.imported_at) for r in s.scalars(select(CalendarYear))
        )
    return overrides, years


def seed(session, tmp_path):
    """A database with an earlier 2027 import and an unrelated 2026 override."""
    apply_arrangement(session, parse_calendar_file(write(tmp_path, valid(), "seed.json")))
    session.add(CalendarOverride(day=D(2026, 3, 2), is_workday=False, name="临时", source="手工"))
    session.commit()


BAD_CASES = {
    "not json": ('{"format": ', "不是有效的 JSON（第 1 行第 12 列：此处缺少值）"),
    "trailing comma": ('{"year": 2027,}', "不是有效的 JSON"),
    "invalid utf-8": (b'{"source": "\xff\xfe"}', "不是 UTF-8"),
    "gbk text": (json.dumps(valid(), ensure_ascii=False).encode("gbk"), "不是 UTF-8"),
    "duplicate key": ('{"year": 2027, "year": 2028}', "键“year”重复出现"),
    "nested duplicate key": (
        json.dumps(valid())[:-1] + ', "holidays": []}',
        "键“holidays”重复出现",
    ),
    "NaN": (json.dumps(valid()).replace("2027,", "NaN,", 1), "NaN"),
    "Infinity": (json.dumps(valid()).replace("2027,", "Infinity,", 1), "Infinity"),
    "huge integer": ('{"year": ' + "9" * 5000 + "}", "位数过多"),
    "top-level list": ("[]", "最外层应为 JSON 对象"),
    "wrong format": (valid(format="other"), "format"),
    "missing format": ({k: v for k, v in valid().items() if k != "format"}, "format"),
    "version 2": (valid(version=2), "格式版本 2 不受支持"),
    "version string": (valid(version="1"), "格式版本"),
    "version float": (valid(version=1.0), "格式版本"),
    "missing year": ({k: v for k, v in valid().items() if k != "year"}, "缺少必填项“year”"),
    "missing workdays": (
        {k: v for k, v in valid().items() if k != "workdays"},
        "缺少必填项“workdays”",
    ),
    "year too early": (valid(year=1999), "年份（year）1999 无效"),
    "year too late": (valid(year=2101), "年份（year）2101 无效"),
    "year string": (valid(year="2027"), "年份"),
    "year bool": (valid(year=True), "年份"),
    "year float": (valid(year=2027.0), "年份"),
    "unknown key": (valid(holiday=[]), "无法识别的键“holiday”"),
    "empty source": (valid(source="  "), "来源（source）"),
    "source not text": (valid(source=5), "来源（source）"),
    "holidays not list": (valid(holidays={}), "放假（holidays）应为列表"),
    "holidays empty": (valid(holidays=[]), "放假（holidays）列表为空"),
    "entry not object": (valid(holidays=["2027-01-01"]), "放假（holidays）第 1 项应为对象"),
    "entry unknown key": (
        valid(holidays=[{"name": "元旦", "day": "2027-01-01"}]),
        "第 1 项有无法识别的键“day”",
    ),
    "empty name": (valid(holidays=[{"name": "", "days": ["2027-01-01"]}]), "第 1 项缺少名称"),
    "blank name": (
        valid(workdays=[{"name": "  ", "days": ["2027-09-26"]}]),
        "调休上班（workdays）第 1 项缺少名称",
    ),
    "no days": (valid(holidays=[{"name": "元旦"}]), "二者选一"),
    "days and range": (
        valid(holidays=[{"name": "元旦", "days": ["2027-01-01"], "start": "2027-01-01"}]),
        "二者选一",
    ),
    "only start": (valid(holidays=[{"name": "元旦", "start": "2027-01-01"}]), "同时给出"),
    "empty days": (valid(holidays=[{"name": "元旦", "days": []}]), "非空的日期列表"),
    "date not iso": (
        valid(holidays=[{"name": "元旦", "days": ["2027-1-1"]}]),
        '放假（holidays）第 1 项（元旦）的日期 "2027-1-1" 格式不对',
    ),
    "date chinese": (valid(holidays=[{"name": "元旦", "days": ["2027年1月1日"]}]), "YYYY-MM-DD"),
    "date number": (valid(holidays=[{"name": "元旦", "days": [20270101]}]), "格式不对"),
    "date impossible": (
        valid(holidays=[{"name": "春节", "days": ["2027-02-30"]}]),
        "（春节）的日期“2027-02-30”不存在",
    ),
    "date other year": (
        valid(holidays=[{"name": "元旦", "days": ["2028-01-01"]}]),
        "“2028-01-01”不在 2027 年内",
    ),
    "end other year": (
        valid(holidays=[{"name": "元旦", "start": "2026-12-31", "end": "2027-01-02"}]),
        "开始日期（start）“2026-12-31”不在 2027 年内",
    ),
    "start after end": (
        valid(holidays=[{"name": "国庆节", "start": "2027-10-07", "end": "2027-10-01"}]),
        "（国庆节）的开始日期 2027-10-07 晚于结束日期 2027-10-01",
    ),
    "holiday twice": (
        valid(
            holidays=[
                {"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"},
                {"name": "中秋节", "days": ["2027-10-03"]},
            ]
        ),
        "日期 2027-10-03 重复列出",
    ),
    "workday twice": (
        valid(workdays=[{"name": "国庆节", "days": ["2027-09-26", "2027-09-26"]}]),
        "第 1 项（国庆节）中日期 2027-09-26 出现了两次",
    ),
    "holiday and workday": (
        valid(workdays=[{"name": "国庆节", "days": ["2027-10-02"]}]),
        "日期 2027-10-02 既在放假（holidays）第 2 项（国庆节）中放假，又在调休上班（workdays）第 1 项",
    ),
    "workday on weekday": (
        valid(workdays=[{"name": "国庆节", "days": ["2027-09-29"]}]),
        "2027-09-29 是周三，本来就上班；调休上班日只能是周六或周日",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_file_is_refused_and_changes_nothing(case, engine, session, tmp_path):
    seed(session, tmp_path)
    before = snapshot(engine)
    content, fragment = BAD_CASES[case]
    path = write(tmp_path, content)
    with pytest.raises(FileFormatError) as info:
        import_calendar(session, path)
    message = str(info.value)
    assert message.startswith("节假日安排文件“cal.json”无法导入：")
    assert fragment in message
    assert "Traceback" not in message
    session.commit()  # anything written before the refusal would now be persisted
    assert snapshot(engine) == before


def test_missing_file(engine, session, tmp_path):
    seed(session, tmp_path)
    before = snapshot(engine)
    with pytest.raises(FileFormatError, match="文件不存在"):
        import_calendar(session, tmp_path / "nope.json")
    with pytest.raises(FileFormatError, match="不是一个文件"):
        import_calendar(session, tmp_path)
    session.commit()
    assert snapshot(engine) == before


def test_file_too_big(engine, session, tmp_path):
    seed(session, tmp_path)
    before = snapshot(engine)
    text = json.dumps(valid(note="备" * 400_000), ensure_ascii=False)
    assert len(text.encode("utf-8")) > 1024 * 1024
    with pytest.raises(FileFormatError, match="文件过大"):
        import_calendar(session, write(tmp_path, text))
    session.commit()
    assert snapshot(engine) == before


def test_parse_valid_file_with_bom(tmp_path):
    text = json.dumps(valid(note="备注"), ensure_ascii=False)
    path = write(tmp_path, "\ufeff".encode() + text.encode("utf-8"))
    arrangement = parse_calendar_file(path)
    assert arrangement == CalendarArrangement(
        year=2027,
        source="测试用安排",
        holidays={
            **{D(2027, 1, d): "元旦" for d in (1, 2, 3)},
            **{D(2027, 10, d): "国庆节" for d in range(1, 8)},
            D(2027, 6, 9): "端午节",
        },
        workdays={D(2027, 9, 26): "国庆节", D(2027, 10, 9): "国庆节"},
    )


def test_apply_writes_rows_and_replaces(engine, session, tmp_path):
    session.add(CalendarOverride(day=D(2026, 3, 2), is_workday=False, name="临时", source="手工"))
    session.add(CalendarOverride(day=D(2027, 3, 1), is_workday=False, name="旧", source="旧"))
    session.commit()

    assert apply_arrangement(session, parse_calendar_file(write(tmp_path, valid()))) is True
    session.commit()
    overrides, years = snapshot(engine)
    days_2027 = {(day, w, name, src) for _, day, w, name, src in overrides if day.year == 2027}
    assert len(days_2027) == 11 + 2
    assert (D(2027, 3, 1), False, "旧", "旧") not in days_2027  # replaced
    assert (D(2027, 10, 9), True, "国庆节", "测试用安排") in days_2027
    assert (D(2026, 3, 2), False, "临时", "手工") in {o[1:] for o in overrides}  # untouched
    assert [(y, s, t) for _, y, s, t in years] == [
        (2027, "测试用安排", datetime(2026, 11, 25, 9, 30))
    ]

    # Re-import: a different arrangement for the same year replaces the first one entirely.
    clock.freeze(datetime(2026, 12, 2, 8, 0))
    second = valid(
        source="第二版",
        holidays=[{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
        workdays=[{"name": "春节", "days": ["2027-02-20"]}],
    )
    assert apply_arrangement(session, parse_calendar_file(write(tmp_path, second))) is True
    session.commit()
    overrides, years = snapshot(engine)
    assert sorted(o[1:] for o in overrides if o[1].year == 2027) == [
        (D(2027, 1, 1), False, "元旦", "第二版"),
        (D(2027, 1, 2), False, "元旦", "第二版"),
        (D(2027, 1, 3), False, "元旦", "第二版"),
        (D(2027, 2, 20), True, "春节", "第二版"),
    ]
    assert [(y, s, t) for _, y, s, t in years] == [(2027, "第二版", datetime(2026, 12, 2, 8, 0))]
    cal = load_calendar(session)
    assert cal.is_workday(D(2027, 10, 1))  # no longer a holiday in the second version
    assert cal.add(D(2027, 2, 19), 1) == DueDate(D(2027, 2, 20), False)


def test_first_apply_is_not_a_replacement(session, tmp_path):
    assert apply_arrangement(session, parse_calendar_file(write(tmp_path, valid()))) is False


def test_import_calendar_reports_and_recomputes(engine, session, tmp_path):
    pytest.importorskip(
        "app.services.deadlines",
        reason="app.services.deadlines (recompute_provisional) is not written yet",
    )
    report = import_calendar(session, write(tmp_path, valid()))
    assert isinstance(report, CalendarImportReport)
    assert (report.year, report.holidays, report.workdays, report.replaced) == (2027, 11, 2, False)
    assert report.recomputed >= 0
    session.commit()
    cal = load_calendar(session)
    assert cal.is_known_year(2027)
    assert not cal.add(D(2026, 12, 31), 1).provisional
    assert cal.add(D(2026, 12, 31), 1).due == D(2027, 1, 4)

    again = import_calendar(session, write(tmp_path, valid(source="更正版")))
    assert again.replaced is True
    session.commit()
    assert snapshot(engine)[1][0][2] == "更正版"


def test_import_does_not_commit(engine, session, tmp_path):
    pytest.importorskip(
        "app.services.deadlines",
        reason="app.services.deadlines (recompute_provisional) is not written yet",
    )
    before = snapshot(engine)
    import_calendar(session, write(tmp_path, valid()))
    session.rollback()
    assert snapshot(engine) == before
