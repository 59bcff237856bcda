"""The bundle file format: seal, read, verify, decrypt; header and ciphertext are bound."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.services.errors import FileFormatError
from app.services.exchange import bundle
from app.services.exchange.parser import validate

SIGN = Ed25519PrivateKey.generate()
RECIPIENT = X25519PrivateKey.generate()
BID = uuid.UUID("6f1c0000-0000-4000-8000-000000000001")


def payload(messages=()):
    return {"bundle_id": str(BID), "sender": "YK-SPJ", "addressee": "YK-ZJJ", "sequence": 3,
            "ack": {"through_sequence": 0}, "covers_from": 1, "messages": list(messages)}


def sealed(p=None, **kw) -> bytes:
    args = dict(bundle_id=BID, sender="YK-SPJ", addressee="YK-ZJJ", sequence=3,
                created=datetime(2026, 11, 25, 10, 0), payload=p or payload(), sign_key=SIGN,
                recipient_public=RECIPIENT.public_key().public_bytes_raw())
    args.update(kw)
    return bundle.seal(**args)


def test_round_trip_and_readable_header():
    data = sealed()
    doc = json.loads(data)
    assert doc["header"]["sender"] == "YK-SPJ" and doc["header"]["message_count"] == 0
    assert b'"sequence": 3' in data  # readable without keys
    env = bundle.read_envelope(data)
    assert bundle.verify(env, SIGN.public_key().public_bytes_raw())
    assert bundle.decrypt(env, RECIPIENT) == payload()


def test_reindenting_the_file_keeps_the_signature_valid():
    doc = json.loads(sealed())
    env = bundle.read_envelope(json.dumps(doc, indent=7, ensure_ascii=True).encode())
    assert bundle.verify(env, SIGN.public_key().public_bytes_raw())


def test_changed_header_breaks_signature_and_decryption():
    doc = json.loads(sealed())
    doc["header"]["sequence"] = 4
    env = bundle.read_envelope(json.dumps(doc).encode())
    assert not bundle.verify(env, SIGN.public_key().public_bytes_raw())
    with pytest.raises(FileFormatError, match="无法解密"):
        bundle.decrypt(env, RECIPIENT)


def test_other_recipient_cannot_decrypt_and_other_signer_does_not_verify():
    env = bundle.read_envelope(sealed())
    with pytest.raises(FileFormatError, match="无法解密"):
        bundle.decrypt(env, X25519PrivateKey.generate())
    assert not bundle.verify(env, Ed25519PrivateKey.generate().public_key().public_bytes_raw())


def test_payload_must_match_header():
    p = payload()
    p["sequence"] = 9
    env = bundle.read_envelope(sealed(p))
    with pytest.raises(FileFormatError, match="与包头不符"):
        bundle.decrypt(env, RECIPIENT)


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "other"}, "不是审管通数据包"),
    ({"schema_version": 2}, "第 1 版"),
    ({"sender": "坏代码"}, "header/sender"),
    ({"extra": 1}, "未知字段 extra"),
])
def test_header_refusals(change, message):
    doc = json.loads(sealed())
    doc["header"].update(change)
    with pytest.raises(FileFormatError, match=message):
        bundle.read_envelope(json.dumps(doc, ensure_ascii=False).encode())


def test_payload_schema_names_the_place():
    p = payload()
    p["messages"] = [{"id": "x"}]
    with pytest.raises(FileFormatError, match="messages/0"):
        validate(p, bundle.SCHEMA_ID, what="数据包内容", pointer="/$defs/payload")


def test_the_collector_is_paused_during_an_import_and_resumes_after_even_on_refusal():
    import gc

    from app.services.exchange import importer

    assert gc.isenabled()
    with importer.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with importer.gc_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:  # already paused by someone else: left as it was
        with importer.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
