"""The code printed as a QR on every form: ASCII, record UUID plus a short content hash.

``SG1:<dispatch UUID>:<hash>``   a transmittal form and its receipt slip (one push)
``SG1L:<batch UUID>:<hash>``     a 移交清单 (many pushes to one addressee)
``SG1K:<office UUID>:<hash>``    a key registration form

The hash is the first 8 hex digits of SHA-256 over the printed fields, so a slip printed
before the record was changed no longer matches it. Codes are upper case: QR alphanumeric
mode makes the symbol small enough for a fax. A scanner types into a text field like a
keyboard, so parsing forgives case (Caps Lock), full-width characters (an active Chinese
input method) and surrounding blanks.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from app.services.errors import ValidationError

TRANSMITTAL, BATCH, KEYFORM = "transmittal", "batch", "keyform"
PREFIXES = {TRANSMITTAL: "SG1", BATCH: "SG1L", KEYFORM: "SG1K"}
KINDS = {v: k for k, v in PREFIXES.items()}
_CODE = re.compile(r"^(SG1|SG1L|SG1K):([0-9A-F]{8}-?[0-9A-F]{4}-?[0-9A-F]{4}-?[0-9A-F]{4}-?[0-9A-F]{12}):([0-9A-F]{8})$")


def content_hash(fields: Iterable[object]) -> str:
    """8 upper-case hex digits of SHA-256 over the fields (None as empty, joined by US)."""
    text = "\x1f".join("" if f is None else str(f) for f in fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8].upper()


def make_code(kind: str, record_id: uuid.UUID, digest: str) -> str:
    return f"{PREFIXES[kind]}:{str(record_id).upper()}:{digest.upper()}"


@dataclass(frozen=True)
class Code:
    kind: str
    record_id: uuid.UUID
    digest: str
    text: str  # normalised


def parse_code(text: str) -> Code:
    """Read a scanned or typed code; a clear error for anything that is not one of ours."""
    raw = unicodedata.normalize("NFKC", text or "")
    clean = "".join(raw.split()).upper()
    if not clean:
        raise ValidationError("请扫描回执上的二维码，或输入二维码下方的回执码。", "code")
    m = _CODE.match(clean)
    if m is None:
        shown = clean if len(clean) <= 60 else clean[:57] + "…"
        raise ValidationError(
            f"“{shown}”不是审管通的回执码（应形如 SG1:编号:校验码）。请重新扫描，"
            "或对照回执二维码下方的文字输入。", "code",
        )
    prefix, rid, digest = m.groups()
    record_id = uuid.UUID(rid)
    return Code(KINDS[prefix], record_id, digest, make_code(KINDS[prefix], record_id, digest))
