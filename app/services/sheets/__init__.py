"""Implementation sheets and push sheets (Art. 8 ¶1), key-element consent (Art. 8 ¶2), policy
notices and opinion requests (Art. 8 ¶3–4), and pool update letters (Art. 11).

- :mod:`.sheets` — versions of the two sheets, drafts, hand-over, which fields are key elements;
- :mod:`.consent` — a key-element change as a ``key_element_consent`` dispatch;
- :mod:`.notices` — ``policy_notice`` and ``opinion_request`` dispatches;
- :mod:`.letters` — ``pool_update`` dispatches, applied to the pools on acknowledgement;
- :mod:`.codecs` — the three subject types as they travel in bundles;
- :mod:`.effects` — what the consent/refuse/reply/acknowledge steps do to the subject records.

Every dispatch goes through the engine (app.services.dispatch) and the rules table
(app.services.rules); nothing here restates an article's limits. See docs/sheets.md.
"""
