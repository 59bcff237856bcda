"""Three installations in three temporary data folders: the oversight office (营商局), the
approval bureau and the housing department, each with its own database and keys; the
roster published by the oversight office is imported by the other two."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database, open_database
from app.models import (
    ApprovalResult,
    Dispatch,
    ExchangeChannel,
    LicensingItem,
    Office,
    OutboxMessage,
)
from app.services import offices, results
from app.services.exchange import bundle, keys, roster
from tests.backends import home_url
from tests.conftest import a_result_input

OVERSIGHT = ("YK-YSJ", "营口市营商环境建设局", "oversight")
BUREAU = ("YK-SPJ", "营口市行政审批局", "approval")
HOUSING = ("YK-ZJJ", "营口市住房和城乡建设局", "competent")
MARKET = ("YK-SJJ", "营口市市场监督管理局", "competent")


@dataclass
class Home:
    path: Path
    db: Database
    code: str

    def session(self):
        return self.db.sessions()

    def office(self, s, code: str | None = None) -> Office:
        return s.scalar(select(Office).where(Office.code == (code or self.code)))


def make_home(tmp_path: Path, name: str, identity: tuple[str, str, str]) -> Home:
    path = tmp_path / name
    path.mkdir(parents=True, exist_ok=True)
    db = open_database(home_url(path), path / "backups")
    with db.sessions() as s:
        office = offices.init_local_office(s, identity[0], identity[1], identity[2], "市本级")
        keys.generate(s, office)
        s.commit()
    return Home(path, db, identity[0])


def registration(home: Home) -> bytes:
    with home.session() as s:
        return keys.registration_bytes(s, home.office(s))


def publish(ys: Home, *homes: Home) -> bytes:
    with ys.session() as s:
        for h in homes:
            roster.register(s, ys.office(s), keys.read_registration(registration(h)))
        data, _ = roster.publish(s, ys.office(s))
        s.commit()
    return data


def oversight_fingerprint(ys: Home) -> str:
    with ys.session() as s:
        return keys.require_key(s, ys.office(s)).fingerprint


def import_roster(home: Home, data: bytes, fp: str | None) -> roster.RosterImport:
    with home.session() as s:
        summary = roster.import_roster(s, data, fp)
        s.commit()
    return summary


@dataclass
class World:
    ys: Home
    ap: Home
    zj: Home
    roster_file: bytes


def build_world(tmp_path: Path) -> World:
    ys = make_home(tmp_path, "ys", OVERSIGHT)
    ap = make_home(tmp_path, "ap", BUREAU)
    zj = make_home(tmp_path, "zj", HOUSING)
    data = publish(ys, ap, zj)
    fp = oversight_fingerprint(ys)
    import_roster(ap, data, fp)
    import_roster(zj, data, fp)
    with ap.session() as s:
        s.add(LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发",
                            competent_office_id=ap.office(s, "YK-ZJJ").id))
        s.commit()
    return World(ys, ap, zj, data)


def close_world(w: World) -> None:
    for h in (w.ys, w.ap, w.zj):
        h.db.engine.dispose()


@pytest.fixture
def world(tmp_path, frozen) -> World:
    w = build_world(tmp_path)
    yield w
    close_world(w)


def logical_dump(home: Home) -> dict[str, list]:
    """Every row of every table, in a stable order: compare before and after an import."""
    from app.models import Base

    with home.db.engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(select(t)).all())) for t in Base.metadata.sorted_tables}


def export(src: Home, to: str, folder: Path) -> Path:
    """Export the next bundle from ``src`` for office ``to`` into ``folder``; committed."""
    from app.services.exchange import exporter

    with src.session() as s:
        summary = exporter.export_bundle(s, src.office(s), src.office(s, to), folder=folder)
        s.commit()
    return summary.path


def import_file(dst: Home, path: Path, dry_run: bool = False):
    """Import a bundle at ``dst``; committed only when applied (as the CLI does)."""
    from app.services.exchange import importer

    with dst.session() as s:
        report = importer.import_bundle(s, path.read_bytes(), file_name=path.name, dry_run=dry_run)
        if report.status == importer.APPLIED and not dry_run:
            s.commit()
        else:
            s.rollback()
    return report


def ship(src: Home, dst: Home, folder: Path):
    return import_file(dst, export(src, dst.code, folder))


# -- two installations at work (results pushed and acted on, bundles between them) ----------


def push(home: Home, frozen, when: datetime, n: int):
    frozen(when)
    with home.session() as s:
        r = results.record(s, a_result_input(applicant_name=f"营口第{n}建筑有限公司",
                                             licence_number=f"21080020261124{n:04d}"),
                           office=home.office(s), operator="王芳")
        results.push(s, r, office=home.office(s), operator="王芳")
        s.commit()
        return r.id


def act(home: Home, rid, action: str) -> None:
    with home.session() as s:
        results.act(s, s.get(ApprovalResult, rid), action, office=home.office(s), operator="赵强")
        s.commit()


def statuses(home: Home) -> dict:
    with home.session() as s:
        return {str(r.id): s.get(Dispatch, r.current_dispatch_id).status
                for r in s.scalars(select(ApprovalResult))}


def counts(home: Home) -> tuple[int, int]:
    with home.session() as s:
        return (s.scalar(select(func.count()).select_from(ApprovalResult)),
                s.scalar(select(func.count()).select_from(Dispatch)))


def unacked(home: Home) -> int:
    with home.session() as s:
        return s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.acked_at.is_(None)))


def last_seq(home: Home, sender: str, addressee: str) -> int:
    """The channel's last sequence number (0 when the channel does not exist yet)."""
    with home.session() as s:
        ch = s.scalar(select(ExchangeChannel).where(
            ExchangeChannel.sender_office_id == home.office(s, sender).id,
            ExchangeChannel.addressee_office_id == home.office(s, addressee).id))
        return ch.last_seq if ch else 0


def payload_at(home: Home, path) -> dict:
    """Decrypt a bundle addressed to ``home`` (to look at its payload)."""
    with home.session() as s:
        own = keys.own_key(s, home.office(s))
        return bundle.decrypt(bundle.read_envelope(path.read_bytes()), keys.decryption_key(own))
