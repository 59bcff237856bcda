"""An export killed between the rename and the commit leaves an *orphan*: a complete, signed
bundle the sender's database does not record; the next export re-uses its sequence number.
Carried to the peer anyway, it must not make a message get lost (app/services/exchange/reissue.py).

The kill is played by rolling the export's transaction back after the file is written — exactly
what the database holds after a kill at that point (tests/test_crash.py kills it for real)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.models import ExchangeChannel
from app.services import rules
from app.services.exchange import exporter, importer
from tests.services.exchange.conftest import (
    Home,
    act,
    counts,
    export,
    import_file,
    last_seq,
    logical_dump,
    payload_at,
    push,
    ship,
    statuses,
    unacked,
)


def orphan(src: Home, to: str, folder: Path, stick: Path) -> Path:
    """Export, copy the file to the stick, then lose the transaction (killed before the commit)."""
    with src.session() as s:
        summary = exporter.export_bundle(s, src.office(s), src.office(s, to), folder=folder)
        s.rollback()
    stick.mkdir(exist_ok=True)
    return Path(shutil.copy(summary.path, stick / f"orphan-{summary.bundle_id}.json"))


def test_orphan_first_then_the_re_export(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    r1 = push(ap, frozen, datetime(2026, 11, 25, 10, 0), 1)
    lost = orphan(ap, "YK-ZJJ", tmp_path, tmp_path / "stick")
    assert last_seq(ap, "YK-SPJ", "YK-ZJJ") == 0  # the bureau's database never saw it
    r2 = push(ap, frozen, datetime(2026, 11, 25, 11, 0), 2)
    again = export(ap, "YK-ZJJ", tmp_path)  # the same number again, now with r2 too
    assert payload_at(zj, again)["sequence"] == payload_at(zj, lost)["sequence"] == 1

    assert import_file(zj, lost).status == importer.APPLIED  # the orphan travelled first
    assert counts(zj) == (1, 1)
    report = import_file(zj, again)  # the newer bundle with the same number is applied too
    assert report.status == importer.APPLIED, report.message
    assert "重新导出" in report.message
    assert sorted(o.outcome for o in report.outcomes) == ["created", "unchanged"]
    assert counts(zj) == counts(ap) == (2, 2)
    assert import_file(zj, lost).status == importer.ALREADY  # and the orphan is not taken twice

    path = export(zj, "YK-SPJ", tmp_path)
    assert payload_at(ap, path)["ack"]["through_sequence"] == 1
    assert import_file(ap, path).status == importer.APPLIED
    assert unacked(ap) == 0  # the acknowledgement names the re-export: confirmed
    act(zj, r1, "sign_off")
    act(zj, r2, "sign_off")
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    assert statuses(ap) == statuses(zj) == {str(r1): rules.SIGNED_OFF, str(r2): rules.SIGNED_OFF}


def test_orphan_acknowledged_before_the_sender_exports_again(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    r1 = push(ap, frozen, datetime(2026, 11, 25, 10, 0), 1)
    lost = orphan(ap, "YK-ZJJ", tmp_path, tmp_path / "stick")
    assert import_file(zj, lost).status == importer.APPLIED
    act(zj, r1, "sign_off")

    # The department acknowledges number 1, which the bureau's database never recorded: no
    # error — the sign-off is applied, the number counts as used, nothing is confirmed by it.
    path = export(zj, "YK-SPJ", tmp_path)
    ack = payload_at(ap, path)["ack"]
    assert ack["through_sequence"] == 1 and ack["bundle_id"] == lost.stem.removeprefix("orphan-")
    report = import_file(ap, path)
    assert report.status == importer.APPLIED, report.message
    assert statuses(ap) == {str(r1): rules.SIGNED_OFF}
    assert last_seq(ap, "YK-SPJ", "YK-ZJJ") == 1
    assert unacked(ap) == 1  # the push is still owed: only number 1's orphan carried it

    r2 = push(ap, frozen, datetime(2026, 11, 25, 14, 0), 2)
    path = export(ap, "YK-ZJJ", tmp_path)
    assert payload_at(zj, path)["sequence"] == 2  # not 1 again
    report = import_file(zj, path)
    assert report.status == importer.APPLIED, report.message
    assert counts(zj) == counts(ap) == (2, 2)
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    assert unacked(ap) == 0
    act(zj, r2, "sign_off")
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    assert statuses(ap) == statuses(zj)


def test_re_export_first_then_the_orphan(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    push(ap, frozen, datetime(2026, 11, 25, 10, 0), 1)
    lost = orphan(ap, "YK-ZJJ", tmp_path, tmp_path / "stick")
    push(ap, frozen, datetime(2026, 11, 25, 11, 0), 2)
    assert ship(ap, zj, tmp_path).status == importer.APPLIED
    assert counts(zj) == (2, 2)

    before = logical_dump(zj)
    report = import_file(zj, lost)  # the older file of the same number comes late
    assert report.status == importer.ALREADY
    assert "较早生成" in report.message and "未做任何更改" in report.message
    assert logical_dump(zj) == before
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    assert unacked(ap) == 0


def test_orphan_acknowledged_after_the_re_export_is_not_taken_for_it(world, tmp_path, frozen):
    """The peer applied the orphan only (the re-export is still on its way): its acknowledgement
    of number 1 must not confirm the re-export, which carries a message the orphan did not."""
    ap, zj = world.ap, world.zj
    push(ap, frozen, datetime(2026, 11, 25, 10, 0), 1)
    lost = orphan(ap, "YK-ZJJ", tmp_path, tmp_path / "stick")
    push(ap, frozen, datetime(2026, 11, 25, 11, 0), 2)
    on_the_way = export(ap, "YK-ZJJ", tmp_path / "second-stick")
    assert import_file(zj, lost).status == importer.APPLIED
    assert counts(zj) == (1, 1)

    assert ship(zj, ap, tmp_path).status == importer.APPLIED  # acknowledges the orphan's number
    assert unacked(ap) == 2  # the re-export is not confirmed by it: r2 is still owed
    on_the_way.unlink()  # the second stick is lost
    report = ship(ap, zj, tmp_path)  # the next bundle carries both again
    assert report.status == importer.APPLIED, report.message
    assert counts(zj) == counts(ap) == (2, 2)
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    assert unacked(ap) == 0


def test_acknowledgement_of_an_unknown_number_is_still_refused(world, tmp_path, frozen):
    """Only the number right after the last one exported can be an orphan; a larger one is not."""
    ap, zj = world.ap, world.zj
    push(ap, frozen, datetime(2026, 11, 25, 10, 0), 1)
    lost = orphan(ap, "YK-ZJJ", tmp_path, tmp_path / "stick")
    assert import_file(zj, lost).status == importer.APPLIED
    with zj.session() as s:  # as if the department had applied number 2 as well
        ch = s.scalar(select(ExchangeChannel).where(
            ExchangeChannel.sender_office_id == zj.office(s, "YK-SPJ").id,
            ExchangeChannel.addressee_office_id == zj.office(s).id))
        ch.last_seq = 2
        s.commit()
    before = logical_dump(ap)
    report = import_file(ap, export(zj, "YK-SPJ", tmp_path))
    assert report.status == importer.REJECTED
    assert "尚未导出过该序号" in report.message
    assert logical_dump(ap) == before
