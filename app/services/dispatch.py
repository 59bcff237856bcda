"""The dispatch engine: the one place that moves any dispatch through its rule's workflow.

Effects of steps: a flow whose subject record changes when a step is taken (e.g. a consent to
a key-element change applies the new value to the sheet, Art. 8 ¶2) registers a function with
:func:`on_step` (kind, action); it is called as ``fn(session, dispatch, when)`` at the end of
every such step, whether taken here (:func:`perform`) or received from a bundle
(:func:`apply_remote`), after the status and event are recorded. Modules that register effects
are listed in :data:`EFFECT_PROVIDERS` and imported on the first step; steps of kinds with no
effects (approval pushes, also in bulk) cost one dictionary lookup.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from importlib import import_module

from sqlalchemy.orm import Session

from app import clock
from app.models import ApprovalResult, Dispatch, DispatchEvent, Office
from app.services import locking, operators, rules
from app.services.bulk import Pending
from app.services.deadlines import due_after, refresh_current_due
from app.services.errors import ConflictError, ValidationError, WorkflowError
from app.services.exchange import outbox
from app.services.workdays import WorkCalendar, load_calendar

# Subject records that carry a responsibility holder (Art. 17 ¶1).
RESPONSIBILITY_SUBJECTS = {"approval_result": ApprovalResult}

ACTION_LABELS = {"create": "登记", "send": "推送"} | {
    t.action: t.label for r in rules.RULES for t in r.transitions if t.action != "send"
}


# Modules that call on_step() when imported.
EFFECT_PROVIDERS = ("app.services.sheets.effects", "app.services.cooperation.effects",
                    "app.services.enforcement.effects")
_EFFECTS: dict[tuple[str, str], list[Callable]] = {}
_effects_loaded = False


def on_step(kind: str, action: str, fn: Callable) -> None:
    """Call ``fn(session, dispatch, when)`` after each ``action`` step of a ``kind`` dispatch."""
    rules.rule(kind)  # an unknown kind fails here, not silently later
    if fn not in _EFFECTS.setdefault((kind, action), []):
        _EFFECTS[(kind, action)].append(fn)


def _effects(kind: str, action: str) -> list[Callable]:
    global _effects_loaded
    if not _effects_loaded:
        _effects_loaded = True
        for name in EFFECT_PROVIDERS:
            import_module(name)
    return _EFFECTS.get((kind, action), ())


def create(
    session: Session,
    kind: str,
    *,
    sender: Office,
    addressee: Office,
    subject_id: uuid.UUID,
    clock_start: date,
    operator: str,
    calendar: WorkCalendar | None = None,
    previous: Dispatch | None = None,
    note: str = "",
) -> Dispatch:
    """Start a dispatch's clock: it is pending, with its send-by date stored."""
    rule = rules.rule(kind)
    check_parties(rule, sender, addressee)
    calendar = calendar or load_calendar(session)
    due = due_after(rule.send_within, clock_start, calendar)
    d = Dispatch(
        id=uuid.uuid4(),
        kind=kind,
        sender_office_id=sender.id,
        addressee_office_id=addressee.id,
        subject_type=rule.subject_type,
        subject_id=subject_id,
        status=rules.PENDING,
        clock_start=clock_start,
        send_due=due.due if due else None,
        send_due_provisional=bool(due and due.provisional),
        previous_id=previous.id if previous else None,
        created_at=clock.now(),
    )
    refresh_current_due(d)
    session.add(d)
    _log(d, "create", None, rules.PENDING, sender, operator, note, clock.now())
    return d


def perform(
    session: Session,
    d: Dispatch,
    action: str,
    *,
    office: Office,
    operator: str,
    reason: str = "",
    channel: str | None = None,
    agreed_due: date | None = None,
    when: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> Dispatch:
    """Apply one action of the dispatch's rule, acting as ``office``. The dispatch's row is
    locked and re-read first: a step another desk took meanwhile is refused, naming it."""
    locking.lock(session, d)
    rule, t = _transition(session, d, action, office)
    if t.role:  # issue 7: the binding answers are the head's (no accounts: no check)
        operators.check_role(session, t.role, ACTION_LABELS.get(action, action))
    reason = (reason or "").strip()
    if t.needs_reason and not reason:
        raise ValidationError(f"请填写{ACTION_LABELS.get(action, action)}的理由。", "reason")
    when = when or clock.now()
    if action == "send":
        _send(session, d, rule, channel, agreed_due, when, calendar)
    _advance(session, d, t, office, operator, reason, when)
    # The one place where a step taken here is queued for an office on another installation.
    outbox.queue_step(session, d, action, office)
    return d


def _transition(session: Session, d: Dispatch, action: str, office: Office):
    """The rule's transition for ``action`` from the current state, if ``office`` may take it."""
    rule = rules.rule(d.kind)
    t = rule.transition(d.status, action)
    label = ACTION_LABELS.get(action, action)
    if t is None:
        raise _refusal(session, d, rule, action, label)
    actor_id = d.sender_office_id if t.actor == rules.SENDER else d.addressee_office_id
    if office.id != actor_id:
        actor = session.get(Office, actor_id)
        raise WorkflowError(f"只有{actor.name}可以{label}这条{rule.name}。")
    return rule, t


def _refusal(session: Session, d: Dispatch, rule, action: str, label: str) -> WorkflowError:
    """Why ``action`` cannot be taken now; when a step moved the dispatch on, who took it and when
    ("已由 张三（…）于 2026-11-26 10:32 签收"), the usual answer when another desk was quicker."""
    status = rule.status_label(d.status)
    last = d.events[-1] if d.events and not isinstance(d, Pending) else None
    if last is None or last.action == "create":
        return WorkflowError(f"这条{rule.name}当前为“{status}”，不能{label}。")
    office = session.get(Office, last.office_id)
    done = ACTION_LABELS.get(last.action, last.action)
    who = f"{last.operator}（{office.name}）" if last.operator else office.name
    head = f"这条{rule.name}已由 {who}于 {last.at:%Y-%m-%d %H:%M} {done}"
    if last.action == action:
        return ConflictError(f"{head}，无需再次{label}。")
    return ConflictError(f"{head}，当前为“{status}”，不能{label}。")


def _advance(session, d, t, office, operator, note, when, event_id=None, seq=None, subject=None) -> None:
    if t.source == rules.SENT:
        d.replied_at = when
    d.status = t.target
    refresh_current_due(d)
    if t.responsibility_to:
        holder = d.addressee_office_id if t.responsibility_to == rules.ADDRESSEE else d.sender_office_id
        _move_responsibility(session, d, holder, when, subject)
    _log(d, t.action, t.source, t.target, office, operator, note, when, event_id, seq)
    for fn in _effects(d.kind, t.action):
        fn(session, d, when)


@dataclass(frozen=True)
class RemoteStep:
    """A step taken at another office, as its signed message tells it: the event keeps the
    sender's id, sequence number, time, operator and note; its office is the signer."""

    event_id: uuid.UUID
    seq: int
    at: datetime
    operator: str
    note: str


@dataclass(frozen=True)
class RemoteSend:
    """What a received ``send`` stores as sent: the channel and the due dates computed there."""

    channel: str
    agreed_due: date | None
    reply_due: date | None
    reply_due_provisional: bool


def receive(
    session: Session,
    *,
    dispatch_id: uuid.UUID,
    kind: str,
    sender: Office,
    addressee: Office,
    subject_id: uuid.UUID,
    clock_start: date,
    send_due: date | None,
    send_due_provisional: bool,
    created_at: datetime,
    previous_id: uuid.UUID | None,
    signer: Office,
    step: RemoteStep,
    pending: bool = False,
) -> Dispatch | Pending:
    """A dispatch created at another office: its id and stored send-by date as sent there.
    ``pending``: build it (and its events) as :class:`Pending` records, not added to the
    session; the caller inserts them with :func:`insert_pending` (bulk import)."""
    rule = rules.rule(kind)
    check_parties(rule, sender, addressee)
    if signer.id != sender.id:
        raise WorkflowError(f"只有{sender.name}可以登记这条{rule.name}。")
    d = (partial(Pending, Dispatch) if pending else Dispatch)(
        id=dispatch_id, kind=kind, sender_office_id=sender.id, addressee_office_id=addressee.id,
        subject_type=rule.subject_type, subject_id=subject_id, status=rules.PENDING,
        clock_start=clock_start, send_due=send_due, send_due_provisional=send_due_provisional,
        previous_id=previous_id, created_at=created_at,
    )
    refresh_current_due(d)
    if not pending:
        session.add(d)
    _log(d, "create", None, rules.PENDING, signer, step.operator, step.note, step.at,
         step.event_id, step.seq)
    return d


def apply_remote(session: Session, d: Dispatch, action: str, *, signer: Office, step: RemoteStep,
                 sent: RemoteSend | None = None, subject=None) -> Dispatch:
    """Apply a step received from ``signer``: legal only if the rule allows ``action`` from the
    current state and names ``signer`` as its actor (the same check as :func:`perform`).
    ``d`` may be a mapped dispatch or a :class:`Pending` one (bulk import).
    ``subject``: the subject record when the caller holds it (saves a lookup per message)."""
    rule, t = _transition(session, d, action, signer)
    if t.needs_reason and not step.note.strip():
        raise ValidationError(f"{ACTION_LABELS.get(action, action)}缺少理由。", "reason")
    if action == "send":
        if sent is None:
            raise ValidationError("推送消息缺少推送方式和期限。", "channel")
        if sent.channel in rules.PAPER_CHANNELS and not rule.paper_allowed:
            raise ValidationError(f"{rule.name}不能通过纸质方式办理。", "channel")
        if sent.channel not in (rules.EXCHANGE, *rules.PAPER_CHANNELS):
            raise ValidationError(f"未知的推送方式：{sent.channel}", "channel")
        d.channel, d.agreed_due, d.sent_at = sent.channel, sent.agreed_due, step.at
        d.reply_due, d.reply_due_provisional = sent.reply_due, sent.reply_due_provisional
    _advance(session, d, t, signer, step.operator, step.note, step.at, step.event_id, step.seq, subject)
    return d


def _send(session, d, rule, channel, agreed_due, when, calendar) -> None:
    channel = channel or rules.EXCHANGE
    if channel in rules.PAPER_CHANNELS:
        if not rule.paper_allowed:
            raise ValidationError(f"{rule.name}不能通过纸质方式办理。", "channel")
        if agreed_due is None:
            raise ValidationError(
                "通过现场查阅、复印或传真推送时，请填写与对方商定的完成时限（第十七条第二款）。",
                "agreed_due",
            )
        if agreed_due < when.date():
            raise ValidationError("商定时限不能早于推送日期。", "agreed_due")
        d.reply_due, d.reply_due_provisional = agreed_due, False
    elif channel == rules.EXCHANGE:
        if agreed_due is not None:
            raise ValidationError("通过审管平台推送时无需商定时限。", "agreed_due")
        due = due_after(rule.reply_within, when.date(), calendar or load_calendar(session))
        d.reply_due = due.due if due else None
        d.reply_due_provisional = bool(due and due.provisional)
    else:
        raise ValidationError(f"未知的推送方式：{channel}", "channel")
    d.channel, d.agreed_due, d.sent_at = channel, agreed_due, when


def _move_responsibility(session: Session, d: Dispatch, holder, when: datetime, subject=None) -> None:
    model = RESPONSIBILITY_SUBJECTS.get(d.subject_type)
    if model is None:
        return
    if (subject is None or subject.id != d.subject_id
            or not (isinstance(subject, model) or (isinstance(subject, Pending) and subject.model is model))):
        subject = session.get(model, d.subject_id)
    if subject is not None:
        subject.responsible_office_id = holder
        subject.responsible_since = when


def check_parties(rule: rules.DispatchRule, sender: Office, addressee: Office) -> None:
    if sender.id == addressee.id:
        raise ValidationError("发送单位和接收单位不能相同。", "addressee")
    if sender.role not in rule.sender_roles:
        raise WorkflowError(f"{sender.name}不能发起{rule.name}（{rule.article}）。")
    if addressee.role not in rule.addressee_roles:
        raise ValidationError(f"{rule.name}不能发往{addressee.name}（{rule.article}）。", "addressee")


def _log(d, action, source, target, office, operator, note, when, event_id=None, seq=None) -> None:
    seq = seq or len(d.events) + 1
    pending = isinstance(d, Pending)
    d.events.append(
        (partial(Pending, DispatchEvent, dispatch_id=d.id) if pending else DispatchEvent)(
            id=event_id or uuid.uuid4(),
            seq=seq,
            action=action,
            from_status=source,
            to_status=target,
            at=when,
            operator=operator or "",
            office_id=office.id,
            note=note or "",
        )
    )


def is_late(d: Dispatch) -> bool:
    """Was the step sent after its due date (checked after the fact, for reports)."""
    return bool(d.sent_at and d.send_due and d.sent_at.date() > d.send_due)

