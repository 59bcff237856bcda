"""A competent department's update letter to the expert and agency pools (Art. 11).

The letter is a plain dict (it travels as a ``pool_update`` dispatch)::

    {"office": "YK-ZJJ",
     "experts": [{"action": "add", "name": "张三", "specialty": "建筑结构", "phone": "13904170001",
                  "valid_until": "2028-12-31"},
                 {"action": "update", "name": "李四", "phone": "13904170002"},
                 {"action": "remove", "id": "…uuid…", "note": "已退休"}],
     "agencies": [{"action": "add", "credit_code": "91210800…", "name": "…", "scope": "…"},
                  {"action": "remove", "credit_code": "91210800…"}]}

An expert is named by ``id``, or by ``name`` among the experts the office recommended; an agency
by ``credit_code``. A department changes only what it recommended. The letter is applied whole
or not at all: every problem is reported with the entry it is in (see docs/lists.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Agency, Expert, Office
from app.services import pools
from app.services.errors import ShenGuanError, ValidationError

__all__ = ["ACTIONS", "LetterError", "apply_update"]

ACTIONS = {"add": "新增", "update": "修改", "remove": "移出"}
MAX_ENTRIES = 5000


class LetterError(ValidationError):
    """The letter was refused; ``problems`` lists every reason, each naming its entry."""

    def __init__(self, problems: list[str]):
        shown = "；".join(problems[:20]) + ("；……" if len(problems) > 20 else "")
        super().__init__(f"函告有 {len(problems)} 处问题，未作任何更改：{shown}", "letter")
        self.problems = problems


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise ValidationError(f"id“{value}”不是有效的编号", "id") from None


def _sender(session: Session, letter: object) -> Office:
    if not isinstance(letter, Mapping):
        raise LetterError(["函告内容应为一个对象（office、experts、agencies）"])
    unknown = sorted(set(letter) - {"office", "experts", "agencies"})
    if unknown:
        raise LetterError([f"函告中有未知项：{'、'.join(map(str, unknown))}"])
    try:
        return pools.resolve_office(session, str(letter.get("office") or ""))
    except ValidationError as e:
        raise LetterError([f"函告单位：{e.message}"]) from None


def _target(session: Session, kind: pools.PoolKind, office: Office, entry: Mapping):
    """The existing entry an update/remove names, checked to be the office's own."""
    if kind is pools.AGENCY:
        found = session.scalar(select(Agency).where(
            Agency.credit_code == pools.credit_code(entry.get("credit_code"))))
        if found is None:
            raise ValidationError(f"中介机构库中没有统一社会信用代码为 {entry.get('credit_code')} 的机构", "credit_code")
    elif entry.get("id"):
        found = pools.get(session, kind, _uuid(entry["id"]))
    else:
        name = " ".join(str(entry.get("name") or "").split())
        if not name:
            raise ValidationError("请写明专家的 id 或姓名", "name")
        same = list(session.scalars(select(Expert).where(
            Expert.name == name, Expert.recommending_office_id == office.id).limit(2)))
        if not same:
            raise ValidationError(f"本单位推荐的专家中没有“{name}”", "name")
        if len(same) > 1:
            raise ValidationError(f"本单位推荐的专家中有多名“{name}”，请写明 id", "name")
        found = same[0]
    if found.recommending_office_id != office.id:
        raise ValidationError(f"{found.name} 不是本单位推荐的，不能修改或移出", "office")
    return found


def _check(session: Session, kind: pools.PoolKind, office: Office, entry: object, seen: set):
    """One entry, checked without changing anything: (action, target or None, values)."""
    if not isinstance(entry, Mapping):
        raise ValidationError("每一条应为一个对象", "entry")
    action = entry.get("action")
    if action not in ACTIONS:
        raise ValidationError(f"action 应为 add、update 或 remove，不是“{action}”", "action")
    values = {k: v for k, v in entry.items() if k not in ("action", "id")}
    if "office" in values:
        raise ValidationError("推荐单位就是函告单位，条目中不能另写 office", "office")
    if action == "add":
        data = pools.clean(session, kind, {**values, "office": office.code})
        entry_id = _uuid(entry["id"]) if entry.get("id") else None
        key = data.get("credit_code") or entry_id or (data["name"], data.get("phone", ""))
        target = None
        if kind is pools.EXPERT and session.scalar(select(Expert.id).where(
                Expert.name == data["name"], Expert.phone == data.get("phone", ""), Expert.active.is_(True))):
            raise ValidationError(f"专家库中已有 {data['name']}（{data.get('phone') or '无电话'}），请用 update",
                                  "name")
        if kind is pools.AGENCY and session.scalar(select(Agency.id).where(Agency.credit_code == key)):
            raise ValidationError(f"中介机构库中已有统一社会信用代码为 {key} 的机构，请用 update", "credit_code")
        if entry_id is not None and session.get(kind.model, entry_id) is not None:
            raise ValidationError(f"编号 {entry_id} 已在库中，请用 update", "id")
    else:
        target = _target(session, kind, office, entry)
        key = target.id
        if kind is pools.EXPERT and not entry.get("id"):
            values.pop("name", None)  # the name named the expert; with an id it may be changed
        if kind is pools.AGENCY:
            values.pop("credit_code", None)
        if action == "remove":
            values = {k: v for k, v in values.items() if k == "note"}
        pools.clean(session, kind, values, partial=True)
    if key in seen:
        raise ValidationError("同一函告中重复出现", "entry")
    seen.add(key)
    return action, target, values, entry.get("id")


def apply_update(session: Session, letter: Mapping) -> dict:
    """Apply a department's update letter whole; raises :class:`LetterError` listing every
    problem (nothing applied). Returns counts per pool: ``{"experts": {"add": n, ...}, ...}``."""
    office = _sender(session, letter)
    plans, problems = [], []
    total = 0
    for part, kind in (("experts", pools.EXPERT), ("agencies", pools.AGENCY)):
        entries = letter.get(part) or []
        if not isinstance(entries, list):
            problems.append(f"{part} 应为列表")
            continue
        total += len(entries)
        seen: set = set()
        for i, entry in enumerate(entries, start=1):
            try:
                plans.append((kind, _check(session, kind, office, entry, seen)))
            except (ShenGuanError, ValueError) as e:
                name = entry.get("name") or entry.get("credit_code") if isinstance(entry, Mapping) else None
                who = f"（{name}）" if name else ""
                problems.append(f"{kind.label}第 {i} 条{who}：{getattr(e, 'message', e)}")
    if total == 0:
        problems.append("函告中没有任何专家或中介机构")
    if total > MAX_ENTRIES:
        problems.append(f"一件函告最多 {MAX_ENTRIES} 条")
    if problems:
        raise LetterError(problems)
    counts = {part: dict.fromkeys(ACTIONS, 0) for part in ("experts", "agencies")}
    for kind, (action, target, values, entry_id) in plans:
        if action == "add":
            pools.add(session, kind, {**values, "office": office.code},
                      entry_id=_uuid(entry_id) if entry_id else None)
        elif action == "update":
            pools.update(session, kind, target.id, values)
        else:
            pools.deactivate(session, kind, target.id, values.get("note"))
        counts["experts" if kind is pools.EXPERT else "agencies"][action] += 1
    return counts
