"""Checksums of applicant identifiers and phone numbers.

统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999), both 18 characters.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app import clock
from app.services.errors import ValidationError
from app.services.textinput import check_invisible, clean_phone

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"



def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), spaces removed, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).upper()


def uscc_check_char(body17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def resident_id_check_char(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_uscc(code: str) -> bool:
    return (
        len(code) == 18
        and all(c in USCC_CHARS for c in code)
        and uscc_check_char(code[:17]) == code[17]
    )


def is_valid_resident_id(code: str) -> bool:
    """18 characters: a province code 11–82, a real birth date, and the check character."""
    if len(code) != 18 or not code[:17].isdigit() or code[17] not in "0123456789X":
        return False
    if not 11 <= int(code[:2]) <= 82 or not _real_birth_date(code[6:14]):
        return False
    return resident_id_check_char(code[:17]) == code[17]


def _real_birth_date(text: str) -> bool:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return born.year >= 1900 and born <= clock.today()


def classify_applicant_id(raw: str, field: str = "applicant_id") -> tuple[str, str]:
    """Return ``(id_type, normalized)`` or raise ValidationError saying what is wrong."""
    check_invisible(raw, field, "证件号码")
    code = normalize(raw)
    if not code:
        raise ValidationError("请填写申请人证件号码（统一社会信用代码或身份证号码）。", field)
    if len(code) != 18:
        raise ValidationError(
            f"证件号码应为18位，现在是{len(code)}位：统一社会信用代码和居民身份证号码都是18位。",
            field,
        )
    if is_valid_resident_id(code):
        return "resident_id", code
    if is_valid_uscc(code):
        return "uscc", code
    looks_like_id = code[:17].isdigit() and 11 <= int(code[:2]) <= 82 and code[6:8] in ("19", "20")
    if looks_like_id and code[17] in "0123456789X":
        if not _real_birth_date(code[6:14]):
            return _bad(field, f"身份证号码中的出生日期 {code[6:14]} 不存在，请核对。")
        expected = resident_id_check_char(code[:17])
        return _bad(field, f"身份证号码校验位不符：按前17位计算，第18位应为“{expected}”，现在是"
                           f"“{code[17]}”，请核对是否有错录的数字。")
    bad = [c for c in code if c not in USCC_CHARS]
    if bad:
        return _bad(
            field,
            f"统一社会信用代码不能包含字符“{bad[0]}”（不使用 I、O、Z、S、V），请核对。",
        )
    expected = uscc_check_char(code[:17])
    return _bad(field, f"统一社会信用代码校验位不符：按前17位计算，第18位应为“{expected}”，现在是"
                       f"“{code[17]}”，请核对是否有错录的字符。")


def _bad(field: str, message: str):
    raise ValidationError(message, field)


def normalize_phone(raw: str, field: str = "contact_phone") -> str:
    """A mobile or landline number (see :func:`app.services.textinput.clean_phone`)."""
    return clean_phone(raw, field, "联系电话")

