"""Art. 19 (penalty decision → licence change loop) and Art. 20 (referrals), as dispatches.

``penalties`` records a penalty decision and pushes it to the approval bureau; ``licences``
records the bureau's licence decision, pushes it back and derives a licence's state and
history; ``referrals`` refers a violation, answers it and reports the case result; ``codecs``
carries the three subject records in bundles; ``paper`` records signed paper slips.
"""

from app.services.enforcement import effects  # noqa: F401  (registers the engine effects)
