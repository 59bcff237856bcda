"""This office's keys (Ed25519 signs, X25519 receives) and the key registration file.

The private keys are kept in the database (``office_keys``): the office's identity is its
database — every desk of a department that shares one PostgreSQL server signs and decrypts as
the office, a restored backup can still read the bundles addressed to it, and generating the
keys commits together with ``init``. They are never printed or exported; only fingerprints and
public keys leave the program.

A fingerprint is SHA-256 over the office code and both public keys, first 160 bits as ten
groups of four hex digits ("3F2A 9C1B …"): short enough to compare with the printed key
registration form.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Office, OfficeKey
from app.services import operators
from app.services.errors import FileFormatError, NotFoundError, ValidationError
from app.services.exchange.parser import canonical, dumps_pretty, loads_strict, validate

REGISTRATION_FORMAT = "shenguan-key-registration"
REGISTRATION_SCHEMA = "https://shenguan.invalid/schemas/key-registration-v1.schema.json"
REGISTRATION_DOMAIN = b"ShenGuan key registration v1\x00"
MAX_REGISTRATION_BYTES = 64 * 1024
FINGERPRINT_HEX = 40  # 160 bits


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, what: str, length: int | None = None) -> bytes:
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise FileFormatError(f"{what}不是有效的 Base64 编码。") from None
    if length is not None and len(data) != length:
        raise FileFormatError(f"{what}长度不对：应为 {length} 字节，实为 {len(data)} 字节。")
    return data


def fingerprint(code: str, sign_public: bytes, encrypt_public: bytes) -> str:
    digest = hashlib.sha256(
        b"ShenGuan office key v1\x00" + code.encode("utf-8") + b"\x00" + sign_public + encrypt_public
    ).hexdigest()[:FINGERPRINT_HEX].upper()
    return " ".join(digest[i:i + 4] for i in range(0, FINGERPRINT_HEX, 4))


def normalize_fingerprint(text: str) -> str:
    """Accept a fingerprint typed with or without spaces, in any case."""
    hexes = re.sub(r"[\s:\-]", "", text or "").upper()
    if not re.fullmatch(r"[0-9A-F]{40}", hexes):
        raise ValidationError("指纹应为 40 位十六进制字符（可按每组 4 位用空格分隔）。", "fingerprint")
    return " ".join(hexes[i:i + 4] for i in range(0, 40, 4))


def _raw_private(key) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _raw_public(key) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def own_key(session: Session, office: Office) -> OfficeKey | None:
    return session.scalar(select(OfficeKey).where(OfficeKey.office_id == office.id))


def require_key(session: Session, office: Office) -> OfficeKey:
    key = own_key(session, office)
    if key is None:
        raise NotFoundError(f"{office.name}还没有密钥，请先运行 shenguan keys generate。")
    return key


def generate(session: Session, office: Office) -> tuple[OfficeKey, bool]:
    """Give a local office its key pairs; returns (key, created). An existing key is kept."""
    if not office.is_local:
        raise ValidationError(f"{office.name}不是本机单位，不能为其生成密钥。", "office")
    existing = own_key(session, office)
    if existing is not None:
        return existing, False
    operators.require_admin(session, "生成交换密钥")
    sign, enc = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    sign_pub, enc_pub = _raw_public(sign.public_key()), _raw_public(enc.public_key())
    key = OfficeKey(
        id=uuid.uuid4(), office_id=office.id, sign_private=_raw_private(sign), sign_public=sign_pub,
        encrypt_private=_raw_private(enc), encrypt_public=enc_pub,
        fingerprint=fingerprint(office.code, sign_pub, enc_pub), created_at=clock.now(),
    )
    session.add(key)
    session.flush()
    return key, True


def signing_key(key: OfficeKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(key.sign_private)


def decryption_key(key: OfficeKey) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(key.encrypt_private)


def verify(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# -- the registration file (public keys only, self-signed) ------------------------------------


@dataclass(frozen=True)
class Registration:
    office_id: uuid.UUID
    code: str
    name: str
    role: str
    jurisdiction: str
    sign_public: bytes
    encrypt_public: bytes
    fingerprint: str
    created: str


def registration_bytes(session: Session, office: Office) -> bytes:
    """The key registration file: the office's public keys, signed by its own key."""
    operators.require_admin(session, "导出密钥登记文件")
    key = require_key(session, office)
    body = {
        "office": {"id": str(office.id), "code": office.code, "name": office.name,
                   "role": office.role, "jurisdiction": office.jurisdiction.name},
        "sign_key": b64(key.sign_public),
        "encrypt_key": b64(key.encrypt_public),
        "fingerprint": key.fingerprint,
        "created": clock.now().isoformat(),
    }
    signature = signing_key(key).sign(REGISTRATION_DOMAIN + canonical(body))
    return dumps_pretty({"format": REGISTRATION_FORMAT, "schema_version": 1, "body": body,
                         "signature": b64(signature)})


def read_registration(data: bytes) -> Registration:
    """Parse and check a registration file: schema, fingerprint, proof of the private key."""
    what = "密钥登记文件"
    doc = loads_strict(data, what=what, max_bytes=MAX_REGISTRATION_BYTES)
    validate(doc, REGISTRATION_SCHEMA, what=what)
    body = doc["body"]
    sign_pub = unb64(body["sign_key"], "签名公钥", 32)
    enc_pub = unb64(body["encrypt_key"], "加密公钥", 32)
    office = body["office"]
    fp = fingerprint(office["code"], sign_pub, enc_pub)
    if fp != body["fingerprint"]:
        raise FileFormatError(f"{what}中的指纹与公钥不符，文件可能被篡改。")
    if not verify(sign_pub, unb64(doc["signature"], "签名", 64), REGISTRATION_DOMAIN + canonical(body)):
        raise FileFormatError(f"{what}的签名无效，文件可能被篡改。")
    return Registration(uuid.UUID(office["id"]), office["code"], office["name"], office["role"],
                        office["jurisdiction"], sign_pub, enc_pub, fp, body["created"])


def registration_text(session: Session, office: Office) -> str:
    """A plain printable page for the paper registration (the forms issue makes it pretty)."""
    key = require_key(session, office)
    return "\n".join([
        "审管通 单位密钥登记表",
        "",
        f"单位名称：{office.name}",
        f"单位代码：{office.code}",
        f"行政区域：{office.jurisdiction.name}",
        f"生成时间：{key.created_at:%Y年%m月%d日 %H:%M}",
        "",
        f"密钥指纹：{key.fingerprint}",
        "",
        "请将本表与登记文件一并交营商环境建设主管部门，由其核对指纹后登记入单位名录。",
        "",
        "经办人（签字）：__________    单位（盖章）：__________    日期：__________",
    ]) + "\n"
