"""Offices, jurisdictions and this installation's identity."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ROLES, Jurisdiction, LiaisonOfficer, Office
from app.services import textinput
from app.services.errors import NotFoundError, ValidationError
from app.services.masking import mask_fields

ROLE_LABELS = {
    "approval": "行政审批部门",
    "competent": "行政主管部门",
    "enforcement": "综合行政执法部门",
    "oversight": "营商环境建设主管部门",
}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")


def validate_office_fields(code: str, name: str, role: str, jurisdiction: str) -> tuple[str, str, str, str]:
    code = textinput.clean_code(
        code, "code", "单位代码", pattern=r"[A-Za-z0-9][A-Za-z0-9_-]{1,31}",
        rule="须为2–32位半角字母、数字、连字符或下划线，以字母或数字开头", example="YK-SPJ 或 210800-ZJ")
    name = textinput.clean_name(name, "name", "单位名称", textinput.ORG_NAME)
    if role not in ROLES:
        raise ValidationError(
            "单位类型须为 approval（行政审批）、competent（行政主管）、"
            "enforcement（综合执法）或 oversight（营商环境）之一。",
            "role",
        )
    jurisdiction = textinput.clean_name(jurisdiction, "jurisdiction", "所属行政区域", 64)
    return code, name, role, jurisdiction


def get_or_create_jurisdiction(session: Session, name: str, code: str | None = None,
                               level: str | None = None) -> Jurisdiction:
    j = session.scalar(select(Jurisdiction).where(Jurisdiction.name == name))
    if j is None:
        j = Jurisdiction(
            id=uuid.uuid4(),
            name=name,
            code=code or f"J-{uuid.uuid4().hex[:8]}",
            level=level or ("city" if name == "市本级" else "county"),
        )
        session.add(j)
        session.flush()
    return j


def add_office(session: Session, code: str, name: str, role: str, jurisdiction: str,
               *, local: bool = False) -> Office:
    code, name, role, jurisdiction = validate_office_fields(code, name, role, jurisdiction)
    if session.scalar(select(Office).where(Office.code == code)) is not None:
        raise ValidationError(f"单位代码 {code} 已被使用。", "code")
    office = Office(
        id=uuid.uuid4(),
        code=code,
        name=name,
        role=role,
        jurisdiction=get_or_create_jurisdiction(session, jurisdiction),
        is_local=local,
    )
    session.add(office)
    session.flush()
    return office


def init_local_office(session: Session, code: str, name: str, role: str, jurisdiction: str) -> Office:
    """Set this installation's identity (first run). Refuses a second, different identity."""
    existing = local_offices(session)
    if existing:
        same = existing[0]
        if len(existing) == 1 and (same.code, same.name, same.role) == (code.strip(), name.strip(), role):
            return same
        names = "、".join(o.name for o in existing)
        raise ValidationError(f"本数据库已初始化为 {names}，不能再初始化为其他单位。", "code")
    other = session.scalar(select(Office).where(Office.code == code.strip()))
    if other is not None:  # known from a roster or the demo: adopt it as this office
        validate_office_fields(code, name, role, jurisdiction)
        if other.role != role:
            raise ValidationError(f"单位代码 {other.code} 已登记为{ROLE_LABELS[other.role]}。", "role")
        other.is_local = True
        return other
    return add_office(session, code, name, role, jurisdiction, local=True)


def local_offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).where(Office.is_local.is_(True)).order_by(Office.code)))


def office_by_code(session: Session, code: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == (code or "").strip()))
    if office is None:
        raise NotFoundError(f"没有代码为 {code} 的单位。")
    return office


def all_offices(session: Session, role: str | None = None) -> list[Office]:
    stmt = select(Office).order_by(Office.code)
    if role:
        stmt = stmt.where(Office.role == role)
    return list(session.scalars(stmt))


# The current liaison first: the one chosen explicitly (app.services.liaison keeps one per
# office), else, for records made before that choice existed, the latest active one.
LIAISON_ORDER = (LiaisonOfficer.is_current.desc(), LiaisonOfficer.since.desc().nulls_last(),
                 LiaisonOfficer.name, LiaisonOfficer.id)


def current_liaison(session: Session, office_id: uuid.UUID) -> LiaisonOfficer | None:
    return session.scalar(
        select(LiaisonOfficer)
        .where(LiaisonOfficer.office_id == office_id, LiaisonOfficer.active.is_(True))
        .order_by(*LIAISON_ORDER)
        .limit(1)
    )


def directory(session: Session) -> list[dict]:
    """The roster as a list (``shenguan offices list``): each office with its current liaison
    officer, whose phone is masked (issue 7; in full on the forms and in a result's detail)."""
    rows = []
    for o in all_offices(session):
        lo = current_liaison(session, o.id)
        rows.append(mask_fields({
            "code": o.code, "name": o.name, "role": o.role, "role_label": ROLE_LABELS[o.role],
            "jurisdiction": o.jurisdiction.name, "local": bool(o.is_local),
            "liaison": lo.name if lo else "", "liaison_phone": lo.phone if lo else "",
        }, ("liaison_phone",), ("liaison",)))
    return rows
