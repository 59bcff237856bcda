"""What the addressee's steps do to the subject records (registered with the engine's
``on_step``; imported by the engine through ``dispatch.EFFECT_PROVIDERS``)."""

from __future__ import annotations

from app.services import dispatch as engine
from app.services.cooperation import requests

for _kind in requests.SUPPORT_DISPATCH.values():
    engine.on_step(_kind, "reply", requests.apply_support_reply)
