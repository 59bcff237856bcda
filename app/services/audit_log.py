"""Reading the audit log: verification of the hash chain, the head, lists and a record's events.

:func:`verify` walks the log in seq order and recomputes every hash and the head; it reports
the FIRST broken link and its kind. What it cannot see: someone who rewrites the whole chain
and the head from the start with the same algorithm; that is caught only against a head hash
written down earlier (``verify(..., head="SEQ:HASH")``; docs/audit.md).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime, time

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import Session

from app.models import Dispatch
from app.models.audit import GENESIS, AuditEvent, AuditHead
from app.services.audit import hash_fields
from app.services.errors import ValidationError

OK, EDITED, DELETED, REORDERED, TRUNCATED, HEAD, EXTERNAL = (
    "ok", "edited", "deleted", "reordered", "truncated", "head", "external")
KIND_LABELS = {OK: "完好", EDITED: "记录被修改", DELETED: "记录被删除（序号缺失）",
               REORDERED: "记录被调换顺序或替换", TRUNCATED: "末尾记录被删除",
               HEAD: "链头与日志不符", EXTERNAL: "与外部保存的链头不符"}
ENTITY_LABELS = {
    "approval_results": "审批结果", "dispatches": "办件", "dispatch_events": "办理记录",
    "offices": "单位", "settings": "设置", "licensing_items": "许可事项",
    "bundle_records": "数据包", "outbox_messages": "待发消息", "exchange_channels": "交换通道",
    "office_keys": "本单位密钥", "roster_keys": "名录密钥", "paper_receipts": "纸质回执",
    "paper_batches": "批量推送单", "paper_batch_items": "推送单明细",
    "catalogue_versions": "清单版本", "catalogue_entries": "清单事项",
    "catalogue_opinions": "清单意见", "implementation_sheets": "实施清单",
    "push_sheets": "推送清单", "sheet_changes": "要素调整", "policy_changes": "政策变化告知",
    "pool_letters": "库更新函", "experts": "专家", "agencies": "中介机构",
    "liaison_officers": "联络员", "penalty_decisions": "行政处罚决定",
    "licence_changes": "许可变更", "referrals": "移送", "consultations": "会商",
    "support_requests": "支持请求", "oversight_reports": "督办报送", "circulars": "通报",
    "calendar_overrides": "节假日调整", "calendar_years": "年度日历",
    "jurisdictions": "行政区域",
}
FAMILY_LIMIT = 500


@dataclass(frozen=True)
class Verification:
    ok: bool
    kind: str
    count: int  # events checked before the first broken link (all of them when ok)
    seq: int | None  # where the first broken link is
    message: str
    head_seq: int
    head_hash: str

    def as_dict(self) -> dict:
        return asdict(self) | {"kind_label": KIND_LABELS[self.kind]}


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    office: str
    operator: str
    action: str
    entity_type: str
    entity_label: str
    entity_id: str
    what: str  # readable: "field：value；…"

    def as_dict(self) -> dict:
        return asdict(self)


def _stamp(value) -> str:
    return value if isinstance(value, str) else value.isoformat(" ", "microseconds")


def head(session: Session) -> tuple[int, str]:
    """(last seq, last hash) of the head row; (0, GENESIS) for an empty log."""
    row = session.execute(select(AuditHead.last_seq, AuditHead.last_hash)
                          .where(AuditHead.id == 1)).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def parse_head(text: str) -> tuple[int | None, str]:
    """``SEQ:HASH`` or ``HASH`` as written down from ``audit head``."""
    raw = "".join((text or "").split()).lower()
    seq_text, _, digest = raw.rpartition(":")
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValidationError(f"链头“{text}”无效：应为 64 位十六进制的哈希值，可在前面加“序号:”。",
                              "head")
    if seq_text and not seq_text.isdigit():
        raise ValidationError(f"链头“{text}”中的序号“{seq_text}”不是整数。", "head")
    return (int(seq_text) if seq_text else None), digest


def verify(session: Session, external: str | None = None) -> Verification:
    """Walk the whole log; the first broken link, or OK with the count."""
    want = parse_head(external) if external else None
    found_external = want is not None and want[1] == GENESIS and want[0] in (None, 0)
    at = AuditEvent.at
    if session.get_bind().dialect.name == "sqlite":
        at = type_coerce(AuditEvent.at, String)  # the stored text, even if edited into nonsense
    stmt = (select(AuditEvent.seq, at, AuditEvent.office, AuditEvent.operator, AuditEvent.action,
                   AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.parent_id,
                   AuditEvent.what, AuditEvent.prev_hash, AuditEvent.hash)
            .order_by(AuditEvent.seq).execution_options(yield_per=5000))
    head_seq, head_hash = head(session)
    has_head = session.get(AuditHead, 1) is not None
    count, prev = 0, GENESIS

    def broken(kind: str, seq: int | None, message: str) -> Verification:
        return Verification(False, kind, count, seq, message, head_seq, head_hash)

    for seq, stamp, *fields, prev_hash, digest in session.execute(stmt):
        expected = count + 1
        if seq != expected:
            gap = f"第 {expected} 条" if seq == expected + 1 else f"第 {expected}–{seq - 1} 条"
            return broken(DELETED, expected, f"{gap}审计记录缺失（被删除），下一条是第 {seq} 条。")
        computed = hash_fields(str(seq), _stamp(stamp), *("" if f is None else f for f in fields),
                         "" if prev_hash is None else prev_hash)
        if prev_hash != prev:
            return broken(REORDERED, seq, f"第 {seq} 条与前一条的链接断开：记录的顺序被调换，"
                                          "或这一条或前一条被整条替换。")
        if computed != digest:
            return broken(EDITED, seq, f"第 {seq} 条审计记录的内容在程序之外被修改。")
        if want is not None and digest == want[1] and want[0] in (None, seq):
            found_external = True
        count, prev = seq, digest
    if not has_head:
        if count:
            return broken(HEAD, count, "链头记录缺失（在程序之外被删除）。")
    elif head_seq > count:
        return broken(TRUNCATED, count + 1, f"链头记载共 {head_seq} 条，日志只有 {count} 条："
                                            f"第 {count + 1} 条及以后的记录被删除。")
    elif head_seq < count:
        return broken(HEAD, head_seq + 1, f"第 {head_seq + 1} 条及以后的记录不在链头之内"
                                          "（在程序之外添加）。")
    elif head_hash != prev:
        return broken(HEAD, count, f"链头的哈希值与第 {count} 条不符：最后一条被替换，或链头被修改。")
    if want is not None and not found_external:
        shown = f"{want[0]}:{want[1]}" if want[0] is not None else want[1]
        return broken(EXTERNAL, want[0], f"日志中没有外部保存的链头 {shown}：整个日志可能被重写。")
    return Verification(True, OK, count, None, f"审计日志完好：共 {count} 条，哈希链与链头一致。",
                        head_seq, head_hash)


# -- lists ------------------------------------------------------------------------------------


def readable(what: str) -> str:
    try:
        values = json.loads(what)
    except ValueError:
        return what
    if not isinstance(values, dict):
        return what
    return "；".join(f"{k}：{'（清空）' if v is None else v}" for k, v in values.items())


def _rows(session: Session, stmt) -> list[AuditRow]:
    return [AuditRow(e.seq, e.at, e.office, e.operator, e.action, e.entity_type,
                     ENTITY_LABELS.get(e.entity_type, e.entity_type), e.entity_id,
                     readable(e.what)) for e in session.scalars(stmt)]


def list_events(session: Session, since: date | None = None, limit: int = 50) -> list[AuditRow]:
    """The newest ``limit`` events (since a day, if given), oldest first."""
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(since, time.min))
    return sorted(_rows(session, stmt), key=lambda r: r.seq)


def record_events(session: Session, record_id: uuid.UUID | str,
                  limit: int = FAMILY_LIMIT) -> list[AuditRow]:
    """The events of one record and of the records that belong to it: for an approval result
    its pushes and their steps; for a dispatch also its subject record. Oldest first."""
    key = str(record_id)
    roots = {key}
    try:
        d = session.get(Dispatch, uuid.UUID(key))
    except ValueError:
        d = None
    if d is not None:
        roots.add(str(d.subject_id))
    ids = set(roots)
    level = roots
    for _ in range(2):  # children (pushes of a result, steps of a push), then theirs
        level = set(session.scalars(select(AuditEvent.entity_id).distinct()
                                    .where(AuditEvent.parent_id.in_(level)))) - ids
        if not level:
            break
        ids |= level
    stmt = (select(AuditEvent).where(or_(AuditEvent.entity_id.in_(ids)))
            .order_by(AuditEvent.seq.desc()).limit(limit))
    return sorted(_rows(session, stmt), key=lambda r: r.seq)
