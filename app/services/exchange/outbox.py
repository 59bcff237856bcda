"""The outbox: messages waiting for another office until it acknowledges them.

:func:`queue_step` is called by the dispatch engine after every step it takes
(``dispatch.perform``): a message is queued when the acting office is local and the other
party of the dispatch is not (demo mode, where both are local, queues nothing; a step recorded
here on behalf of another office, e.g. from a signed paper slip, is not sent back to it).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, ExchangeChannel, Office, OutboxMessage
from app.services.exchange import messages

# Steps that travel (the rules table's transitions; ``create`` alone stays home: a pending
# dispatch is the sender's own business until it is sent).
TRAVELLING = {"send", "sign_off", "return", "start_supervision", "acknowledge", "decide",
              "accept", "decline", "consent", "refuse", "reply"}


def queue_step(session: Session, d: Dispatch, action: str, office: Office) -> OutboxMessage | None:
    if action not in TRAVELLING or not office.is_local:
        return None
    other_id = d.addressee_office_id if office.id == d.sender_office_id else d.sender_office_id
    other = session.get(Office, other_id)
    if other is None or other.is_local:
        return None
    body = messages.step_message(session, d, action)
    msg = OutboxMessage(
        id=uuid.UUID(body["id"]), sender_office_id=office.id, addressee_office_id=other.id,
        dispatch_id=d.id, action=action, created_at=clock.now(),
        body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
    )
    session.add(msg)
    return msg


def channel(session: Session, sender_id: uuid.UUID, addressee_id: uuid.UUID,
            create: bool = True) -> ExchangeChannel | None:
    ch = session.scalar(select(ExchangeChannel).where(
        ExchangeChannel.sender_office_id == sender_id, ExchangeChannel.addressee_office_id == addressee_id))
    if ch is None and create:
        ch = ExchangeChannel(id=uuid.uuid4(), sender_office_id=sender_id, addressee_office_id=addressee_id,
                             last_seq=0, acked_seq=0)
        session.add(ch)
    return ch


def pending(session: Session, sender_id: uuid.UUID, addressee_id: uuid.UUID) -> list[OutboxMessage]:
    """Unacknowledged messages for one addressee, oldest first."""
    return list(session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sender_office_id == sender_id, OutboxMessage.addressee_office_id == addressee_id,
               OutboxMessage.acked_at.is_(None))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ))


def acknowledge(session: Session, sender_id: uuid.UUID, addressee_id: uuid.UUID, through: int) -> int:
    """The addressee has applied our bundles up to ``through``: those messages leave the outbox."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.sender_office_id == sender_id, OutboxMessage.addressee_office_id == addressee_id,
               OutboxMessage.acked_at.is_(None), OutboxMessage.first_seq.is_not(None),
               OutboxMessage.first_seq <= through)
        .values(acked_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


@dataclass(frozen=True)
class PeerState:
    """What the 数据交换 page shows for one peer office."""

    office_id: uuid.UUID
    code: str
    name: str
    waiting: int  # in the outbox, never exported yet
    unacknowledged: int  # exported at least once, not acknowledged yet
    last_sent: int
    acked: int
    last_received: int
    last_export: datetime | None
    last_import: datetime | None


def peer_states(session: Session, office: Office) -> list[PeerState]:
    """Per other office known from the roster or the outbox: outbox counts and channel state."""
    from app.models import BundleRecord, RosterKey

    counts = {
        (peer, exported): n
        for peer, exported, n in session.execute(
            select(OutboxMessage.addressee_office_id, OutboxMessage.first_seq.is_not(None), func.count())
            .where(OutboxMessage.sender_office_id == office.id, OutboxMessage.acked_at.is_(None))
            .group_by(OutboxMessage.addressee_office_id, OutboxMessage.first_seq.is_not(None))
        )
    }
    peers = {pid for pid, _ in counts}
    peers |= set(session.scalars(select(RosterKey.office_id)))
    chans = {(c.sender_office_id, c.addressee_office_id): c for c in session.scalars(select(ExchangeChannel))}
    last = {
        ("out", other): at
        for other, at in session.execute(
            select(BundleRecord.addressee_office_id, func.max(BundleRecord.processed_at))
            .where(BundleRecord.sender_office_id == office.id, BundleRecord.direction == "out")
            .group_by(BundleRecord.addressee_office_id)
        )
    }
    last |= {
        ("in", other): at
        for other, at in session.execute(
            select(BundleRecord.sender_office_id, func.max(BundleRecord.processed_at))
            .where(BundleRecord.addressee_office_id == office.id, BundleRecord.direction == "in")
            .group_by(BundleRecord.sender_office_id)
        )
    }
    states = []
    for peer in session.scalars(select(Office).where(Office.id.in_(peers)).order_by(Office.code)):
        if peer.id == office.id or peer.is_local:
            continue
        out_ch = chans.get((office.id, peer.id))
        in_ch = chans.get((peer.id, office.id))
        states.append(PeerState(
            peer.id, peer.code, peer.name, counts.get((peer.id, False), 0), counts.get((peer.id, True), 0),
            out_ch.last_seq if out_ch else 0, out_ch.acked_seq if out_ch else 0,
            in_ch.last_seq if in_ch else 0, last.get(("out", peer.id)), last.get(("in", peer.id)),
        ))
    return states
