"""A bundle beyond a gap it does not cover is held (kept in <home>/held, not applied) and is
applied automatically, through the CLI, once the missing bundle has been imported."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.cli import main
from app.models import ApprovalResult, OfficeKey
from app.services import results
from app.services.exchange import bundle, keys
from tests.conftest import a_result_input
from tests.services.exchange.conftest import export, logical_dump
from tests.services.exchange.corpus import Parts, forge, load_keys


def test_held_bundle_follows_the_missing_one(world, tmp_path, frozen, capsys):
    ap, zj = world.ap, world.zj
    with ap.session() as s:
        r = results.record(s, a_result_input(), office=ap.office(s), operator="王芳")
        results.push(s, r, office=ap.office(s), operator="王芳")
        s.commit()
    b1 = export(ap, "YK-ZJJ", tmp_path)
    with zj.session() as s:
        own = keys.decryption_key(s.scalar(select(OfficeKey)))
    payload = bundle.decrypt(bundle.read_envelope(b1.read_bytes()), own)
    sign, enc = load_keys(world)
    later = tmp_path / "b2.json"  # bundle 2, validly signed, claiming to cover only itself
    later.write_bytes(forge(Parts(sign, enc, payload, b"", {}, b""),
                            lambda pl: pl.update(sequence=2, covers_from=2, messages=[])))

    before = logical_dump(zj)
    assert main(["--home", str(zj.path), "bundle", "import", str(later)]) == 1
    err = capsys.readouterr().err
    assert "缺少来自 营口市行政审批局 的第 1 号数据包" in err and "暂存" in err
    assert logical_dump(zj) == before
    held = list((zj.path / "held").glob("*.report.json"))
    assert len(held) == 1 and json.loads(held[0].read_text())["status"] == "held"

    assert main(["--home", str(zj.path), "bundle", "import", str(b1)]) == 0
    out = capsys.readouterr().out
    assert "第 1 号数据包" in out and "第 2 号数据包" in out
    assert list((zj.path / "held").glob("*.json")) == []
    with zj.session() as s:
        assert s.scalar(select(ApprovalResult.id)) == r.id
