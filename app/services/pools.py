"""The expert pool and the agency pool at the approval bureau (Art. 11).

Functions take a Session, never commit, and return plain values. Entries are never deleted:
``deactivate_*`` keeps them for history. Field values are checked by :func:`clean`, shared by
the forms, the Excel import (:mod:`app.services.lists_xlsx`) and the departments' update
letters (:mod:`app.services.pool_letters`). See docs/lists.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import clock
from app.models import Agency, Expert, Office
from app.services import ids, textinput
from app.services.errors import NotFoundError, ValidationError
from app.services.masking import mask_fields
from app.services.spreadsheets import date_cell

__all__ = [
    "AGENCY", "EXPERT", "PoolKind", "add", "clean", "deactivate", "expiring", "get", "resolve_office",
    "row", "search", "update",
]


@dataclass(frozen=True)
class PoolKind:
    model: type
    label: str  # 专家 / 中介机构
    texts: dict[str, tuple[str, int]]  # key -> (Chinese label, max length)
    dates: dict[str, str]  # key -> Chinese label
    required: tuple[str, ...]
    searched: tuple[str, ...]  # columns the search text is looked for in

    def label_of(self, key: str) -> str:
        if key == "office":
            return "推荐单位"
        return self.texts[key][0] if key in self.texts else self.dates.get(key, key)

    @property
    def keys(self) -> tuple[str, ...]:
        return (*self.texts, *self.dates, "office")


EXPERT = PoolKind(
    Expert, "专家",
    {"name": ("姓名", 64), "specialty": ("专业领域", 128), "title": ("职称", 64),
     "employer": ("工作单位", 128), "qualification": ("资格证书", 128),
     "certificate_number": ("证书编号", 64), "phone": ("联系电话", 32), "note": ("备注", 1000)},
    {"valid_from": "有效期起", "valid_until": "有效期至"},
    ("name",), ("name", "specialty", "employer", "qualification"),
)
AGENCY = PoolKind(
    Agency, "中介机构",
    {"name": ("机构名称", 128), "credit_code": ("统一社会信用代码", 18), "scope": ("服务范围", 512),
     "qualification": ("资质", 128), "certificate_number": ("资质证书编号", 64),
     "contact_name": ("联系人", 64), "phone": ("联系电话", 32), "note": ("备注", 1000)},
    {"valid_until": "资质有效期至"},
    ("name", "credit_code"), ("name", "scope", "qualification"),
)


def resolve_office(session: Session, text: str, field: str = "office") -> Office:
    """A competent office by code or by name (the recommending office of an entry)."""
    value = (text or "").strip()
    office = session.scalar(select(Office).where(Office.code == value))
    if office is None:
        found = list(session.scalars(select(Office).where(Office.name == value).limit(2)))
        if len(found) > 1:
            raise ValidationError(f"有多个名为“{value}”的单位，请填写单位代码。", field)
        office = found[0] if found else None
    if office is None:
        raise ValidationError(f"单位名录中没有代码或名称为“{value}”的单位。", field)
    if office.role != "competent":
        raise ValidationError(f"{office.name}（{office.code}）不是行政主管部门，不能推荐专家或中介机构。",
                              field)
    return office


def credit_code(raw: object, field: str = "credit_code") -> str:
    code = ids.normalize(str(raw or ""))
    if len(code) != 18:
        raise ValidationError(f"统一社会信用代码应为18位，现在是{len(code)}位：{raw}。", field)
    bad = [c for c in code if c not in ids.USCC_CHARS]
    if bad:
        raise ValidationError(f"统一社会信用代码不能包含字符“{bad[0]}”（不使用 I、O、Z、S、V）：{code}。", field)
    if not ids.is_valid_uscc(code):
        raise ValidationError(f"统一社会信用代码校验位不符：{code}，请核对是否有错录的字符。", field)
    return code


def clean(session: Session, kind: PoolKind, values: Mapping, *, partial: bool = False) -> dict:
    """Checked model values for ``values`` (keys of ``kind.keys``); ``office`` (code or name)
    becomes ``recommending_office_id``. ``partial``: only the keys given (an update)."""
    out: dict = {}
    for key, value in values.items():
        if key not in kind.keys:
            raise ValidationError(f"未知字段“{key}”。", key)
        label = kind.label_of(key)
        if key in kind.dates:
            try:
                out[key] = date_cell(value) if value not in ("", None) else None
            except ValueError as e:
                raise ValidationError(f"「{label}」{e}", key) from None
        elif key == "office":
            empty = value is None or not str(value).strip()
            out["recommending_office_id"] = None if empty else resolve_office(session, str(value)).id
        else:
            limit, shown = kind.texts[key][1], f"「{label}」"
            if key == "phone":
                s = textinput.clean_phone(value, key, shown, required=False)
            elif key == "credit_code":
                textinput.check_invisible(value, key, shown)
                s = credit_code(value) if str(value or "").strip() else ""
            elif key in ("name", "contact_name"):
                s = textinput.clean_name(value, key, shown, limit, required=False)
            else:
                s = textinput.clean_text(value, key, shown, limit, required=False)
            out[key] = s
    for key in kind.required:
        if (key in values or not partial) and not out.get(key):
            raise ValidationError(f"请填写「{kind.label_of(key)}」。", key)
    start, end = out.get("valid_from"), out.get("valid_until")
    if start and end and end < start:
        raise ValidationError(f"「有效期至」{end:%Y-%m-%d}早于「有效期起」{start:%Y-%m-%d}。", "valid_until")
    return out


def get(session: Session, kind: PoolKind, entry_id: uuid.UUID | str):
    try:
        key = entry_id if isinstance(entry_id, uuid.UUID) else uuid.UUID(str(entry_id).strip())
    except ValueError:
        raise NotFoundError(f"“{entry_id}”不是有效的{kind.label}编号。") from None
    found = session.get(kind.model, key)
    if found is None:
        raise NotFoundError(f"没有编号为 {key} 的{kind.label}。")
    return found


def _by_credit_code(session: Session, code: str) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.credit_code == code))


def add(session: Session, kind: PoolKind, values: Mapping, *, entry_id: uuid.UUID | None = None) -> uuid.UUID:
    """Add an entry (active); returns its id. An agency's credit code must be new."""
    data = clean(session, kind, values)
    if kind is AGENCY:
        old = _by_credit_code(session, data["credit_code"])
        if old is not None:
            state = "" if old.active else "（已停用，可修改后恢复）"
            raise ValidationError(f"中介机构库中已有统一社会信用代码为 {old.credit_code} 的机构：{old.name}{state}。",
                                  "credit_code")
    if entry_id is not None and session.get(kind.model, entry_id) is not None:
        raise ValidationError(f"{kind.label}编号 {entry_id} 已存在。", "id")
    fields = {k: "" for k in kind.texts} | data
    entry = kind.model(id=entry_id or uuid.uuid4(), active=True, updated_at=clock.now(), **fields)
    session.add(entry)
    session.flush()
    return entry.id


def update(session: Session, kind: PoolKind, entry_id: uuid.UUID | str, values: Mapping,
           *, active: bool | None = None) -> None:
    """Change the given fields; ``active=True`` restores a deactivated entry."""
    entry = get(session, kind, entry_id)
    data = clean(session, kind, values, partial=True)
    start = data.get("valid_from", getattr(entry, "valid_from", None))
    end = data.get("valid_until", entry.valid_until)
    if start and end and end < start:
        raise ValidationError(f"「有效期至」{end:%Y-%m-%d}早于「有效期起」{start:%Y-%m-%d}。", "valid_until")
    if kind is AGENCY and data.get("credit_code", entry.credit_code) != entry.credit_code:
        other = _by_credit_code(session, data["credit_code"])
        if other is not None:
            raise ValidationError(f"统一社会信用代码 {other.credit_code} 已属于 {other.name}。", "credit_code")
    for key, value in data.items():
        setattr(entry, key, value)
    if active is not None:
        entry.active = active
    entry.updated_at = clock.now()
    session.flush()


def deactivate(session: Session, kind: PoolKind, entry_id: uuid.UUID | str, note: str | None = None) -> None:
    """Take an entry out of the pool (kept for history); ``note`` records why."""
    entry = get(session, kind, entry_id)
    if note:
        update(session, kind, entry.id, {"note": note})
    entry.active = False
    entry.updated_at = clock.now()
    session.flush()


def _status(entry, on: date) -> tuple[bool, str]:
    start = getattr(entry, "valid_from", None)
    expired = entry.valid_until is not None and entry.valid_until < on
    if not entry.active:
        return expired, "已停用"
    if expired:
        return True, "已过期"
    if start is not None and start > on:
        return False, "未生效"
    return False, "有效"


def row(entry, on: date | None = None, *, masked: bool = False) -> dict:
    """An entry as plain values, with ``expired`` and a status label as of ``on`` (today).
    ``masked``: for a list — the phone and any ID or phone number in the texts masked (issue 7;
    the credit code of an agency is public and stays). Unmasked: the edit form, the Excel export."""
    kind = EXPERT if isinstance(entry, Expert) else AGENCY
    data = {"id": entry.id, **{k: getattr(entry, k) for k in (*kind.texts, *kind.dates)}}
    office = entry.recommending_office
    data.update(office_code=office.code if office else "", office_name=office.name if office else "",
                active=entry.active, updated_at=entry.updated_at)
    data["expired"], data["status"] = _status(entry, on or clock.today())
    if masked:
        texts = tuple(k for k in kind.texts if k not in ("phone", "credit_code"))
        return mask_fields(data, ("phone",), texts)
    return data


def search(session: Session, kind: PoolKind, text: str | None = None, *, office: str | None = None,
           valid_on: date | None = None, include_inactive: bool = False, masked: bool = True) -> list[dict]:
    """Entries whose name/specialty/employer/scope contains ``text``, recommended by ``office``
    (code or name), valid on ``valid_on``; active ones only unless ``include_inactive``.
    A list: phones masked unless ``masked=False`` (the Excel export, a data round trip)."""
    m = kind.model
    stmt = select(m).order_by(m.name, m.id)
    if not include_inactive:
        stmt = stmt.where(m.active.is_(True))
    words = (text or "").split()
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(*(getattr(m, c).ilike(pattern, escape="\\") for c in kind.searched)))
    if office:
        stmt = stmt.where(m.recommending_office_id == resolve_office(session, office).id)
    if valid_on is not None:
        stmt = stmt.where(or_(m.valid_until.is_(None), m.valid_until >= valid_on))
        if "valid_from" in kind.dates:
            stmt = stmt.where(or_(m.valid_from.is_(None), m.valid_from <= valid_on))
    return [row(e, valid_on, masked=masked) for e in session.scalars(stmt)]


def expiring(session: Session, kind: PoolKind, days: int, *, masked: bool = True) -> list[dict]:
    """Active entries whose validity ends within ``days`` calendar days from today, and those
    already expired (``expired`` is True for them), the soonest first (phones masked)."""
    if days < 0:
        raise ValidationError("天数不能为负数。", "days")
    m = kind.model
    until = clock.today() + timedelta(days=days)
    stmt = (select(m).where(m.active.is_(True), m.valid_until.is_not(None), m.valid_until <= until)
            .order_by(m.valid_until, m.name, m.id))
    return [row(e, masked=masked) for e in session.scalars(stmt)]
