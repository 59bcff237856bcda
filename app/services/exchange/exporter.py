"""Export: everything not yet acknowledged for one addressee, in the channel's next bundle.

The file is written atomically and read back and verified before the caller commits the new
sequence number; should anything fail, nothing in the database changes (the caller rolls
back) and no file is left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app import clock
from app.models import BundleRecord, Office
from app.services import locking
from app.services.errors import NotFoundError, ShenGuanError, WorkflowError
from app.services.exchange import bundle, outbox, reissue, resync, roster
from app.services.exchange import keys as keys_service
from app.services.exchange.files import atomic_write


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    bundle_id: uuid.UUID
    sequence: int
    messages: int
    resent: int  # of which already carried by an earlier bundle
    acknowledging: int
    addressee_name: str


def default_name(office: Office, peer: Office, sequence: int) -> str:
    return f"{office.code}-to-{peer.code}-{sequence:06d}.json"


def export_bundle(session: Session, office: Office, peer: Office, path: Path | None = None,
                  *, folder: Path | None = None,
                  progress: Callable[[int, int], None] | None = None) -> ExportSummary:
    """Write the next bundle for ``peer`` to ``path`` (or a default name in ``folder``)."""
    if not office.is_local:
        raise WorkflowError(f"{office.name}不是本机单位，不能以它的名义导出。")
    if peer.is_local:
        raise WorkflowError(f"{peer.name}是本机单位（同一数据库），无需导出数据包。")
    own, _ = keys_service.generate(session, office)
    peer_key = roster.trusted_key(session, peer)
    if peer_key is None:
        raise NotFoundError(
            f"单位名录中没有{peer.name}（{peer.code}）的密钥，无法为其加密。请先导入营商环境建设主管部门发布的最新名录。")
    out_ch = locking.channel(session, office.id, peer.id, office.id)  # one sequence number per bundle
    in_ch = outbox.channel(session, peer.id, office.id, create=False)
    sequence = resync.next_sequence(session, office, peer, out_ch)  # jumps after a restore
    waiting = outbox.pending(session, office.id, peer.id)
    total = len(waiting)
    bodies = []
    for i, m in enumerate(waiting):
        bodies.append(json.loads(m.body))
        if progress and i % 500 == 0:
            progress(i, total + 1)
    bundle_id = uuid.uuid4()
    through = in_ch.last_seq if in_ch else 0
    payload = {"bundle_id": str(bundle_id), "sender": office.code, "addressee": peer.code,
               "sequence": sequence, "ack": reissue.ack(session, office, peer, through),
               # Every message the addressee has not acknowledged is in here: it lacks nothing
               # from bundles after the last one it acknowledged (see docs, "Gaps").
               "covers_from": (out_ch.acked_seq or 0) + 1, "messages": bodies}
    notice = resync.notice(session, office, peer, through)
    if notice is not None:  # restored from a backup: ask the peer to send again what we lost
        payload["restored"] = notice
    created = clock.now()
    data = bundle.seal(bundle_id=bundle_id, sender=office.code, addressee=peer.code, sequence=sequence,
                       created=created, payload=payload, sign_key=keys_service.signing_key(own),
                       recipient_public=peer_key.encrypt_public)
    if path is None:
        path = Path(folder or ".") / default_name(office, peer, sequence)
    path = Path(path)
    if path.exists() and path.is_dir():
        path = path / default_name(office, peer, sequence)
    atomic_write(path, data)
    try:
        _read_back(path, data, own.sign_public)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    resent = 0
    for m in waiting:
        if m.first_seq is None:
            m.first_seq = sequence
        else:
            resent += 1
        m.last_seq = sequence
    out_ch.last_seq = sequence
    resync.exported(session, office, peer, sequence)
    session.add(BundleRecord(
        id=uuid.uuid4(), bundle_id=bundle_id, direction="out", sender_office_id=office.id,
        addressee_office_id=peer.id, sequence=sequence, created=created, processed_at=clock.now(),
        message_count=total, sha256=hashlib.sha256(data).hexdigest(), file_name=str(path),
        report=json.dumps({"messages": total, "resent": resent, "ack_through": through}),
    ))
    session.flush()
    if progress:
        progress(total + 1, total + 1)
    return ExportSummary(path, bundle_id, sequence, total, resent, through, peer.name)


def _read_back(path: Path, expected: bytes, sign_public: bytes) -> None:
    try:
        written = path.read_bytes()
    except OSError as exc:
        raise ShenGuanError(f"写出后无法读回 {path}：{exc.strerror or exc}") from exc
    if written != expected:
        raise ShenGuanError(f"写出的文件 {path} 与生成的内容不一致（存储设备可能有故障），请换一个位置重新导出。")
    envelope = bundle.read_envelope(written)
    if not bundle.verify(envelope, sign_public):
        raise ShenGuanError(f"写出的文件 {path} 未通过签名校验，请重新导出。")
