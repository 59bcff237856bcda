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


# -- bundles: the Art. 17 loop between two installations -----------------------------------------


def _add_item(home: Path) -> None:
    from app.models import LicensingItem, Office

    def add(s):
        zj = s.query(Office).filter_by(code="YK-ZJJ").one()
        s.add(LicensingItem(code="ZJ-001", name="建筑工程施工许可证核发", competent_office_id=zj.id))

    with_db(home, add)


def test_bundle_loop_through_the_cli(homes, tmp_path, capsys, frozen):
    from datetime import datetime

    from tests.test_cli import RECORD, record, show

    ap, zj = homes["ap"], homes["zj"]
    _add_item(ap)
    rid = record(capsys, ap)
    assert RECORD  # the same push sheet as the single-database tests
    frozen(datetime(2026, 11, 25, 15, 0))
    ok(capsys, ap, "results", "push", rid)
    status = json.loads(ok(capsys, ap, "bundle", "status", "--json"))
    assert {r["code"]: r["waiting"] for r in status}["YK-ZJJ"] == 1

    out = ok(capsys, ap, "bundle", "export", "--to", "YK-ZJJ", "--out", tmp_path)
    assert "第 1 号数据包" in out
    b1 = tmp_path / "YK-SPJ-to-YK-ZJJ-000001.json"
    header = json.loads(b1.read_text())["header"]
    assert (header["sender"], header["addressee"], header["sequence"], header["message_count"]) == (
        "YK-SPJ", "YK-ZJJ", 1, 1)
    assert "营口市鲅鱼圈区海兴建筑有限公司" not in b1.read_text()  # the push sheet is encrypted

    info = json.loads(ok(capsys, zj, "bundle", "inspect", b1, "--json"))
    assert info["signature"] == "valid" and info["messages"][0]["applicant"] == "营口市鲅鱼圈区海兴建筑有限公司"
    preview = json.loads(ok(capsys, zj, "bundle", "import", b1, "--dry-run", "--json"))
    assert preview["status"] == "preview" and preview["counts"]["created"] == 1
    assert "已导入来自 营口市行政审批局 的第 1 号数据包" in ok(capsys, zj, "bundle", "import", b1)
    assert "导入过，未做任何更改" in ok(capsys, zj, "bundle", "import", b1)  # exit 0
    assert show(capsys, zj, rid)["holder_name"] == "营口市住房和城乡建设局"

    frozen(datetime(2026, 11, 26, 9, 0))
    ok(capsys, zj, "--operator", "赵强", "results", "sign-off", rid)
    ok(capsys, zj, "bundle", "export", "--to", "YK-SPJ", "--out", tmp_path / "back.json")
    out = ok(capsys, ap, "bundle", "import", tmp_path / "back.json")
    assert "更新 1 条" in out and "对方确认收到本单位消息 1 条" in out
    detail = show(capsys, ap, rid)
    assert detail["status"] == "signed_off" and detail["holder_name"] == "营口市住房和城乡建设局"
    assert [(e["action"], e["operator"]) for e in detail["timeline"]] == [
        ("create", "ap经办人"), ("send", "ap经办人"), ("sign_off", "赵强")]
    status = {r["code"]: r for r in json.loads(ok(capsys, ap, "bundle", "status", "--json"))}["YK-ZJJ"]
    assert (status["waiting"], status["unacknowledged"], status["acked"], status["last_received"]) == (0, 0, 1, 1)


def test_refused_bundle_is_quarantined_with_a_report(homes, tmp_path, capsys, frozen):
    ap, zj = homes["ap"], homes["zj"]
    ok(capsys, ap, "bundle", "export", "--to", "YK-ZJJ", "--out", tmp_path / "b.json")
    doc = json.loads((tmp_path / "b.json").read_text())
    doc["header"]["sequence"] = 2
    (tmp_path / "forged.json").write_text(json.dumps(doc))
    rc, out, err = cli(capsys, zj, "bundle", "import", tmp_path / "forged.json")
    assert rc == 1 and out == "" and err.startswith("错误：签名无效") and err.count("\n") == 1
    kept = list((zj / "quarantine").glob("*.json"))
    assert len(kept) == 2  # the file and its report
    report = json.loads(next(p for p in kept if p.name.endswith(".report.json")).read_text())
    assert report["status"] == "rejected" and "签名无效" in report["message"]
    rc, out, err = cli(capsys, ap, "bundle", "import", tmp_path / "b.json")  # not addressed to us
    assert rc == 1 and "不是本单位" in err
    rc, _, err = cli(capsys, zj, "bundle", "export", "--to", "YK-XXX", "--out", tmp_path / "x.json")
    assert rc == 1 and "YK-XXX" in err
