"""Masking of applicants' personal data in lists and reports (issue 7, item 6).

ID numbers and phone numbers are shown in full only in a record's detail (detail pane,
``shenguan results show``) and on the legal forms that must carry them (the push form). Every
list and report shows them masked, with the one set of functions here:

- :func:`mask_id` — ``210802199001011234`` → ``210802********1234`` (the first 6 and last 4);
- :func:`mask_phone` — ``13912341234`` → ``139****1234``; ``0417-2812345`` → ``0417-***2345``;
- :func:`mask_text` — any resident ID or phone number inside a free text (names, summaries);
- :func:`mask_fields` — a list row (a dict) with its phone fields and free texts masked (the
  expert, agency and liaison lists, ``shenguan offices list``).

Separators (spaces, hyphens) stay; the length of the value is kept.
"""

from __future__ import annotations

import re

MASK_CHAR = "*"
_PERSONAL = re.compile(
    r"(?P<id>(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z]))"
    r"|(?P<phone>(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"
    r"|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d))"
)


def _mask_middle(text: str, head: int, tail: int) -> str:
    """Keep the first ``head`` and last ``tail`` letters/digits; mask the others."""
    positions = [i for i, c in enumerate(text) if c.isalnum()]
    if len(positions) <= head + tail:  # too short to show anything safely
        head, tail = 0, min(tail, max(len(positions) - 4, 0))
    hidden = set(positions[head:len(positions) - tail])
    return "".join(MASK_CHAR if i in hidden else c for i, c in enumerate(text))


def mask_id(value: str | None) -> str:
    """An ID number (resident ID, or any other certificate number) for lists: first 6, last 4."""
    return _mask_middle((value or "").strip(), 6, 4)


def mask_phone(value: str | None) -> str:
    """A phone number for lists: a mobile keeps its first 3 and last 4 digits, a fixed line its
    area code and last 4 digits."""
    text = (value or "").strip()
    digits = [c for c in text if c.isalnum()]
    area, dash, rest = text.partition("-")
    if dash and re.fullmatch(r"0\d{2,3}", area):  # 0417-2812345: the area code is not personal
        return f"{area}-{_mask_middle(rest, 0, 4)}"
    if text.startswith("+86") or text.startswith("86") and len(digits) == 13:
        return _mask_middle(text, 5, 4)
    return _mask_middle(text, 3, 4)


def mask_text(text: str | None) -> str:
    """A free text with every resident ID and phone number in it masked."""
    if not text:
        return text or ""

    def one(m: re.Match) -> str:
        return mask_id(m.group()) if m.group("id") else mask_phone(m.group())

    return _PERSONAL.sub(one, text)


def mask_fields(row: dict, phones: tuple[str, ...] = (), texts: tuple[str, ...] = ()) -> dict:
    """A copy of ``row`` for a list: the ``phones`` keys through :func:`mask_phone`, the
    ``texts`` keys through :func:`mask_text` (empty values stay empty)."""
    out = dict(row)
    for key in phones:
        out[key] = mask_phone(out[key]) if out.get(key) else out.get(key)
    for key in texts:
        out[key] = mask_text(out[key]) if out.get(key) else out.get(key)
    return out
