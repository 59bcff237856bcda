"""The shared text-input policy: each refusal names the field, what is wrong and how to fix it."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import textinput as t
from app.services.errors import ValidationError
from app.services.ids import classify_applicant_id
from tests.conftest import valid_resident_id, valid_uscc


def refused(fn, *args, **kw) -> str:
    with pytest.raises(ValidationError) as e:
        fn(*args, **kw)
    return e.value.message


def test_text_is_normalised_and_measured():
    assert t.clean_text("  营口\u3000 市\n行政审批局 ", "f", "名称") == "营口 市 行政审批局"
    assert t.clean_text("第一行\r\n\u200b第二行  ", "f", "内容", keep_lines=True) == "第一行\n第二行"
    assert t.clean_text("e\u0301", "f", "名称") == "\u00e9"  # NFC
    assert "最多5个字，现在6个字" in refused(t.clean_text, "𠮷" * 6, "f", "名称", 5)
    assert t.clean_text("𠮷" * 5, "f", "名称", 5) == "𠮷" * 5
    assert refused(t.clean_text, " \t ", "f", "名称") == "请填写名称。"
    assert "第2个字符（U+0007）是控制字符" in refused(t.clean_text, "a\x07", "f", "名称")
    assert "文字方向控制符" in refused(t.clean_text, "abc\u202e", "f", "内容", keep_lines=True)


def test_names_refuse_lookalikes():
    assert t.clean_name("ＡＢＣ建筑有限公司", "n", "申请人名称") == "ABC建筑有限公司"
    assert t.clean_name("Иванов", "n", "姓名") == "Иванов"  # one script: a real name
    msg = refused(t.clean_name, "营口Сity公司", "n", "申请人名称")
    assert "申请人名称第3个字符" in msg and "西里尔字母" in msg and "形似拉丁字母“C”" in msg
    assert "希腊字母" in refused(t.clean_name, "张ο伟", "n", "联系人")
    assert "零宽字符" in refused(t.clean_name, "张\u200b伟", "n", "联系人")
    assert "特殊字体的“A”" in refused(t.clean_name, "𝐀公司", "n", "申请人名称")


def test_codes_must_be_half_width():
    kw = {"pattern": r"[A-Z-]+", "rule": "大写字母或连字符", "example": "YK-SPJ"}
    assert t.clean_code(" YK-SPJ ", "code", "单位代码", **kw) == "YK-SPJ"
    assert "请使用半角字符" in refused(t.clean_code, "ＹＫ-SPJ", "code", "单位代码", **kw)
    assert "格式不对：大写字母或连字符，例如 YK-SPJ" in refused(t.clean_code, "yk", "code", "单位代码", **kw)


def test_dates():
    assert t.parse_date("2026年2月3日", "d", "日期") == date(2026, 2, 3)
    assert t.parse_date("20261125", "d", "日期") == date(2026, 11, 25)
    assert "2026年2月只有28天" in refused(t.parse_date, "2026-02-30", "d", "审批决定日期")
    assert "应为 2026-11-25 形式" in refused(t.parse_date, "昨天", "d", "审批决定日期")
    assert "年份应在1900–2200之间" in refused(t.parse_date, "0000-01-01", "d", "日期")
    assert t.parse_date("2026-11-25 10:30", "d", "日期") == date(2026, 11, 25)  # the time is ignored
    assert "月份应为1–12" in refused(t.parse_date, "2026-13-01", "d", "日期")


def test_phones_show_the_accepted_forms():
    assert t.clean_phone("＋86 139-0417-1234", "p") == "13904171234"
    assert t.clean_phone("（0417）1234567", "p") == "0417-1234567"
    assert t.clean_phone("0417-1234567-801", "p") == "0417-1234567-801"
    assert t.clean_phone("0417-1234567 转 801", "p") == "0417-1234567-801"
    assert t.clean_phone("0417-1234567分机801", "p") == "0417-1234567-801"
    assert t.clean_phone("0417-1234567 EXT.801", "p") == "0417-1234567-801"
    assert t.clean_phone("8613904171234", "p") == "13904171234"
    assert t.clean_phone("01012345678", "p") == "010-12345678"  # not 0101-2345678
    assert t.clean_phone("02187654321", "p") == "021-87654321"
    for bad in ("011-1234567", "0100-1234567", "(0417-1234567"):  # no such area code; one bracket
        assert "格式不对" in refused(t.clean_phone, bad, "p")
    msg = refused(t.clean_phone, "12345678901", "p", "联系电话")
    assert "11位手机号码" in msg and "0417-1234567" in msg


def test_id_numbers_name_the_check_character():
    assert classify_applicant_id(valid_uscc()) == ("uscc", valid_uscc())
    good = valid_resident_id()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert f"第18位应为“{good[17]}”" in refused(classify_applicant_id, wrong)
    bad_uscc = valid_uscc()[:17] + ("0" if valid_uscc()[17] != "0" else "1")
    assert f"第18位应为“{valid_uscc()[17]}”" in refused(classify_applicant_id, bad_uscc)
    assert "零宽字符" in refused(classify_applicant_id, valid_uscc()[:5] + "\u200b" + valid_uscc()[5:])
