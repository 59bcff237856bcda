"""``shenguan keys / roster / bundle`` in three data folders: the oversight office, the approval
bureau and the housing department, each its own installation (``--home``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import cli, ok, with_db

INIT = {
    "ys": ("YK-YSJ", "营口市营商环境建设局", "oversight"),
    "ap": ("YK-SPJ", "营口市行政审批局", "approval"),
    "zj": ("YK-ZJJ", "营口市住房和城乡建设局", "competent"),
}


def fingerprint(capsys, home: Path) -> str:
    return json.loads(ok(capsys, home, "keys", "show", "--json"))["fingerprint"]


@pytest.fixture
def homes(tmp_path, capsys, frozen) -> dict[str, Path]:
    """Three installations; keys registered at the oversight office; roster v1 imported."""
    made = {}
    for name, (code, office, role) in INIT.items():
        home = tmp_path / name
        out = ok(capsys, home, "init", "--code", code, "--name", office, "--role", role,
                 "--jurisdiction", "市本级", "--operator", f"{name}经办人")
        assert "密钥指纹：" in out
        made[name] = home
    for name in ("ap", "zj"):
        reg = tmp_path / f"{name}.key.json"
        ok(capsys, made[name], "keys", "export", "--out", reg)
        out = ok(capsys, made["ys"], "roster", "add", reg, "--fingerprint", fingerprint(capsys, made[name]))
        assert "已登记" in out
    ok(capsys, made["ys"], "roster", "publish", "--out", tmp_path / "roster-1.json")
    fp = fingerprint(capsys, made["ys"])
    for name in ("ap", "zj"):
        ok(capsys, made[name], "roster", "import", tmp_path / "roster-1.json", "--fingerprint", fp)
    return made


def test_keys_show_never_prints_private_keys(tmp_path, capsys, frozen):
    home = tmp_path / "ap"
    ok(capsys, home, "init", "--code", "YK-SPJ", "--name", "营口市行政审批局", "--role", "approval",
       "--jurisdiction", "市本级")
    from app.models import OfficeKey
    from app.services.exchange.keys import b64

    secrets = with_db(home, lambda s: [(k.sign_private, k.encrypt_private) for k in s.query(OfficeKey)])[0]
    shown = ok(capsys, home, "keys", "show") + ok(capsys, home, "keys", "show", "--json")
    ok(capsys, home, "keys", "export", "--out", tmp_path / "reg.json", "--form", tmp_path / "form.txt")
    written = (tmp_path / "reg.json").read_text() + (tmp_path / "form.txt").read_text()
    for secret in secrets:
        for text in (shown, written):
            assert b64(secret) not in text and secret.hex() not in text
    assert "密钥指纹：" in (tmp_path / "form.txt").read_text()
    assert "已有密钥" in ok(capsys, home, "keys", "generate")


def test_roster_loop(homes, tmp_path, capsys):
    rows = json.loads(ok(capsys, homes["ap"], "roster", "show", "--json"))
    assert rows["version"] == 1 and [e["code"] for e in rows["entries"]] == ["YK-SPJ", "YK-YSJ", "YK-ZJJ"]
    assert "已导入过" in ok(capsys, homes["ap"], "roster", "import", tmp_path / "roster-1.json")
    ok(capsys, homes["ys"], "roster", "publish", "--out", tmp_path / "roster-2.json")
    assert "第 2 版" in ok(capsys, homes["ap"], "roster", "import", tmp_path / "roster-2.json")
    rc, out, err = cli(capsys, homes["ap"], "roster", "import", tmp_path / "roster-1.json")
    assert rc == 1 and out == "" and err.startswith("错误：") and "回退" in err


def test_roster_first_import_refuses_without_or_with_wrong_fingerprint(homes, tmp_path, capsys):
    fresh = tmp_path / "fresh"
    ok(capsys, fresh, "init", "--code", "YK-SJJ", "--name", "营口市市场监督管理局", "--role", "competent",
       "--jurisdiction", "市本级")
    rc, _, err = cli(capsys, fresh, "roster", "import", tmp_path / "roster-1.json")
    assert rc == 1 and "--fingerprint" in err and fingerprint(capsys, homes["ys"]) in err
    rc, _, err = cli(capsys, fresh, "roster", "import", tmp_path / "roster-1.json", "--fingerprint", "12")
    assert rc == 2 and "40 位十六进制" in err
    rc, _, err = cli(capsys, fresh, "roster", "import", tmp_path / "roster-1.json",
                     "--fingerprint", "ABCD" * 10)
    assert rc == 1 and "不一致" in err


def test_roster_add_refuses_a_mismatching_paper_fingerprint_and_non_oversight(homes, tmp_path, capsys):
    reg = tmp_path / "ap.key.json"
    rc, _, err = cli(capsys, homes["ys"], "roster", "add", reg, "--fingerprint", "ABCD" * 10)
    assert rc == 1 and "不一致" in err
    rc, _, err = cli(capsys, homes["ap"], "roster", "add", reg)
    assert rc == 1 and "营商环境建设主管部门" in err
    rc, _, err = cli(capsys, homes["ys"], "roster", "add", tmp_path / "missing.json")
    assert rc == 1 and "找不到文件" in err
    (tmp_path / "junk.json").write_bytes(b"\xff\xfe junk")
    rc, _, err = cli(capsys, homes["ys"], "roster", "add", tmp_path / "junk.json")
    assert rc == 1 and "UTF-8" in err and err.count("\n") == 1
