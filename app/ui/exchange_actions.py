"""The 数据交换 page's actions: plain functions over the workspace (sessions, acting office).

Importing follows the CLI exactly: preview or apply in one session (committed only when
applied), a refused file copied to ``<home>/quarantine`` and a held one to ``<home>/held``
with its report, held bundles applied after the one they waited for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.config import resolve_home
from app.db import Database
from app.models import BundleRecord, Office
from app.services import operators
from app.services.exchange import exporter, files, importer, outbox
from app.services.exchange import keys as keys_service
from app.services.exchange import roster as roster_service
from app.services.exchange.importer import ImportReport
from app.ui.workspace import Workspace

Progress = Callable[[int, int], None]


def data_home(database: Database) -> Path:
    """The data folder: the SQLite file's folder, else the configured one (PostgreSQL)."""
    url = make_url(database.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent
    return resolve_home(None)


@dataclass(frozen=True)
class HistoryRow:
    when: datetime | None
    direction: str  # 导出 / 导入 / 暂存 / 隔离
    peer: str
    sequence: int | None
    messages: int
    status: str
    report: str  # JSON text or a message


def own_fingerprint(ws: Workspace) -> str:
    if ws.office is None:
        return ""
    with ws.session() as s:
        office = ws.acting_office(s)
        key = keys_service.own_key(s, office)
        if key is None:  # an older database: keys on first use, made by a 管理员
            if not ws.may(operators.ADMIN):
                return ""
            key, _ = keys_service.generate(s, office)
            s.commit()
        return key.fingerprint


def peers(ws: Workspace) -> list[outbox.PeerState]:
    if ws.office is None:
        return []
    with ws.session() as s:
        return outbox.peer_states(s, ws.acting_office(s))


def history(ws: Workspace, home: Path, limit: int = 200) -> list[HistoryRow]:
    rows: list[HistoryRow] = []
    if ws.office is not None:
        with ws.session() as s:
            me = ws.office.id
            names = {o.id: o.name for o in s.scalars(select(Office))}
            stmt = (select(BundleRecord).where((BundleRecord.sender_office_id == me)
                                               | (BundleRecord.addressee_office_id == me))
                    .order_by(BundleRecord.processed_at.desc()).limit(limit))
            for b in s.scalars(stmt):
                out = b.direction == "out"
                rows.append(HistoryRow(
                    b.processed_at, "导出" if out else "导入",
                    names.get(b.addressee_office_id if out else b.sender_office_id, ""), b.sequence,
                    b.message_count, "已导出" if out else "已导入", b.report))
    for folder, label in ((files.HELD, "暂存"), (files.QUARANTINE, "隔离")):
        for r in files.kept_reports(home, folder):
            h = r.get("header") or {}
            rows.append(HistoryRow(
                _time(r.get("checked_at")), label, h.get("sender", ""), h.get("sequence"),
                h.get("message_count", 0), importer.STATUS_LABELS.get(r.get("status"), label),
                json.dumps(r, ensure_ascii=False, indent=2)))
    rows.sort(key=lambda row: row.when or datetime.min, reverse=True)
    return rows


def _time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def export_to(ws: Workspace, peer_id, folder: Path, progress: Progress | None = None) -> exporter.ExportSummary:
    """Write the next bundle for the peer into ``folder`` (a USB drive); committed."""
    with ws.session() as s:
        office = ws.acting_office(s)
        peer = s.get(Office, peer_id)
        summary = exporter.export_bundle(s, office, peer, folder=Path(folder), progress=progress)
        try:
            s.commit()
        except BaseException:
            summary.path.unlink(missing_ok=True)
            raise
    return summary


def preview(ws: Workspace, path: Path, progress: Progress | None = None) -> tuple[ImportReport, bytes]:
    """Check and dry-run a bundle; nothing is written."""
    try:
        data = importer.read_file(Path(path))
    except Exception as exc:  # noqa: BLE001 - any read failure is reported in words
        message = getattr(exc, "message", None) or str(exc)
        return ImportReport(importer.REJECTED, message, file_name=str(path)), b""
    with ws.session() as s:
        report = importer.import_bundle(s, data, file_name=str(path), dry_run=True, progress=progress)
        s.rollback()
    return report, data


def apply(ws: Workspace, home: Path, path: Path, data: bytes,
          progress: Progress | None = None) -> list[ImportReport]:
    """Apply a bundle (then any held ones it unblocks); keep a refused or held file."""
    reports: list[ImportReport] = []
    first = True
    while True:
        with ws.session() as s:
            report = importer.import_bundle(s, data, file_name=str(path), progress=progress)
            if report.status == importer.APPLIED:
                s.commit()
            else:
                s.rollback()
        reports.append(report)
        if first and report.status in (importer.REJECTED, importer.HELD) and data:
            importer.keep_file(home, data, report)
        if not first and report.status in (importer.APPLIED, importer.ALREADY):
            files.remove_kept(path)  # a held bundle that is done now
        if report.status != importer.APPLIED:
            break
        held = importer.next_held(home, report)
        if held is None:
            break
        path, data, first = held, importer.read_file(held), False
    return reports


def read_roster(path: Path) -> roster_service.RosterFile:
    data = files.read_limited(Path(path), roster_service.MAX_ROSTER_BYTES, roster_service.WHAT)
    return roster_service.read(data)


def roster_needs_confirmation(ws: Workspace) -> bool:
    with ws.session() as s:
        return roster_service.pinned_key(s) is None


def import_roster(ws: Workspace, path: Path, fingerprint: str | None) -> roster_service.RosterImport:
    data = files.read_limited(Path(path), roster_service.MAX_ROSTER_BYTES, roster_service.WHAT)
    with ws.session() as s:
        summary = roster_service.import_roster(s, data, fingerprint)
        s.commit()
    return summary
