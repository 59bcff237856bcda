"""The exchange after a restore, through real bundles between two installations: the restored
department's sequence jumps past what the bureau has seen, its signed notice makes the bureau
send again what the department lost, and both sides converge with nothing lost or duplicated."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.db import open_database
from app.services import backups, restore, rules
from app.services.exchange import importer, resync
from tests.services.exchange.conftest import (
    Home,
    act,
    counts,
    export,
    import_file,
    last_seq,
    payload_at,
    push,
    ship,
    statuses,
    unacked,
)

pytestmark = pytest.mark.sqlite_only("restores a SQLite file (a server is restored by pg_restore)")


def restore_home(home: Home, name: str) -> Home:
    home.db.engine.dispose()
    restore.restore(home.path / "shenguan.db", home.path / "backups", name)
    home.db = open_database(f"sqlite:///{home.path / 'shenguan.db'}", home.path / "backups")
    return home


def history_before_restore(world, tmp_path, frozen) -> tuple[list, str]:
    """Push → department backs up → more steps both ways, all acknowledged on both sides."""
    ap, zj = world.ap, world.zj
    r1 = push(ap, frozen, datetime(2026, 11, 25, 15, 0), 1)
    assert ship(ap, zj, tmp_path).status == importer.APPLIED
    kept = backups.create(zj.path / "shenguan.db", zj.path / "backups", label="签收前").name
    frozen(datetime(2026, 11, 26, 9, 0))
    act(zj, r1, "sign_off")
    r2 = push(ap, frozen, datetime(2026, 11, 26, 10, 0), 2)
    assert ship(zj, ap, tmp_path).status == importer.APPLIED  # the sign-off; acks the first push
    assert ship(ap, zj, tmp_path).status == importer.APPLIED  # the second push
    r3 = push(ap, frozen, datetime(2026, 11, 26, 11, 0), 3)
    assert ship(ap, zj, tmp_path).status == importer.APPLIED  # the third push
    act(zj, r2, "sign_off")
    assert ship(zj, ap, tmp_path).status == importer.APPLIED  # acks both: the bureau forgets them
    assert unacked(ap) == 0
    assert statuses(zj) == statuses(ap)
    return [r1, r2, r3], kept


def test_restore_then_exchange_converges(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    (r1, r2, r3), kept = history_before_restore(world, tmp_path, frozen)
    seen_by_ap = last_seq(ap, "YK-ZJJ", "YK-SPJ")
    restore_home(zj, kept)
    assert counts(zj) == (1, 1) and statuses(zj) == {str(r1): rules.SENT}
    assert last_seq(zj, "YK-ZJJ", "YK-SPJ") < seen_by_ap  # behind what the bureau has seen

    frozen(datetime(2026, 11, 27, 9, 0))
    path = export(zj, "YK-SPJ", tmp_path)  # the department speaks first after the restore
    payload = payload_at(ap, path)
    assert payload["sequence"] == last_seq(zj, "YK-ZJJ", "YK-SPJ")
    assert payload["sequence"] > seen_by_ap
    assert payload["restored"]["resend_after"] == 1  # the last bundle from the bureau it holds
    report = import_file(ap, path)
    assert report.status == importer.APPLIED, report.message
    assert "从备份恢复" in report.message and "2 条消息重新列入发件箱" in report.message

    report = ship(ap, zj, tmp_path)  # the bureau sends again the two pushes the department lost
    assert report.status == importer.APPLIED, report.message
    assert sorted(o.outcome for o in report.outcomes) == ["created", "created"]
    assert counts(zj) == counts(ap) == (3, 3)  # nothing lost, nothing twice

    # The department's own steps after the backup are gone: it signs off again; the bureau
    # already has those steps and keeps them.
    act(zj, r1, "sign_off")
    act(zj, r2, "sign_off")
    report = ship(zj, ap, tmp_path)
    assert report.status == importer.APPLIED, report.message
    assert statuses(zj) == statuses(ap)
    assert statuses(ap) == {str(r1): rules.SIGNED_OFF, str(r2): rules.SIGNED_OFF, str(r3): rules.SENT}
    assert ship(ap, zj, tmp_path).status == importer.APPLIED
    assert unacked(ap) == unacked(zj) == 0

    # In step again: the notice has done its work, numbers go on by one.
    before = last_seq(zj, "YK-ZJJ", "YK-SPJ")
    path = export(zj, "YK-SPJ", tmp_path)
    payload = payload_at(ap, path)
    assert "restored" not in payload and payload["sequence"] == before + 1
    assert import_file(ap, path).status == importer.APPLIED
    act(zj, r3, "sign_off")
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    assert statuses(zj) == statuses(ap) and set(statuses(ap).values()) == {rules.SIGNED_OFF}


def test_peer_speaks_first_after_the_restore(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    (r1, r2, r3), kept = history_before_restore(world, tmp_path, frozen)
    restore_home(zj, kept)
    r4 = push(ap, frozen, datetime(2026, 11, 27, 9, 0), 4)
    first = export(ap, "YK-ZJJ", tmp_path)
    report = import_file(zj, first)  # it assumes the department has r2, r3: held, not applied
    assert report.status == importer.HELD, report.message
    assert "缺少" in report.message

    path = export(zj, "YK-SPJ", tmp_path)
    assert payload_at(ap, path)["restored"]["resend_after"] == 1
    assert import_file(ap, path).status == importer.APPLIED
    report = ship(ap, zj, tmp_path)
    assert report.status == importer.APPLIED, report.message
    assert counts(zj) == counts(ap) == (4, 4)
    assert import_file(zj, first).status == importer.ALREADY  # superseded by the later bundle
    assert statuses(zj)[str(r4)] == rules.SENT
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    assert unacked(ap) == 0


def test_bureau_acknowledgement_above_the_restored_number_is_learnt(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    _, kept = history_before_restore(world, tmp_path, frozen)
    seen_by_ap = last_seq(ap, "YK-ZJJ", "YK-SPJ")
    restore_home(zj, kept)
    with zj.session() as s:  # without the restore mark the same bundle would be refused
        assert resync.pending(s, zj.office(s), zj.office(s, "YK-SPJ")) is not None
    path = export(ap, "YK-ZJJ", tmp_path)
    assert payload_at(zj, path)["ack"]["through_sequence"] == seen_by_ap
    report = import_file(zj, path)
    assert report.status == importer.HELD  # what the bureau left out is missing here
    path = export(zj, "YK-SPJ", tmp_path)
    assert payload_at(ap, path)["sequence"] > seen_by_ap
    assert import_file(ap, path).status == importer.APPLIED
