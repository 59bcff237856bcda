"""Writing lists: layout, text kept as text, atomic replacement, and the round trip."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.services.errors import ShenGuanError, ValidationError
from app.services.spreadsheets import Column, SheetSpec, date_cell, read_xlsx, text, write_xlsx
from tests.services.spreadsheets.xlsxbuild import EXPERTS

ROWS = [
    {"code": "ZJ-001", "name": "张三", "org": "营口市住房和城乡建设局", "phone": "13800000000",
     "level": "city", "since": date(2026, 11, 25), "days": 20},
    {"code": "0123", "name": "䶮𠮷", "org": None, "phone": "0417-1234567",
     "level": "county", "since": None, "days": None},
    {"code": "110101199003071234", "name": "李四", "org": "=1+1", "phone": "13900000000",
     "level": None, "since": date(2000, 2, 29), "days": 0},
]


def test_round_trip(tmp_path):
    path = tmp_path / "专家库.xlsx"
    write_xlsx(path, EXPERTS, ROWS, caption="营口市专家库（2026年版）")
    report = read_xlsx(path, EXPERTS)
    assert report.sheet == "专家库"
    assert report.header_row == 2
    assert report.rejected == []
    assert report.ignored_columns == []
    assert [values for _, values in report.rows] == ROWS
    assert [r for r, _ in report.rows] == [3, 4, 5]


def test_layout(tmp_path):
    path = tmp_path / "a.xlsx"
    write_xlsx(path, EXPERTS, ROWS, caption="营口市专家库")
    ws = load_workbook(path).active
    assert ws.title == "专家库"
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:G1"]
    assert ws["A1"].value == "营口市专家库" and ws["A1"].font.b
    assert ws["A1"].font.sz == 14
    assert [c.value for c in ws[2]] == [c.title for c in EXPERTS.columns]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("DDEBF7") for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:G5"
    assert ws.column_dimensions["A"].width == 16
    # Codes, phone and ID numbers are text, formatted as text; dates are dates.
    assert ws["A4"].value == "0123" and ws["A4"].data_type == "s" and ws["A4"].number_format == "@"
    assert ws["A5"].value == "110101199003071234" and ws["A5"].number_format == "@"
    assert ws["D3"].value == "13800000000" and ws["D3"].data_type == "s"
    assert ws["F3"].is_date and ws["F3"].number_format == "yyyy-mm-dd"
    assert ws["G3"].value == 20 and ws["G3"].data_type == "n"
    assert ws["E3"].value == "市本级" and ws["E4"].value == "县（市）区"  # labels, not codes
    assert ws["C4"].value is None


def test_without_caption_and_without_rows(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_xlsx(path, EXPERTS, [])
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == [c.title for c in EXPERTS.columns]
    assert ws.freeze_panes == "A2"
    assert read_xlsx(path, EXPERTS).rows == []


@pytest.mark.parametrize("value", ["=1+1", "+8613800000000", "-5", "@SUM(A1)", "=HYPERLINK(\"x\")"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path, value):
    path = tmp_path / "a.xlsx"
    write_xlsx(path, EXPERTS, [{"code": "ZJ-001", "name": "张三", "org": value,
                                "phone": "13800000000"}])
    for data_only in (False, True):
        cell = load_workbook(path, data_only=data_only).active["C2"]
        assert cell.data_type == "s" and cell.value == value
    assert read_xlsx(path, EXPERTS).rows[0][1]["org"] == value


def test_control_characters_are_dropped(tmp_path):
    path = tmp_path / "a.xlsx"
    write_xlsx(path, EXPERTS, [{"code": "ZJ\x00-001\x07", "name": "张三", "phone": "13800000000"}])
    assert read_xlsx(path, EXPERTS).rows[0][1]["code"] == "ZJ-001"


def _folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_failure_leaves_the_old_file_and_no_temp_file(tmp_path):
    path = tmp_path / "专家库.xlsx"
    write_xlsx(path, EXPERTS, ROWS)
    before = _folder_state(tmp_path)
    too_long = [*ROWS, {"code": "ZJ-009", "name": "王五", "org": "长" * 40_000}]
    with pytest.raises(ValidationError) as e:
        write_xlsx(path, EXPERTS, too_long)
    assert str(e.value).startswith("第 5 行「工作单位」有 40000 个字，超过 Excel 单元格 32767 个字的上限")
    assert _folder_state(tmp_path) == before


def test_rows_that_fail_while_being_read_leave_the_old_file(tmp_path):
    path = tmp_path / "a.xlsx"
    write_xlsx(path, EXPERTS, ROWS)
    before = _folder_state(tmp_path)

    def rows():
        yield ROWS[0]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_xlsx(path, EXPERTS, rows())
    assert _folder_state(tmp_path) == before


def test_unwritable_target(tmp_path):
    with pytest.raises(ShenGuanError, match="无法写入文件：.*请确认文件夹存在并且有写入权限"):
        write_xlsx(tmp_path / "没有这个文件夹" / "a.xlsx", EXPERTS, ROWS)
    (tmp_path / "a.xlsx").mkdir()  # the target is a folder: os.replace fails after saving
    with pytest.raises(ShenGuanError, match="无法写入文件"):
        write_xlsx(tmp_path / "a.xlsx", EXPERTS, ROWS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


def test_unsupported_value_type_is_a_programming_error(tmp_path):
    with pytest.raises(TypeError):
        write_xlsx(tmp_path / "a.xlsx", EXPERTS, [{"code": object()}])
    assert list(tmp_path.iterdir()) == []


# --- property: random text and dates come back exactly -----------------------------------

SIMPLE = SheetSpec(
    "随机",
    (
        Column("key", "编号", required=True),
        Column("note", "内容"),
        Column("day", "日期", parse=date_cell),
    ),
)
# Chinese (incl. Extension A/B), Latin, digits, punctuation, formula starters, whitespace.
ALPHABET = st.sampled_from(
    list("营口市行政审批局张三李四䶮𠮷𪛖abcXYZ0189 -+=@.,，。（）()《》、\n\t\u3000'\"#%&*/\\:;<>?")
)
texts = st.text(ALPHABET, min_size=0, max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(texts, st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2100, 12, 31)))),
        min_size=1,
        max_size=8,
    )
)
def test_random_rows_round_trip(rows):
    """Text as the reader gives it (tidied by ``text``) and dates come back exactly."""
    data = [{"key": f"K{i}", "note": text(note), "day": day} for i, (note, day) in enumerate(rows)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "随机.xlsx"
        write_xlsx(path, SIMPLE, data)
        report = read_xlsx(path, SIMPLE)
    assert report.rejected == []
    assert report.rows == [(i + 2, d) for i, d in enumerate(data)]


def test_long_integers_are_written_as_text(tmp_path):
    path = tmp_path / "a.xlsx"
    write_xlsx(path, EXPERTS, [{"code": 110101199003071234, "name": "张三", "phone": 13800000000}])
    ws = load_workbook(path).active
    assert ws["A2"].value == "110101199003071234" and ws["A2"].number_format == "@"
    assert ws["D2"].value == 13800000000  # below 15 digits a number stays a number
    values = read_xlsx(path, EXPERTS).rows[0][1]
    assert (values["code"], values["phone"]) == ("110101199003071234", "13800000000")
