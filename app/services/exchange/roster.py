"""The office roster: the oversight office registers each office's public keys (from the key
registration file, checked against the fingerprint on the paper form), publishes a signed,
numbered roster, and every office imports it.

Trust: the first import pins the oversight office's signing key once the user has confirmed
its fingerprint; every later roster must be signed by the pinned key and carry a higher
version (an older one is refused as a rollback). Bundles are only ever checked against keys
from the roster (``roster_keys``), never against a key carried inside a bundle.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import clock
from app.models import Office, OfficeKey, RosterKey
from app.services import offices as offices_service
from app.services import operators, settings
from app.services.errors import FileFormatError, ValidationError, WorkflowError
from app.services.exchange import keys as keys_service
from app.services.exchange.keys import Registration, b64, fingerprint, unb64
from app.services.exchange.parser import canonical, dumps_pretty, loads_strict, validate

ROSTER_FORMAT = "shenguan-roster"
ROSTER_SCHEMA = "https://shenguan.invalid/schemas/roster-v1.schema.json"
ROSTER_DOMAIN = b"ShenGuan roster v1\x00"
MAX_ROSTER_BYTES = 8 * 1024 * 1024
WHAT = "单位名录文件"

# Settings keys.
VERSION = "roster_version"
DIGEST = "roster_sha256"
PIN = "roster_pin"  # hex of the oversight office's Ed25519 public key
PUBLISHER = "roster_publisher"


@dataclass(frozen=True)
class RosterEntry:
    office_id: uuid.UUID
    code: str
    name: str
    role: str
    jurisdiction: str
    sign_public: bytes
    encrypt_public: bytes
    fingerprint: str


@dataclass(frozen=True)
class RosterFile:
    version: int
    published: str
    publisher: RosterEntry
    entries: tuple[RosterEntry, ...]
    sha256: str


@dataclass
class RosterImport:
    version: int
    publisher_name: str
    publisher_fingerprint: str
    first: bool = False
    already: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    count: int = 0


def require_oversight(office: Office) -> None:
    if office.role != "oversight":
        raise WorkflowError("单位名录由营商环境建设主管部门登记和发布，本单位不能办理。")


# -- at the oversight office --------------------------------------------------------------------


def register(session: Session, oversight: Office, reg: Registration) -> tuple[Office, str]:
    """Enter a checked key registration into the register; returns (office, outcome)."""
    operators.require_admin(session, "登记单位密钥")
    require_oversight(oversight)
    office = session.scalar(select(Office).where(Office.code == reg.code))
    if office is None:
        taken = session.get(Office, reg.office_id) is not None
        office = Office(id=uuid.uuid4() if taken else reg.office_id, code=reg.code, name=reg.name,
                        role=reg.role,
                        jurisdiction=offices_service.get_or_create_jurisdiction(session, reg.jurisdiction))
        session.add(office)
        session.flush()
    elif office.role != reg.role:
        raise ValidationError(
            f"单位代码 {reg.code} 已登记为{offices_service.ROLE_LABELS[office.role]}，"
            f"登记文件却是{offices_service.ROLE_LABELS[reg.role]}。", "role")
    else:
        office.name = reg.name
    if office.id == oversight.id:
        raise ValidationError("这是本单位自己的登记文件：本单位的密钥发布名录时自动列入。", "file")
    row = session.scalar(select(RosterKey).where(RosterKey.office_id == office.id))
    if row is None:
        session.add(RosterKey(id=uuid.uuid4(), office_id=office.id, sign_public=reg.sign_public,
                              encrypt_public=reg.encrypt_public, fingerprint=reg.fingerprint,
                              registered_at=clock.now()))
        outcome = "added"
    elif (row.sign_public, row.encrypt_public) == (reg.sign_public, reg.encrypt_public):
        outcome = "unchanged"
    else:
        row.sign_public, row.encrypt_public = reg.sign_public, reg.encrypt_public
        row.fingerprint, row.registered_at = reg.fingerprint, clock.now()
        outcome = "replaced"
    session.flush()
    return office, outcome


def _entry_dict(office: Office, sign_public: bytes, encrypt_public: bytes, fp: str) -> dict:
    return {
        "office": {"id": str(office.id), "code": office.code, "name": office.name, "role": office.role,
                   "jurisdiction": office.jurisdiction.name},
        "sign_key": b64(sign_public), "encrypt_key": b64(encrypt_public), "fingerprint": fp,
    }


def publish(session: Session, oversight: Office) -> tuple[bytes, int]:
    """The next roster version, signed by the oversight office; returns (file bytes, version)."""
    operators.require_admin(session, "发布单位名录")
    require_oversight(oversight)
    own = keys_service.require_key(session, oversight)
    entries = [_entry_dict(oversight, own.sign_public, own.encrypt_public, own.fingerprint)]
    rows = session.execute(select(RosterKey, Office).join(Office, Office.id == RosterKey.office_id))
    for key, office in rows:
        if office.id != oversight.id:
            entries.append(_entry_dict(office, key.sign_public, key.encrypt_public, key.fingerprint))
    entries.sort(key=lambda e: e["office"]["code"])
    version = int(settings.get(session, VERSION, "0") or 0) + 1
    body = {"version": version, "published": clock.now().isoformat(), "publisher": oversight.code,
            "offices": entries}
    data = signed_file(own, ROSTER_FORMAT, ROSTER_DOMAIN, body)
    settings.put(session, VERSION, str(version))
    settings.put(session, DIGEST, hashlib.sha256(canonical(body)).hexdigest())
    settings.put(session, PIN, own.sign_public.hex())
    settings.put(session, PUBLISHER, oversight.code)
    return data, version


# -- at every office -----------------------------------------------------------------------------


def _entry(raw: dict) -> RosterEntry:
    o = raw["office"]
    sign_pub = unb64(raw["sign_key"], "签名公钥", 32)
    enc_pub = unb64(raw["encrypt_key"], "加密公钥", 32)
    fp = fingerprint(o["code"], sign_pub, enc_pub)
    if fp != raw["fingerprint"]:
        raise FileFormatError(f"{WHAT}中 {o['code']} 的指纹与公钥不符，文件可能被篡改。")
    return RosterEntry(uuid.UUID(o["id"]), o["code"], o["name"], o["role"], o["jurisdiction"],
                       sign_pub, enc_pub, fp)


def read(data: bytes) -> RosterFile:
    """Parse a roster file and check it is signed by the publisher it names (not yet trusted)."""
    doc = loads_strict(data, what=WHAT, max_bytes=MAX_ROSTER_BYTES)
    validate(doc, ROSTER_SCHEMA, what=WHAT)
    body = doc["body"]
    entries = tuple(_entry(e) for e in body["offices"])
    codes = [e.code for e in entries]
    if len(set(codes)) != len(codes):
        raise FileFormatError(f"{WHAT}中有重复的单位代码。")
    publisher = next((e for e in entries if e.code == body["publisher"]), None)
    if publisher is None or publisher.role != "oversight":
        raise FileFormatError(f"{WHAT}的发布单位 {body['publisher']} 不是名录中的营商环境建设主管部门。")
    signature = unb64(doc["signature"], "签名", 64)
    if not keys_service.verify(publisher.sign_public, signature, ROSTER_DOMAIN + canonical(body)):
        raise FileFormatError(f"{WHAT}的签名无效，文件可能被篡改。")
    return RosterFile(body["version"], body["published"], publisher, entries,
                      hashlib.sha256(canonical(body)).hexdigest())


def pinned_key(session: Session) -> bytes | None:
    pin = settings.get(session, PIN)
    return bytes.fromhex(pin) if pin else None


def import_roster(session: Session, data: bytes, confirmed_fingerprint: str | None = None,
                  *, dry_run: bool = False) -> RosterImport:
    """Check and apply a roster; the first one only with the publisher's confirmed fingerprint."""
    operators.require_admin(session, "导入单位名录")
    roster = read(data)
    pub = roster.publisher
    summary = RosterImport(roster.version, pub.name, pub.fingerprint, count=len(roster.entries))
    pin = pinned_key(session)
    if pin is None:
        summary.first = True
        if not confirmed_fingerprint:
            raise WorkflowError(
                f"首次导入单位名录，须先核对发布单位（{pub.name}，{pub.code}）的密钥指纹：{pub.fingerprint}。"
                "与纸质密钥登记表核对一致后，用 --fingerprint 指定该指纹再导入。")
        given = keys_service.normalize_fingerprint(confirmed_fingerprint)
        if given != pub.fingerprint:
            raise WorkflowError(
                f"名录发布单位的密钥指纹为 {pub.fingerprint}，与您核对的 {given} 不一致，已拒绝导入。"
                "请向营商环境建设主管部门核实。")
    elif pin != pub.sign_public and not _signed_by(data, pin):
        raise WorkflowError("该名录不是由已确认的营商环境建设主管部门密钥签发的，已拒绝导入。")
    current = int(settings.get(session, VERSION, "0") or 0)
    if roster.version < current:
        raise WorkflowError(f"该名录为第 {roster.version} 版，早于已导入的第 {current} 版，已拒绝（防止回退）。")
    if roster.version == current and not summary.first:
        if settings.get(session, DIGEST) == roster.sha256:
            summary.already = True
            return summary
        raise WorkflowError(f"已导入过第 {current} 版名录，而该文件同为第 {current} 版但内容不同，已拒绝导入。")
    if dry_run:
        return summary
    from app.services import backups

    backups.auto(session, "before-roster")
    _apply(session, roster, summary)
    settings.put(session, VERSION, str(roster.version))
    settings.put(session, DIGEST, roster.sha256)
    settings.put(session, PIN, pub.sign_public.hex())
    settings.put(session, PUBLISHER, pub.code)
    session.flush()
    return summary


def _signed_by(data: bytes, public: bytes) -> bool:
    return signed_by(loads_strict(data, what=WHAT, max_bytes=MAX_ROSTER_BYTES), public, ROSTER_DOMAIN)


# -- signed files of the oversight office (the roster, the item catalogue) ---------------------


def signed_file(key: OfficeKey, fmt: str, domain: bytes, body: dict) -> bytes:
    """``{"format", "schema_version": 1, "body", "signature"}``: Ed25519 over ``domain`` and the
    canonical bytes of ``body``."""
    signature = keys_service.signing_key(key).sign(domain + canonical(body))
    return dumps_pretty({"format": fmt, "schema_version": 1, "body": body, "signature": b64(signature)})


def signed_by(doc: dict, public: bytes, domain: bytes) -> bool:
    """Whether a parsed signed file's ``body`` carries a valid signature by ``public``."""
    return keys_service.verify(public, unb64(doc["signature"], "签名", 64), domain + canonical(doc["body"]))


def _apply(session: Session, roster: RosterFile, summary: RosterImport) -> None:
    by_code = {o.code: o for o in session.scalars(select(Office))}
    keys = {k.office_id: k for k in session.scalars(select(RosterKey))}
    kept: set[uuid.UUID] = set()
    for e in roster.entries:
        office = by_code.get(e.code)
        if office is None:
            taken = session.get(Office, e.office_id) is not None
            office = Office(id=uuid.uuid4() if taken else e.office_id, code=e.code, name=e.name,
                            role=e.role, is_local=False,
                            jurisdiction=offices_service.get_or_create_jurisdiction(session, e.jurisdiction))
            session.add(office)
            session.flush()
        elif office.role != e.role:
            raise FileFormatError(
                f"名录中 {e.code} 的单位类型为{offices_service.ROLE_LABELS[e.role]}，"
                f"与本机记录的{offices_service.ROLE_LABELS[office.role]}不同，已拒绝导入。")
        else:
            office.name = e.name
        kept.add(office.id)
        row = keys.get(office.id)
        if office.is_local:
            own = keys_service.own_key(session, office)
            if own is None or own.sign_public != e.sign_public or own.encrypt_public != e.encrypt_public:
                summary.warnings.append(
                    f"名录中本单位 {office.code} 的密钥（指纹 {e.fingerprint}）与本机密钥不一致，"
                    "对方发来的数据包将无法解密：请向营商环境建设主管部门重新登记本单位密钥。")
        if row is None:
            session.add(RosterKey(id=uuid.uuid4(), office_id=office.id, sign_public=e.sign_public,
                                  encrypt_public=e.encrypt_public, fingerprint=e.fingerprint,
                                  registered_at=clock.now()))
            summary.added.append(e.code)
        elif (row.sign_public, row.encrypt_public) != (e.sign_public, e.encrypt_public):
            row.sign_public, row.encrypt_public, row.fingerprint = e.sign_public, e.encrypt_public, e.fingerprint
            summary.changed.append(e.code)
    gone = [oid for oid in keys if oid not in kept]
    if gone:
        names = {o.id: o.code for o in by_code.values()}
        summary.removed.extend(sorted(names.get(oid, str(oid)) for oid in gone))
        session.execute(delete(RosterKey).where(RosterKey.office_id.in_(gone)))


def trusted_key(session: Session, office: Office) -> RosterKey | None:
    """The roster's keys for ``office``: the only keys a bundle from or to it is checked with."""
    return session.scalar(select(RosterKey).where(RosterKey.office_id == office.id))


def status(session: Session) -> dict:
    return {
        "version": int(settings.get(session, VERSION, "0") or 0),
        "publisher": settings.get(session, PUBLISHER),
        "pinned": bool(settings.get(session, PIN)),
        "offices": len(list(session.scalars(select(RosterKey.id)))),
    }
