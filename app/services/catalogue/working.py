"""Which catalogue version this office works under, and the working item list it drives.

The working list is ``licensing_items`` (used by results, pushes and forms). When a version comes
into force here (put in force at the oversight office, or imported elsewhere) the list follows
it: new codes are added, changed names/categories/competent offices are updated, and codes no
longer listed are set inactive — never deleted, because approval results refer to them.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CatalogueEntry, CatalogueVersion, LicensingItem, Office
from app.services import settings
from app.services.errors import WorkflowError
from app.services.exchange.parser import canonical

# Settings keys.
VERSION = "catalogue_version"  # the number of the version this office works under
DIGEST = "catalogue_sha256"  # sha256 of that version's canonical content
LOCAL_ROLES = ("competent", "enforcement")  # the roles an item's competent office may have


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)


def entry_content(e: CatalogueEntry) -> dict:
    return {"code": e.code, "name": e.name, "category": e.category,
            "competent_office": {"code": e.competent_office_code, "name": e.competent_office_name},
            "level": e.jurisdiction_level}


def content(v: CatalogueVersion) -> dict:
    """The part of a version that identifies it: number, title, approval and the items."""
    return {
        "number": v.number,
        "title": v.title,
        "approved_doc_number": v.approved_doc_number or "",
        "approved_on": v.approved_on.isoformat() if v.approved_on else None,
        "in_force_from": v.in_force_from.isoformat() if v.in_force_from else None,
        "entries": [entry_content(e) for e in sorted(v.entries, key=lambda e: e.code)],
    }


def digest(value: dict) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def working_number(session: Session) -> int:
    return int(settings.get(session, VERSION, "0") or 0)


def working_version(session: Session) -> CatalogueVersion | None:
    n = working_number(session)
    if not n:
        return None
    return session.scalar(select(CatalogueVersion).where(CatalogueVersion.number == n))


def set_working(session: Session, v: CatalogueVersion) -> None:
    settings.put(session, VERSION, str(v.number))
    settings.put(session, DIGEST, digest(content(v)))


def unknown_offices(session: Session, codes: set[str]) -> list[str]:
    known = set(session.scalars(select(Office.code).where(Office.code.in_(codes)))) if codes else set()
    return sorted(codes - known)


def sync_items(session: Session, v: CatalogueVersion) -> SyncReport:
    """Make ``licensing_items`` follow version ``v`` (see the module text)."""
    entries = {e.code: e for e in v.entries}
    codes = {e.competent_office_code for e in entries.values()}
    missing = unknown_offices(session, codes)
    if missing:
        raise WorkflowError(
            f"清单中的主管部门 {'、'.join(missing)} 不在本机单位名录中，请先导入最新的单位名录。")
    office_ids = dict(session.execute(select(Office.code, Office.id).where(Office.code.in_(codes))).all())
    report = SyncReport()
    items = {i.code: i for i in session.scalars(select(LicensingItem))}
    for code, e in sorted(entries.items()):
        office_id = office_ids[e.competent_office_code]
        item = items.get(code)
        if item is None:
            session.add(LicensingItem(id=uuid.uuid4(), code=code, name=e.name, category=e.category,
                                      competent_office_id=office_id, active=True))
            report.added.append(code)
            continue
        if not item.active:
            item.active = True
            report.reactivated.append(code)
        if (item.name, item.category, item.competent_office_id) != (e.name, e.category, office_id):
            item.name, item.category, item.competent_office_id = e.name, e.category, office_id
            report.updated.append(code)
    for code, item in sorted(items.items()):
        if code not in entries and item.active:
            item.active = False
            report.deactivated.append(code)
    session.flush()
    return report
