"""The sheets of the lists kept in Excel (catalogue entries, experts, agencies, liaison
officers) and the import runner shared by :mod:`app.services.lists_xlsx`.

Import is two steps for the clerk: a preview (``dry_run=True``) lists every accepted row and
every rejected row with its Excel row number and reason; then 导入 saves. Nothing is saved
while any row is rejected, unless the caller passes ``skip_bad=True`` (save the accepted rows
only). See docs/lists.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.models.catalogue import ITEM_LEVELS
from app.services import pools
from app.services.errors import ShenGuanError
from app.services.spreadsheets import (
    Column,
    ReadReport,
    RowProblem,
    SheetSpec,
    choice,
    date_cell,
    phone,
    read_xlsx,
)

__all__ = [
    "AGENCIES", "CATALOGUE", "EXPERTS", "LIAISON", "ImportReport", "run_import",
]

Source = str | os.PathLike | bytes


def _credit(value: object) -> str:
    try:
        return pools.credit_code(value)
    except ShenGuanError as e:
        raise ValueError(e.message.removeprefix("统一社会信用代码")) from None


_STATUS = choice({"在库": True, "有效": True, "正常": True, "已停用": False, "停用": False,
                  "已移出": False})
_ON_DUTY = choice({"在岗": True, "有效": True, "正常": True, "已停用": False, "停用": False,
                   "离岗": False})
_YES_NO = choice({"是": True, "否": False, "√": True, "当前": True})
_LEVELS = choice({**{label: code for code, label in ITEM_LEVELS.items()}, "县区": "county",
                  "自贸区营口片区": "ftz", **{code: code for code in ITEM_LEVELS}})
_OFFICE_ALIASES = ("推荐部门", "推荐单位（部门）", "行业主管部门")

CATALOGUE = SheetSpec("事项清单", (
    Column("code", "事项编码", aliases=("编码", "事项代码", "事项编号"), required=True, max_length=64,
           width=14),
    Column("name", "事项名称", aliases=("许可事项名称", "名称"), required=True, max_length=256, width=40),
    Column("category", "事项类别", aliases=("类别", "事项类型"), max_length=64, width=12),
    Column("competent", "主管部门", aliases=("行政主管部门", "主管部门代码", "主管单位"), required=True,
           max_length=128, width=28),
    Column("level", "层级", aliases=("实施层级", "行使层级", "管理层级"), parse=_LEVELS, width=12),
), unique=("code",))

EXPERTS = SheetSpec("专家库", (
    Column("name", "姓名", aliases=("专家姓名",), required=True, max_length=64, width=10),
    Column("specialty", "专业领域", aliases=("专业", "专业方向", "擅长领域"), max_length=128, width=20),
    Column("title", "职称", aliases=("技术职称",), max_length=64, width=12),
    Column("employer", "工作单位", aliases=("单位", "所在单位"), max_length=128, width=28),
    Column("qualification", "资格证书", aliases=("资格", "执业资格", "资格/证书"), max_length=128, width=18),
    Column("certificate_number", "证书编号", aliases=("资格证书编号",), max_length=64, width=18),
    Column("phone", "联系电话", aliases=("电话", "手机", "联系方式"), parse=phone, width=16),
    Column("office", "推荐单位", aliases=_OFFICE_ALIASES, max_length=128, width=26),
    Column("valid_from", "有效期起", aliases=("入库日期", "有效期开始"), parse=date_cell, width=12),
    Column("valid_until", "有效期至", aliases=("有效期截止", "到期日期", "有效期"), parse=date_cell,
           width=12),
    Column("active", "状态", parse=_STATUS, width=8),
    Column("note", "备注", max_length=1000, width=20),
), unique=("name", "phone"))

AGENCIES = SheetSpec("中介机构库", (
    Column("name", "机构名称", aliases=("中介机构名称", "名称", "单位名称"), required=True, max_length=128,
           width=30),
    Column("credit_code", "统一社会信用代码", aliases=("信用代码", "社会信用代码"), required=True,
           parse=_credit, width=22),
    Column("scope", "服务范围", aliases=("业务范围", "服务事项"), max_length=512, width=30),
    Column("qualification", "资质", aliases=("资质等级", "资质类别", "资质名称"), max_length=128, width=18),
    Column("certificate_number", "资质证书编号", aliases=("证书编号",), max_length=64, width=18),
    Column("valid_until", "资质有效期至", aliases=("有效期至", "有效期", "到期日期"), parse=date_cell,
           width=12),
    Column("contact_name", "联系人", aliases=("联系人姓名",), max_length=64, width=10),
    Column("phone", "联系电话", aliases=("电话", "联系人电话", "手机"), parse=phone, width=16),
    Column("office", "推荐单位", aliases=_OFFICE_ALIASES, max_length=128, width=26),
    Column("active", "状态", parse=_STATUS, width=8),
    Column("note", "备注", max_length=1000, width=20),
), unique=("credit_code",))

LIAISON = SheetSpec("联络员", (
    Column("office", "单位", aliases=("所在单位", "单位名称", "单位代码", "部门"), required=True,
           max_length=128, width=28),
    Column("name", "姓名", aliases=("联络员", "联络员姓名"), required=True, max_length=64, width=10),
    Column("phone", "联系电话", aliases=("电话", "手机"), required=True, parse=phone, width=16),
    Column("duties", "工作职责", aliases=("职责", "负责工作"), max_length=256, width=36),
    Column("current", "当前联络员", aliases=("是否当前联络员", "当前"), parse=_YES_NO, width=10),
    Column("since", "起始日期", aliases=("任职日期", "担任日期"), parse=date_cell, width=12),
    Column("active", "状态", parse=_ON_DUTY, width=8),
), unique=("office", "name"))


@dataclass
class ImportReport:
    """What an import found and did. ``accepted`` rows are (Excel row, "新增 张三"…)."""

    list_name: str
    sheet: str
    header_row: int
    accepted: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    saved: bool = False
    added: int = 0
    updated: int = 0

    @property
    def clean(self) -> bool:
        return not self.rejected


# A check turns one parsed row into (description, saver) or raises ShenGuanError/ValueError with
# the reason; savers run only once every row was checked (and only if saving was decided).
Check = Callable[[int, dict], tuple[str, Callable[[], bool]]]


def run_import(session: Session, source: Source, spec: SheetSpec, check: Check, *,
               dry_run: bool = False, skip_bad: bool = False, finish: Callable[[], None] | None = None,
               ) -> ImportReport:
    """Read, check every row, then save all (or, with ``skip_bad``, the accepted rows).
    A saver returns True for a new record, False for an update."""
    read: ReadReport = read_xlsx(source, spec)
    report = ImportReport(spec.title, read.sheet, read.header_row, rejected=list(read.rejected),
                          ignored_columns=list(read.ignored_columns))
    savers = []
    for r, values in read.rows:
        try:
            what, saver = check(r, values)
        except (ShenGuanError, ValueError) as e:
            report.rejected.append(RowProblem(r, getattr(e, "message", None) or str(e)))
            continue
        report.accepted.append((r, what))
        savers.append(saver)
    report.rejected.sort(key=lambda p: p.row)
    if dry_run or not savers or (report.rejected and not skip_bad):
        return report
    from app.services import backups

    backups.auto(session, "before-xlsx")
    for saver in savers:
        if saver():
            report.added += 1
        else:
            report.updated += 1
    if finish is not None:
        finish()
    session.flush()
    report.saved = True
    return report
