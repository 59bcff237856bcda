"""Excel (.xlsx) import and export of the catalogue entries of a draft version, the expert and
agency pools and the liaison officers. Sheets and the import runner: :mod:`.lists_sheets`.

Every ``import_*`` reads the file, checks each row (also against the database: unknown office,
code already in the draft, credit code...), and returns an :class:`ImportReport`. Nothing is
saved with ``dry_run=True`` (the preview), nor while any row is rejected unless
``skip_bad=True``. Experts are matched on 姓名 + 联系电话, agencies on the credit code and
liaison officers on 单位 + 姓名: a matching row updates, another row adds. See docs/lists.md.
Exports carry phone numbers in full, unlike the lists (issue 7): the file is the data round
trip (export → edit → import), and masked numbers would come back as wrong ones.
"""

from __future__ import annotations

import os
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.models import Agency, Expert, LiaisonOfficer, Office
from app.services import liaison, offices, pools
from app.services.catalogue import versions, working
from app.services.errors import ValidationError, WorkflowError
from app.services.lists_sheets import (
    AGENCIES,
    CATALOGUE,
    EXPERTS,
    LIAISON,
    ImportReport,
    Source,
    run_import,
)
from app.services.spreadsheets import write_xlsx

__all__ = [
    "AGENCIES", "CATALOGUE", "EXPERTS", "LIAISON", "ImportReport", "export_agencies",
    "export_catalogue", "export_experts", "export_liaison", "import_agencies", "import_catalogue",
    "import_experts", "import_liaison",
]


def _office(session: Session, text: str, roles: tuple[str, ...] | None = None) -> Office:
    """A local office by code or by name."""
    value = (text or "").strip()
    office = session.scalar(select(Office).where(Office.code == value))
    if office is None:
        found = list(session.scalars(select(Office).where(Office.name == value).limit(2)))
        if len(found) > 1:
            raise ValidationError(f"有多个名为“{value}”的单位，请填写单位代码", "office")
        office = found[0] if found else None
    if office is None:
        raise ValidationError(f"单位名录中没有“{value}”（请填写单位名称或代码，或先登记该单位）", "office")
    if roles and office.role not in roles:
        raise ValidationError(f"{office.name}（{office.code}）不是行政主管部门或综合行政执法部门，"
                              "不能作为事项的主管部门", "competent")
    return office


# -- catalogue entries (into a draft) --------------------------------------------------------------


def import_catalogue(session: Session, number: int, source: Source, *, dry_run: bool = False,
                     skip_bad: bool = False) -> ImportReport:
    """Add the file's items to draft version ``number`` (WorkflowError if it is not a draft)."""
    v = versions.get_version(session, number)
    if v.status != "draft":
        raise WorkflowError(f"第 {number} 版清单当前为“{versions.STATUS_LABELS[v.status]}”，只有草案可以导入事项；"
                            f"请新建一版草案（shenguan catalogue new --from {number}）。")
    existing = {e.code for e in v.entries}

    def check(r: int, row: dict):
        code = row["code"]
        if not versions._ITEM_CODE.match(code):
            raise ValidationError(f"「事项编码」“{code}”无效：应为1–64位字母、数字、点、连字符或下划线")
        if code in existing:
            raise ValidationError(f"第 {number} 版草案中已有编码为 {code} 的事项")
        office = _office(session, row["competent"], working.LOCAL_ROLES)
        level = row.get("level") or "city"
        return f"新增 {code} {row['name']}", lambda: versions.add_entry(
            session, number, code, row["name"], row.get("category") or "", office.code, level) or True

    return run_import(session, source, CATALOGUE, check, dry_run=dry_run, skip_bad=skip_bad)


def export_catalogue(session: Session, number: int, path: str | os.PathLike) -> int:
    """Write version ``number``'s items; returns how many."""
    v = versions.get_version(session, number)
    rows = [{"code": e.code, "name": e.name, "category": e.category, "competent": e.competent_office_name,
             "level": e.jurisdiction_level} for e in sorted(v.entries, key=lambda e: e.code)]
    write_xlsx(path, CATALOGUE, rows, caption=f"{v.title}（第 {v.number} 版，{versions.STATUS_LABELS[v.status]}）")
    return len(rows)


# -- expert and agency pools -----------------------------------------------------------------------


def _pool_check(session: Session, kind: pools.PoolKind):
    def check(r: int, row: dict):
        values = dict(row)
        active = values.pop("active", None)
        data_keys = {k: v for k, v in values.items() if k in kind.keys}
        pools.clean(session, kind, data_keys)  # raises with the reason
        if kind is pools.AGENCY:
            old = session.scalar(select(Agency).where(Agency.credit_code == values["credit_code"]))
        else:
            same = list(session.scalars(select(Expert).where(
                Expert.name == values["name"], Expert.phone == (values.get("phone") or "")).limit(2)))
            if len(same) > 1:
                raise ValidationError(f"库中有多名姓名、电话都相同的专家“{values['name']}”，请在程序中逐一修改")
            old = same[0] if same else None

        def save() -> bool:
            if old is None:
                entry_id = pools.add(session, kind, data_keys)
                if active is False:
                    pools.deactivate(session, kind, entry_id)
                return True
            pools.update(session, kind, old.id, data_keys, active=active)
            return False

        return f"{'新增' if old is None else '更新'} {values['name']}", save

    return check


def import_experts(session: Session, source: Source, *, dry_run: bool = False,
                   skip_bad: bool = False) -> ImportReport:
    return run_import(session, source, EXPERTS, _pool_check(session, pools.EXPERT),
                      dry_run=dry_run, skip_bad=skip_bad)


def import_agencies(session: Session, source: Source, *, dry_run: bool = False,
                    skip_bad: bool = False) -> ImportReport:
    return run_import(session, source, AGENCIES, _pool_check(session, pools.AGENCY),
                      dry_run=dry_run, skip_bad=skip_bad)


def _export_pool(session: Session, kind: pools.PoolKind, spec, path, include_inactive: bool,
                 caption: str) -> int:
    rows = [{**r, "office": r["office_name"]}
            for r in pools.search(session, kind, include_inactive=include_inactive, masked=False)]
    write_xlsx(path, spec, rows, caption=f"{caption}（{clock.today():%Y年%m月%d日}导出）")
    return len(rows)


def export_experts(session: Session, path: str | os.PathLike, *, include_inactive: bool = False) -> int:
    return _export_pool(session, pools.EXPERT, EXPERTS, path, include_inactive, "专家库")


def export_agencies(session: Session, path: str | os.PathLike, *, include_inactive: bool = False) -> int:
    return _export_pool(session, pools.AGENCY, AGENCIES, path, include_inactive, "中介机构库")


# -- liaison officers --------------------------------------------------------------------------------


def import_liaison(session: Session, source: Source, *, dry_run: bool = False,
                   skip_bad: bool = False) -> ImportReport:
    """Rows with 当前联络员 = 是 become current (one per office in a file)."""
    current_rows: dict = {}  # office id -> row marked current
    touched: set = set()

    def check(r: int, row: dict):
        office = _office(session, row["office"])
        data = liaison.clean(row["name"], row["phone"], row.get("duties") or "")
        active, current = row.get("active"), row.get("current")
        if current and active is False:
            raise ValidationError("已停用的联络员不能是当前联络员")
        if current:
            if office.id in current_rows:
                raise ValidationError(f"与第 {current_rows[office.id]} 行同为{office.name}的当前联络员，"
                                      "每个单位只能有一名当前联络员")
            current_rows[office.id] = r
        old = session.scalar(select(LiaisonOfficer).where(
            LiaisonOfficer.office_id == office.id, LiaisonOfficer.name == data["name"]).limit(1))
        since: date | None = row.get("since")

        def save() -> bool:
            touched.add(office.id)
            lo_id = old.id if old is not None else liaison.add(session, office, data["name"], data["phone"],
                                                               data["duties"], since=since)
            lo = liaison.get(session, lo_id)
            lo.phone, lo.duties = data["phone"], data["duties"]
            if since is not None:
                lo.since = since
            if active is not None:
                lo.active = active
                lo.is_current = lo.is_current and active
            if current:
                liaison.set_current(session, lo.id)
            return old is None

        return f"{'新增' if old is None else '更新'} {office.name} {data['name']}", save

    def finish() -> None:  # every office keeps exactly one current liaison
        session.flush()
        for office_id in touched:
            chosen = offices.current_liaison(session, office_id)
            if chosen is not None and not chosen.is_current:
                liaison.set_current(session, chosen.id)

    return run_import(session, source, LIAISON, check, dry_run=dry_run, skip_bad=skip_bad, finish=finish)


def export_liaison(session: Session, path: str | os.PathLike, *, include_inactive: bool = False) -> int:
    rows = [{**r, "office": r["office_name"]}
            for r in liaison.listing(session, include_inactive=include_inactive, masked=False)]
    write_xlsx(path, LIAISON, rows, caption=f"审管平台信息推送联络员（{clock.today():%Y年%m月%d日}导出）")
    return len(rows)
