"""What the addressee's steps do to the subject records (registered with the engine's
``on_step``; imported by the engine through ``dispatch.EFFECT_PROVIDERS``)."""

from __future__ import annotations

from app.services import dispatch as engine
from app.services.sheets import consent, letters, notices

engine.on_step("key_element_consent", "consent", consent.apply_consent)
engine.on_step("key_element_consent", "refuse", consent.apply_refusal)
engine.on_step("opinion_request", "reply", notices.apply_reply)
engine.on_step("pool_update", "acknowledge", letters.apply_letter)
