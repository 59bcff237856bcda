"""A hostile corpus: bundle files that must be refused (or held, or be a no-op), each with the
words its refusal must contain. Built from a real world (three homes) so the forgeries use real
keys, ids and sequence numbers; ``write_corpus`` also saves them as files for inspection."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.models import OfficeKey
from app.services.exchange import bundle, keys
from app.services.exchange.parser import canonical


@dataclass
class Parts:
    """What a forger may hold: keys by office code, and a valid payload to start from."""

    sign: dict[str, Ed25519PrivateKey]
    enc_public: dict[str, bytes]
    payload: dict  # the payload of the valid, not yet imported bundle 2 from YK-SPJ to YK-ZJJ
    bundle1: bytes  # applied already
    payload1: dict  # its payload: a push the addressee holds now
    bundle2: bytes  # valid, not imported


def load_keys(world) -> tuple[dict, dict]:
    sign, enc = {}, {}
    for home in (world.ys, world.ap, world.zj):
        with home.session() as s:
            k = s.query(OfficeKey).one()
            sign[home.code] = keys.signing_key(k)
            enc[home.code] = k.encrypt_public
    return sign, enc


def seal_raw(header: dict, plaintext: bytes, sign_key: Ed25519PrivateKey, recipient_public: bytes) -> bytes:
    """bundle.seal, but with any header and any plaintext bytes (for forgeries)."""
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes_raw()
    nonce = b"\x01" * 12
    header = dict(header)
    header["encryption"] = {"algorithm": bundle.ALGORITHM, "ephemeral_key": keys.b64(eph_pub),
                            "nonce": keys.b64(nonce)}
    hb = canonical(header)
    key = bundle._derive(ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public)),
                         eph_pub, recipient_public, header["bundle_id"])
    ct = AESGCM(key).encrypt(nonce, plaintext, hb)
    sig = sign_key.sign(bundle.SIGN_DOMAIN + hb + b"\x00" + ct)
    return json.dumps({"header": header, "ciphertext": keys.b64(ct), "signature": keys.b64(sig)},
                      ensure_ascii=False, indent=1).encode("utf-8")


def header_for(payload: dict, count: int | None = None) -> dict:
    return {"format": bundle.FORMAT, "schema_version": 1, "bundle_id": payload["bundle_id"],
            "sender": payload["sender"], "addressee": payload["addressee"], "sequence": payload["sequence"],
            "created": "2026-11-25T16:00:00",
            "message_count": len(payload["messages"]) if count is None else count}


def forge(p: Parts, change: Callable[[dict], None] | None = None, *, signer="YK-SPJ", to="YK-ZJJ",
          header_change: Callable[[dict], None] | None = None, plaintext: bytes | None = None,
          count: int | None = None) -> bytes:
    payload = json.loads(json.dumps(p.payload))
    payload["bundle_id"] = str(uuid.uuid4())
    if change:
        change(payload)
    header = header_for(payload, count)
    if header_change:
        header_change(header)
    text = plaintext if plaintext is not None else json.dumps(payload, ensure_ascii=False).encode()
    sign_key = p.sign[signer] if isinstance(signer, str) else signer
    return seal_raw(header, text, sign_key, p.enc_public[to])


def edit(data: bytes, fn: Callable[[dict], None]) -> bytes:
    doc = json.loads(data)
    fn(doc)
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def replace_text(data: bytes, old: str, new: str) -> bytes:
    text = data.decode("utf-8")
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def flip_ciphertext(doc: dict) -> None:
    raw = bytearray(base64.b64decode(doc["ciphertext"]))
    raw[len(raw) // 2] ^= 0x01
    doc["ciphertext"] = base64.b64encode(bytes(raw)).decode()


def nest(depth: int) -> str:
    return "[" * depth + "]" * depth


def message_change(fn: Callable[[dict], None]) -> Callable[[dict], None]:
    return lambda payload: fn(payload["messages"][0])


def bureau_signs_off(p: Parts) -> dict:
    """The bureau "signs off" its own push that the department holds: the rule says only the
    addressee may; the engine must refuse it."""
    m = json.loads(json.dumps(p.payload1["messages"][0]))
    event = dict(m["events"][-1], id=str(uuid.uuid4()), seq=3, action="sign_off", from_status="sent",
                 to_status="signed_off", office="YK-SPJ")
    return dict(m, id=str(uuid.uuid4()), action="sign_off", events=[event], subject=None)


def seq(n):
    return lambda pl: pl.update(sequence=n)


STRANGER = Ed25519PrivateKey.generate()

# name → (build the file from Parts, words the refusal must contain)
CASES: dict[str, tuple[Callable[[Parts], bytes], str]] = {
    # who signed it
    "unknown_signer": (lambda p: forge(p, lambda pl: pl.update(sender="YK-XXX"), signer=STRANGER), "不在单位名录中"),
    "forged_signer_known_code": (lambda p: forge(p, signer=STRANGER), "签名无效"),
    "signed_by_oversight_as_bureau": (lambda p: forge(p, signer="YK-YSJ"), "签名无效"),
    "signed_by_addressee_itself": (lambda p: forge(p, signer="YK-ZJJ"), "签名无效"),
    "local_office_as_sender": (lambda p: forge(p, lambda pl: pl.update(sender="YK-ZJJ", addressee="YK-ZJJ"),
                                     signer="YK-ZJJ"), "本机单位"),
    # tampered bytes
    "tampered_ciphertext": (lambda p: edit(p.bundle2, flip_ciphertext), "签名无效"),
    "tampered_created": (lambda p: edit(p.bundle2, lambda d: d["header"].update(created="2027-01-01T00:00:00")), "签名无效"),
    "tampered_message_count": (lambda p: edit(p.bundle2, lambda d: d["header"].update(message_count=7)), "签名无效"),
    "tampered_signature": (lambda p: edit(p.bundle2, lambda d: d.update(signature=keys.b64(b"\x00" * 64))), "签名无效"),
    "swapped_ciphertext_from_bundle1": (lambda p:
        edit(p.bundle2, lambda d: d.update(ciphertext=json.loads(p.bundle1)["ciphertext"])), "签名无效"),
    "sequence_float_in_header": (lambda p: replace_text(p.bundle2, '"sequence": 2', '"sequence": 2.0'), "签名无效"),
    # addressee and encryption
    "wrong_addressee": (lambda p: forge(p, lambda pl: pl.update(addressee="YK-YSJ"), to="YK-YSJ"), "不是本单位"),
    "encrypted_to_someone_else": (lambda p: forge(p, to="YK-YSJ"), "无法解密"),
    # replay and sequence
    "replay_of_applied_bundle": (lambda p: p.bundle1, "导入过，未做任何更改"),
    "duplicate_bundle_id_other_content": (lambda p:
        forge(p, lambda pl: pl.update(bundle_id=json.loads(p.bundle1)["header"]["bundle_id"])), "内容不同"),
    # (a later-made bundle with the last applied number is a re-export after a killed export
    # and is applied: tests/services/exchange/test_orphan_bundle.py)
    "old_sequence_new_id": (lambda p: forge(p, seq(1), header_change=lambda h: h.update(
        created="2026-11-20T09:00:00")), "无需导入"),
    "gap_not_covered": (lambda p: forge(p, lambda pl: pl.update(sequence=4, covers_from=4)), "缺少来自"),
    "absurd_jump": (lambda p: forge(p, lambda pl: pl.update(sequence=999_999, covers_from=1)), "异常"),
    "sequence_zero": (lambda p: forge(p, seq(0)), "header/sequence"),
    "sequence_negative": (lambda p: forge(p, seq(-5)), "header/sequence"),
    "sequence_as_string": (lambda p: forge(p, seq("2")), "header/sequence"),
    "covers_after_sequence": (lambda p: forge(p, lambda pl: pl.update(covers_from=3)), "covers_from"),
    "ack_of_unsent_bundle": (lambda p: forge(p, lambda pl: pl.update(ack={"through_sequence": 99})), "尚未导出过"),
    # broken files
    "truncated_half": (lambda p: p.bundle2[: len(p.bundle2) // 2], "不是完整有效的 JSON"),
    "truncated_last_byte": (lambda p: p.bundle2.rstrip()[:-1], "不是完整有效的 JSON"),
    "empty": (lambda p: b"", "空文件"),
    "plain_text": (lambda p: "这不是数据包".encode(), "不是完整有效的 JSON"),
    "bad_utf8": (lambda p: p.bundle2.replace(b'"format"', b'"form\xffat"', 1), "UTF-8"),
    "utf8_bom": (lambda p: b"\xef\xbb\xbf" + p.bundle2, "BOM"),
    "duplicate_key_in_header": (lambda p: replace_text(p.bundle2, '"sequence": 2', '"sequence": 2, "sequence": 3'), "重复"),
    "duplicate_key_top_level": (lambda p: replace_text(p.bundle2, '"signature":', '"signature": "x", "signature":'), "重复"),
    "nan_in_header": (lambda p: replace_text(p.bundle2, '"message_count": 1', '"message_count": NaN'), "NaN"),
    "infinity_in_header": (lambda p: replace_text(p.bundle2, '"message_count": 1', '"message_count": Infinity'), "Infinity"),
    "deep_nesting": (lambda p: replace_text(p.bundle2, '"message_count": 1', '"message_count": ' + nest(200)), "嵌套过深"),
    "huge_string": (lambda p: edit(p.bundle2, lambda d: d["header"].update(sender="A" * 5_000_000)), "header/sender"),
    "huge_number": (lambda p: replace_text(p.bundle2, '"message_count": 1', '"message_count": ' + "9" * 400), "数字过大"),
    "lone_surrogate": (lambda p: replace_text(p.bundle2, '"YK-SPJ"', '"YK-\\ud800"'), "代理"),
    "top_level_array": (lambda p: b"[1, 2, 3]", "类型应为 object"),
    # format and schema
    "wrong_format": (lambda p: edit(p.bundle2, lambda d: d["header"].update(format="excel")), "不是审管通数据包"),
    "schema_version_2": (lambda p: edit(p.bundle2, lambda d: d["header"].update(schema_version=2)), "第 1 版"),
    "schema_version_string": (lambda p: edit(p.bundle2, lambda d: d["header"].update(schema_version="1")), "第 1 版"),
    "unknown_header_field": (lambda p: edit(p.bundle2, lambda d: d["header"].update(priority="high")), "未知字段 priority"),
    "missing_signature": (lambda p: edit(p.bundle2, lambda d: d.pop("signature")), "缺少字段 signature"),
    "unknown_encryption": (lambda p: edit(p.bundle2, lambda d: d["header"]["encryption"].update(algorithm="ROT13")), "不被接受"),
    # the payload (validly signed and encrypted, wrong inside)
    "payload_unknown_kind": (lambda p: forge(p, message_change(lambda m: (m.update(kind="bribe"),
                                                                m["dispatch"].update(kind="bribe")))),
                             "未知的消息种类"),
    "payload_unknown_action": (lambda p: forge(p, message_change(lambda m: m.update(action="approve"))), "没有"),
    "payload_actor_not_allowed": (lambda p: forge(p, lambda pl: pl.update(messages=[bureau_signs_off(p)])),
                                  "可以签收"),
    "payload_other_offices": (lambda p: forge(p, message_change(lambda m: m["dispatch"].update(addressee="YK-YSJ"))),
                              "不是发送单位与本单位之间"),
    "payload_event_office": (lambda p: forge(p, message_change(lambda m: m["events"][1].update(office="YK-ZJJ"))),
                             "办理记录的单位"),
    "payload_subject_mismatch": (lambda p: forge(p, message_change(lambda m: m["subject"].update(id=str(uuid.uuid4())))),
                                 "不符"),
    "payload_header_mismatch": (lambda p: forge(p, header_change=lambda h: h.update(sequence=2),
                                      change=lambda pl: pl.update(sequence=3, covers_from=1)), "与包头不符"),
    "payload_count_mismatch": (lambda p: forge(p, count=2), "包头写有 2 条"),
    "payload_missing_field": (lambda p: forge(p, message_change(lambda m: m.pop("events"))), "缺少字段 events"),
    "payload_bad_date": (lambda p: forge(p, message_change(lambda m: m["dispatch"].update(send_due="26/11/2026"))),
                         "send_due"),
    "payload_huge_note": (lambda p: forge(p, message_change(lambda m: m["events"][1].update(note="x" * 100_000))),
                          "超出上限 2000"),
    "payload_subject_unknown_type": (lambda p: forge(p, message_change(lambda m: m["dispatch"].update(
                                         subject_type="bribe_letter"))), "记录类型“bribe_letter”本程序不支持"),
    "payload_subject_breaks_its_schema": (lambda p: forge(p, message_change(lambda m: m["subject"].update(
                                              applicant_id="not an id"))), "消息的记录"),
    "payload_subject_extra_field": (lambda p: forge(p, message_change(lambda m: m["subject"].update(
                                        secret="x"))), "未知字段 secret"),
    "payload_send_without_subject": (lambda p: forge(p, message_change(lambda m: m.update(subject=None))),
                                     "缺少所附的记录"),
    "payload_duplicate_keys": (lambda p: forge(p, plaintext=b'{"bundle_id": "a", "bundle_id": "b"}'), "重复"),
    "payload_nan": (lambda p: forge(p, plaintext=b'{"sequence": NaN}'), "NaN"),
    "payload_bad_utf8": (lambda p: forge(p, plaintext=b'{"sender": "\xc3\x28"}'), "UTF-8"),
    "payload_deep": (lambda p: forge(p, plaintext=nest(500).encode()), "嵌套过深"),
    "payload_not_json": (lambda p: forge(p, plaintext=b"\x00\x01binary"), "JSON"),
}


def write_corpus(folder: Path, corpus: dict[str, tuple[bytes, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (data, expect) in corpus.items():
        (folder / f"{name}.json").write_bytes(data)
        (folder / f"{name}.expect.txt").write_text(expect, encoding="utf-8")


def now() -> datetime:
    return datetime(2026, 11, 25, 16, 0)
