"""Offline exchange between offices (Art. 15 carried on USB): keys, roster, bundles.

See docs/exchange-format.md for the file formats and the design decisions.
"""
