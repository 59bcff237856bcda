"""Applicant identifiers and phone numbers are checksum-validated with clear messages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.errors import ValidationError
from app.services.ids import (
    USCC_CHARS,
    classify_applicant_id,
    is_valid_resident_id,
    is_valid_uscc,
    normalize_phone,
    resident_id_check_char,
    uscc_check_char,
)


def test_known_real_format_codes():
    # Published examples of the two standards' check characters.
    assert is_valid_resident_id("11010519491231002X")
    assert is_valid_uscc("91350100M000100Y43")
    assert classify_applicant_id("11010519491231002x") == ("resident_id", "11010519491231002X")
    assert classify_applicant_id(" 9135 0100 M000 100Y43 ") == ("uscc", "91350100M000100Y43")


def test_full_width_input_is_normalised():
    assert classify_applicant_id("９１３５０１００Ｍ０００１００Ｙ４３")[1] == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写"),
        ("1234", "18位"),
        ("110105194912310021", "身份证号码校验位不符"),
        ("91350100M000100Y44", "统一社会信用代码校验位不符"),
        ("91350100M0001O0Y43", "不能包含字符“O”"),
    ],
)
def test_bad_ids_say_what_is_wrong(raw, fragment):
    with pytest.raises(ValidationError, match=fragment) as err:
        classify_applicant_id(raw)
    assert err.value.field == "applicant_id"


@given(
    st.integers(11, 82),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.dates(date(1900, 1, 1), date(2026, 11, 25)),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)
def test_any_resident_body_with_its_check_char_is_valid(province, area, born, seq):
    body = f"{province}{area}{born:%Y%m%d}{seq}"
    assert is_valid_resident_id(body + resident_id_check_char(body))
    assert classify_applicant_id(body + resident_id_check_char(body))[0] == "resident_id"


def test_an_all_digit_credit_code_is_not_taken_for_an_id_card():
    # Passes the ID-card checksum but has no real birth date (reported by the demo builder).
    assert classify_applicant_id("912108009875058605") == ("uscc", "912108009875058605")


def test_id_card_with_impossible_birth_date():
    body = "21080219901332123"
    with pytest.raises(ValidationError, match="出生日期 19901332 不存在"):
        classify_applicant_id(body + resident_id_check_char(body))


@given(st.text(alphabet=USCC_CHARS, min_size=17, max_size=17))
def test_any_uscc_body_with_its_check_char_is_valid_and_one_typo_is_caught(body):
    code = body + uscc_check_char(body)
    assert is_valid_uscc(code)
    typo = code[:5] + USCC_CHARS[(USCC_CHARS.index(code[5]) + 1) % 31] + code[6:]
    assert not is_valid_uscc(typo)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("13904171234", "13904171234"), ("+86 139 0417 1234", "13904171234"),
     ("0417-2812345", "0417-2812345"), ("（0417）2812345", "0417-2812345")],
)
def test_phones(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "23904171234", "0417-12"])
def test_bad_phones(raw):
    with pytest.raises(ValidationError, match="联系电话"):
        normalize_phone(raw)
