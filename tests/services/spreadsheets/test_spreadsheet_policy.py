"""One input policy: a value typed in a dialog and the same value in a spreadsheet cell are
accepted or refused alike, with the same words (the reader puts the column title in front)."""

from __future__ import annotations

import pytest

from app.models import LiaisonOfficer
from app.services import lists_xlsx, textinput
from app.services.errors import ValidationError
from app.services.spreadsheets import date_cell, phone, read_xlsx, text
from tests.services.spreadsheets.xlsxbuild import EXPERTS, HEADER, xlsx

DATES = [
    "2026-11-25", "2026/1/5", "2026.11.25", "2026年11月25日", "2026 年 11 月 25 日", "２０２６－１１－２５",
    "20261125", "2026-11-25 10:30", "2026/11/25 10:30:15", "2024-02-29", "  ",
    "2026-02-29", "2026-02-30", "2026-13-01", "20260230", "1899-12-31", "2201-01-01", "明年春天",
    "26-11-25", "2026-11", "2026-11-25 下午", "2026-11-25\u202e",
]
PHONES = [
    "13904171234", "139 0417 1234", "139-0417-1234", "+86 139 0417 1234", "＋86 139-0417-1234",
    "8613904171234", "0086 13904171234", "0417-1234567", "0417 1234567", "（0417）1234567",
    "(0417)-1234567", "04171234567", "010-12345678", "01012345678", "021-87654321",
    "0417-1234567-801", "0417-1234567转801", "0417-1234567 分机 801", "0417-1234567ext801",
    "139\u200b0417\u200b1234", "  ",
    "12345", "1234567", "23904171234", "139041712345", "011-1234567", "0100-1234567", "0417-123",
    "(0417-1234567", "电话未知", "13904171234/13904171235", "139\u202e04171234", "139\x0704171234",
]
NAMES = [
    "张伟", "张  伟", "Li Ming", "ＡＢＣ建筑有限公司", "Иванов", "营口市\n行政审批局", "䶮𠮷",
    "营口Сity公司", "张ο伟", "𝐀公司", "张\u202e伟", "\u2066营口\u2069", "张\u200e伟", "a\x07b", "a\x00",
    "a\ufdd0",
]


def outcome(fn, *args, **kw):
    """("ok", value) or ("refused", message)."""
    try:
        return "ok", fn(*args, **kw)
    except (ValidationError, ValueError) as e:
        return "refused", getattr(e, "message", None) or str(e)


# kind: (the dialog's validator, the cell parser, the field's label)
KINDS = {
    "date": (lambda v: textinput.parse_date(v, "d", "入库日期", required=False), date_cell, "入库日期"),
    "phone": (lambda v: textinput.clean_phone(v, "p", "联系电话", required=False) or None, phone,
              "联系电话"),
}


@pytest.mark.parametrize(("kind", "value"), [("date", v) for v in DATES] + [("phone", v) for v in PHONES])
def test_dates_and_phones_alike_in_dialog_and_cell(kind, value):
    validator, parser, label = KINDS[kind]
    dialog, cell = outcome(validator, value), outcome(parser, value)
    assert dialog[0] == cell[0]
    if dialog[0] == "ok":
        assert dialog[1] == cell[1]
    else:  # the same words; the reader puts 「入库日期」 where the dialog puts its label
        assert dialog[1] == f"{label}{cell[1]}。"


@pytest.mark.parametrize("value", NAMES)
def test_names_alike_in_dialog_and_cell(value):
    """A name cell is read by ``text`` and then checked by the list's service with
    ``clean_name`` (pools.clean, liaison.clean, the catalogue): refused where a dialog refuses."""
    dialog = outcome(textinput.clean_name, value, "n", "姓名", textinput.PERSON_NAME)
    read = outcome(text, value)
    cell = read if read[0] == "refused" else outcome(
        textinput.clean_name, read[1], "n", "姓名", textinput.PERSON_NAME)
    assert dialog[0] == cell[0], (dialog, cell)


def test_zero_width_characters_are_dropped_from_cells_not_stored():
    """The one deliberate difference: a dialog refuses a zero-width character in a name (the
    person can delete it at once); a cell pasted from a web page has it dropped, as long texts
    do. Either way nothing invisible is stored."""
    assert text("张\u200b伟\ufeff") == "张伟"
    assert textinput.clean_name(text("张\u200b伟"), "n", "姓名") == "张伟"
    with pytest.raises(ValidationError, match="零宽字符"):
        textinput.clean_name("张\u200b伟", "n", "姓名")


def test_a_file_cannot_smuggle_what_a_dialog_refuses(tmp_path):
    """One column of each kind: a name with a bidi override, an impossible date, a bad area code."""
    good = ["ZJ-001", "张三", None, "(0417)1234567转801", None, "2026-11-25 10:30"]
    rows = [HEADER, good,
            ["ZJ-002", "张\u202e三", None, "13800000000"],
            ["ZJ-003", "李四", None, "13800000000", None, "2026-02-30"],
            ["ZJ-004", "王五", None, "011-1234567"]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)
    assert [(r, v["phone"], str(v["since"])) for r, v in report.rows] == [
        (2, "0417-1234567-801", "2026-11-25")]
    reasons = {p.row: p.reason for p in report.rejected}
    assert reasons[3] == ("「姓名」第2个字符（U+202E）是文字方向控制符（可能让文字显示顺序与实际不同），"
                          "请删除该字符后重新输入")
    assert reasons[4] == "「入库日期」“2026-02-30”这个日期不存在：2026年2月只有28天，请核对日期"
    assert reasons[5] == f"「联系电话」格式不对（“011-1234567”）：应为{textinput.PHONE_FORMS}"


def test_liaison_import_refuses_like_the_dialog(session, city, tmp_path):
    """Through a real list import: the reader refuses the bidi name, the date and the phone;
    the liaison service refuses the lookalike name as the dialog does. Nothing is saved."""
    f = xlsx(tmp_path / "联络员.xlsx", [
        ["单位", "姓名", "联系电话", "起始日期"],
        ["YK-ZJJ", "刘\u202e洋", "13904170001", None],
        ["YK-ZJJ", "Сергей张", "13904170002", None],
        ["YK-ZJJ", "陈静", "13904170003", "1899-12-31"],
        ["YK-ZJJ", "周涛", "0100-1234567", None],
        ["YK-ZJJ", "吴昊", "0417-1234567 分机 801", "2026-11-25 09:00"],
    ])
    report = lists_xlsx.import_liaison(session, f)
    assert not report.saved and [p.row for p in report.rejected] == [2, 3, 4, 5]
    reasons = [p.reason for p in report.rejected]
    assert "「姓名」第2个字符（U+202E）是文字方向控制符" in reasons[0]
    assert "西里尔字母" in reasons[1]
    assert "「起始日期」“1899-12-31”超出范围：年份应在1900–2200之间" in reasons[2]
    assert "「联系电话」格式不对（“0100-1234567”）" in reasons[3]
    assert [w for _, w in report.accepted] == ["新增 营口市住房和城乡建设局 吴昊"]
    assert session.query(LiaisonOfficer).filter_by(name="吴昊").count() == 0
