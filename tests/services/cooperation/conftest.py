from __future__ import annotations

import json
import uuid
from datetime import date, datetime

import pytest

from app.models import Office
from app.services import dispatch as engine
from app.services.exchange import bundle, keys
from tests.services.exchange.conftest import world  # noqa: F401  (the three-office exchange world)


def duty(session, kind: str, sender: Office, addressee: Office, start: date, *, sent: datetime | None = None,
         answer: tuple[str, datetime] | None = None):
    """One dispatch with a made-up subject: created with its clock start, sent and answered at
    the given moments (the engine stores the due dates from the working-day calendar)."""
    d = engine.create(session, kind, sender=sender, addressee=addressee, subject_id=uuid.uuid4(),
                      clock_start=start, operator="测试")
    session.flush()
    if sent is not None:
        engine.perform(session, d, "send", office=sender, operator="测试", when=sent)
    if answer is not None:
        action, at = answer
        engine.perform(session, d, action, office=addressee, operator="测试", when=at)
    return d


def decrypted(home, path) -> str:
    """The plaintext payload of a bundle file addressed to ``home``, as JSON text."""
    env = bundle.read_envelope(path.read_bytes())
    with home.session() as s:
        payload = bundle.decrypt(env, keys.decryption_key(keys.own_key(s, home.office(s))))
    return json.dumps(payload, ensure_ascii=False)


@pytest.fixture
def october(session, city, frozen):
    frozen(datetime(2026, 10, 28, 10, 0))
    ap, zj, sj = city.approval, city.housing, city.market
    made = {
        # Event Wed Sep 30: the holiday is skipped, due Fri Oct 9 (not Oct 2); sent on the due
        # day → on time; sign-off due Mon Oct 12 (Sat Oct 10 is a 调休 working day) → on time.
        "on_time": duty(session, "approval_push", ap, zj, date(2026, 9, 30), sent=datetime(2026, 10, 9, 16),
                        answer=("sign_off", datetime(2026, 10, 12, 9))),
        # Sent on the 调休 Saturday after the due day → late; sign-off due Tue Oct 13, done Oct 14.
        "late": duty(session, "approval_push", ap, zj, date(2026, 9, 30), sent=datetime(2026, 10, 10, 9),
                     answer=("sign_off", datetime(2026, 10, 14, 9))),
        # Due Thu Oct 22, never sent: overdue.
        "overdue": duty(session, "approval_push", ap, zj, date(2026, 10, 20)),
        # Sent on time, sign-off due Fri Oct 23, not signed off: the department is overdue.
        "unsigned": duty(session, "approval_push", ap, zj, date(2026, 10, 20), sent=datetime(2026, 10, 21, 9)),
        # Due Fri Oct 30: pending on Oct 28.
        "pending": duty(session, "approval_push", ap, zj, date(2026, 10, 28)),
        # Event Thu Oct 29: due Mon Nov 2 — a November item.
        "november": duty(session, "approval_push", ap, zj, date(2026, 10, 29)),
        # Penalty decided Fri Oct 9: Sat Oct 10 is day 1, due Mon Oct 12; sent that day → on time.
        "penalty": duty(session, "penalty_notice", zj, ap, date(2026, 10, 9), sent=datetime(2026, 10, 12, 15)),
        # Referral sent Tue Oct 13; decision due 5 working days later (Tue Oct 20), given Oct 21.
        "referral": duty(session, "referral", zj, sj, date(2026, 10, 13), sent=datetime(2026, 10, 13, 11),
                         answer=("accept", datetime(2026, 10, 21, 9))),
    }
    session.commit()
    return made
