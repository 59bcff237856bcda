"""Import: verify, check the sequence, decrypt, parse, then preview or apply in one transaction.

:func:`import_bundle` never commits; the caller commits only when ``report.status`` is
``applied``. For every other status the caller rolls back, so a refused, held, already
imported or previewed file leaves the database exactly as it was. :func:`keep_file` copies a
refused file into ``<home>/quarantine`` (a held one into ``<home>/held``) with its report.
"""

from __future__ import annotations

import gc
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import BundleRecord, Office
from app.services import backups, locking
from app.services import offices as offices_service
from app.services.errors import ShenGuanError
from app.services.exchange import apply as applier
from app.services.exchange import bundle, files, outbox, reissue, resync, roster, subjects
from app.services.exchange import keys as keys_service

APPLIED, ALREADY, HELD, REJECTED, PREVIEW = "applied", "already", "held", "rejected", "preview"
STATUS_LABELS = {APPLIED: "已导入", ALREADY: "已导入过", HELD: "暂存（等待缺少的数据包）",
                 REJECTED: "已拒绝", PREVIEW: "预览"}
MAX_JUMP = 1000


@dataclass
class ImportReport:
    status: str
    message: str
    file_name: str = ""
    header: dict = field(default_factory=dict)
    sender_name: str = ""
    outcomes: list[applier.Outcome] = field(default_factory=list)
    acknowledged: int = 0
    kept_as: str = ""
    gap: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (APPLIED, ALREADY, PREVIEW)

    def counts(self) -> dict[str, int]:
        c = {k: 0 for k in (applier.CREATED, applier.UPDATED, applier.UNCHANGED, applier.REJECTED)}
        for o in self.outcomes:
            c[o.outcome] += 1
        return c

    def as_dict(self) -> dict:
        return {
            "status": self.status, "status_label": STATUS_LABELS[self.status], "message": self.message,
            "file": self.file_name, "header": {k: v for k, v in self.header.items() if k != "encryption"},
            "sender_name": self.sender_name, "counts": self.counts(), "acknowledged": self.acknowledged,
            "outcomes": [o.as_dict() for o in self.outcomes], "kept_as": self.kept_as,
            "checked_at": clock.now().isoformat(),
        }


class _Refuse(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def import_bundle(session: Session, data: bytes, *, file_name: str = "", dry_run: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check ``data`` and apply it to ``session`` (or preview it with ``dry_run``)."""
    report = ImportReport(REJECTED, "", file_name=file_name)
    try:
        with gc_paused():
            _run(session, data, report, dry_run, progress)
    except _Refuse as exc:
        report.status, report.message = exc.status, exc.message
    except ShenGuanError as exc:
        report.status, report.message = REJECTED, exc.message
    return report


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a bundle is imported.

    A large bundle is millions of small objects (the parsed payload, the new records); the
    collector would walk all of them again and again while they are being made (about 15 % of
    an import's time) and find nothing: none of it is garbage until the import ends. Reference
    counting still frees everything as usual; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run(session, data, report, dry_run, progress) -> None:
    env = bundle.read_envelope(data)
    report.header = dict(env.header)
    local = {o.code: o for o in offices_service.local_offices(session)}
    me = local.get(env.addressee)
    if me is None:
        names = "、".join(local) or "（未设置）"
        raise _Refuse(REJECTED, f"这个数据包是发给 {env.addressee} 的，不是本单位（{names}），已拒绝。")
    signer = session.scalar(select(Office).where(Office.code == env.sender))
    trusted = roster.trusted_key(session, signer) if signer is not None else None
    if trusted is None:
        raise _Refuse(REJECTED, f"发送单位 {env.sender} 不在单位名录中，无法核实签名，已拒绝。"
                                "如为新单位，请先导入营商环境建设主管部门发布的最新名录。")
    report.sender_name = signer.name
    if signer.is_local:
        raise _Refuse(REJECTED, f"发送单位 {signer.name} 是本机单位，不应通过数据包交换，已拒绝。")
    if not bundle.verify(env, trusted.sign_public):
        raise _Refuse(REJECTED, f"签名无效：这个数据包不是 {signer.name} 签发的，或内容已被改动，已拒绝。")
    # Decided under the channel's lock: of two desks importing one bundle, one applies it and
    # the other then finds it here (already imported).
    in_ch = locking.channel(session, signer.id, me.id, me.id)
    seen = session.scalar(select(BundleRecord).where(BundleRecord.direction == "in",
                                                     BundleRecord.bundle_id == env.bundle_id))
    if seen is not None:
        if seen.sha256 == env.sha256:
            raise _Refuse(ALREADY, f"该数据包（{signer.name} 第 {seen.sequence} 号）已于 "
                                   f"{seen.processed_at:%Y-%m-%d %H:%M} 导入过，未做任何更改。")
        raise _Refuse(REJECTED, f"数据包编号 {env.bundle_id} 已导入过，但本文件内容不同（可能是伪造或重放），已拒绝。")
    last = in_ch.last_seq
    reissued = None
    if env.sequence == last:
        reissued = reissue.repeat_of_last(session, signer, me, last, env.created)
        if reissued is None:
            raise _Refuse(ALREADY, f"已导入过来自 {signer.name} 的另一个第 {last} 号数据包（较新）。本文件是较早生成的"
                                   "同号数据包（对方导出中断后留下的文件），其中的消息已随较新的数据包送达或将随"
                                   f"{signer.name}的下一个数据包重发，无需导入，未做任何更改。")
    elif env.sequence < last:
        raise _Refuse(ALREADY, f"已导入过来自 {signer.name} 的第 {last} 号数据包，本数据包（第 {env.sequence} 号）"
                               "中的消息均已随后来的数据包送达，无需导入，未做任何更改。")
    own = keys_service.own_key(session, me)
    if own is None:
        raise _Refuse(REJECTED, f"{me.name}没有密钥，无法解密。请运行 shenguan keys generate 并重新登记。")
    payload = bundle.decrypt(env, keys_service.decryption_key(own))
    # A jump above MAX_JUMP is absurd, except twice as far for a signed restore notice (the
    # first bundle after a restore jumps MAX_JUMP; the stick that carried it may be lost).
    if env.sequence > last + MAX_JUMP * (2 if "restored" in payload else 1):
        raise _Refuse(REJECTED, f"数据包序号 {env.sequence} 异常（上一个为第 {last} 号），已拒绝。")
    out_ch = outbox.channel(session, me.id, signer.id, create=False)
    through = payload["ack"]["through_sequence"]
    last_out = out_ch.last_seq if out_ch else 0
    if (through > last_out and not resync.accepts_ack(session, me, signer)
            and not reissue.orphan_ack(session, me, signer, payload["ack"], last_out)):
        raise _Refuse(REJECTED, f"数据包确认收到本单位第 {through} 号数据包，但本单位尚未导出过该序号，已拒绝。")
    if payload.get("restored", {}).get("resend_after", 0) > through:
        raise _Refuse(REJECTED, "数据包内容不合规（恢复通知中的 resend_after 大于确认序号），已拒绝。")
    covers = payload["covers_from"]
    if covers > env.sequence:
        raise _Refuse(REJECTED, "数据包内容不合规（covers_from 大于序号），已拒绝。")
    gap = ""
    if env.sequence > last + 1:
        missing = f"{last + 1}" if env.sequence == last + 2 else f"{last + 1}–{env.sequence - 1}"
        if covers > last + 1:
            raise _Refuse(HELD, f"缺少来自 {signer.name} 的第 {missing} 号数据包：本数据包（第 {env.sequence} 号）"
                                "已暂存，待缺少的数据包导入后自动导入。")
        gap = f"（未收到第 {missing} 号数据包，其中的消息已由本数据包重发）"
    if "restored" in payload:
        gap = f"（{signer.name}的数据库已于 {payload['restored']['at'].replace('T', ' ')} 从备份恢复）"
    if reissued is not None:
        gap += (f"（本数据包是{signer.name}导出中断后重新导出的第 {last} 号数据包，"
                f"已于 {reissued.processed_at:%Y-%m-%d %H:%M} 导入的同号旧文件中的消息不会重复）")
    report.gap = gap
    if not dry_run:
        backups.auto(session, "before-import")
    _apply(session, env, payload, signer, me, report, dry_run, progress, in_ch, out_ch, data)


def _apply(session, env, payload, signer, me, report, dry_run, progress, in_ch, out_ch, data) -> None:
    msgs = payload["messages"]
    a = applier.Applier(session, signer, me, env.bundle_id, clock.now())
    a.prefetch(msgs)
    total = len(msgs)
    pause = _test_pause()
    # New records are built in memory and inserted in bulk by a.write(); no autoflush meanwhile
    # (it would write changes that point at records not inserted yet).
    with session.no_autoflush:
        for i, m in enumerate(msgs):
            report.outcomes.append(a.apply(m))
            if progress and i % 200 == 0:
                progress(i, total)
            if pause:
                a.write()
                pause(session)
    a.write()
    bad = [o for o in report.outcomes if o.outcome == applier.REJECTED]
    if bad:
        first = bad[0]
        raise _Refuse(REJECTED, f"{len(bad)} 条消息无法应用，整个数据包未导入。第一条：{first.reason}")
    session.flush()
    if dry_run:
        c = report.counts()
        report.status = PREVIEW
        report.message = (f"预览：来自 {signer.name} 的第 {env.sequence} 号数据包可以导入：新建 {c['created']} 条，"
                          f"更新 {c['updated']} 条，无变化 {c['unchanged']} 条。")
        return
    if in_ch is None:
        in_ch = outbox.channel(session, signer.id, me.id)
    in_ch.last_seq = env.sequence
    through = payload["ack"]["through_sequence"]
    if not resync.accepts_ack(session, me, signer):  # a restored channel trusts the peer's number
        through = reissue.confirmed_through(session, me, signer, payload["ack"])
    out_ch, reopened = resync.after_import(session, me, signer, payload, out_ch)
    if reopened:
        report.gap += f"（已按对方请求将 {reopened} 条消息重新列入发件箱，随下一个数据包重发）"
    if payload["ack"]["through_sequence"] > (out_ch.last_seq if out_ch else 0):  # an orphan of ours
        out_ch = out_ch or outbox.channel(session, me.id, signer.id)
        reissue.learn_used_number(out_ch, payload["ack"]["through_sequence"])
    if out_ch is not None and through > out_ch.acked_seq:
        out_ch.acked_seq = through
    report.acknowledged = outbox.acknowledge(session, me.id, signer.id, through)
    c = report.counts()
    report.status = APPLIED
    report.message = (f"已导入来自 {signer.name} 的第 {env.sequence} 号数据包：新建 {c['created']} 条，"
                      f"更新 {c['updated']} 条，无变化 {c['unchanged']} 条；对方确认收到本单位消息 {report.acknowledged} 条。{report.gap}")
    session.add(BundleRecord(
        id=uuid.uuid4(), bundle_id=env.bundle_id, direction="in", sender_office_id=signer.id,
        addressee_office_id=me.id, sequence=env.sequence, created=env.created, processed_at=clock.now(),
        message_count=env.message_count, sha256=env.sha256, file_name=report.file_name,
        report=json.dumps(report.as_dict(), ensure_ascii=False),
    ))
    session.flush()
    if progress:
        progress(total, total)


def _test_pause():
    """Tests only (the kill test): with SHENGUAN_TEST_IMPORT_PAUSE=seconds, write what each
    message changed into the open transaction and wait, so a test can kill the process midway;
    SHENGUAN_TEST_IMPORT_MARKER names a file created when the first message is in."""
    seconds = os.environ.get("SHENGUAN_TEST_IMPORT_PAUSE")
    if not seconds:
        return None
    marker = os.environ.get("SHENGUAN_TEST_IMPORT_MARKER")

    def pause(session: Session) -> None:
        session.flush()
        if marker:
            Path(marker).touch()
        time.sleep(float(seconds))

    return pause


# -- files kept outside the database -------------------------------------------------------------


def keep_file(home: Path, data: bytes, report: ImportReport) -> Path | None:
    """Quarantine a refused file, or hold one that waits for a missing bundle."""
    folder = {REJECTED: files.QUARANTINE, HELD: files.HELD}.get(report.status)
    if folder is None:
        return None
    path = files.keep(home, folder, report.file_name or "bundle", data, report.as_dict())
    report.kept_as = str(path)
    return path


def next_held(home: Path, report: ImportReport) -> Path | None:
    """After applying bundle N from a sender, the held bundle N+1 from it, if any."""
    h = report.header
    for r in files.kept_reports(home, files.HELD):
        rh = r.get("header", {})
        if (rh.get("sender"), rh.get("addressee"), rh.get("sequence")) == (
                h.get("sender"), h.get("addressee"), h.get("sequence", 0) + 1):
            return Path(r["file"])
    return None


def read_file(path: Path) -> bytes:
    return files.read_limited(Path(path), bundle.MAX_BUNDLE_BYTES, bundle.WHAT)


def inspect_bundle(session: Session, data: bytes) -> dict:
    """The header; whether the signature checks against the roster; the messages when this
    office is the addressee. Writes nothing."""
    env = bundle.read_envelope(data)
    info: dict = {"header": dict(env.header), "sha256": env.sha256, "signature": "unknown",
                  "messages": None}
    signer = session.scalar(select(Office).where(Office.code == env.sender))
    trusted = roster.trusted_key(session, signer) if signer is not None else None
    if trusted is not None:
        info["sender_name"] = signer.name
        info["signature"] = "valid" if bundle.verify(env, trusted.sign_public) else "invalid"
    me = session.scalar(select(Office).where(Office.code == env.addressee, Office.is_local.is_(True)))
    own = keys_service.own_key(session, me) if me is not None else None
    if own is not None and info["signature"] == "valid":
        payload = bundle.decrypt(env, keys_service.decryption_key(own))
        info["ack"] = payload["ack"]
        info["messages"] = [
            {"id": m["id"], "kind": m["kind"], "action": m["action"], "dispatch_id": m["dispatch"]["id"],
             "subject_id": m["dispatch"]["subject_id"],
             "applicant": subjects.summary(m)[0], "item": subjects.summary(m)[1],
             "at": m["events"][-1]["at"],
             "operator": m["events"][-1]["operator"], "note": m["events"][-1]["note"]}
            for m in payload["messages"]
        ]
    return info
