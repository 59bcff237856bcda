"""The bundle file: readable header, payload encrypted to the addressee, Ed25519 signature.

Layout (docs/exchange-format.md)::

    {"header": {...}, "ciphertext": "<base64>", "signature": "<base64>"}

- payload key: X25519(ephemeral, addressee's roster key) → HKDF-SHA256 (salt = both public
  keys, info names the bundle id) → AES-256-GCM with the canonical header bytes as associated
  data, so the header cannot be swapped under a ciphertext;
- signature: Ed25519 by the sender over ``DOMAIN || canonical(header) || 0x00 || ciphertext``.
  Canonical header bytes contain no NUL byte (JSON escapes it), so the split is unambiguous,
  and the header holds only strings and integers, so its canonical form is unique.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.services.errors import FileFormatError
from app.services.exchange import keys as keys_service
from app.services.exchange.keys import b64, unb64
from app.services.exchange.parser import canonical, loads_strict, validate, validate_fast
from app.services.exchange.subjects import check_subjects

FORMAT = "shenguan-bundle"
SCHEMA_VERSION = 1
SCHEMA_ID = "https://shenguan.invalid/schemas/bundle-v1.schema.json"
ALGORITHM = "X25519-HKDF-SHA256-AES-256-GCM"
SIGN_DOMAIN = b"ShenGuan bundle v1\x00"
KEY_INFO = b"ShenGuan bundle v1 payload key "
MAX_BUNDLE_BYTES = 96 * 1024 * 1024
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
WHAT = "数据包"


@dataclass(frozen=True)
class Envelope:
    """A bundle file parsed and schema-checked, not yet verified or decrypted."""

    header: dict
    ciphertext: bytes
    signature: bytes
    sha256: str

    @property
    def bundle_id(self) -> uuid.UUID:
        return uuid.UUID(self.header["bundle_id"])

    @property
    def sender(self) -> str:
        return self.header["sender"]

    @property
    def addressee(self) -> str:
        return self.header["addressee"]

    @property
    def sequence(self) -> int:
        return self.header["sequence"]

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.header["created"])

    @property
    def message_count(self) -> int:
        return self.header["message_count"]

    def signed_bytes(self) -> bytes:
        return SIGN_DOMAIN + canonical(self.header) + b"\x00" + self.ciphertext


def _derive(shared: bytes, ephemeral_public: bytes, recipient_public: bytes, bundle_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=KEY_INFO + bundle_id.encode("ascii")).derive(shared)


def seal(*, bundle_id: uuid.UUID, sender: str, addressee: str, sequence: int, created: datetime,
         payload: dict, sign_key: Ed25519PrivateKey, recipient_public: bytes) -> bytes:
    """Encrypt ``payload`` to the recipient's X25519 key and sign; returns the file's bytes."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    nonce = os.urandom(12)
    header = {
        "format": FORMAT, "schema_version": SCHEMA_VERSION, "bundle_id": str(bundle_id),
        "sender": sender, "addressee": addressee, "sequence": sequence,
        "created": created.isoformat(), "message_count": len(payload["messages"]),
        "encryption": {"algorithm": ALGORITHM, "ephemeral_key": b64(ephemeral_public),
                       "nonce": b64(nonce)},
    }
    header_bytes = canonical(header)
    key = _derive(ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public)),
                  ephemeral_public, recipient_public, str(bundle_id))
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                           allow_nan=False).encode("utf-8")
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, header_bytes)
    signature = sign_key.sign(SIGN_DOMAIN + header_bytes + b"\x00" + ciphertext)
    header_text = json.dumps(header, ensure_ascii=False, indent=2)
    body = (f'{{\n"header": {header_text},\n"ciphertext": "{b64(ciphertext)}",\n'
            f'"signature": "{b64(signature)}"\n}}\n')
    return body.encode("utf-8")


def read_envelope(data: bytes) -> Envelope:
    """Strictly parse a bundle file and check its structure (no keys needed)."""
    doc = loads_strict(data, what=WHAT, max_bytes=MAX_BUNDLE_BYTES)
    if isinstance(doc, dict) and isinstance(doc.get("header"), dict):
        _check_format(doc["header"])
    validate(doc, SCHEMA_ID, what=WHAT)
    return Envelope(doc["header"], unb64(doc["ciphertext"], "密文"), unb64(doc["signature"], "签名", 64),
                    hashlib.sha256(data).hexdigest())


def _check_format(header: dict) -> None:
    """Name a wrong format or schema version plainly, before the schema's generic message."""
    fmt, version = header.get("format"), header.get("schema_version")
    if fmt != FORMAT:
        raise FileFormatError(f"这不是审管通数据包（格式标识为 {json.dumps(fmt, ensure_ascii=False)[:40]}）。")
    if version != SCHEMA_VERSION:
        shown = json.dumps(version, ensure_ascii=False)[:20]
        raise FileFormatError(
            f"数据包格式版本为 {shown}，本程序只能读取第 {SCHEMA_VERSION} 版；请升级审管通或请对方重新导出。")


def verify(envelope: Envelope, sender_sign_public: bytes) -> bool:
    return keys_service.verify(sender_sign_public, envelope.signature, envelope.signed_bytes())


def decrypt(envelope: Envelope, recipient: X25519PrivateKey) -> dict[str, Any]:
    """Decrypt, strictly parse and schema-check the payload; check it matches the header."""
    enc = envelope.header["encryption"]
    ephemeral_public = unb64(enc["ephemeral_key"], "临时公钥", 32)
    nonce = base64.b64decode(enc["nonce"])
    recipient_public = recipient.public_key().public_bytes_raw()
    try:
        key = _derive(recipient.exchange(X25519PublicKey.from_public_bytes(ephemeral_public)),
                      ephemeral_public, recipient_public, envelope.header["bundle_id"])
        plaintext = AESGCM(key).decrypt(nonce, envelope.ciphertext, canonical(envelope.header))
    except (InvalidTag, ValueError):
        raise FileFormatError("数据包无法解密：不是用本单位名录中的密钥加密的，或内容已被改动。") from None
    what = "数据包（解密后）"
    payload = loads_strict(plaintext, what=what, max_bytes=MAX_PAYLOAD_BYTES)
    validate_fast(payload, SCHEMA_ID, what=what, pointer="/$defs/payload")
    check_subjects(payload, SCHEMA_ID, what)
    h = envelope.header
    for name in ("bundle_id", "sender", "addressee", "sequence"):
        if payload[name] != h[name]:
            raise FileFormatError(f"数据包内容与包头不符（{name}），已拒绝。")
    if len(payload["messages"]) != h["message_count"]:
        raise FileFormatError(
            f"数据包包头写有 {h['message_count']} 条消息，内容却有 {len(payload['messages'])} 条，已拒绝。")
    return payload
