from __future__ import annotations

import json
import uuid
from datetime import date, datetime

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
