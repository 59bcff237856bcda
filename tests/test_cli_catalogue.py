"""``shenguan catalogue …``: the oversight office's versions and their publication, the housing
department importing them (three data folders, as in tests/test_cli_exchange.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.backends import child_env
from tests.test_cli import ROOT, cli, ok
from tests.test_cli_exchange import homes  # noqa: F401  (the three-office fixture)

TITLE = "营口市相对集中行政许可事项清单（2027年版）"


def draft(capsys, ys, *extra) -> None:
    out = ok(capsys, ys, "catalogue", "new", "--title", TITLE, *extra)
    assert "已新建第" in out


def enact(capsys, ys, n: int) -> None:
    ok(capsys, ys, "catalogue", "opinion", n, "--office", "YK-SPJ", "--agree", "--text", "同意")
    ok(capsys, ys, "catalogue", "opinion", n, "--office", "YK-ZJJ", "--disagree", "--text", "ZJ-002 暂缓")
    assert "已评估论证" in ok(capsys, ys, "catalogue", "evaluate", n)
    out = ok(capsys, ys, "catalogue", "approve", n, "--doc-number", f"营政发[2026]{n}号", "--date", "2026-11-24")
    assert f"营政发〔2026〕{n}号" in out
    out = ok(capsys, ys, "catalogue", "enforce", n, "--from", "2026-11-25")
    assert "起实施" in out


def test_catalogue_loop(homes, tmp_path, capsys):  # noqa: F811
    ys, zj = homes["ys"], homes["zj"]
    draft(capsys, ys)
    for code, name, level in (("ZJ-001", "建筑工程施工许可证核发", "市本级"), ("ZJ-002", "消防设计审查", "county")):
        ok(capsys, ys, "catalogue", "add-item", 1, "--code", code, "--name", name, "--category", "行政许可",
           "--competent", "YK-ZJJ", "--level", level)
    enact(capsys, ys, 1)
    assert "辽宁省人民政府" in ok(capsys, ys, "catalogue", "file", 1, "--date", "2026-11-25", "--with", "辽宁省人民政府")
    ok(capsys, ys, "catalogue", "publish", 1, "--out", tmp_path / "cat-1.json")

    out = ok(capsys, zj, "catalogue", "import", tmp_path / "cat-1.json")
    assert "已导入第 1 版清单" in out and "新增 2" in out
    current = json.loads(ok(capsys, zj, "catalogue", "current", "--json"))["current"]
    assert (current["number"], current["status"], current["entries"]) == (1, "filed", 2)
    assert "已是此版本" in ok(capsys, zj, "catalogue", "import", tmp_path / "cat-1.json")
    assert "本单位执行第 1 版清单" in ok(capsys, zj, "catalogue", "current")

    draft(capsys, ys, "--from", "1")
    ok(capsys, ys, "catalogue", "remove-item", 2, "ZJ-002")
    ok(capsys, ys, "catalogue", "edit-item", 2, "ZJ-001", "--name", "建筑工程施工许可")
    enact(capsys, ys, 2)
    diff = json.loads(ok(capsys, ys, "catalogue", "diff", 1, 2, "--json"))
    assert [r["code"] for r in diff["removed"]] == ["ZJ-002"] and diff["changed"][0]["fields"]["name"][1] == "建筑工程施工许可"
    assert "删除 1 项" in ok(capsys, ys, "catalogue", "diff", 1, 2)
    versions = json.loads(ok(capsys, ys, "catalogue", "versions", "--json"))
    assert [v["status"] for v in versions["versions"]] == ["superseded", "in_force"] and versions["current"] == 2
    assert "已被新版替代" in ok(capsys, ys, "catalogue", "versions")
    shown = json.loads(ok(capsys, ys, "catalogue", "show", 2, "--json"))
    assert [i["code"] for i in shown["items"]] == ["ZJ-001"] and len(shown["opinions"]) == 2
    assert "不同意：ZJ-002 暂缓" in ok(capsys, ys, "catalogue", "show", 2)
    ok(capsys, ys, "catalogue", "publish", 2, "--out", tmp_path / "cat-2.json")
    assert "停用 1" in ok(capsys, zj, "catalogue", "import", tmp_path / "cat-2.json")

    rc, out, err = cli(capsys, zj, "catalogue", "import", tmp_path / "cat-1.json")
    assert rc == 1 and out == "" and err.startswith("错误：") and "回退" in err and err.count("\n") == 1


def test_errors_are_one_line(homes, tmp_path, capsys):  # noqa: F811
    ys, zj = homes["ys"], homes["zj"]
    draft(capsys, ys)
    for args, words in [
        (("catalogue", "approve", 1, "--doc-number", "营政发〔2026〕1号", "--date", "2026-11-24"), "草案"),
        (("catalogue", "evaluate", 1), "还没有事项"),
        (("catalogue", "add-item", 1, "--code", "ZJ-001", "--name", "x", "--competent", "YK-NONE"), "YK-NONE"),
        (("catalogue", "show", 9), "第 9 版"),
        (("catalogue", "publish", 1, "--out", tmp_path / "x.json"), "不在实施中"),
        (("catalogue", "import", tmp_path / "missing.json"), "找不到文件"),
    ]:
        rc, out, err = cli(capsys, ys, *args)
        assert rc in (1, 2) and out == "" and err.startswith("错误：") and words in err, err
        assert err.count("\n") == 1 and "Traceback" not in err
    rc, _, err = cli(capsys, zj, "catalogue", "new", "--title", TITLE)
    assert rc == 1 and "营商环境建设主管部门" in err
    (tmp_path / "bad.json").write_text('{"format": "shenguan-catalogue",', encoding="utf-8")
    rc, _, err = cli(capsys, zj, "catalogue", "import", tmp_path / "bad.json")
    assert rc == 1 and "不是完整有效的 JSON" in err
    rc, _, err = cli(capsys, ys, "catalogue", "opinion", 1, "--office", "YK-SPJ")
    assert rc == 2 and err.startswith("错误：")


def test_catalogue_current_in_a_subprocess(tmp_path):
    home = tmp_path / "sg"
    run = subprocess.run([sys.executable, "-m", "app.cli", "--home", str(home), "catalogue", "current"],
                         cwd=ROOT, env=child_env(home), capture_output=True, text=True,
                         encoding="utf-8", timeout=120)
    assert run.returncode == 0 and "尚未执行任何版本" in run.stdout, run.stderr
