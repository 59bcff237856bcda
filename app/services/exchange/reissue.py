"""Two bundles with one sequence number: the export killed between the rename and the commit.

The exporter writes the file, verifies it, and only then records the new sequence number (see
docs/crash-safety.md). A kill in between leaves a complete, signed bundle that the sender's
database does not know — an *orphan* — and the next export uses the same sequence number again
for a new bundle (new ``bundle_id``, the same messages and maybe more). If the orphan is carried
to the peer anyway, nothing may get lost:

- the acknowledgement names the bundle it acknowledges: ``ack.bundle_id`` is the id of the
  last bundle applied from the peer (the one numbered ``through_sequence``);
- the sender acknowledges its messages through ``through_sequence`` only when that id is the
  bundle it recorded under that number; otherwise (the peer applied an orphan) only through the
  number before — the messages of the recorded bundle stay in the outbox and travel again;
- an acknowledgement one above the last number exported here, naming a bundle not recorded
  here, is an orphan that reached the peer: no error; the number counts as used, so the next
  export takes the number after it;
- the receiver of a second bundle with the number it applied last applies it when it was made
  later (the orphan came first: the re-export is newer and carries at least as much) and
  refuses it, changing nothing, when it was made earlier (the orphan came late).

Every message is idempotent at the receiver, so sending one again costs nothing.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import BundleRecord, ExchangeChannel, Office


def _recorded(session: Session, direction: str, sender: Office, addressee: Office,
              sequence: int) -> BundleRecord | None:
    """The bundle recorded last under ``sequence`` on the channel sender → addressee."""
    return session.scalar(
        select(BundleRecord)
        .where(BundleRecord.direction == direction, BundleRecord.sender_office_id == sender.id,
               BundleRecord.addressee_office_id == addressee.id, BundleRecord.sequence == sequence)
        .order_by(BundleRecord.created.desc(), BundleRecord.processed_at.desc())
        .limit(1))


def ack(session: Session, office: Office, peer: Office, through: int) -> dict:
    """The ``ack`` of a bundle from ``office`` to ``peer``: the last bundle applied from ``peer``."""
    out = {"through_sequence": through}
    rec = _recorded(session, "in", peer, office, through) if through else None
    if rec is not None:
        out["bundle_id"] = str(rec.bundle_id)
    return out


def _names_other_bundle(session: Session, me: Office, signer: Office, ack_: dict) -> bool:
    """Does the peer acknowledge under ``through_sequence`` a bundle we did not record there?"""
    named = ack_.get("bundle_id")
    if named is None:
        return False
    rec = _recorded(session, "out", me, signer, ack_["through_sequence"])
    return rec is None or rec.bundle_id != uuid.UUID(named)


def orphan_ack(session: Session, me: Office, signer: Office, ack_: dict, last_out: int) -> bool:
    """An acknowledgement one above our last number, of a bundle we never recorded: an orphan."""
    return (ack_["through_sequence"] == last_out + 1
            and _names_other_bundle(session, me, signer, ack_))


def confirmed_through(session: Session, me: Office, signer: Office, ack_: dict) -> int:
    """How far the peer's acknowledgement really confirms our messages (see the module doc)."""
    through = ack_["through_sequence"]
    if through and _names_other_bundle(session, me, signer, ack_):
        return through - 1
    return through


def learn_used_number(out_ch: ExchangeChannel, through: int) -> None:
    """The peer applied a bundle numbered ``through`` from us: never export that number again."""
    if through > (out_ch.last_seq or 0):
        out_ch.last_seq = through


def repeat_of_last(session: Session, signer: Office, me: Office, sequence: int,
                   created) -> BundleRecord | None:
    """The bundle applied under ``sequence`` (the last applied number), if it is another bundle
    made *earlier* than this one: then this one is the re-export and is applied too."""
    rec = _recorded(session, "in", signer, me, sequence)
    if rec is not None and rec.created < created:
        return rec
    return None
