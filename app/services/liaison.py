"""Liaison officers of the exchange (Art. 16: 审管平台信息推送联络员).

An office has one or more active liaison officers, each with a phone and duties; exactly one
of them is *current*: the one named on pushes and printed on forms
(:func:`app.services.offices.current_liaison`). Officers are never deleted, only deactivated.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import LiaisonOfficer, Office
from app.services import offices, textinput
from app.services.errors import NotFoundError, WorkflowError
from app.services.masking import mask_fields

__all__ = ["add", "clean", "deactivate", "edit", "get", "listing", "row", "set_current"]


def clean(name: str | None = None, phone: str | None = None, duties: str | None = None) -> dict:
    """Checked values of the fields given (None = not given)."""
    out: dict = {}
    if name is not None:
        out["name"] = textinput.clean_name(name, "name", "联络员姓名", textinput.PERSON_NAME)
    if phone is not None:
        out["phone"] = textinput.clean_phone(phone, "phone", "联络员的联系电话")
    if duties is not None:
        out["duties"] = textinput.clean_text(duties, "duties", "工作职责", 256, required=False)
    return out


def get(session: Session, liaison_id: uuid.UUID | str) -> LiaisonOfficer:
    try:
        key = liaison_id if isinstance(liaison_id, uuid.UUID) else uuid.UUID(str(liaison_id).strip())
    except ValueError:
        raise NotFoundError(f"“{liaison_id}”不是有效的联络员编号。") from None
    lo = session.get(LiaisonOfficer, key)
    if lo is None:
        raise NotFoundError(f"没有编号为 {key} 的联络员。")
    return lo


def _make_current(session: Session, lo: LiaisonOfficer) -> None:
    for other in session.scalars(select(LiaisonOfficer).where(
            LiaisonOfficer.office_id == lo.office_id, LiaisonOfficer.is_current.is_(True))):
        other.is_current = False
    session.flush()
    lo.is_current = True
    session.flush()


def _has_current(session: Session, office_id: uuid.UUID) -> bool:
    return session.scalar(select(LiaisonOfficer.id).where(
        LiaisonOfficer.office_id == office_id, LiaisonOfficer.active.is_(True),
        LiaisonOfficer.is_current.is_(True)).limit(1)) is not None


def add(session: Session, office: str | Office, name: str, phone: str, duties: str = "", *,
        current: bool = False, since: date | None = None) -> uuid.UUID:
    """Add a liaison officer to an office (by code); they become current if asked to or if
    the office has no current liaison yet. Returns the id."""
    if not isinstance(office, Office):
        office = offices.office_by_code(session, office)
    data = clean(name, phone, duties or "")
    lo = LiaisonOfficer(id=uuid.uuid4(), office_id=office.id, active=True, is_current=False,
                        since=since or clock.today(), **data)
    session.add(lo)
    session.flush()
    if current or not _has_current(session, office.id):
        _make_current(session, lo)
    return lo.id


def edit(session: Session, liaison_id: uuid.UUID | str, *, name: str | None = None,
         phone: str | None = None, duties: str | None = None, since: date | None = None) -> None:
    lo = get(session, liaison_id)
    for key, value in clean(name, phone, duties).items():
        setattr(lo, key, value)
    if since is not None:
        lo.since = since
    session.flush()


def set_current(session: Session, liaison_id: uuid.UUID | str) -> None:
    """Make this active officer the one named on pushes and forms for their office."""
    lo = get(session, liaison_id)
    if not lo.active:
        raise WorkflowError(f"联络员 {lo.name} 已停用，不能设为当前联络员。")
    _make_current(session, lo)


def deactivate(session: Session, liaison_id: uuid.UUID | str) -> None:
    """Stop an officer. The current one can be stopped only when no other active officer is
    left (otherwise first choose who takes over, so the office is never left unnamed)."""
    lo = get(session, liaison_id)
    if not lo.active:
        return
    others = session.scalar(select(LiaisonOfficer.id).where(
        LiaisonOfficer.office_id == lo.office_id, LiaisonOfficer.active.is_(True),
        LiaisonOfficer.id != lo.id).limit(1))
    if lo.is_current and others is not None:
        raise WorkflowError(f"{lo.name} 是当前联络员，请先把另一位联络员设为当前联络员，再停用。")
    lo.active, lo.is_current = False, False
    session.flush()


def row(lo: LiaisonOfficer, current_id: uuid.UUID | None = None, *, masked: bool = False) -> dict:
    """An officer as plain values; ``masked`` for a list (the phone, and any ID or phone number
    in the name or duties, masked: issue 7). Unmasked: the edit form, the Excel export."""
    data = {"id": lo.id, "office_code": lo.office.code, "office_name": lo.office.name, "name": lo.name,
            "phone": lo.phone, "duties": lo.duties, "since": lo.since, "active": lo.active,
            "current": lo.id == current_id}
    return mask_fields(data, ("phone",), ("name", "duties")) if masked else data


def listing(session: Session, office: str | None = None, *, include_inactive: bool = False,
            masked: bool = True) -> list[dict]:
    """Liaison officers by office code, the current one first in each office. A list: phones
    masked unless ``masked=False`` (the Excel export, a data round trip)."""
    stmt = select(LiaisonOfficer).join(Office, Office.id == LiaisonOfficer.office_id)
    if office:
        stmt = stmt.where(Office.code == offices.office_by_code(session, office).code)
    if not include_inactive:
        stmt = stmt.where(LiaisonOfficer.active.is_(True))
    found = list(session.scalars(stmt))
    current = {}
    for office_id in {lo.office_id for lo in found}:
        chosen = offices.current_liaison(session, office_id)
        current[office_id] = chosen.id if chosen else None
    found.sort(key=lambda lo: (lo.office.code, lo.id != current[lo.office_id], not lo.active,
                               lo.name, str(lo.id)))
    return [row(lo, current[lo.office_id], masked=masked) for lo in found]
