"""The catalogue's workflow at the oversight office (Art. 7):

draft → evaluated → approved → in_force → filed; a version in force (or filed) becomes
superseded when the next one comes into force. Items are edited only in a draft.

Evaluation (评估论证) needs the approval bureau's opinion: Art. 7 names the opinions of the
approval bureau and the competent departments, and the approval bureau is the one office that
implements every item. Competent departments' opinions are recorded when given; evaluating
reports the departments named in the draft that gave none, without blocking (the oversight
office decides after hearing them, by letter or meeting, not by a quorum in this program).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.models import (
    CatalogueEntry,
    CatalogueOpinion,
    CatalogueVersion,
    Jurisdiction,
    LicensingItem,
    Office,
)
from app.models.catalogue import ITEM_LEVELS
from app.services import textinput
from app.services.catalogue import working
from app.services.errors import NotFoundError, ValidationError, WorkflowError

STATUS_LABELS = {
    "draft": "草案", "evaluated": "已评估论证", "approved": "已批准", "in_force": "实施中",
    "filed": "已备案（实施中）", "superseded": "已被新版替代",
}
IN_FORCE = ("in_force", "filed")
_ITEM_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_YEAR = re.compile(r"[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]")
_LABEL_TO_LEVEL = {label: code for code, label in ITEM_LEVELS.items()}
_LABEL_TO_LEVEL.update({"县区": "county", "县(市)区": "county", "自贸区营口片区": "ftz"})


def require_oversight(office: Office) -> None:
    if office.role != "oversight":
        raise WorkflowError("相对集中行政许可事项清单由营商环境建设主管部门制作和调整，本单位不能办理。")


def get_version(session: Session, number: int) -> CatalogueVersion:
    v = session.scalar(select(CatalogueVersion).where(CatalogueVersion.number == number))
    if v is None:
        raise NotFoundError(f"没有第 {number} 版事项清单。")
    return v


def _require(v: CatalogueVersion, allowed: tuple[str, ...], action: str, hint: str = "") -> None:
    if v.status not in allowed:
        raise WorkflowError(f"第 {v.number} 版清单当前为“{STATUS_LABELS[v.status]}”，不能{action}"
                            f"{'：' + hint if hint else '。'}")


def _draft(session: Session, number: int) -> CatalogueVersion:
    v = get_version(session, number)
    _require(v, ("draft",), "修改事项", "只有草案可以修改事项，请新建一版草案（--from 本版）。")
    return v


# -- versions ------------------------------------------------------------------------------------


def create_draft(session: Session, oversight: Office, title: str, source: int | str | None = None) -> int:
    """A new draft numbered after the highest; ``source`` is a version number to copy, "items"
    for the current working item list, or None for an empty draft. Returns its number."""
    require_oversight(oversight)
    title = (title or "").strip()
    if not title:
        raise ValidationError("请填写清单名称，例如“营口市相对集中行政许可事项清单（2027年版）”。", "title")
    if len(title) > 256:
        raise ValidationError("清单名称过长（最多256个字）。", "title")
    number = (session.scalar(select(func.max(CatalogueVersion.number))) or 0) + 1
    v = CatalogueVersion(id=uuid.uuid4(), number=number, title=title, status="draft",
                         created_at=clock.now(), note="", origin="local")
    if isinstance(source, int):
        base = get_version(session, source)
        v.based_on_id = base.id
        for e in base.entries:
            v.entries.append(CatalogueEntry(
                id=uuid.uuid4(), code=e.code, name=e.name, category=e.category,
                competent_office_code=e.competent_office_code,
                competent_office_name=e.competent_office_name, jurisdiction_level=e.jurisdiction_level))
    elif source == "items":
        rows = session.execute(
            select(LicensingItem, Office, Jurisdiction)
            .join(Office, Office.id == LicensingItem.competent_office_id)
            .join(Jurisdiction, Jurisdiction.id == Office.jurisdiction_id)
            .where(LicensingItem.active.is_(True)).order_by(LicensingItem.code))
        for item, office, j in rows:
            v.entries.append(CatalogueEntry(
                id=uuid.uuid4(), code=item.code, name=item.name, category=item.category or "",
                competent_office_code=office.code, competent_office_name=office.name,
                jurisdiction_level=_level_of(j)))
    elif source is not None:
        raise ValidationError(f"无法识别的来源“{source}”：应为版本号或 items。", "from")
    session.add(v)
    session.flush()
    return number


def _level_of(j: Jurisdiction) -> str:
    if "自贸" in j.name:
        return "ftz"
    return {"city": "city", "county": "county", "zone": "devzone"}.get(j.level, "city")


# -- entries (draft only) ------------------------------------------------------------------------


def normalize_level(text: str) -> str:
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = value.replace("(", "（").replace(")", "）") if value not in _LABEL_TO_LEVEL else value
    if value in ITEM_LEVELS:
        return value
    if value in _LABEL_TO_LEVEL:
        return _LABEL_TO_LEVEL[value]
    labels = "、".join(f"{label}（{code}）" for code, label in ITEM_LEVELS.items())
    raise ValidationError(f"层级“{text}”无效，应为：{labels}。", "level")


def _competent(session: Session, code: str) -> Office:
    code = (code or "").strip()
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise ValidationError(f"单位名录中没有代码为 {code} 的单位，请先登记该单位后再列入清单。", "competent")
    if office.role not in working.LOCAL_ROLES:
        raise ValidationError(f"{office.name}（{office.code}）不是行政主管部门或综合行政执法部门，"
                              "不能作为事项的主管部门。", "competent")
    return office


def _item_fields(name: str, category: str) -> tuple[str, str]:
    name = textinput.clean_name(name, "name", "事项名称", 256)
    category = textinput.clean_text(category, "category", "事项类别", 64, required=False)
    return name, category


def add_entry(session: Session, number: int, code: str, name: str, category: str,
              competent: str, level: str) -> None:
    v = _draft(session, number)
    code = textinput.clean_code(code, "code", "事项编码", pattern=_ITEM_CODE.pattern.strip("^$"),
                                rule="应为1–64位半角字母、数字、点、连字符或下划线", example="ZJ-001",
                                limit=64)
    if any(e.code == code for e in v.entries):
        raise ValidationError(f"第 {number} 版清单中已有编码为 {code} 的事项。", "code")
    name, category = _item_fields(name, category)
    office = _competent(session, competent)
    v.entries.append(CatalogueEntry(id=uuid.uuid4(), code=code, name=name, category=category,
                                    competent_office_code=office.code, competent_office_name=office.name,
                                    jurisdiction_level=normalize_level(level)))
    session.flush()


def _entry(v: CatalogueVersion, code: str) -> CatalogueEntry:
    found = next((e for e in v.entries if e.code == (code or "").strip()), None)
    if found is None:
        raise NotFoundError(f"第 {v.number} 版清单中没有编码为 {code} 的事项。")
    return found


def edit_entry(session: Session, number: int, code: str, *, name: str | None = None,
               category: str | None = None, competent: str | None = None, level: str | None = None) -> None:
    e = _entry(_draft(session, number), code)
    new_name, new_category = _item_fields(e.name if name is None else name,
                                          e.category if category is None else category)
    if competent is not None:
        office = _competent(session, competent)
        e.competent_office_code, e.competent_office_name = office.code, office.name
    if level is not None:
        e.jurisdiction_level = normalize_level(level)
    e.name, e.category = new_name, new_category
    session.flush()


def remove_entry(session: Session, number: int, code: str) -> None:
    v = _draft(session, number)
    v.entries.remove(_entry(v, code))
    session.flush()


# -- opinions, evaluation, approval, force, filing ----------------------------------------------


def record_opinion(session: Session, number: int, office_code: str, agrees: bool, text: str) -> None:
    """An office's opinion on a draft; a second opinion of the same office replaces the first."""
    v = get_version(session, number)
    _require(v, ("draft",), "记录意见", "意见只能在评估论证前记录。")
    office = session.scalar(select(Office).where(Office.code == (office_code or "").strip()))
    if office is None:
        raise NotFoundError(f"没有代码为 {office_code} 的单位。")
    if office.role == "oversight":
        raise ValidationError("意见应来自行政审批部门或行政主管部门，不是营商环境建设主管部门本身。", "office")
    text = (text or "").strip()
    if len(text) > 4000:
        raise ValidationError("意见过长（最多4000个字）。", "text")
    if not agrees and not text:
        raise ValidationError("不同意时请写明理由。", "text")
    for old in [o for o in v.opinions if o.office_code == office.code]:
        v.opinions.remove(old)
    v.opinions.append(CatalogueOpinion(id=uuid.uuid4(), office_code=office.code, office_name=office.name,
                                       office_role=office.role, agrees=bool(agrees), text=text,
                                       recorded_at=clock.now()))
    session.flush()


def evaluate(session: Session, number: int) -> list[str]:
    """Mark a draft evaluated; returns the codes of competent offices named in it without an opinion."""
    v = get_version(session, number)
    _require(v, ("draft",), "标记为已评估论证", "只有草案需要评估论证。")
    if not v.entries:
        raise WorkflowError(f"第 {number} 版清单还没有事项，不能评估论证。")
    if not any(o.office_role == "approval" for o in v.opinions):
        raise WorkflowError("评估论证须有行政审批部门的意见，请先记录（shenguan catalogue opinion）。")
    heard = {o.office_code for o in v.opinions}
    v.status, v.evaluated_at = "evaluated", clock.now()
    session.flush()
    return sorted({e.competent_office_code for e in v.entries} - heard)


def normalize_doc_number(text: str) -> str:
    """A government document number (文号) like 营政发〔2026〕12号; [2026] is turned into 〔2026〕."""
    value = unicodedata.normalize("NFC", text or "").strip()
    m = _YEAR.search(value)
    if not value or m is None:
        raise ValidationError(f"文号“{text}”无效：应含年份，例如 营政发〔2026〕12号。", "doc_number")
    value = value[:m.start()] + f"〔{m.group(1)}〕" + value[m.end():]
    if len(value) > 64:
        raise ValidationError("文号过长（最多64个字）。", "doc_number")
    return value


def _not_future(day: date, what: str) -> None:
    if day > clock.today():
        raise ValidationError(f"{what}{day:%Y-%m-%d}晚于今天，请核对。", "date")


def approve(session: Session, number: int, doc_number: str, on: date) -> None:
    v = get_version(session, number)
    _require(v, ("evaluated",), "登记政府批准", "须先完成评估论证（shenguan catalogue evaluate）。")
    doc = normalize_doc_number(doc_number)
    _not_future(on, "批准日期")
    # evaluated_at is when the evaluation was recorded here, often after the fact: not compared.
    v.status, v.approved_doc_number, v.approved_on = "approved", doc, on
    session.flush()


def put_in_force(session: Session, oversight: Office, number: int, start: date) -> working.SyncReport:
    """The version comes into force: the previous one is superseded and the working list follows."""
    require_oversight(oversight)
    v = get_version(session, number)
    _require(v, ("approved",), "实施", "须先登记本级政府的批准（shenguan catalogue approve）。")
    if v.approved_on and start < v.approved_on:
        raise ValidationError(f"实施日期{start:%Y-%m-%d}早于批准日期{v.approved_on:%Y-%m-%d}。", "date")
    for old in session.scalars(select(CatalogueVersion).where(CatalogueVersion.status.in_(IN_FORCE))):
        old.status = "superseded"
    v.status, v.in_force_from = "in_force", start
    session.flush()
    report = working.sync_items(session, v)
    working.set_working(session, v)
    return report


def mark_filed(session: Session, number: int, on: date, filed_with: str) -> None:
    v = get_version(session, number)
    _require(v, ("in_force",), "登记备案", "只有实施中的清单报上级政府备案。")
    filed_with = (filed_with or "").strip()
    if not filed_with:
        raise ValidationError("请填写备案机关，例如“辽宁省人民政府”。", "filed_with")
    if len(filed_with) > 128:
        raise ValidationError("备案机关名称过长（最多128个字）。", "filed_with")
    _not_future(on, "备案日期")
    if v.approved_on and on < v.approved_on:
        raise ValidationError(f"备案日期{on:%Y-%m-%d}早于批准日期{v.approved_on:%Y-%m-%d}。", "date")
    v.status, v.filed_on, v.filed_with = "filed", on, filed_with
    session.flush()


# -- reading -------------------------------------------------------------------------------------


def summary(v: CatalogueVersion) -> dict:
    return {
        "number": v.number, "title": v.title, "status": v.status, "status_label": STATUS_LABELS[v.status],
        "origin": v.origin, "entries": len(v.entries), "created_at": v.created_at,
        "evaluated_at": v.evaluated_at, "approved_doc_number": v.approved_doc_number,
        "approved_on": v.approved_on, "in_force_from": v.in_force_from, "filed_on": v.filed_on,
        "filed_with": v.filed_with, "published_at": v.published_at,
    }


def list_versions(session: Session) -> list[dict]:
    return [summary(v) for v in session.scalars(select(CatalogueVersion).order_by(CatalogueVersion.number))]


def details(session: Session, number: int) -> dict:
    v = get_version(session, number)
    data = summary(v)
    data["items"] = [{**working.entry_content(e), "level_label": ITEM_LEVELS.get(e.jurisdiction_level, "")}
                     for e in sorted(v.entries, key=lambda e: e.code)]
    data["opinions"] = [{"office_code": o.office_code, "office_name": o.office_name, "agrees": o.agrees,
                         "text": o.text, "recorded_at": o.recorded_at} for o in v.opinions]
    return data
