"""``shenguan experts|agencies|liaison …`` and ``catalogue import-xlsx|export-xlsx``, in process."""

from __future__ import annotations

import json

from app.services import offices
from app.services.lists_sheets import AGENCIES, EXPERTS, LIAISON
from app.services.spreadsheets import read_xlsx
from tests.conftest import valid_uscc
from tests.services.spreadsheets.xlsxbuild import xlsx
from tests.test_cli import bureau, cli, home, make_local, ok, with_db  # noqa: F401  (fixtures)

USCC = valid_uscc()
SHEETS = {"experts": EXPERTS, "agencies": AGENCIES, "liaison": LIAISON}


def one_line_error(capsys, where, *args, rc=(1, 2)) -> str:
    code, out, err = cli(capsys, where, *args)
    assert code in rc and err.startswith("错误：") and err.count("\n") == 1, (code, out, err)
    return err


def test_experts_and_agencies(bureau, tmp_path, capsys):  # noqa: F811
    out = ok(capsys, bureau, "experts", "add", "--name", "张伟", "--specialty", "建筑结构", "--phone", "13904170001",
             "--office", "YK-ZJJ", "--valid-until", "2026-12-10")
    assert "已添加专家 张伟" in out
    ok(capsys, bureau, "experts", "add", "--name", "李娜", "--specialty", "食品安全", "--office", "YK-SJJ",
       "--valid-until", "2030-01-01")
    rows = json.loads(ok(capsys, bureau, "experts", "list", "--json"))
    assert sorted(r["name"] for r in rows) == ["张伟", "李娜"]
    assert [r["name"] for r in json.loads(ok(capsys, bureau, "experts", "list", "--search", "食品", "--json"))] == ["李娜"]
    assert [r["name"] for r in json.loads(ok(capsys, bureau, "experts", "list", "--office", "YK-ZJJ", "--json"))] == ["张伟"]
    soon = json.loads(ok(capsys, bureau, "experts", "list", "--expiring", "30", "--json"))
    assert [r["name"] for r in soon] == ["张伟"]
    assert "张伟" in ok(capsys, bureau, "experts", "list")
    zhang = next(r for r in rows if r["name"] == "张伟")["id"]
    assert "已停用专家 张伟" in ok(capsys, bureau, "experts", "deactivate", zhang[:8], "--note", "调离")
    assert "张伟" not in ok(capsys, bureau, "experts", "list")
    assert "已停用" in ok(capsys, bureau, "experts", "list", "--all")

    ok(capsys, bureau, "agencies", "add", "--name", "营口市华信工程咨询有限公司", "--credit-code", USCC,
       "--scope", "工程造价咨询", "--office", "YK-ZJJ")
    assert "华信" in ok(capsys, bureau, "agencies", "list", "--search", "造价")
    for args, words in [
        (("agencies", "add", "--name", "x", "--credit-code", "123"), "18位"),
        (("agencies", "add", "--name", "x", "--credit-code", USCC), "已有"),
        (("experts", "add", "--name", "x", "--phone", "123"), "电话"),
        (("experts", "add", "--name", "x", "--office", "YK-SPJ"), "不是行政主管部门"),
        (("experts", "deactivate", "1234"), "至少 8 位"),
        (("experts", "deactivate", "00000000"), "没有编号"),
        (("experts", "list", "--office", "YK-NONE"), "YK-NONE"),
    ]:
        assert words in one_line_error(capsys, bureau, *args)


def test_liaison_commands(bureau, capsys):  # noqa: F811
    out = ok(capsys, bureau, "liaison", "add", "--office", "YK-SPJ", "--name", "刘洋", "--phone", "13904170001",
             "--duties", "数据维护")
    assert "当前联络员" in out
    ok(capsys, bureau, "liaison", "add", "--office", "YK-SPJ", "--name", "陈静", "--phone", "0417-2345678")
    rows = json.loads(ok(capsys, bureau, "liaison", "list", "--office", "YK-SPJ", "--json"))
    assert [(r["name"], r["current"]) for r in rows] == [("刘洋", True), ("陈静", False)]
    chen = rows[1]["id"]
    assert "当前联络员为 陈静" in ok(capsys, bureau, "liaison", "set-current", chen)
    spj = with_db(bureau, lambda s: offices.current_liaison(s, offices.office_by_code(s, "YK-SPJ").id).name)
    assert spj == "陈静"
    listed = {o["code"]: o["liaison"] for o in json.loads(ok(capsys, bureau, "offices", "list", "--json"))}
    assert listed["YK-SPJ"] == "陈静"
    assert "请先把另一位" in one_line_error(capsys, bureau, "liaison", "deactivate", chen)
    assert "电话" in one_line_error(capsys, bureau, "liaison", "add", "--office", "YK-SPJ", "--name", "x",
                                    "--phone", "12")
    assert "◀ 当前" in ok(capsys, bureau, "liaison", "list")


def test_xlsx_import_preview_refusal_and_round_trip(bureau, tmp_path, capsys):  # noqa: F811
    f = xlsx(tmp_path / "专家.xlsx", [
        ["姓名", "专业领域", "联系电话", "推荐单位", "有效期至"],
        ["张伟", "建筑结构", "13904170001", "营口市住房和城乡建设局", "2027-12-31"],
        ["李娜", "食品安全", "12345", "YK-SJJ", None],
    ])
    out = ok(capsys, bureau, "experts", "import-xlsx", f, "--dry-run")
    assert "第 2 行：新增 张伟" in out and "第 3 行有问题" in out and "未保存" in out
    code, out, err = cli(capsys, bureau, "experts", "import-xlsx", f)
    assert code == 2 and "第 3 行有问题" in out and "未导入任何数据" in err and err.count("\n") == 1
    assert json.loads(ok(capsys, bureau, "experts", "list", "--json")) == []
    assert "已导入 1 行" in ok(capsys, bureau, "experts", "import-xlsx", f, "--skip-bad")
    out_file = tmp_path / "导出.xlsx"
    assert "已导出 1 行" in ok(capsys, bureau, "experts", "export-xlsx", "--out", out_file)
    assert "新增 0，更新 1" in ok(capsys, bureau, "experts", "import-xlsx", out_file)
    assert len(json.loads(ok(capsys, bureau, "experts", "list", "--json"))) == 1
    for name in ("agencies", "liaison"):
        assert "已导出 0 行" in ok(capsys, bureau, name, "export-xlsx", "--out", tmp_path / f"{name}.xlsx")
        assert "没有数据行" in one_line_error(capsys, bureau, name, "import-xlsx", tmp_path / f"{name}.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes("姓名,电话\n".encode("gbk"))
    assert "文本文件" in one_line_error(capsys, bureau, "experts", "import-xlsx", bad)
    assert "找不到文件" in one_line_error(capsys, bureau, "agencies", "import-xlsx", tmp_path / "none.xlsx")


def test_catalogue_xlsx(bureau, tmp_path, capsys):  # noqa: F811
    with_db(bureau, lambda s: offices.add_office(s, "YK-YSJ", "营口市营商环境建设局", "oversight", "市本级"))
    make_local(bureau, "YK-YSJ")
    ok(capsys, bureau, "catalogue", "new", "--title", "营口市相对集中行政许可事项清单（2027年版）", "--as", "YK-YSJ")
    f = xlsx(tmp_path / "清单.xlsx", [
        ["事项编码", "事项名称", "事项类别", "主管部门", "层级"],
        ["ZJ-001", "建筑工程施工许可证核发", "行政许可", "营口市住房和城乡建设局", "市本级"],
        ["SJ-001", "食品经营许可", "行政许可", "YK-SJJ", "县（市）区"],
    ])
    assert "可以导入 2 行" in ok(capsys, bureau, "catalogue", "import-xlsx", 1, f, "--dry-run")
    assert "新增 2" in ok(capsys, bureau, "catalogue", "import-xlsx", 1, f)
    items = json.loads(ok(capsys, bureau, "catalogue", "show", 1, "--json"))["items"]
    assert [(i["code"], i["level_label"]) for i in items] == [("SJ-001", "县（市）区"), ("ZJ-001", "市本级")]
    err = one_line_error(capsys, bureau, "catalogue", "import-xlsx", 1, f)
    assert "2 行有问题" in err
    assert "已导出 2 行" in ok(capsys, bureau, "catalogue", "export-xlsx", 1, "--out", tmp_path / "c.xlsx")
    assert "第 9 版" in one_line_error(capsys, bureau, "catalogue", "export-xlsx", 9, "--out", tmp_path / "x.xlsx")


def test_lists_mask_phones_text_and_json(bureau, tmp_path, capsys):  # noqa: F811
    """Issue 7: experts, agencies, liaison officers and ``offices list`` show phones masked, in
    the table and in --json (the same key, like ``results list --json``); the export keeps them."""
    ok(capsys, bureau, "experts", "add", "--name", "张伟", "--phone", "13904170001", "--office", "YK-ZJJ",
       "--note", "身份证 210802199001011234")
    ok(capsys, bureau, "agencies", "add", "--name", "营口市华信工程咨询有限公司", "--credit-code", USCC,
       "--contact", "刘洋", "--phone", "0417-2345678")
    ok(capsys, bureau, "liaison", "add", "--office", "YK-SPJ", "--name", "陈静", "--phone", "13904172222")
    cases = [("experts", "13904170001", "139****0001"), ("agencies", "0417-2345678", "0417-***5678"),
             ("liaison", "13904172222", "139****2222")]
    for name, full, masked in cases:
        text = ok(capsys, bureau, name, "list")
        raw = ok(capsys, bureau, name, "list", "--json")
        assert full not in text and masked in text, name
        assert full not in raw and [r["phone"] for r in json.loads(raw)] == [masked], name
        ok(capsys, bureau, name, "export-xlsx", "--out", tmp_path / f"{name}.xlsx")
        assert full in str(read_xlsx(tmp_path / f"{name}.xlsx", SHEETS[name]).rows), name  # the round trip
    experts = json.loads(ok(capsys, bureau, "experts", "list", "--json"))
    assert experts[0]["note"] == "身份证 210802********1234"
    assert json.loads(ok(capsys, bureau, "agencies", "list", "--json"))[0]["credit_code"] == USCC  # public
    text = ok(capsys, bureau, "offices", "list")
    raw = ok(capsys, bureau, "offices", "list", "--json")
    assert "13904172222" not in text + raw and "陈静 139****2222" in text
    spj = next(o for o in json.loads(raw) if o["code"] == "YK-SPJ")
    assert (spj["liaison"], spj["liaison_phone"]) == ("陈静", "139****2222")
