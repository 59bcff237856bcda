"""The standard cell parsers: what they accept, what they refuse, and the Chinese reasons."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.spreadsheets import choice, date_cell, int_cell, normalize_header, phone, text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  \u3000\n ", None),
        ("  营口市行政审批局 ", "营口市行政审批局"),
        ("营口市\n行政审批局", "营口市行政审批局"),  # Alt+Enter inside a Chinese name
        ("张  三", "张三"),  # a two-character name padded to line up
        ("Zhang\nSan", "Zhang San"),
        ("a \t b\u00a0\u00a0c", "a b c"),
        ("XX路 12 号", "XX路 12 号"),
        ("\ufeff编号\u200b", "编号"),
        (13800000000.0, "13800000000"),
        (123, "123"),  # a code typed as 0123 into a number cell: the zero is gone for good
        (2.5, "2.5"),
        (True, "是"),
        (datetime(2026, 11, 25), "2026-11-25"),
        (datetime(2026, 11, 25, 9, 30), "2026-11-25 09:30"),
        (date(2026, 11, 25), "2026-11-25"),
        (time(9, 5), "09:05"),
        ("䶮𠮷", "䶮𠮷"),
        ("=1+1", "=1+1"),
    ],
)
def test_text(value, expected):
    assert text(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("张\u202e三", "^第2个字符（U\\+202E）是文字方向控制符.*请删除该字符后重新输入$"),
        ("\u2066营口\u2069", "文字方向控制符"),
        ("a\x07b", "第2个字符（U\\+0007）是控制字符"),
        ("a\x00", "控制字符"),
        ("营口\u200e市", "文字方向控制符"),
        ("a\ufdd0", "非字符码位"),
    ],
)
def test_text_refuses_what_a_dialog_refuses(value, reason):
    with pytest.raises(ValueError, match=reason):
        text(value)


def test_text_is_idempotent():
    for s in ["张  三 \n 李四", "a\n\nb", " x 　y "]:
        assert text(text(s)) == text(s)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 11, 25, 0, 0),
        date(2026, 11, 25),
        "2026-11-25",
        "2026/11/25",
        "2026.11.25",
        "2026年11月25日",
        "2026 年 11 月 25 日",
        "２０２６－１１－２５",
        "20261125",
        20261125,
        "2026-11-25 00:00:00",
        "2026-11-25 10:30",  # a time after the date is ignored
        "2026/11/25 10:30:15",
        "20261125 10:30",
        46351,  # an Excel date serial whose date format was lost
        46351.0,
    ],
)
def test_date_cell_accepts(value):
    assert date_cell(value) == date(2026, 11, 25)


def test_date_cell_single_digit_month_and_day():
    assert date_cell("2026/1/5") == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-02-30", "^“2026-02-30”这个日期不存在：2026年2月只有28天，请核对日期$"),
        ("2026年13月1日", "这个日期不存在：月份应为1–12"),
        ("20260230", "2026年2月只有28天"),
        ("1899-12-31", "超出范围：年份应在1900–2200之间"),
        (datetime(9999, 1, 1), "超出范围：年份应在1900–2200之间"),
        ("明年春天", "^“明年春天”不是日期：应为 2026-11-25 形式"),
        ("26-11-25", "不是日期"),
        (3.5, "“3.5”不是日期"),
        (True, "不是日期"),
        (time(9, 0), "不是日期"),
        (123, "“123”不是日期"),
    ],
)
def test_date_cell_refuses(value, reason):
    with pytest.raises(ValueError, match=reason) as e:
        date_cell(value)
    assert "2026-11-25" in str(e.value) or "请核对" in str(e.value)
    assert not str(e.value).endswith("。")  # the reader joins a row's reasons with "；"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(20, 20), (20.0, 20), ("20", 20), ("20个工作日", 20), ("20 天", 20), ("２０个工作日", 20),
     ("20（工作日）", 20), ("0", 0), ("20.0", 20), (None, None)],
)
def test_int_cell_accepts(value, expected):
    assert int_cell(value) == expected


@pytest.mark.parametrize("value", ["二十", "约20天", "20-30", "2.5", 2.5, "-3", -3, True, "即办"])
def test_int_cell_refuses(value):
    with pytest.raises(ValueError, match="不是整数|不能是负数"):
        int_cell(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800000000", "13800000000"),
        (13800000000, "13800000000"),
        (13800000000.0, "13800000000"),
        ("138 0000 0000", "13800000000"),
        ("138-0000-0000", "13800000000"),
        ("+86 138 0000 0000", "13800000000"),
        ("１３８００００００００", "13800000000"),
        ("0417-1234567", "0417-1234567"),
        ("0417－1234567", "0417-1234567"),
        ("（0417）1234567", "0417-1234567"),
        ("0417 1234567", "0417-1234567"),
        ("04171234567", "0417-1234567"),
        ("010-12345678", "010-12345678"),
        ("0417-1234567-801", "0417-1234567-801"),
        ("0417-1234567转801", "0417-1234567-801"),
        ("0417-1234567 分机 801", "0417-1234567-801"),
        ("0417-1234567 EXT. 801", "0417-1234567-801"),
        ("(0417)-1234567", "0417-1234567"),
        ("01012345678", "010-12345678"),  # 010 is a 3-digit area code
        ("8613800000000", "13800000000"),
        ("0086 138 0000 0000", "13800000000"),
        ("138\u200b0000\u200b0000", "13800000000"),  # zero-width characters pasted from a web page
        ("  ", None),
    ],
)
def test_phone_accepts(value, expected):
    assert phone(value) == expected


@pytest.mark.parametrize(
    "value", ["12345", 12345, "1234567", "23800000000", "1380000000", "138000000001",
              "0417-123", "电话未知", "13800000000/13900000000", True, "011-1234567",
              "0100-1234567", "(0417-1234567", "138\u202e00000000"],
)
def test_phone_refuses(value):
    with pytest.raises(ValueError, match="格式不对|文字方向控制符") as e:
        phone(value)
    assert "0417-1234567" in str(e.value) or "请删除该字符" in str(e.value)  # says how to fix it


def test_choice():
    level = choice({"市本级": "city", "县（市）区": "county", "县区": "county"})
    assert level("市本级") == "city"
    assert level(" 县(市)区 ") == "county"  # half-width brackets typed by hand
    assert level("县区") == "county"
    assert level(None) is None
    assert level.to_cell("county") == "县（市）区"  # the first label of a code
    assert level.to_cell("unknown") == "unknown"
    with pytest.raises(ValueError) as e:
        level("市级")
    assert str(e.value) == "不是可选的值：市级。只能填写：市本级、县（市）区、县区"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("联系电话", "联系电话"),
        ("*联系电话", "联系电话"),
        ("联系电话*", "联系电话"),
        ("联系电话＊", "联系电话"),
        ("联系电话（必填）", "联系电话"),
        ("联系电话(必填项)：", "联系电话"),
        ("联系\n电话", "联系电话"),
        (" 联 系 电 话 ", "联系电话"),
        ("县（市）区", "县(市)区"),
        ("县【市】区", "县(市)区"),
        ("ID", "id"),
        (None, ""),
    ],
)
def test_normalize_header(header, expected):
    assert normalize_header(header) == expected


@settings(max_examples=200)
@given(st.text(st.sampled_from(list("营口䶮𠮷ab1 \t\n\r\u3000\u00a0\u200b-=")), max_size=30))
def test_text_property_idempotent_and_tidy(s):
    once = text(s)
    assert text(once) == once
    if once is not None:
        assert once == once.strip() and "\n" not in once and "  " not in once
