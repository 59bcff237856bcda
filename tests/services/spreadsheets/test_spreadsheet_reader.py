"""Reading lists from .xlsx files laid out the way offices really make them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.services.errors import FileFormatError
from app.services.spreadsheets import Column, SheetSpec, phone, read_xlsx, reader
from app.services.textinput import PHONE_FORMS
from tests.services.spreadsheets.xlsxbuild import EXPERTS, HEADER, set_cached_values, xlsx

ROW_A = ["ZJ-001", "张三", "营口市住建局", "13800000000", "市本级", datetime(2026, 11, 25), 20]
ROW_B = ["ZJ-002", "李四", None, "0417-1234567", "县（市）区", "2026/1/5", "5个工作日"]

A = {"code": "ZJ-001", "name": "张三", "org": "营口市住建局", "phone": "13800000000",
     "level": "city", "since": date(2026, 11, 25), "days": 20}
B = {"code": "ZJ-002", "name": "李四", "org": None, "phone": "0417-1234567",
     "level": "county", "since": date(2026, 1, 5), "days": 5}


def test_clean_file(tmp_path):
    path = xlsx(tmp_path / "专家库.xlsx", [HEADER, ROW_A, ROW_B], title="专家库")
    report = read_xlsx(path, EXPERTS)
    assert report.sheet == "专家库"
    assert report.header_row == 1
    assert report.rows == [(2, A), (3, B)]
    assert report.rejected == []
    assert report.ignored_columns == []


def test_bytes_and_file_object_are_accepted(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [HEADER, ROW_A])
    assert read_xlsx(path.read_bytes(), EXPERTS).rows == [(2, A)]
    with path.open("rb") as f:
        assert read_xlsx(f, EXPERTS).rows == [(2, A)]
    assert read_xlsx(str(path), EXPERTS).rows == [(2, A)]


def test_merged_caption_and_title_rows_above_the_header(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        [
            ["营口市相对集中行政许可事项清单（2026年版）"],
            ["填报单位：营口市住建局", None, None, None, "日期：2026年11月25日"],
            HEADER,
            ROW_A,
            ROW_B,
        ],
        merges=["A1:G1", "A2:D2"],
    )
    report = read_xlsx(path, EXPERTS)
    assert report.header_row == 3
    assert report.rows == [(4, A), (5, B)]
    assert report.ignored_columns == []


def test_header_in_row_5_after_blank_and_text_rows(tmp_path):
    rows = [["专家库"], [], ["说明：本表由各部门填报"], [], HEADER, ROW_A, ROW_B]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)
    assert report.header_row == 5
    assert [r for r, _ in report.rows] == [6, 7]


def test_header_spellings_marks_line_breaks_brackets_and_aliases(tmp_path):
    header = ["编码*", "＊姓 名", "工作\n单位", "手机（必填）", "县(市)区", "入库日期：", "办结时限"]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", [header, ROW_A]), EXPERTS)
    assert report.rows == [(2, A)]


def test_unknown_columns_are_reported_as_ignored(tmp_path):
    header = ["序号", *HEADER, "备注", None]
    rows = [header, [1, *ROW_A, "无", None], [2, *ROW_B]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)
    assert report.ignored_columns == ["序号", "备注"]
    assert report.rows == [(2, A), (3, B)]


def test_columns_in_any_order_and_optional_columns_missing(tmp_path):
    header = ["联系电话", "姓名", "专家编号"]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", [header, ["13800000000", "张三", "ZJ-001"]]),
                       EXPERTS)
    assert report.rows == [(2, {"code": "ZJ-001", "name": "张三", "phone": "13800000000"})]


LIAISONS = SheetSpec(
    "联络员",
    (
        Column("dept", "单位名称", required=True),
        Column("contact_name", "联系人姓名", required=True),
        Column("contact_phone", "联系人电话", required=True, parse=phone),
        Column("duty", "职务"),
    ),
)


def test_two_row_header_with_a_merged_group(tmp_path):
    rows = [
        ["营口市联络员名单"],
        ["单位名称", "联系人", None, "职务"],
        [None, "姓名", "电话", None],
        ["营口市住建局", "王芳", "13800000000", "科长"],
        ["营口市卫健委", "赵六", "0417-2345678", None],
    ]
    path = xlsx(tmp_path / "a.xlsx", rows, merges=["A1:D1", "A2:A3", "B2:C2", "D2:D3"])
    report = read_xlsx(path, LIAISONS)
    assert report.header_row == 3
    assert report.rows == [
        (4, {"dept": "营口市住建局", "contact_name": "王芳", "contact_phone": "13800000000",
             "duty": "科长"}),
        (5, {"dept": "营口市卫健委", "contact_name": "赵六", "contact_phone": "0417-2345678",
             "duty": None}),
    ]


def test_sub_header_alone_matches_when_it_is_unique(tmp_path):
    rows = [
        ["专家编号", "联系方式", None, "县（市）区"],
        [None, "姓名", "电话", None],
        ["ZJ-001", "张三", "13800000000", "市本级"],
    ]
    path = xlsx(tmp_path / "a.xlsx", rows, merges=["A1:A2", "B1:C1", "D1:D2"])
    report = read_xlsx(path, EXPERTS)
    assert report.header_row == 2
    assert report.rows == [
        (3, {"code": "ZJ-001", "name": "张三", "phone": "13800000000", "level": "city"})
    ]  # columns not in the file are not in the row


def test_the_same_sub_header_under_two_groups_is_ambiguous(tmp_path):
    rows = [
        ["单位名称", "联系人", None, "负责人", None],
        [None, "姓名", "电话", "姓名", "电话"],
        ["营口市住建局", "王芳", "13800000000", "李强", "13900000000"],
    ]
    merges = ["A1:A2", "B1:C1", "D1:E1"]
    path = xlsx(tmp_path / "a.xlsx", rows, merges=merges)
    plain = SheetSpec("x", (Column("dept", "单位名称", required=True),
                            Column("name", "姓名", required=True)))
    with pytest.raises(FileFormatError) as e:
        read_xlsx(path, plain)
    assert "缺少列「姓名」" in str(e.value)
    assert "B、D 列" in str(e.value)
    # Named with the group, both are found.
    report = read_xlsx(path, LIAISONS)
    assert report.rows[0][1]["contact_name"] == "王芳"
    assert report.ignored_columns == ["负责人/姓名", "负责人/电话"]


def test_merged_data_cells_give_every_row_the_value(tmp_path):
    spec = SheetSpec("x", (Column("cat", "类别", required=True), Column("name", "事项名称",
                                                                       required=True)))
    rows = [["类别", "事项名称"], ["建设工程", "施工许可"], [None, "规划许可"], [None, "竣工验收"],
            ["卫生", "公共场所卫生许可"]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows, merges=["A2:A4"]), spec)
    assert [(r, v["cat"]) for r, v in report.rows] == [
        (2, "建设工程"), (3, "建设工程"), (4, "建设工程"), (5, "卫生")]


def test_merged_category_over_blank_rows_does_not_make_them_data(tmp_path):
    spec = SheetSpec("x", (Column("cat", "类别", required=True), Column("name", "事项名称",
                                                                       required=True)))
    rows = [["类别", "事项名称"], ["建设工程", "施工许可"], [None, None], [None, None]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows, merges=["A2:A4"]), spec)
    assert report.rows == [(2, {"cat": "建设工程", "name": "施工许可"})]
    assert report.rejected == []


def test_blank_rows_in_the_middle_and_at_the_end_are_skipped(tmp_path):
    rows = [HEADER, ROW_A, [], [None, "  ", "\u3000"], ["", ""], ROW_B, [], [], ["  "]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", [*rows, [None] * 3 + [None]]), EXPERTS)
    assert report.rows == [(2, A), (6, B)]
    assert report.rejected == []


def test_rows_with_only_a_serial_number_are_skipped(tmp_path):
    rows = [["序号", *HEADER], [1, *ROW_A], [2], [3], [4]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)
    assert report.rows == [(2, A)]
    assert report.rejected == []


def test_notes_below_the_table_are_skipped(tmp_path):
    rows = [
        HEADER, ROW_A, [],
        ["填表说明："],
        ["1、专家编号不能重复；"],
        ["2、电话填写手机号或带区号的固定电话。"],
        ["注：本表一式两份"],
    ]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows, merges=["A4:G4"]), EXPERTS)
    assert report.rows == [(2, A)]
    assert report.rejected == []


def test_a_lonely_text_that_is_not_a_note_is_rejected(tmp_path):
    rows = [HEADER, ROW_A, ["注册会计师协会"]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)
    assert [(p.row, p.reason) for p in report.rejected] == [(3, "「姓名」为空；「联系电话」为空")]


def test_row_problems_name_the_column_and_the_excel_row(tmp_path):
    rows = [
        ["营口市专家库"],
        HEADER,
        ROW_A,
        ["ZJ-003", None, None, "12345", "市级", "2026-02-30", "二十天"],
        ["ZJ-004", "王五", None, "13900000000"],
        [None, "一个名字超过十个字的人的名字", None, "13900000000"],
    ]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows, merges=["A1:G1"]), EXPERTS)
    assert [r for r, _ in report.rows] == [3, 5]
    assert [(p.row, p.reason.split("；")) for p in report.rejected] == [
        (4, [
            "「姓名」为空",
            f"「联系电话」格式不对（“12345”）：应为{PHONE_FORMS}",
            "「县（市）区」不是可选的值：市级。只能填写：市本级、县（市）区、自贸区营口片区",
            "「入库日期」“2026-02-30”这个日期不存在：2026年2月只有28天，请核对日期",
            "「办结时限」不是整数：二十天。请填写阿拉伯数字，如 20 或 20个工作日",
        ]),
        (6, ["「专家编号」为空", "「姓名」太长：14 个字，最多 10 个字，请删减"]),
    ]


def test_duplicates_of_the_unique_keys(tmp_path):
    rows = [HEADER, ROW_A, ROW_B, ["ZJ-001", "张三三", None, "13700000000"],
            ["ZJ-001", "张三", None, "电话"]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)
    assert [r for r, _ in report.rows] == [2, 3]
    assert [(p.row, p.reason) for p in report.rejected] == [
        (4, "与第 2 行重复（专家编号 ZJ-001）"),
        (5, f"「联系电话」格式不对（“电话”）：应为{PHONE_FORMS}；与第 2 行重复（专家编号 ZJ-001）"),
    ]


def test_duplicates_of_a_combination_of_keys(tmp_path):
    spec = SheetSpec("x", (Column("dept", "单位", required=True), Column("name", "姓名"),
                           Column("d", "日期", parse=EXPERTS.column("since").parse)),
                     unique=("dept", "d"))
    rows = [["单位", "姓名", "日期"], ["住建局", "甲", "2026-11-25"], ["住建局", "乙", "2026-11-26"],
            ["住建局", "丙", "2026/11/25"], ["卫健委", "丁", None], ["卫健委", "戊", None]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows), spec)
    assert [(p.row, p.reason) for p in report.rejected] == [
        (4, "与第 2 行重复（单位 住建局，日期 2026-11-25）")]
    assert len(report.rows) == 4  # empty keys are not compared


def test_missing_required_header(tmp_path):
    header = ["专家编号", "姓名", "工作单位", "县（市）区"]
    with pytest.raises(FileFormatError) as e:
        read_xlsx(xlsx(tmp_path / "a.xlsx", [header, ["ZJ-001", "张三"]]), EXPERTS)
    assert str(e.value).startswith("未找到表头：缺少列「联系电话」。请确认表格第一行附近")


def test_no_header_at_all(tmp_path):
    rows = [["甲", "乙"], [1, 2]]
    with pytest.raises(FileFormatError, match="未找到表头：缺少列「专家编号」、「姓名」、「联系电话」"):
        read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)


def test_header_below_row_30_is_not_found(tmp_path):
    rows = [["说明"]] * 30 + [HEADER, ROW_A]
    with pytest.raises(FileFormatError, match="前 30 行内"):
        read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)


def test_empty_workbook(tmp_path):
    with pytest.raises(FileFormatError, match="是空的，没有任何数据"):
        read_xlsx(xlsx(tmp_path / "a.xlsx", []), EXPERTS)


def test_named_sheet(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["填表说明"]], title="说明",
                sheets={"专家库": [HEADER, ROW_A], "旧表": [HEADER, ROW_B]})
    assert read_xlsx(path, EXPERTS, sheet="旧表").rows == [(2, B)]
    report = read_xlsx(path, EXPERTS)  # the first sheet whose header matches
    assert report.sheet == "专家库"
    assert report.rows == [(2, A)]
    with pytest.raises(FileFormatError) as e:
        read_xlsx(path, EXPERTS, sheet="专家")
    assert str(e.value) == ("「a.xlsx」中没有名为「专家」的工作表。文件中的工作表有：「说明」、"
                            "「专家库」、「旧表」。请选择其中一个，或把工作表改名后再导入。")
    with pytest.raises(FileFormatError, match="工作表「说明」中未找到表头"):
        read_xlsx(path, EXPERTS, sheet="说明")


def test_no_sheet_matches_names_the_closest_sheet(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["x"]], title="封面",
                sheets={"专家库": [["专家编号", "姓名"], ["ZJ-001", "张三"]]})
    with pytest.raises(FileFormatError, match="工作表「专家库」中未找到表头：缺少列「联系电话」"):
        read_xlsx(path, EXPERTS)


def test_formula_cells_give_their_cached_values(tmp_path):
    rows = [HEADER, ["ZJ-001", "=\"张\"&\"三\"", None, "13800000000", None, None, "=10+10"],
            ["ZJ-002", "=B2", None, "13800000001"]]
    path = xlsx(tmp_path / "a.xlsx", rows)
    set_cached_values(path, {"G2": "20"})  # B2 and B3 as if never calculated
    report = read_xlsx(path, EXPERTS)
    assert report.rows == []
    assert report.rejected[0].row == 2
    assert report.rejected[0].reason.startswith("「姓名」为空（这一格是公式，但文件中没有保存计算结果")
    set_cached_values(path, {"B2": "张三", "B3": "张三"})
    report = read_xlsx(path, EXPERTS)
    assert [(r, v["name"], v["days"]) for r, v in report.rows] == [(2, "张三", 20), (3, "张三", None)]


def test_formula_error_values_are_reported(tmp_path):
    rows = [HEADER, ["ZJ-001", "张三", None, "13800000000", None, None, "#DIV/0!"]]
    report = read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)
    assert [(p.row, p.reason) for p in report.rejected] == [
        (2, "「办结时限」是公式错误值 #DIV/0!，请在 Excel/WPS 中改正公式后再导入")]


def test_too_many_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_DATA_ROWS", 3)
    rows = [HEADER] + [[f"ZJ-{i:03}", "张三", None, "13800000000"] for i in range(4)]
    with pytest.raises(FileFormatError, match="超过 3 行的上限"):
        read_xlsx(xlsx(tmp_path / "a.xlsx", rows), EXPERTS)
    assert len(read_xlsx(xlsx(tmp_path / "b.xlsx", rows[:4]), EXPERTS).rows) == 3


def test_a_header_merged_across_two_columns_takes_the_first(tmp_path):
    rows = [["专家编号", "姓名", None, "联系电话"],
            ["ZJ-001", "张三", None, "13800000000"],
            ["ZJ-002", "李四", "（备用）", "13900000000"]]
    path = xlsx(tmp_path / "a.xlsx", rows, merges=["B1:C1", "B2:C2"])
    report = read_xlsx(path, EXPERTS)
    assert [(r, v["name"]) for r, v in report.rows] == [(2, "张三"), (3, "李四")]
    assert report.ignored_columns == []


def test_section_headings_merged_across_the_row_are_skipped(tmp_path):
    rows = [HEADER, ["一、市住建局（1人）"], ROW_A, ["二、市卫健委（1人）"], ROW_B]
    path = xlsx(tmp_path / "a.xlsx", rows, merges=["A2:G2", "A4:C4"])
    report = read_xlsx(path, EXPERTS)
    assert report.rows == [(3, A), (5, B)]
    assert report.rejected == []
