"""Masking of ID numbers and phone numbers in lists and reports (app.services.masking)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.services import queries
from app.services.masking import mask_fields, mask_id, mask_phone, mask_text
from app.services.workdays import load_calendar
from tests.conftest import a_result_input, valid_resident_id


def test_examples():
    assert mask_id("210802199001011234") == "210802********1234"
    assert mask_phone("13912341234") == "139****1234"
    assert mask_phone("0417-2812345") == "0417-***2345"
    assert mask_id("") == mask_phone(None) == ""
    assert mask_text("张三（身份证 210802199001011234，电话 13912341234）") == \
        "张三（身份证 210802********1234，电话 139****1234）"
    assert mask_text("营口市海兴建筑有限公司") == "营口市海兴建筑有限公司"


def _kept(original: str, masked: str) -> int:
    return sum(1 for a, b in zip(original, masked, strict=True) if a.isalnum() and a == b)


@given(st.text(alphabet="0123456789X- ", max_size=30))
def test_mask_id_never_shows_more_than_ten_characters(value):
    masked = mask_id(value)
    assert len(masked) == len(value.strip())
    assert _kept(value.strip(), masked) <= 10
    alnum = sum(c.isalnum() for c in value)
    if alnum > 10:
        assert masked.count("*") == alnum - 10


@given(st.text(alphabet="0123456789-+ ", max_size=30))
def test_mask_phone_never_shows_more_than_the_kept_digits(value):
    masked = mask_phone(value)
    assert len(masked) == len(value.strip())
    # at most: country code 86 + 3 + 4 (mobile), or a 4-digit area code + 4 (fixed line)
    assert _kept(value.strip(), masked) <= 9
    assert mask_phone("+8613912341234") == "+86139****1234"


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_mask_phone_keeps_three_and_four(value):
    masked = mask_phone(value)
    assert masked[:3] == value[:3] and masked[-4:] == value[-4:] and masked[3:7] == "****"


@given(st.text(max_size=40), st.from_regex(r"[1-6]\d{16}[0-9X]", fullmatch=True), st.text(max_size=40))
def test_mask_text_hides_an_embedded_id(before, number, after):
    text = f"{before}　{number}　{after}"
    masked = mask_text(text)
    assert number[6:14] not in masked.replace(before, "").replace(after, "") or \
        number[6:14] in before + after


def test_result_list_masks_an_id_typed_into_the_name(session, city, frozen):
    from app.services import results

    number = valid_resident_id()
    results.record(session, a_result_input(applicant_name=f"张三 {number}"), office=city.approval,
                   operator="x")
    session.commit()
    rows = queries.list_results(session, city.approval, load_calendar(session))
    assert rows[0].applicant_name == f"张三 {number[:6]}********{number[-4:]}"
    from app.services.detail import result_detail

    assert result_detail(session, rows[0].id, load_calendar(session)).applicant_name.endswith(number)


def test_work_list_and_monthly_summary_mask_detail_does_not(session, city, frozen):
    from app.services import results, worklist
    from app.services.cooperation import summary

    number = valid_resident_id()
    r = results.record(session, a_result_input(applicant_name=f"张三 {number}"), office=city.approval,
                       operator="x")
    results.push(session, r, office=city.approval, operator="x")
    session.commit()
    cal = load_calendar(session)
    [row] = worklist.list_rows(session, city.approval, cal)
    assert number not in row.summary and f"{number[:6]}********{number[-4:]}" in row.summary
    assert number in worklist.detail(session, city.approval, cal, row.id).subject_detail
    [line] = summary.rows(session, city.approval, city.housing, "2026-11")
    assert number not in line["subject"] and number[-4:] in line["subject"]


def test_mask_fields_masks_a_copy_of_a_list_row():
    row = {"phone": "13912341234", "note": "电话 0417-2812345", "name": "", "other": "13912341234"}
    masked = mask_fields(row, ("phone",), ("note", "name"))
    assert masked == {"phone": "139****1234", "note": "电话 0417-***2345", "name": "", "other": "13912341234"}
    assert row["phone"] == "13912341234"  # the row itself is untouched
