"""The exchange after a restore from a backup: no sequence number re-used, no message lost.

A restored database has older channel state than its peers have seen: its outgoing sequence
is behind what a peer already applied (a re-used number would be "already imported" there and
its messages ignored), and the messages it had received after the backup are gone while the peer
holds them as acknowledged (they would never be sent again). So a restore (:func:`mark_restored`)
marks every outgoing channel of this database as *restored* until the peer has applied a bundle
carrying the notice:

- the first bundle after the restore jumps its sequence by :data:`JUMP` past the last one
  this database knows (the peer accepts it as a gap covered by ``covers_from``; a peer may
  also tell us how far it got: an acknowledgement above our last exported number is accepted
  on a restored channel and raises it);
- every bundle on a restored channel carries the signed payload field
  ``restored: {"at", "resend_after"}`` — ``resend_after`` is the last bundle from the peer that
  this database still holds;
- the peer, applying such a bundle, marks its outbox messages first sent after
  ``resend_after`` unacknowledged again (and its acknowledged number back to ``resend_after``),
  so its next bundle carries them again; the receiver ignores any it already has;
- the mark of a channel is cleared when the peer acknowledges a bundle that carried the notice.

The marks live in one setting (``exchange_restore``), so no schema change was needed.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from app import clock
from app.models import ExchangeChannel, Office, OutboxMessage
from app.services import settings
from app.services.exchange import outbox

KEY = "exchange_restore"
JUMP = 1000  # = importer.MAX_JUMP: a peer accepts it whatever it applied from us before


def mark_restored(session: Session, at: datetime | None = None) -> None:
    """Called on a freshly restored database: every outgoing channel is now restored."""
    settings.put(session, KEY, json.dumps({"at": (at or clock.now()).isoformat(), "done": [], "first": {}}))


def _load(session: Session) -> dict | None:
    raw = settings.get(session, KEY)
    return json.loads(raw) if raw else None


def _pair(office_id, peer_id) -> str:
    return f"{office_id.hex}:{peer_id.hex}"


def pending(session: Session, office: Office, peer: Office) -> dict | None:
    """The restore mark of the channel office → peer, or None when it is in step."""
    state = _load(session)
    if state is None or _pair(office.id, peer.id) in state["done"]:
        return None
    return state


def next_sequence(session: Session, office: Office, peer: Office, out_ch: ExchangeChannel) -> int:
    state = pending(session, office, peer)
    last = out_ch.last_seq or 0
    if state is not None and _pair(office.id, peer.id) not in state["first"]:
        return last + JUMP
    return last + 1


def notice(session: Session, office: Office, peer: Office, resend_after: int) -> dict | None:
    """The payload field ``restored`` for a bundle office → peer, if the channel is restored."""
    state = pending(session, office, peer)
    if state is None:
        return None
    return {"at": state["at"][:19], "resend_after": resend_after}


def exported(session: Session, office: Office, peer: Office, sequence: int) -> None:
    """Remember the first bundle that carried the notice (its acknowledgement clears the mark)."""
    state = pending(session, office, peer)
    if state is not None and _pair(office.id, peer.id) not in state["first"]:
        state["first"][_pair(office.id, peer.id)] = sequence
        settings.put(session, KEY, json.dumps(state))


def accepts_ack(session: Session, me: Office, signer: Office) -> bool:
    """An acknowledgement above our last exported number is no error on a restored channel."""
    return pending(session, me, signer) is not None


def after_import(session: Session, me: Office, signer: Office, payload: dict,
                 out_ch: ExchangeChannel | None) -> tuple[ExchangeChannel | None, int]:
    """While a bundle from ``signer`` is applied: our own restore mark (learn the peer's
    numbers, clear the mark once acknowledged) and the peer's notice (re-open our messages).
    Returns the outgoing channel (created if needed) and how many messages were re-opened."""
    through = payload["ack"]["through_sequence"]
    state = pending(session, me, signer)
    if state is not None:
        if out_ch is None:
            out_ch = outbox.channel(session, me.id, signer.id)
        if through > (out_ch.last_seq or 0):
            out_ch.last_seq = through
        first = state["first"].get(_pair(me.id, signer.id))
        if first is not None and through >= first:
            state["done"].append(_pair(me.id, signer.id))
            settings.put(session, KEY, json.dumps(state))
    reopened = 0
    req = payload.get("restored")
    if req is not None and out_ch is not None:
        after = req["resend_after"]
        reopened = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.sender_office_id == me.id, OutboxMessage.addressee_office_id == signer.id,
                   OutboxMessage.first_seq.is_not(None), OutboxMessage.first_seq > after)
            .values(first_seq=None, last_seq=None, acked_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount or 0
        out_ch.acked_seq = min(out_ch.acked_seq or 0, after)
    return out_ch, reopened
