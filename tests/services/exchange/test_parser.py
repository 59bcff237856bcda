"""The strict JSON parser: refusals with clear messages, and property tests (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.errors import FileFormatError
from app.services.exchange.parser import canonical, loads_strict

LIMIT = 1 << 20


def parse(data: bytes):
    return loads_strict(data, what="文件", max_bytes=LIMIT)


@pytest.mark.parametrize(("data", "message"), [
    (b'{"a": 1, "a": 2}', "重复"),
    (b'{"x": {"k": 1, "k": 1}}', "重复"),
    (b'{"a": NaN}', "NaN"),
    (b'{"a": -Infinity}', "Infinity"),
    (b'{"a": 1e999}', "超出范围"),
    (b'{"a": 1234567890123456789012}', "数字过大"),
    (b'{"a": "\xff"}', "UTF-8"),
    (b'\xef\xbb\xbf{}', "BOM"),
    (b'[' * 40 + b']' * 40, "嵌套过深"),
    (b'[' * 100000, "嵌套过深"),
    (b'{"a": "\\ud800"}', "代理"),
    (b'{"a": 1', "不是完整有效的 JSON"),
    (b'{"a": 1} x', "多余内容"),
    (b'', "空文件"),
    (b'   ', "空文件"),
    (b'x' * (LIMIT + 1), "过大"),
])
def test_refusals(data, message):
    with pytest.raises(FileFormatError, match=message):
        parse(data)


def test_valid_surrogate_pair_and_brackets_inside_strings_are_fine():
    assert parse(b'{"a": "\\ud83d\\ude00", "b": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}') == {
        "a": "\U0001F600", "b": "[" * 38}


scalars = st.none() | st.booleans() | st.integers(-(10**18) + 1, 10**18 - 1) | st.text(max_size=30)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_round_trip_and_canonical_is_stable(value):
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=2)):
        assert parse(text.encode("utf-8")) == value
    once = canonical(value)
    assert canonical(parse(once)) == once


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_give_a_clear_refusal(data):
    try:
        parse(data)
    except FileFormatError as exc:
        assert exc.message and "\n" not in exc.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]":,0123456789.eE-+ntrufalsNIy\\u', max_size=80))
def test_json_like_text_parses_or_gives_a_clear_refusal(text):
    try:
        parse(text.encode("utf-8"))
    except FileFormatError as exc:
        assert exc.message


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), scalars, min_size=1, max_size=6), st.data())
def test_a_repeated_key_is_always_refused(obj, data):
    key = data.draw(st.sampled_from(sorted(obj)))
    text = json.dumps(obj)[:-1] + f", {json.dumps(key)}: 0}}"
    with pytest.raises(FileFormatError, match="重复"):
        parse(text.encode("utf-8"))


def _true_depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max((_true_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_true_depth(v) for v in value), default=0)
    return 0


tricky_text = st.text(alphabet='[]{}"\\ab汉', max_size=12)
nested = st.recursive(
    st.none() | st.integers(0, 9) | tricky_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(tricky_text, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(nested)
def test_depth_counted_before_parsing_is_the_real_depth(value):
    """Brackets, quotes and backslashes inside strings never change the counted depth."""
    from app.services.exchange.parser import _depth

    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
        assert _depth(text.encode("utf-8")) == _true_depth(value)
