"""QAbstractTableModel adapters for the 清单与名录 window.

Like :mod:`app.ui.exchange_models`: each model holds the plain rows the services built (dicts
from ``versions.list_versions``, ``pools.row``, ``liaison.row``…, or the dataclasses of
:mod:`app.ui.lists_actions`) and turns them into display strings once, on ``set_rows``.
A row may also carry a style (an expired pool entry in red, a withdrawn one in grey, the
current liaison officer and the version this office works under in bold).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.models.catalogue import ITEM_LEVELS
from app.services.catalogue.diff import FIELD_LABELS
from app.ui.exchange_models import _RowsModel, time_text

EXPIRED_BG, EXPIRED_FG = QColor("#FDECEC"), QColor("#A40000")
INACTIVE_FG = QColor("#808080")
PENDING_BG = QColor("#FFF8E1")


def day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


class _StyledModel(_RowsModel):
    """Rows with an optional style: ``_row_style(item)`` returns "expired", "inactive",
    "bold", "pending" or "" (plain)."""

    def _row_style(self, item: Any) -> str:
        return ""

    _styles: tuple[str, ...] = ()

    def set_rows(self, items) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._cells = [self._row_cells(i) for i in self._items]
        self._styles = tuple(self._row_style(i) for i in self._items)
        self.endResetModel()

    def style(self, row: int) -> str:
        return self._styles[row] if 0 <= row < len(self._styles) else ""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        style = self.style(index.row())
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush({"expired": EXPIRED_BG, "pending": PENDING_BG}[style]) \
                if style in ("expired", "pending") else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush({"expired": EXPIRED_FG, "inactive": INACTIVE_FG}[style]) \
                if style in ("expired", "inactive") else None
        if role == Qt.ItemDataRole.FontRole and style == "bold":
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


class VersionModel(_StyledModel):
    """事项清单的版本: one ``versions.summary`` dict (with ``working``) a row."""

    HEADERS = ("版本", "名称", "状态", "事项数", "批准文号", "批准日期", "实施日期", "备案", "本单位执行")

    def _row_cells(self, r: dict) -> tuple[str, ...]:
        filed = f"{day(r['filed_on'])} {r['filed_with'] or ''}".strip()
        return (f"第 {r['number']} 版", r["title"], r["status_label"], str(r["entries"]),
                r["approved_doc_number"] or "", day(r["approved_on"]), day(r["in_force_from"]), filed,
                "◀ 执行中" if r.get("working") else "")

    def _row_style(self, r: dict) -> str:
        return "bold" if r.get("working") else ("inactive" if r["status"] == "superseded" else "")

    def number(self, row: int) -> int | None:
        r = self.item(row)
        return None if r is None else r["number"]


class EntryModel(_RowsModel):
    """A version's items: one ``versions.details(...)["items"]`` dict a row."""

    HEADERS = ("事项编码", "事项名称", "类别", "主管部门", "层级")

    def _row_cells(self, e: dict) -> tuple[str, ...]:
        return (e["code"], e["name"], e["category"], e["competent_office"]["name"],
                e.get("level_label") or ITEM_LEVELS.get(e["level"], e["level"]))


def filter_entries(entries: list[dict], text: str) -> list[dict]:
    """The items whose code, name, category or competent office contains every word."""
    words = (text or "").lower().split()

    def hay(e: dict) -> str:
        return " ".join((e["code"], e["name"], e["category"], e["competent_office"]["name"],
                         e["competent_office"]["code"])).lower()

    return [e for e in entries if all(w in hay(e) for w in words)]


def diff_rows(d: dict) -> list[tuple[str, str, str, str]]:
    """A ``diff`` result as (change, code, name, what) rows: added, removed, then changed."""
    rows = [("新增", r["code"], r["name"], f"主管部门：{r['competent_office_name']}") for r in d["added"]]
    rows += [("删除", r["code"], r["name"], f"主管部门：{r['competent_office_name']}") for r in d["removed"]]
    for c in d["changed"]:
        parts = []
        for f, (old, new) in c["fields"].items():
            if f == "jurisdiction_level":
                old, new = ITEM_LEVELS.get(old, old), ITEM_LEVELS.get(new, new)
            parts.append(f"{FIELD_LABELS[f]}：{old or '（空）'} → {new or '（空）'}")
        rows.append(("变更", c["code"], c["name"], "；".join(parts)))
    return rows


class DiffModel(_StyledModel):
    HEADERS = ("变化", "事项编码", "事项名称", "内容")

    def _row_cells(self, r: tuple) -> tuple[str, ...]:
        return tuple(r)

    def _row_style(self, r: tuple) -> str:
        return {"删除": "expired", "新增": "bold"}.get(r[0], "pending")


class SheetFieldModel(_StyledModel):
    """The twelve fields of one sheet version (``sheet_dict(...)["fields"]``)."""

    HEADERS = ("项目", "关键要素", "调整", "内容")

    def _row_cells(self, f: dict) -> tuple[str, ...]:
        return (f["label"], "是" if f["key_element"] else "", "待主管部门同意" if f["pending"] else "",
                f["value"].replace("\n", " "))

    def _row_style(self, f: dict) -> str:
        return "pending" if f["pending"] else ""

    def key(self, row: int) -> str | None:
        f = self.item(row)
        return None if f is None else f["key"]


class SheetVersionModel(_RowsModel):
    HEADERS = ("版本", "状态", "制作单位", "起草时间", "移交时间", "说明")

    def _row_cells(self, v: dict) -> tuple[str, ...]:
        return (f"第 {v['version']} 版", v["status_label"], v["prepared_by"], time_text(v["created_at"]),
                time_text(v["handed_over_at"]), v["note"])


class CorrespondenceModel(_StyledModel):
    """征求意见与告知: one ``lists_actions.Correspondence`` a row."""

    HEADERS = ("类别", "事项 / 标题", "发送单位", "接收单位", "状态", "本单位可办理", "时间", "期限")

    def _row_cells(self, c) -> tuple[str, ...]:
        return (c.kind_label, c.title, c.sender, c.addressee, c.status_label,
                "、".join(label for _a, label in c.actions), time_text(c.when), c.due_text)

    def _row_style(self, c) -> str:
        return "pending" if c.actions else ""


EXPERT_COLUMNS = ("姓名", "专业领域", "职称", "工作单位", "资格证书", "联系电话", "推荐单位", "有效期至", "状态")
AGENCY_COLUMNS = ("机构名称", "统一社会信用代码", "服务范围", "资质", "联系人", "联系电话", "推荐单位",
                  "资质有效期至", "状态")


class PoolModel(_StyledModel):
    """专家库 / 中介机构库: one ``pools.row(masked=True)`` dict a row (phones masked, issue 7);
    expired entries in red."""

    def __init__(self, agencies: bool = False, parent=None):
        self.agencies = agencies
        self.HEADERS = AGENCY_COLUMNS if agencies else EXPERT_COLUMNS
        super().__init__(parent)

    def _row_cells(self, r: dict) -> tuple[str, ...]:
        if self.agencies:
            values = (r["name"], r["credit_code"], r["scope"], r["qualification"], r["contact_name"], r["phone"],
                      r["office_name"], day(r["valid_until"]), r["status"])
        else:
            values = (r["name"], r["specialty"], r["title"], r["employer"], r["qualification"], r["phone"],
                      r["office_name"], day(r["valid_until"]), r["status"])
        return tuple(str(v or "") for v in values)

    def _row_style(self, r: dict) -> str:
        if not r["active"]:
            return "inactive"
        return "expired" if r["expired"] else ""


class LiaisonModel(_StyledModel):
    """联络员: one ``liaison.row(masked=True)`` dict a row (phones masked, issue 7); the current
    officer of each office in bold."""

    HEADERS = ("单位", "姓名", "联系电话", "工作职责", "起始日期", "当前联络员")

    def _row_cells(self, r: dict) -> tuple[str, ...]:
        mark = "◀ 当前" if r["current"] else ("" if r["active"] else "已停用")
        return (r["office_name"], r["name"], r["phone"], r["duties"], day(r["since"]), mark)

    def _row_style(self, r: dict) -> str:
        return "bold" if r["current"] else ("" if r["active"] else "inactive")


class ProblemModel(_StyledModel):
    """An Excel import's rejected rows: (Excel row, reason); ``RowProblem`` items."""

    HEADERS = ("Excel 行号", "问题")

    def _row_cells(self, p) -> tuple[str, ...]:
        return (f"第 {p.row} 行", p.reason)

    def _row_style(self, p) -> str:
        return "expired"


class AcceptedModel(_RowsModel):
    """An Excel import's accepted rows: (Excel row, what will be done)."""

    HEADERS = ("Excel 行号", "将导入")

    def _row_cells(self, a: tuple) -> tuple[str, ...]:
        return (f"第 {a[0]} 行", a[1])
