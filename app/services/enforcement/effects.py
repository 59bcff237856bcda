"""What steps of the Art. 19 and Art. 20 dispatches do to their subject records, registered with
the engine's ``on_step`` (imported with this package and with its codecs)."""

from __future__ import annotations

from datetime import datetime

from app import clock
from app.models import Office
from app.models.enforcement import PenaltyDecision, Referral
from app.services import dispatch as engine
from app.services import rules
from app.services.deadlines import due_after, refresh_current_due
from app.services.workdays import load_calendar


def penalty_decided(session, d, when: datetime) -> None:
    pd = session.get(PenaltyDecision, d.subject_id)
    if pd is not None:
        pd.licence_decided_at = when


def referral_received(session, d, when: datetime) -> None:
    """Art. 20 counts the acceptance limit from receipt: at the receiving installation (the
    addressee is local, the sender is not) the reply due date runs from today, the day the
    referral is imported there; where both are local (demo) receipt is the send itself."""
    rule = rules.rule(d.kind)
    if rule.reply_from != rules.RECEIVED_DAY:
        return
    addressee, sender = session.get(Office, d.addressee_office_id), session.get(Office, d.sender_office_id)
    if not addressee.is_local or sender.is_local:
        return
    due = due_after(rule.reply_within, clock.today(), load_calendar(session))
    d.reply_due, d.reply_due_provisional = (due.due, due.provisional) if due else (None, False)
    refresh_current_due(d)


def referral_answered(session, d, when: datetime) -> None:
    ref = session.get(Referral, d.subject_id)
    if ref is None:
        return
    ref.decision = "accepted" if d.status == rules.ACCEPTED else "declined"
    ref.decision_reason = d.events[-1].note if d.events else ""
    ref.decided_on = when.date()


engine.on_step("penalty_notice", "decide", penalty_decided)
engine.on_step("referral", "send", referral_received)
engine.on_step("referral", "accept", referral_answered)
engine.on_step("referral", "decline", referral_answered)
