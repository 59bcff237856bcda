"""Implementation sheets and push sheets in versions (Art. 8 ¶1).

The competent department of an item prepares a draft of each sheet and hands both over to the
approval bureau (``hand_over``): the draft becomes the version in force and the previous one is
superseded. Afterwards the bureau may change a *non-key* field itself (a new version at once),
but a *key element* only with the department's consent (Art. 8 ¶2, see :mod:`.consent`).

Key elements (:data:`KEY_FIELDS`). Art. 8 ¶2 speaks of 清单所列涉及许可事项关键要素 without
listing them. We take the fields that decide who may obtain the licence, what they must meet
and submit, how long it takes and how it is judged — what the department supervises against
after the push: 实施对象, 办结时限, 实施条件, 申请材料, 特殊环节（含中介服务）, 审查方式及标准.
The other six either belong to the law and the department alone (许可设定依据, 权限内容, 责任事项,
追责情形, 行业规划…) — they change by a policy notice, not by the bureau — or describe the
bureau's own work (办理流程); the bureau changes those without consent.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.models import Dispatch, ImplementationSheet, Office, PushSheet, SheetChange
from app.models.sheets import PUSH_FIELDS, SHEET_FIELDS
from app.services import dispatch as engine
from app.services import locking, offices, rules
from app.services.errors import NotFoundError, ValidationError, WorkflowError
from app.services.sheets.common import item, text

KEY_FIELDS = ("applicants", "time_limit", "conditions", "materials", "special_steps", "review_standard")
FIELD_LIMIT = 10000
STATUS_LABELS = {"draft": "草稿", "handed_over": "已移交（现行）", "superseded": "已被替代"}
PUSH_KEY = "push_fields"  # edit() with this field sets the push sheet's elements
HANDOVER = rules.rule("sheet_handover").kind


def field_key(name: str) -> str:
    """A field by its key (``materials``) or its Chinese label (申请材料)."""
    value = (name or "").strip()
    if value in SHEET_FIELDS or value == PUSH_KEY:
        return value
    for key, label in SHEET_FIELDS.items():
        if value in (label, label.split("（")[0]):
            return key
    if value in ("推送清单", "推送要素"):
        return PUSH_KEY
    known = "、".join(f"{k}（{v}）" for k, v in SHEET_FIELDS.items())
    raise ValidationError(f"实施清单没有“{name}”这一项。可用：{known}；推送清单用 {PUSH_KEY}。", "field")


def push_keys(values: str | list[str]) -> list[str]:
    """Push-sheet elements from keys or labels (a list, or text separated by commas/、)."""
    parts = values if isinstance(values, list) else [
        p for p in str(values or "").replace("，", ",").replace("、", ",").split(",")]
    out = []
    for p in (x.strip() for x in parts):
        if not p:
            continue
        key = p if p in PUSH_FIELDS else next((k for k, v in PUSH_FIELDS.items() if v == p), None)
        if key is None:
            raise ValidationError(f"推送清单没有“{p}”这一信息要素。可用：{'、'.join(PUSH_FIELDS.values())}。",
                                  "push_fields")
        if key not in out:
            out.append(key)
    return [k for k in PUSH_FIELDS if k in out]  # the regulation's order


def _latest(session: Session, model, item_code: str, status: str | None = None):
    stmt = select(model).where(model.item_code == item_code)
    if status:
        stmt = stmt.where(model.status == status)
    return session.scalars(stmt.order_by(model.version.desc())).first()


def current(session: Session, item_code: str) -> ImplementationSheet | None:
    """The version in force (handed over), or None."""
    return _latest(session, ImplementationSheet, item_code, "handed_over")


def current_push(session: Session, item_code: str) -> PushSheet | None:
    return _latest(session, PushSheet, item_code, "handed_over")


def draft(session: Session, item_code: str) -> ImplementationSheet | None:
    return _latest(session, ImplementationSheet, item_code, "draft")


def versions(session: Session, item_code: str) -> list[ImplementationSheet]:
    return list(session.scalars(select(ImplementationSheet).where(ImplementationSheet.item_code == item_code)
                                .order_by(ImplementationSheet.version)))


def get(session: Session, item_code: str, version: int | None = None) -> ImplementationSheet:
    """Version ``version``, else the version in force, else the draft."""
    code = (item_code or "").strip()
    if version is not None:
        sheet = session.scalar(select(ImplementationSheet).where(
            ImplementationSheet.item_code == code, ImplementationSheet.version == version))
        if sheet is None:
            raise NotFoundError(f"事项 {code} 没有第 {version} 版实施清单。")
        return sheet
    sheet = current(session, code) or _latest(session, ImplementationSheet, code)
    if sheet is None:
        raise NotFoundError(f"事项 {code} 还没有实施清单（由主管部门用 shenguan sheets edit 起草）。")
    return sheet


def push_sheet_for(session: Session, sheet: ImplementationSheet) -> PushSheet | None:
    """The push sheet shown with ``sheet``: the draft with a draft, else the one in force."""
    if sheet.status == "draft":
        return _latest(session, PushSheet, sheet.item_code, "draft") or current_push(session, sheet.item_code)
    return current_push(session, sheet.item_code)


def _next_version(session: Session, model, item_code: str) -> int:
    return (session.scalar(select(func.max(model.version)).where(model.item_code == item_code)) or 0) + 1


def _copy(session: Session, base: ImplementationSheet | None, item_code: str, office: Office,
          status: str) -> ImplementationSheet:
    values = {k: getattr(base, k) if base is not None else "" for k in SHEET_FIELDS}
    sheet = ImplementationSheet(id=uuid.uuid4(), item_code=item_code,
                                version=_next_version(session, ImplementationSheet, item_code),
                                prepared_by_office_id=office.id, status=status, created_at=clock.now(), **values)
    session.add(sheet)
    return sheet


def pending_change(session: Session, item_code: str, field: str) -> SheetChange | None:
    return session.scalar(select(SheetChange).where(
        SheetChange.item_code == item_code, SheetChange.field == field, SheetChange.status == "pending"))


def check_not_pending(session: Session, item_code: str, field: str) -> None:
    change = pending_change(session, item_code, field)
    if change is not None:
        raise WorkflowError(
            f"事项 {item_code} 的“{SHEET_FIELDS[field]}”有一项调整正在征求主管部门同意"
            f"（编号 {str(change.id)[:8]}），答复前不能再修改这一项。")


def edit(session: Session, item_code: str, field: str, value: str, *, office: Office):
    """Change one field. The item's competent department edits its draft (made from the version
    in force when there is none); the approval bureau changes a non-key field of the version in
    force (a new version at once). Returns the sheet (or push sheet) changed."""
    it = locking.lock(session, item(session, item_code))  # one draft, one new version at a time
    key = field_key(field)
    if key != PUSH_KEY:
        check_not_pending(session, it.code, key)
        value = text(value, key, SHEET_FIELDS[key], FIELD_LIMIT, required=False, keep_lines=True)
    if office.id == it.competent_office_id:
        if key == PUSH_KEY:
            return _edit_push(session, it.code, value, office)
        sheet = _latest(session, ImplementationSheet, it.code, "draft")
        if sheet is None:
            sheet = _copy(session, current(session, it.code), it.code, office, "draft")
        setattr(sheet, key, value)
        session.flush()
        return sheet
    if office.role != "approval":
        raise WorkflowError(f"{office.name}不是事项 {it.code} 的主管部门，不能修改其实施清单。")
    if key == PUSH_KEY:
        raise WorkflowError("推送清单由主管部门制作并移交，行政审批部门不能自行修改。")
    if key in KEY_FIELDS:
        raise WorkflowError(
            f"“{SHEET_FIELDS[key]}”是关键要素，调整前须征得主管部门同意（第八条第二款）："
            f"请用 shenguan sheets propose {it.code} --field {key} --value … --reason …")
    base = current(session, it.code)
    if base is None:
        raise WorkflowError(f"事项 {it.code} 的实施清单尚未由主管部门移交，不能修改。")
    return replace_field(session, base, key, value, office, note=f"行政审批部门修改“{SHEET_FIELDS[key]}”")


def replace_field(session: Session, base: ImplementationSheet, key: str, value: str, office: Office,
                  note: str = "") -> ImplementationSheet:
    """A new version in force: ``base`` with one field changed; ``base`` is superseded."""
    sheet = _copy(session, base, base.item_code, office, "handed_over")
    setattr(sheet, key, value)
    sheet.handed_over_at, sheet.note = clock.now(), note
    for old in session.scalars(select(ImplementationSheet).where(
            ImplementationSheet.item_code == base.item_code, ImplementationSheet.status == "handed_over",
            ImplementationSheet.id != sheet.id)):
        old.status = "superseded"
    session.flush()
    return sheet


def _edit_push(session: Session, item_code: str, value, office: Office) -> PushSheet:
    keys = push_keys(value)
    if not keys:
        raise ValidationError("推送清单至少应包含一项信息要素。", "push_fields")
    push = _latest(session, PushSheet, item_code, "draft")
    if push is None:
        push = PushSheet(id=uuid.uuid4(), item_code=item_code, version=_next_version(session, PushSheet, item_code),
                         prepared_by_office_id=office.id, status="draft", created_at=clock.now())
        session.add(push)
    push.fields = json.dumps(keys)
    session.flush()
    return push


def handover_bureau(session: Session, department: Office) -> Office | None:
    """The approval bureau a hand-over travels to: None when an approval bureau is a local office
    of this installation (the demo, or the bureau entering a sheet handed over on paper) or the
    roster holds none; else the roster's approval bureau (of the department's jurisdiction when
    there are several)."""
    if any(o.role == "approval" for o in offices.local_offices(session)):
        return None
    found = offices.all_offices(session, "approval")
    if len(found) > 1:
        found = [o for o in found if o.jurisdiction_id == department.jurisdiction_id]
    if len(found) > 1:
        raise ValidationError("名录中有多个行政审批部门，无法确定移交对象，请核对单位名录。", "to")
    return found[0] if found else None


def handover_dispatch(session: Session, item_code: str) -> Dispatch | None:
    """The latest hand-over dispatch of an item (None when handed over locally or on paper)."""
    ids = [s.id for s in session.scalars(select(ImplementationSheet).where(
        ImplementationSheet.item_code == item_code))]
    ids += [p.id for p in session.scalars(select(PushSheet).where(PushSheet.item_code == item_code))]
    if not ids:
        return None
    return session.scalars(select(Dispatch).where(Dispatch.kind == HANDOVER, Dispatch.subject_id.in_(ids))
                           .order_by(Dispatch.created_at.desc(), Dispatch.id)).first()


def handover_text(session: Session, sheet: ImplementationSheet | None, push: PushSheet | None) -> str:
    """What a hand-over did, for the CLI and the GUI: the versions, and where they were sent."""
    parts = [f"实施清单第 {sheet.version} 版" if sheet else "", f"推送清单第 {push.version} 版" if push else ""]
    line = f"已移交{'、'.join(p for p in parts if p)}，现为现行版本。"
    first = sheet if sheet is not None else push
    d = session.scalar(select(Dispatch).where(Dispatch.kind == HANDOVER, Dispatch.subject_id == first.id))
    if d is None:
        return line
    to = session.get(Office, d.addressee_office_id)
    return (line + f"已通过数据交换发送{to.name}（{to.code}），待其确认接收；"
            f"请导出数据包（shenguan bundle export --to {to.code}）送交。")


def acknowledge_handover(session: Session, item_code: str, *, office: Office, operator: str) -> Dispatch:
    """The approval bureau confirms it received the handed-over sheets (确认接收)."""
    it = item(session, item_code)
    d = handover_dispatch(session, it.code)
    if d is None:
        raise WorkflowError(f"事项 {it.code} 没有通过数据交换移交的实施清单。")
    return engine.perform(session, d, "acknowledge", office=office, operator=operator)


def hand_over(session: Session, item_code: str, *, office: Office, operator: str = ""
              ) -> tuple[ImplementationSheet | None, PushSheet | None]:
    """The department hands its drafts over (Art. 8 ¶1): they become the versions in force here.
    When the approval bureau works on another installation, a ``sheet_handover`` dispatch carries
    both sheets to it (the bureau stores them on receipt and confirms with 确认接收)."""
    it = item(session, item_code)
    if office.id != it.competent_office_id:
        raise WorkflowError(f"只有事项 {it.code} 的主管部门可以移交其实施清单和推送清单。")
    sheet = _latest(session, ImplementationSheet, it.code, "draft")
    push = _latest(session, PushSheet, it.code, "draft")
    if sheet is None and push is None:
        raise WorkflowError(f"事项 {it.code} 没有待移交的草稿（先用 shenguan sheets edit 起草）。")
    now = clock.now()
    for model, new in ((ImplementationSheet, sheet), (PushSheet, push)):
        if new is None:
            continue
        if model is ImplementationSheet:
            empty = [SHEET_FIELDS[k] for k in KEY_FIELDS if not getattr(new, k)]
            if empty:
                raise ValidationError(f"实施清单的关键要素未填写：{'、'.join(empty)}。", empty[0])
        for old in session.scalars(select(model).where(model.item_code == it.code,
                                                       model.status == "handed_over")):
            old.status = "superseded"
        top = session.scalar(select(func.max(model.version)).where(model.item_code == it.code))
        if new.version < top:  # versions made meanwhile (a consented change): the draft follows them
            new.version = top + 1
        new.status, new.handed_over_at = "handed_over", now
    session.flush()
    bureau = handover_bureau(session, office)
    if bureau is not None:
        first = sheet if sheet is not None else push
        d = engine.create(session, HANDOVER, sender=office, addressee=bureau, subject_id=first.id,
                          clock_start=clock.today(), operator=operator)
        session.flush()
        engine.perform(session, d, "send", office=office, operator=operator)
    return sheet, push


def sheet_dict(session: Session, sheet: ImplementationSheet) -> dict:
    """A sheet (and the push sheet shown with it) as plain values (``sheets show --json``)."""
    it = item(session, sheet.item_code)
    push = push_sheet_for(session, sheet)
    office = session.get(Office, sheet.prepared_by_office_id)
    return {
        "id": sheet.id, "item_code": sheet.item_code, "item_name": it.name, "version": sheet.version,
        "status": sheet.status, "status_label": STATUS_LABELS[sheet.status],
        "prepared_by": {"code": office.code, "name": office.name},
        "created_at": sheet.created_at, "handed_over_at": sheet.handed_over_at, "note": sheet.note,
        "handover": _handover_dict(session, sheet),
        "fields": [{"key": k, "label": label, "value": getattr(sheet, k), "key_element": k in KEY_FIELDS,
                    "pending": pending_change(session, sheet.item_code, k) is not None}
                   for k, label in SHEET_FIELDS.items()],
        "push_sheet": None if push is None else {
            "version": push.version, "status": push.status, "status_label": STATUS_LABELS[push.status],
            "fields": [{"key": k, "label": label, "pushed": k in json.loads(push.fields)}
                       for k, label in PUSH_FIELDS.items()]},
    }


def _handover_dict(session: Session, sheet: ImplementationSheet) -> dict | None:
    """The hand-over dispatch of this version (sent through the exchange), or None."""
    d = session.scalars(select(Dispatch).where(Dispatch.kind == HANDOVER, Dispatch.subject_id == sheet.id)
                        .order_by(Dispatch.created_at.desc())).first()
    if d is None:
        return None
    to, by = session.get(Office, d.addressee_office_id), session.get(Office, d.sender_office_id)
    return {"dispatch_id": d.id, "status": d.status, "status_label": rules.rule(HANDOVER).status_label(d.status),
            "from": by.name, "to": to.name, "sent_at": d.sent_at}
