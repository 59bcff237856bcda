"""The subject records that travel with dispatches, one codec per subject type.

A ``send`` message carries the dispatch's subject record (an approval result, a penalty
decision, a proposed sheet change, …) so the addressee can create it under the sender's id.
Each subject type registers a :class:`SubjectCodec` here: how to write the record as a JSON
value, which ``$defs`` entry of resources/schemas/bundle-v1.schema.json checks it, how to
create or refresh it at the addressee, and a one-line summary for previews. The exchange code
(messages, bundle checks, applier) knows subjects only through this table; a flow adds its
subject type by calling :func:`register` from its own module, listed in :data:`PROVIDERS`.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.models import Office
from app.services.errors import FileFormatError
from app.services.exchange.parser import fast_check, validate_fast

if TYPE_CHECKING:  # only for annotations: the applier imports this module
    from app.services.exchange.apply import Applier

CodeOf = Callable[[uuid.UUID], str]


@dataclass(frozen=True)
class SubjectCodec:
    subject_type: str
    # The schema entry (a pointer into bundle-v1.schema.json, e.g. "/$defs/approval_result").
    schema_pointer: str
    # The record as a JSON value; None when it does not exist here.
    to_dict: Callable[[Session, uuid.UUID, CodeOf], dict | None]
    # Create the record at the addressee (True) or refresh the copy already held (False).
    # Raise apply.Rejected (a ShenGuanError) with a Chinese reason to refuse the message.
    apply: Callable[[Applier, dict, Office, Office, uuid.UUID], bool]
    # What a preview shows for the record (e.g. the applicant), and a second detail.
    summary: Callable[[dict], str]
    detail: Callable[[dict], str] = lambda sub: ""


_CODECS: dict[str, SubjectCodec] = {}

# Modules that register codecs when imported (each calls register() at import time).
PROVIDERS = ("app.services.exchange.result_subject", "app.services.sheets.codecs",
             "app.services.enforcement.codecs", "app.services.cooperation.codecs")
_loaded = False


def register(codec: SubjectCodec) -> None:
    _CODECS[codec.subject_type] = codec


def _load() -> None:
    global _loaded
    if not _loaded:
        for name in PROVIDERS:
            importlib.import_module(name)
        _loaded = True


def codec(subject_type: str) -> SubjectCodec | None:
    _load()
    return _CODECS.get(subject_type)


def known_types() -> tuple[str, ...]:
    _load()
    return tuple(sorted(_CODECS))


def summary(message: dict) -> tuple[str, str]:
    """(summary, detail) of a message's subject for previews; empty when it has none."""
    sub = message.get("subject")
    c = codec(message["dispatch"]["subject_type"]) if sub is not None else None
    if c is None:
        return "", ""
    return c.summary(sub), c.detail(sub)


def check_subjects(payload: dict[str, Any], schema_id: str, what: str) -> None:
    """Check each message's subject against its type's schema entry (after the payload's own
    schema check); a subject of an unknown type refuses the whole bundle."""
    checks: dict[str, Callable[[Any], bool]] = {}
    for i, m in enumerate(payload["messages"]):
        sub = m["subject"]
        if sub is None:
            continue
        subject_type = m["dispatch"]["subject_type"]
        check = checks.get(subject_type)
        if check is None:
            c = codec(subject_type)
            if c is None:
                raise FileFormatError(f"{what}第 {i + 1} 条消息附带的记录类型“{subject_type}”本程序不支持，"
                                      "请升级审管通。")
            check = checks[subject_type] = fast_check(schema_id, c.schema_pointer)
        if not check(sub):  # word the error with jsonschema
            validate_fast(sub, schema_id, what=f"{what}第 {i + 1} 条消息的记录",
                          pointer=codec(subject_type).schema_pointer)
