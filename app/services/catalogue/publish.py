"""Publishing a catalogue version in force to every office, and importing it there.

The oversight office signs the file with its own key (the same machinery as the office roster,
``roster.signed_file``). An office accepts it only if it is signed by the oversight key pinned
when the roster was first imported (``roster.pinned_key``), carries a higher version number than
the one the office works under (equal with the same content: nothing to do; lower: refused as a
rollback), and names only competent offices the local roster knows (else refused, listing the
unknown codes: import the newer roster first). Checks come before any change, so a refused file
leaves the database as it was; the caller commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import CatalogueEntry, CatalogueVersion, Office
from app.services.catalogue import working
from app.services.catalogue.versions import IN_FORCE, get_version, require_oversight
from app.services.errors import FileFormatError, WorkflowError
from app.services.exchange import keys as keys_service
from app.services.exchange import roster
from app.services.exchange.parser import loads_strict, validate

FORMAT = "shenguan-catalogue"
SCHEMA = "https://shenguan.invalid/schemas/catalogue-v1.schema.json"
DOMAIN = b"ShenGuan catalogue v1\x00"
MAX_BYTES = 16 * 1024 * 1024
WHAT = "事项清单文件"


@dataclass
class CatalogueImport:
    number: int
    title: str
    entries: int = 0
    already: bool = False
    sync: working.SyncReport = field(default_factory=working.SyncReport)


def publish(session: Session, oversight: Office, number: int) -> bytes:
    """The signed file of version ``number`` (in force or filed); records when it was published."""
    require_oversight(oversight)
    v = get_version(session, number)
    if v.status not in IN_FORCE:
        raise WorkflowError(f"第 {number} 版清单不在实施中，不能发布：只发布实施中（含已备案）的清单。")
    own = keys_service.require_key(session, oversight)
    body = {
        "publisher": oversight.code,
        "published": clock.now().isoformat(),
        "status": v.status,
        "filed_on": v.filed_on.isoformat() if v.filed_on else None,
        "filed_with": v.filed_with or None,
        "catalogue": working.content(v),
    }
    v.published_at = clock.now()
    session.flush()
    return roster.signed_file(own, FORMAT, DOMAIN, body)


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FileFormatError(f"{WHAT}中的{what}“{text}”不是有效日期。") from None


def read(session: Session, data: bytes) -> dict:
    """Parse and check a catalogue file against the pinned oversight key; returns its body."""
    doc = loads_strict(data, what=WHAT, max_bytes=MAX_BYTES)
    validate(doc, SCHEMA, what=WHAT)
    pin = roster.pinned_key(session)
    if pin is None:
        raise WorkflowError("本机尚未导入单位名录，无法核验清单的签名：请先导入营商环境建设主管部门发布的"
                            "单位名录（shenguan roster import），再导入事项清单。")
    if not roster.signed_by(doc, pin, DOMAIN):
        raise FileFormatError(f"{WHAT}的签名与已确认的营商环境建设主管部门密钥不符"
                              "（文件可能被篡改，或不是营商局签发），已拒绝导入。")
    body = doc["body"]
    cat = body["catalogue"]
    codes = [e["code"] for e in cat["entries"]]
    if len(set(codes)) != len(codes):
        dup = sorted({c for c in codes if codes.count(c) > 1})
        raise FileFormatError(f"{WHAT}中事项编码重复：{'、'.join(dup[:10])}。")
    for key, what in (("approved_on", "批准日期"), ("in_force_from", "实施日期")):
        _date(cat[key], what)
    _date(body["filed_on"], "备案日期")
    return body


def import_catalogue(session: Session, data: bytes) -> CatalogueImport:
    """Check and apply a published catalogue (see the module text)."""
    body = read(session, data)
    cat = body["catalogue"]
    number = cat["number"]
    result = CatalogueImport(number, cat["title"], len(cat["entries"]))
    current = working.working_number(session)
    if number < current:
        raise WorkflowError(f"该清单为第 {number} 版，早于本单位正在执行的第 {current} 版，已拒绝（防止回退）。")
    existing = session.scalar(select(CatalogueVersion).where(CatalogueVersion.number == number))
    if number == current or existing is not None:
        held = existing is not None and working.digest(working.content(existing)) == working.digest(cat)
        if held and number == current:
            _update_filing(existing, body)
            result.already = True
            return result
        if existing is not None and existing.status == "superseded" or number == current:
            raise WorkflowError(f"本机已有第 {number} 版清单而内容与该文件不同，已拒绝导入。"
                                "请向营商环境建设主管部门核实。")
        raise WorkflowError(f"本机已有第 {number} 版清单（{existing.title}），已拒绝导入。")
    missing = working.unknown_offices(session, {e["competent_office"]["code"] for e in cat["entries"]})
    if missing:
        raise WorkflowError(f"清单中的主管部门 {'、'.join(missing)} 不在本机单位名录中，已拒绝导入："
                            "请先导入营商环境建设主管部门发布的最新单位名录，再导入清单。")
    from app.services import backups

    backups.auto(session, "before-catalogue")
    v = CatalogueVersion(
        id=uuid.uuid4(), number=number, title=cat["title"], status=body["status"], origin="imported",
        created_at=clock.now(), approved_doc_number=cat["approved_doc_number"],
        approved_on=_date(cat["approved_on"], "批准日期"), in_force_from=_date(cat["in_force_from"], "实施日期"),
        filed_on=_date(body["filed_on"], "备案日期"), filed_with=body["filed_with"], note="",
        published_at=datetime.fromisoformat(body["published"]),
    )
    for e in cat["entries"]:
        v.entries.append(CatalogueEntry(
            id=uuid.uuid4(), code=e["code"], name=e["name"], category=e["category"],
            competent_office_code=e["competent_office"]["code"],
            competent_office_name=e["competent_office"]["name"], jurisdiction_level=e["level"]))
    for old in session.scalars(select(CatalogueVersion).where(CatalogueVersion.status.in_(IN_FORCE))):
        old.status = "superseded"
    session.add(v)
    session.flush()
    result.sync = working.sync_items(session, v)
    working.set_working(session, v)
    session.flush()
    return result


def _update_filing(v: CatalogueVersion, body: dict) -> None:
    """The same version published again after it was filed: take over the filing date."""
    if body["status"] == "filed" and v.status == "in_force" and v.origin == "imported":
        v.status, v.filed_on, v.filed_with = "filed", _date(body["filed_on"], "备案日期"), body["filed_with"]
