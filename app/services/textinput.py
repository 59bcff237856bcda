"""One policy for text typed or pasted by people (no Qt): every refusal names the field,
says what is wrong, and how to fix it.

- Everything is NFC-normalised and stripped; one-line fields have inner whitespace collapsed,
  long texts keep their line breaks (``keep_lines``).
- Control characters, bidi overrides/isolates and other invisible format characters are
  refused with their position; in long free text, pasted zero-width characters are dropped.
- Names (people, organisations, items) refuse lookalikes: Cyrillic/Greek letters mixed into a
  Chinese or Latin name, and styled letters such as 𝐀 (full-width letters and digits are made
  half-width). Codes must be plain half-width characters ("请使用半角字符").
- Lengths are counted in characters (an astral character such as 𠮷 counts as one).
- Dates, phone numbers and ID numbers get messages that show the accepted forms.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime

from app.services.errors import ValidationError

# Limits per kind of field (characters).
PERSON_NAME = 64
ORG_NAME = 128
TITLE = 256
LONG_TEXT = 4000
CODE = 32

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
# Control characters that are only whitespace (tab, line and page breaks): a one-line field
# turns them into spaces instead of refusing them.
LINE_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")


def _where(label: str, pos: int, ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    return f"{label}第{pos}个字符（{code}）"


def shorten(text: str, limit: int = 20) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, then “…”."""
    return text if len(text) <= limit else text[:limit] + "…"


def _char_problem(ch: str) -> str | None:
    """Why ``ch`` may never appear in text a person typed, or None."""
    if ch in BIDI:
        return "是文字方向控制符（可能让文字显示顺序与实际不同）"
    if ch in ZERO_WIDTH:
        return "是看不见的零宽字符（多来自复制粘贴）"
    cat = unicodedata.category(ch)
    if cat == "Cc":
        return "是控制字符"
    if cat == "Cf":
        return "是看不见的格式字符"
    if cat == "Cs":
        return "是无效的代理字符"
    if 0xFDD0 <= ord(ch) <= 0xFDEF or (ord(ch) & 0xFFFE) == 0xFFFE:
        return "是非字符码位"
    return None


def _check_chars(value: str, label: str, field: str | None, *, allow: str = "") -> None:
    for pos, ch in enumerate(value, 1):
        if ch in allow:
            continue
        problem = _char_problem(ch)
        if problem:
            raise ValidationError(
                f"{_where(label, pos, ch)}{problem}，请删除该字符后重新输入。", field)


def clean_text(value: object, field: str | None, label: str, limit: int = TITLE, *,
               required: bool = True, keep_lines: bool = False) -> str:
    """A one-line (or, with ``keep_lines``, multi-line) text, normalised and checked."""
    raw = unicodedata.normalize("NFC", "" if value is None else str(value))
    if keep_lines:
        raw = "".join(c for c in raw if c not in ZERO_WIDTH)
        raw = raw.replace("\r\n", "\n").replace("\t", " ")
        _check_chars(raw, label, field, allow="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        text = "\n".join(" ".join(line.split()) for line in raw.strip().splitlines()).strip()
    else:
        _check_chars(raw.strip(), label, field, allow=LINE_SPACES)
        text = " ".join(raw.split())
    if required and not text:
        raise ValidationError(f"请填写{label}。", field)
    if len(text) > limit:
        raise ValidationError(
            f"{label}过长：最多{limit}个字，现在{len(text)}个字，请精简后重新输入。", field)
    return text


def _script(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ""
    if name.startswith("CJK ") or "IDEOGRAPH" in name:
        return "HAN"
    for script in ("LATIN", *_LOOKALIKE_SCRIPTS):
        if name.startswith(script):
            return script
    return ""


_LOOKS_LATIN = dict(zip("аеорсухіјѕАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧΖ",
                        "aeopcyxijsABEKMHOPCTXIJSaBeiKvopTuxABEHIKMNOPTYXZ", strict=True))
_SCRIPT_NAMES = {"CYRILLIC": "西里尔字母", "GREEK": "希腊字母", "ARMENIAN": "亚美尼亚字母",
                 "CHEROKEE": "切罗基字母", "COPTIC": "科普特字母"}


def clean_name(value: object, field: str | None, label: str, limit: int = ORG_NAME, *,
               required: bool = True) -> str:
    """A name of a person, organisation or item: plain text without lookalike characters."""
    text = clean_text(value, field, label, limit, required=required)
    text = _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    scripts = [_script(c) for c in text]
    plain = {"HAN", "LATIN"} & set(scripts)
    for pos, (ch, script) in enumerate(zip(text, scripts, strict=True), 1):
        if plain and script in _SCRIPT_NAMES:
            latin = _LOOKS_LATIN.get(ch)
            looks = f"，形似拉丁字母“{latin}”" if latin else ""
            raise ValidationError(
                f"{_where(label, pos, ch)}“{ch}”是{_SCRIPT_NAMES[script]}{looks}，与汉字或拉丁字母"
                f"混用容易混淆，请改用普通的汉字或半角字母重新输入。", field)
        if unicodedata.category(ch)[0] in "LN":
            folded = unicodedata.normalize("NFKC", ch)
            if folded != ch and folded.isascii() and folded.isalnum():
                raise ValidationError(
                    f"{_where(label, pos, ch)}“{ch}”是特殊字体的“{folded}”，"
                    f"请改用普通字符“{folded}”重新输入。", field)
    return text


def clean_code(value: object, field: str | None, label: str, *, pattern: str,
               rule: str, example: str, limit: int = CODE, upper: bool = False) -> str:
    """A code of plain half-width characters matching ``pattern`` (described by ``rule``)."""
    raw = unicodedata.normalize("NFC", "" if value is None else str(value)).strip()
    _check_chars(raw, label, field)
    if not raw:
        raise ValidationError(f"请填写{label}，例如 {example}。", field)
    for pos, ch in enumerate(raw, 1):
        folded = unicodedata.normalize("NFKC", ch)
        if not ch.isascii() and folded.isascii():
            what = "是全角字符" if "\uff01" <= ch <= "\uff5e" else f"是特殊字符（形似“{folded}”）"
            raise ValidationError(
                f"{_where(label, pos, ch)}“{ch}”{what}，请使用半角字符（关闭输入法的全角模式）"
                f"重新输入，例如 {example}。", field)
    if len(raw) > limit:
        raise ValidationError(f"{label}过长：最多{limit}个字符，现在{len(raw)}个。", field)
    code = raw.upper() if upper else raw
    if not re.fullmatch(pattern, code):
        raise ValidationError(f"{label}“{raw}”格式不对：{rule}，例如 {example}。", field)
    return code


# -- dates --------------------------------------------------------------------------------

# 2026-11-25, 2026/11/25, 2026.11.25, 2026年11月25日 or 20261125; a time after the date
# (2026-11-25 10:30, as Excel and many systems write it) is allowed and ignored.
_DATE = re.compile(r"(?:(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2}))"
                   r"(?:\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
DATE_FORM = "应为 2026-11-25 形式（也可写 2026/11/25 或 2026年11月25日）"


def not_a_date(shown: str, field: str | None, label: str) -> ValidationError:
    """The refusal of a value that is no date at all (``shown`` as the person typed it)."""
    return ValidationError(f"{label}“{shorten(shown)}”不是日期：{DATE_FORM}。", field)


def parse_date(value: object, field: str | None, label: str, *, required: bool = True,
               earliest: int = 1900, latest: int = 2200) -> date | None:
    """A date from a date or text; impossible days such as 2026-02-30 are named."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        raw = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
        if not raw:
            if required:
                raise ValidationError(f"请填写{label}，{DATE_FORM}。", field)
            return None
        m = _DATE.fullmatch(raw)
        if not m:
            raise not_a_date(raw, field, label)
        y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        if not 1 <= mo <= 12:
            raise ValidationError(f"{label}“{raw}”这个日期不存在：月份应为1–12，请核对日期。", field)
        if not earliest <= y <= latest:
            raise ValidationError(
                f"{label}“{raw}”超出范围：年份应在{earliest}–{latest}之间，请核对年份。", field)
        last = calendar.monthrange(y, mo)[1]
        if not 1 <= d <= last:
            raise ValidationError(
                f"{label}“{raw}”这个日期不存在：{y}年{mo}月只有{last}天，请核对日期。", field)
        day = date(y, mo, d)
    if not earliest <= day.year <= latest:
        raise ValidationError(
            f"{label}“{day.isoformat()}”超出范围：年份应在{earliest}–{latest}之间，请核对年份。", field)
    return day


# -- phones and ID numbers ----------------------------------------------------------------

PHONE_FORMS = ("11位手机号码（如 13904171234）或带区号的固定电话（如 0417-1234567，"
               "分机写成 0417-1234567-801 或 0417-1234567转801）")
_MOBILE = re.compile(r"(?:86)?(1[3-9]\d{9})")  # after +86/0086 and dashes are dropped
# Area code 010 or 02x (3 digits) or 03xx–09xx (4 digits), so that 01012345678 is split
# 010-12345678; a local number of 7–8 digits; an extension written -801, 转801, 分机801, ext801.
_LANDLINE = re.compile(r"(0(?:10|2\d|[3-9]\d{2}))-?(\d{7,8})(?:(?:-|转|分机|ext\.?)(\d{1,6}))?")


def clean_phone(value: object, field: str | None, label: str = "联系电话", *,
                required: bool = True) -> str:
    """A mobile number (``13904171234``; spaces, dashes and ``+86`` dropped) or a landline with
    area code, normalised (``0417-1234567``, ``0417-1234567-801``). The area code may be in
    brackets: ``(0417)1234567``. Local numbers without area code are refused."""
    raw = unicodedata.normalize("NFKC", "" if value is None else str(value))
    raw = "".join(c for c in raw if c not in ZERO_WIDTH)
    _check_chars(raw.strip(), label, field)
    phone = re.sub(r"\s+", "", raw).lower()
    if not phone:
        if required:
            raise ValidationError(f"请填写{label}：{PHONE_FORMS}。", field)
        return ""
    plain = re.sub(r"^(?:\+86|0086)-?", "", phone)
    plain = re.sub(r"^\((0\d{2,3})\)-?", r"\1-", plain)
    m = _MOBILE.fullmatch(plain.replace("-", ""))
    if m:
        return m.group(1)
    m = _LANDLINE.fullmatch(plain)
    if m:
        area, local, ext = m.groups()
        return f"{area}-{local}" + (f"-{ext}" if ext else "")
    raise ValidationError(f"{label}格式不对（“{shorten(phone, 24)}”）：应为{PHONE_FORMS}。", field)


def check_invisible(value: object, field: str | None, label: str, *, allow: str = "") -> None:
    """Refuse invisible or control characters (other than those in ``allow``) in a value
    before it is normalised, e.g. a code or a spreadsheet cell."""
    _check_chars(unicodedata.normalize("NFC", "" if value is None else str(value)).strip(),
                 label, field, allow=allow)
