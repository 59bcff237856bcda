"""The 清单与名录 window's actions: plain functions over the workspace (sessions, acting office).

Each write opens one session, calls the service, and commits; a ShenGuanError propagates
with the service's own Chinese message (the window shows it). Reads return plain values.
Which buttons a tab enables is decided here from the record's status and the office's role;
the services still refuse anything illegal.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.models import Dispatch, LicensingItem, Office
from app.services import items as items_service
from app.services import liaison, lists_xlsx, pools, rules
from app.services.catalogue import diff as diff_service
from app.services.catalogue import publish as publish_service
from app.services.catalogue import versions, working
from app.services.exchange.files import atomic_write, read_limited
from app.services.sheets import consent, letters, notices, sheets
from app.services.sheets.common import dispatch_of, limits_text
from app.ui.workspace import Workspace

# Catalogue steps: the version statuses in which the oversight office may take them.
STEP_STATUSES = {
    "edit": ("draft",), "opinion": ("draft",), "evaluate": ("draft",), "import_xlsx": ("draft",),
    "approve": ("evaluated",), "enforce": ("approved",), "file": ("in_force",),
    "publish": versions.IN_FORCE,
}
XLSX_LISTS = {"catalogue": "事项清单", "experts": "专家库", "agencies": "中介机构库", "liaison": "联络员"}


def role(ws: Workspace) -> str:
    return ws.office.role if ws.office else ""


def write(ws: Workspace, fn: Callable[[Any, Office | None], Any]) -> Any:
    """``fn(session, acting office)`` in one session, committed when it returns."""
    with ws.session() as s:
        value = fn(s, ws.acting_office(s))
        s.commit()
    return value


def read(ws: Workspace, fn: Callable[[Any, Office | None], Any]) -> Any:
    with ws.session() as s:
        return fn(s, ws.acting_office(s))


def offices(ws: Workspace, roles: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, name) of the roster's offices with one of ``roles``, by code."""
    with ws.session() as s:
        return [(o.code, o.name) for o in s.scalars(
            select(Office).where(Office.role.in_(roles)).order_by(Office.code))]


# -- catalogue ---------------------------------------------------------------------------------


def step_allowed(step: str, status: str | None, office_role: str) -> bool:
    return office_role == "oversight" and status in STEP_STATUSES[step]


def catalogue_versions(ws: Workspace) -> tuple[list[dict], int]:
    """Every version (with ``working`` set on the one this office works under) and its number."""
    with ws.session() as s:
        current = working.working_number(s)
        rows = [{**r, "working": r["number"] == current} for r in versions.list_versions(s)]
    return rows, current


def version_details(ws: Workspace, number: int) -> dict:
    return read(ws, lambda s, _o: versions.details(s, number))


def new_draft(ws: Workspace, title: str, source: int | str | None) -> int:
    return write(ws, lambda s, o: versions.create_draft(s, o, title, source))


def catalogue_diff(ws: Workspace, a: int, b: int) -> dict:
    return read(ws, lambda s, _o: diff_service.diff(s, a, b))


def publish_to(ws: Workspace, number: int, path: Path) -> Path:
    def fn(s, o):
        atomic_write(Path(path), publish_service.publish(s, o, number))
        return Path(path)

    return write(ws, fn)


def import_catalogue_file(ws: Workspace, path: Path) -> publish_service.CatalogueImport:
    data = read_limited(Path(path), publish_service.MAX_BYTES, publish_service.WHAT)
    return write(ws, lambda s, _o: publish_service.import_catalogue(s, data))


def sync_text(r: working.SyncReport) -> str:
    text = (f"本机事项清单：新增 {len(r.added)}，更新 {len(r.updated)}，停用 {len(r.deactivated)}，"
            f"恢复 {len(r.reactivated)}。")
    if r.deactivated:
        text += f"\n已停用（不再列入清单，已有审批结果保留）：{'、'.join(r.deactivated)}"
    return text


# -- implementation sheets ---------------------------------------------------------------------


@dataclass(frozen=True)
class SheetView:
    item_code: str
    sheet: dict | None  # sheets.sheet_dict of the version shown, None: no sheet yet
    versions: list[dict]  # version, status_label, prepared_by, created_at, handed_over_at, note
    competent: bool  # this office is the item's competent department
    approval: bool  # this office is the approval bureau
    has_draft: bool
    has_current: bool


def sheet_items(ws: Workspace) -> list[items_service.ItemChoice]:
    return read(ws, lambda s, _o: items_service.active_items(s))


def sheet_view(ws: Workspace, item_code: str, version: int | None = None) -> SheetView:
    def fn(s, office):
        it = s.scalar(select(LicensingItem).where(LicensingItem.code == item_code))
        found = sheets.versions(s, item_code)
        names = {o.id: o.name for o in s.scalars(select(Office))}
        rows = [{"version": v.version, "status_label": sheets.STATUS_LABELS[v.status],
                 "prepared_by": names.get(v.prepared_by_office_id, ""), "created_at": v.created_at,
                 "handed_over_at": v.handed_over_at, "note": v.note or ""} for v in reversed(found)]
        data = sheets.sheet_dict(s, sheets.get(s, item_code, version)) if found else None
        return SheetView(item_code, data, rows,
                         bool(office and it and office.id == it.competent_office_id),
                         bool(office and office.role == "approval"),
                         sheets.draft(s, item_code) is not None, sheets.current(s, item_code) is not None)

    return read(ws, fn)


def edit_sheet(ws: Workspace, item_code: str, field: str, value: str) -> None:
    write(ws, lambda s, o: sheets.edit(s, item_code, field, value, office=o))


def hand_over(ws: Workspace, item_code: str) -> str:
    """Hand the drafts over; the message to show (where they were sent, if through the exchange)."""
    return write(ws, lambda s, o: sheets.handover_text(
        s, *sheets.hand_over(s, item_code, office=o, operator=ws.operator)))


def propose(ws: Workspace, item_code: str, field: str, value: str, reason: str) -> None:
    write(ws, lambda s, o: consent.propose(s, item_code, field, value, reason, office=o,
                                           operator=ws.operator))


def sheet_pdf(ws: Workspace, item_code: str, version: int | None):
    from app.services.forms import sheetform
    from app.services.forms.fonts import font_set_from_settings

    with ws.session() as s:
        return sheetform.render_sheet(s, item_code, version, fonts=font_set_from_settings(s))


# -- consent requests, policy notices, pool letters ---------------------------------------------


@dataclass(frozen=True)
class Correspondence:
    kind: str  # consent / notice / opinion_request / letter
    kind_label: str
    subject_id: uuid.UUID
    title: str
    sender: str
    addressee: str
    status_label: str
    due_text: str
    when: datetime | None
    detail: str
    actions: tuple[tuple[str, str], ...]  # (action, label) this office may take now
    dispatch_kind: str = ""  # the rules table's kind and the dispatch's status: which role a
    dispatch_status: str = ""  # step needs (Workspace.step_refusal)


def _actions(d: Dispatch | None, office: Office | None) -> tuple:
    """The ``actions``, ``dispatch_kind`` and ``dispatch_status`` of a row over ``d``."""
    if d is None or office is None:
        return (), "", ""
    rule = rules.rule(d.kind)
    return tuple((t.action, t.label) for t in rule.actions_from(d.status) if t.action != "send"
                 and office.id == (d.sender_office_id if t.actor == rules.SENDER else d.addressee_office_id)
                 ), d.kind, d.status


def correspondence(ws: Workspace) -> list[Correspondence]:
    def fn(s, office):
        names = {o.id: o.name for o in s.scalars(select(Office))}

        def dispatch(did):
            return s.get(Dispatch, did) if did else None

        def parties(d):
            return (names.get(d.sender_office_id, ""), names.get(d.addressee_office_id, "")) if d else ("", "")

        out = []
        for c in consent.list_changes(s):
            d = dispatch(c["dispatch_id"])
            due = limits_text(consent.KIND)
            if c["status"] == "refused":
                due = f"不同意理由：{c['refusal_reason']}"
            out.append(Correspondence(
                "consent", "关键要素调整征求同意", c["id"], f"{c['item_code']} {c['field_label']}", *parties(d),
                c["status_label"], due, c["proposed_at"],
                f"原内容：{c['old_value']}\n拟调整为：{c['new_value']}\n理由：{c['reason']}", *_actions(d, office)))
        for p in notices.list_policies(s):
            d = dispatch_of(s, p["id"], notices.KINDS[p["kind"]])
            due = p["limits"]
            if p["reply_wanted_by"]:
                due = f"希望 {p['reply_wanted_by']:%Y-%m-%d} 前反馈；" + due
            detail = p["content"] + (f"\n反馈意见：{p['reply_text']}" if p["reply_text"] else "")
            out.append(Correspondence(p["kind"], p["kind_label"], p["id"], p["title"], *parties(d),
                                      p["status_label"], due, p["created_at"], detail, *_actions(d, office)))
        for lt in letters.list_letters(s):
            d = dispatch_of(s, lt["id"], letters.KIND)
            out.append(Correspondence(
                "letter", "专家和中介机构调整函告", lt["id"], f"专家 {lt['experts']} 条，中介机构 {lt['agencies']} 条",
                *parties(d), lt["status_label"], lt["limits"], lt["created_at"],
                f"函告日期：{lt['letter_date']:%Y-%m-%d}", *_actions(d, office)))
        out.sort(key=lambda r: r.when or datetime.min, reverse=True)
        return out

    return read(ws, fn)


def answer(ws: Workspace, row: Correspondence, action: str, text: str = "") -> None:
    """Take ``action`` (consent/refuse/acknowledge/reply) on a row's dispatch."""
    def fn(s, o):
        op = ws.operator
        if row.kind == "consent":
            change = consent.get(s, str(row.subject_id))
            return consent.answer(s, change, action == "consent", office=o, operator=op, reason=text)
        if row.kind == "letter":
            return letters.acknowledge(s, letters.get(s, str(row.subject_id)), office=o, operator=op)
        pc = notices.get(s, str(row.subject_id))
        if action == "reply":
            return notices.reply(s, pc, text, office=o, operator=op)
        return notices.acknowledge(s, pc, office=o, operator=op)

    write(ws, fn)


def send_policy(ws: Workspace, kind: str, title: str, content: str, basis: str,
                effective_on: date | None, reply_wanted_by: date | None) -> None:
    write(ws, lambda s, o: notices.send(s, kind, office=o, operator=ws.operator, title=title, content=content,
                                        basis=basis, effective_on=effective_on,
                                        reply_wanted_by=reply_wanted_by))


# -- pools and liaison officers -----------------------------------------------------------------


def pool_rows(ws: Workspace, kind: pools.PoolKind, text: str = "", office: str | None = None,
              expiring_days: int | None = None, include_inactive: bool = False) -> list[dict]:
    def fn(s, _o):
        if expiring_days is None:
            return pools.search(s, kind, text, office=office, include_inactive=include_inactive)
        rows = pools.expiring(s, kind, expiring_days)
        keep = {r["id"] for r in pools.search(s, kind, text, office=office)}
        return [r for r in rows if r["id"] in keep]

    return read(ws, fn)


def liaison_rows(ws: Workspace, office: str | None = None, include_inactive: bool = False) -> list[dict]:
    return read(ws, lambda s, _o: liaison.listing(s, office, include_inactive=include_inactive))


# The lists mask phones (issue 7); an edit form shows the record it edits in full.
def pool_entry(ws: Workspace, kind: pools.PoolKind, entry_id) -> dict:
    return read(ws, lambda s, _o: pools.row(pools.get(s, kind, entry_id)))


def liaison_entry(ws: Workspace, liaison_id) -> dict:
    return read(ws, lambda s, _o: liaison.row(liaison.get(s, liaison_id)))


# -- Excel ----------------------------------------------------------------------------------------


def import_xlsx(ws: Workspace, which: str, path: Path, *, number: int | None = None, dry_run: bool,
                skip_bad: bool = False) -> lists_xlsx.ImportReport:
    """Preview (``dry_run``) or save one list from an .xlsx file; committed only when saved."""
    with ws.session() as s:
        options = {"dry_run": dry_run, "skip_bad": skip_bad}
        if which == "catalogue":
            report = lists_xlsx.import_catalogue(s, number, Path(path), **options)
        else:
            report = getattr(lists_xlsx, f"import_{which}")(s, Path(path), **options)
        if report.saved:
            s.commit()
        else:
            s.rollback()
    return report


def export_xlsx(ws: Workspace, which: str, path: Path, number: int | None = None) -> int:
    with ws.session() as s:
        if which == "catalogue":
            return lists_xlsx.export_catalogue(s, number, Path(path))
        return getattr(lists_xlsx, f"export_{which}")(s, Path(path))
