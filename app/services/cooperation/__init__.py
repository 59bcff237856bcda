"""Consultations (Art. 9), requests for technical support, training, field guidance and
certificate stock (Art. 10, 12, 13), and oversight (Art. 21).

- :mod:`.requests` — consultations (letter or meeting, minutes, outcome) and support requests;
- :mod:`.reports` — the dispatch metadata each office reports to the oversight office;
- :mod:`.oversight` — on-time figures by office and month, and the list of late items;
- :mod:`.charts` — the figures as drawings (PDF) and PNG images, without Qt;
- :mod:`.circular` — a 通报 drafted from a month's late items;
- :mod:`.summary` — the monthly summary letter between two offices (PDF and .xlsx);
- :mod:`.codecs` — the three subject types as they travel in bundles;
- :mod:`.effects` — what the reply steps do to the subject records.

Every dispatch goes through the engine (app.services.dispatch) and the rules table
(app.services.rules); nothing here restates an article's limits. See docs/cooperation.md.
"""
