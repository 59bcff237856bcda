"""Applying received messages through the one dispatch engine.

Each message becomes engine steps (``dispatch.receive`` / ``dispatch.apply_remote``), which
check the rules table: the transition must exist from the current state here and the bundle's
signer must be the office the rule names as actor. Records keep the sender's UUIDs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from app.models import ApprovalResult, Dispatch, InboxMessage, LicensingItem, Office
from app.services import audit, rules
from app.services import dispatch as engine
from app.services.bulk import Pending, insert_pending
from app.services.errors import ShenGuanError
from app.services.exchange import subjects
from app.services.exchange.messages import parse_date, parse_time

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
OUTCOME_LABELS = {CREATED: "新建", UPDATED: "更新", UNCHANGED: "无变化", REJECTED: "拒绝"}
CHUNK = 2000  # ids per IN (...) query: well below SQLite's and PostgreSQL's parameter limits


class Rejected(ShenGuanError):
    pass


@dataclass(slots=True)
class Outcome:
    message_id: str
    kind: str
    action: str
    outcome: str
    reason: str = ""
    dispatch_id: str = ""
    subject_id: str = ""
    applicant: str = ""

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass
class Applier:
    """Applies the messages of one bundle from ``signer`` to ``me`` in one session."""

    session: Session
    signer: Office
    me: Office
    bundle_id: uuid.UUID
    now: datetime
    offices: dict[str, Office] = field(default_factory=dict)
    items: dict[str, LicensingItem] = field(default_factory=dict)
    dispatches: dict[uuid.UUID, Dispatch] = field(default_factory=dict)
    results: dict[uuid.UUID, ApprovalResult] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    inbox: list[Pending] = field(default_factory=list)  # inbox_messages rows, inserted in bulk
    # New dispatches (with their events) and approval results, built as Pending records
    # and inserted in bulk by write(); once written, looked up again in the session if needed.
    new_dispatches: list[Pending] = field(default_factory=list)
    new_results: list[Pending] = field(default_factory=list)
    written: set[uuid.UUID] = field(default_factory=set)
    uuids: dict[str, uuid.UUID] = field(default_factory=dict)

    def prefetch(self, msgs: list[dict]) -> None:
        """Load, in a few queries, what the messages refer to (no query per message)."""
        s = self.session
        self.offices = {o.code: o for o in s.scalars(select(Office))}
        self.items = {i.code: i for i in s.scalars(select(LicensingItem))}
        ids = [m["id"] for m in msgs]
        # The ids each message names, parsed once (the messages use them again).
        self.uuids = {text: uuid.UUID(text) for m in msgs
                      for text in (m["dispatch"]["id"], m["dispatch"]["subject_id"])}
        dids = list({self.uuids[m["dispatch"]["id"]] for m in msgs})
        sids = list({self.uuids[m["dispatch"]["subject_id"]] for m in msgs})
        for i in range(0, len(ids), CHUNK):
            chunk = [uuid.UUID(x) for x in ids[i:i + CHUNK]]
            self.seen |= {str(x) for x in s.scalars(select(InboxMessage.id).where(InboxMessage.id.in_(chunk)))}
        for i in range(0, len(dids), CHUNK):
            stmt = (select(Dispatch).where(Dispatch.id.in_(dids[i:i + CHUNK]))
                    .options(selectinload(Dispatch.events)))
            self.dispatches.update({d.id: d for d in s.scalars(stmt)})
        for i in range(0, len(sids), CHUNK):
            stmt = select(ApprovalResult).where(ApprovalResult.id.in_(sids[i:i + CHUNK]))
            self.results.update({r.id: r for r in s.scalars(stmt)})

    def apply(self, m: dict) -> Outcome:
        out = Outcome(m["id"], m["kind"], m["action"], UNCHANGED, dispatch_id=m["dispatch"]["id"],
                      subject_id=m["dispatch"]["subject_id"], applicant=subjects.summary(m)[0])
        if m["id"] in self.seen:
            out.reason = "已导入过（重复发送的消息）"
            return out
        try:
            out.outcome = self._apply(m, out)
        except ShenGuanError as exc:
            out.outcome, out.reason = REJECTED, exc.message
            return out
        except (SQLAlchemyError, ValueError, KeyError) as exc:
            out.outcome, out.reason = REJECTED, f"无法应用（{type(exc).__name__}）"
            return out
        self.seen.add(m["id"])
        self.inbox.append(Pending(InboxMessage, id=uuid.UUID(m["id"]), sender_office_id=self.signer.id,
                                  bundle_id=self.bundle_id, action=m["action"], applied_at=self.now))
        return out

    def flush_inbox(self) -> None:
        insert_pending(self.session, self.inbox)
        self.inbox = []

    def write(self) -> None:
        """Insert what the messages so far created, flush the rest, in foreign-key order."""
        s = self.session
        self._audit_new_dispatches()
        insert_pending(s, self.new_dispatches, audited=False)
        s.flush()  # new items, changes to records already stored
        insert_pending(s, self.new_results, audited=False)
        for d in self.new_dispatches:
            self.written.add(d.id)
            del self.dispatches[d.id]
        for r in self.new_results:
            self.written.add(r.id)
            del self.results[r.id]
        self.new_dispatches, self.new_results = [], []
        self.flush_inbox()

    def _audit_new_dispatches(self) -> None:
        """One audit event per dispatch this bundle created (with its status history and, as
        its parent, the subject record it carried): who sent it, which bundle, which steps.
        Steps on records already here go through the ORM and are audited as any change."""
        if not self.new_dispatches:
            return
        office, operator = audit.actor(self.session)
        source = f"{self.signer.code} 数据包 {self.bundle_id}"
        whats: dict[tuple, str] = {}
        rows = []
        for d in self.new_dispatches:
            steps = tuple(e.action for e in d.events)
            what = whats.get(steps)
            if what is None:
                what = whats[steps] = audit.dumps({
                    "来源": source, "办理": "、".join(engine.ACTION_LABELS.get(a, a) for a in steps),
                    "附带记录": d.subject_type})
            rows.append((self.now, office, operator, audit.IMPORT, "dispatches", str(d.id),
                         str(d.subject_id), what))
        audit.record_rows(self.session, rows)

    def _dispatch(self, did: uuid.UUID):
        d = self.dispatches.get(did)
        if d is None and did in self.written:
            d = self.dispatches[did] = self.session.get(Dispatch, did)
        return d

    def result(self, rid: uuid.UUID):
        """The approval result ``rid`` held here or created by this bundle so far, or None."""
        r = self.results.get(rid)
        if r is None and rid in self.written:
            r = self.results[rid] = self.session.get(ApprovalResult, rid)
        return r

    def add_result(self, r: Pending) -> None:
        """A new approval result, inserted in bulk by :meth:`write`."""
        self.results[r.id] = r
        self.new_results.append(r)

    def _office(self, code: str) -> Office:
        office = self.offices.get(code)
        if office is None:
            raise Rejected(f"未知单位 {code}：请先导入最新的单位名录。")
        return office

    def _apply(self, m: dict, out: Outcome) -> str:
        try:
            rule = rules.rule(m["kind"])
        except KeyError:
            raise Rejected(f"未知的消息种类“{m['kind']}”（本程序版本不支持，请升级审管通）。") from None
        if m["kind"] != m["dispatch"]["kind"]:
            raise Rejected("消息种类与推送记录不符。")
        if m["action"] not in _ACTIONS[rule.kind]:
            raise Rejected(f"“{rule.name}”没有“{m['action']}”这一办理步骤。")
        dd = m["dispatch"]
        sender, addressee = self._office(dd["sender"]), self._office(dd["addressee"])
        if {sender.id, addressee.id} != {self.signer.id, self.me.id}:
            raise Rejected("这条消息涉及的不是发送单位与本单位之间的推送，已拒绝。")
        for e in m["events"]:
            if e["office"] != self.signer.code:
                raise Rejected(f"办理记录的单位 {e['office']} 不是数据包的签发单位 {self.signer.code}。")
        did, sid = self.uuids[dd["id"]], self.uuids[dd["subject_id"]]
        d = self._dispatch(did)
        if d is not None and (d.kind != m["kind"] or d.subject_id != sid
                              or (d.sender_office_id, d.addressee_office_id) != (sender.id, addressee.id)):
            raise Rejected("消息中的推送记录与本机同编号的记录不一致。")
        last = m["events"][-1]
        if d is not None:
            known = {str(e.id) for e in d.events}
            if last["id"] in known:
                return UNCHANGED
            if d.status == last["to_status"] and d.events and d.events[-1].action == m["action"]:
                out.reason = "本机已有相同的办理记录"
                return UNCHANGED
        if m["action"] == "send":
            return self._send(m, d, rule, sender, addressee, did, sid)
        if d is None:
            raise Rejected("本单位没有这条推送记录，无法办理（可能缺少更早的数据包）。")
        engine.apply_remote(self.session, d, m["action"], signer=self.signer, step=_step(last),
                            subject=self.result(d.subject_id))
        return UPDATED

    def _send(self, m, d, rule, sender, addressee, did: uuid.UUID, sid: uuid.UUID) -> str:
        dd, events = m["dispatch"], m["events"]
        created = False
        if d is None:
            if len(events) != 2 or events[0]["action"] != "create":
                raise Rejected("推送消息缺少登记记录。")
            codec = subjects.codec(dd["subject_type"])
            if codec is None or dd["subject_type"] != rule.subject_type:
                raise Rejected(f"“{rule.name}”的记录类型“{dd['subject_type']}”本程序不支持。")
            if m["subject"] is None:
                raise Rejected(f"{rule.name}消息缺少所附的记录。")
            subject_new = codec.apply(self, m["subject"], sender, addressee, sid)
            previous = uuid.UUID(dd["previous_id"]) if dd["previous_id"] else None
            if previous is not None and self._dispatch(previous) is None:
                previous = self.session.get(Dispatch, previous) and previous
            d = engine.receive(
                self.session, dispatch_id=did, kind=m["kind"], sender=sender,
                addressee=addressee, subject_id=sid,
                clock_start=parse_date(dd["clock_start"]), send_due=parse_date(dd["send_due"]),
                send_due_provisional=dd["send_due_provisional"], created_at=parse_time(dd["created_at"]),
                previous_id=previous, signer=self.signer, step=_step(events[0]), pending=True,
            )
            self.dispatches[d.id] = d
            self.new_dispatches.append(d)
            created = subject_new
        sent = engine.RemoteSend(dd["channel"] or rules.EXCHANGE, parse_date(dd["agreed_due"]),
                                 parse_date(dd["reply_due"]), dd["reply_due_provisional"])
        engine.apply_remote(self.session, d, "send", signer=self.signer, step=_step(events[-1]), sent=sent,
                            subject=self.result(d.subject_id))
        if rule.subject_type == "approval_result":
            r = self.result(d.subject_id)
            if r is not None and (r.current_dispatch_id is None or r.current_dispatch_id == d.previous_id):
                r.current_dispatch_id = d.id
        return CREATED if created else UPDATED


_ACTIONS = {r.kind: frozenset(t.action for t in r.transitions) for r in rules.RULES}


def _step(e: dict) -> engine.RemoteStep:
    return engine.RemoteStep(uuid.UUID(e["id"]), e["seq"], parse_time(e["at"]), e["operator"], e["note"])
