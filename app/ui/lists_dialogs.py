"""Form dialogs of the 事项清单 tab (FormDialog: a refusal of the service is shown in place) and
the version comparison window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.catalogue import ITEM_LEVELS
from app.services.errors import ShenGuanError
from app.ui.dialogs.base import FormDialog, combo_data, date_edit, qdate_value
from app.ui.lists_models import DiffModel, diff_rows


def office_combo(offices: list[tuple[str, str]], current: str = "", empty: str = "") -> QComboBox:
    """A combo of (code, name) offices; ``empty`` adds a first entry with data ``""``."""
    box = QComboBox()
    if empty:
        box.addItem(empty, "")
    for code, name in offices:
        box.addItem(f"{name}（{code}）", code)
    if current:
        i = box.findData(current)
        box.setCurrentIndex(max(i, 0))
    return box


class NewDraftDialog(FormDialog):
    def __init__(self, numbers: list[int], parent: QWidget | None = None):
        super().__init__("新建清单草案", parent, ok_text="新建",
                         intro="草案可以修改事项；评估论证、政府批准后实施。")
        self.title = self.add_field("title", "清单名称：", QLineEdit())
        self.title.setPlaceholderText("例如：营口市相对集中行政许可事项清单（2027年版）")
        self.source = self.add_field("from", "事项来源：", QComboBox())
        self.source.addItem("空草案", None)
        self.source.addItem("复制本机当前事项清单", "items")
        for n in sorted(numbers, reverse=True):
            self.source.addItem(f"复制第 {n} 版清单", n)
        if numbers:
            self.source.setCurrentIndex(2)
        self.setMinimumWidth(560)

    def values(self) -> dict:
        return {"title": self.title.text(), "source": combo_data(self.source)}


class EntryDialog(FormDialog):
    """添加 / 修改 a draft's item."""

    def __init__(self, competents: list[tuple[str, str]], entry: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__("修改事项" if entry else "添加事项", parent, ok_text="保存")
        e = entry or {}
        self.code = self.add_field("code", "事项编码：", QLineEdit(e.get("code", "")))
        self.code.setPlaceholderText("例如 ZJ-001")
        self.code.setReadOnly(bool(entry))
        self.name = self.add_field("name", "事项名称：", QLineEdit(e.get("name", "")))
        self.category = self.add_field("category", "事项类别：", QLineEdit(e.get("category", "行政许可")))
        current = (e.get("competent_office") or {}).get("code", "")
        self.competent = self.add_field("competent", "主管部门：", office_combo(competents, current))
        self.level = self.add_field("level", "层级：", QComboBox())
        for code, label in ITEM_LEVELS.items():
            self.level.addItem(label, code)
        self.level.setCurrentIndex(max(self.level.findData(e.get("level", "city")), 0))
        self.setMinimumWidth(560)

    def values(self) -> dict:
        return {"code": self.code.text(), "name": self.name.text(), "category": self.category.text(),
                "competent": combo_data(self.competent) or "", "level": combo_data(self.level)}


class OpinionDialog(FormDialog):
    def __init__(self, number: int, offices: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(f"记录对第 {number} 版草案的意见", parent, ok_text="记录",
                         intro="评估论证须有行政审批部门的意见；主管部门的意见提出后也在此记录。"
                               "同一单位再次记录将替换原意见。")
        self.office = self.add_field("office", "提出意见的单位：", office_combo(offices))
        self.agrees = self.add_field("agrees", "意见：", QComboBox())
        self.agrees.addItem("同意", True)
        self.agrees.addItem("不同意（须写明理由）", False)
        self.text = self.add_field("text", "意见内容：", QPlainTextEdit())
        self.text.setFixedHeight(100)
        self.setMinimumWidth(560)

    def values(self) -> dict:
        return {"office": combo_data(self.office) or "", "agrees": bool(combo_data(self.agrees)),
                "text": self.text.toPlainText()}


class ApproveDialog(FormDialog):
    def __init__(self, number: int, parent: QWidget | None = None):
        super().__init__(f"登记第 {number} 版清单经本级政府批准", parent, ok_text="登记")
        self.doc = self.add_field("doc_number", "批准文号：", QLineEdit())
        self.doc.setPlaceholderText("例如 营政发〔2026〕12号")
        self.on = self.add_field("date", "批准日期：", date_edit())

    def values(self) -> dict:
        return {"doc_number": self.doc.text(), "on": qdate_value(self.on)}


class EnforceDialog(FormDialog):
    def __init__(self, number: int, parent: QWidget | None = None):
        super().__init__(f"第 {number} 版清单实施", parent, ok_text="实施",
                         intro="实施后原实施版本被替代，本机事项清单随之更新（不再列入的事项停用，"
                               "已有审批结果保留）。")
        self.start = self.add_field("date", "实施日期：", date_edit())

    def values(self) -> dict:
        return {"start": qdate_value(self.start)}


class FileDialog(FormDialog):
    def __init__(self, number: int, parent: QWidget | None = None):
        super().__init__(f"登记第 {number} 版清单报上级政府备案", parent, ok_text="登记")
        self.on = self.add_field("date", "备案日期：", date_edit())
        self.filed_with = self.add_field("filed_with", "备案机关：", QLineEdit("辽宁省人民政府"))

    def values(self) -> dict:
        return {"on": qdate_value(self.on), "filed_with": self.filed_with.text()}


class DiffDialog(QDialog):
    """比较两个版本: added / removed / changed fields old → new (recomputed on each choice)."""

    def __init__(self, numbers: list[int], compute: Callable[[int, int], dict], a: int | None = None,
                 b: int | None = None, parent: QWidget | None = None):
        from app.ui.lists_xlsx_dialog import table

        super().__init__(parent)
        self.compute = compute
        self.setWindowTitle("比较清单版本")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.a, self.b = QComboBox(objectName="fromVersion"), QComboBox(objectName="toVersion")
        for box in (self.a, self.b):
            for n in numbers:
                box.addItem(f"第 {n} 版", n)
        self.a.setCurrentIndex(max(self.a.findData(a if a is not None else numbers[0]), 0))
        self.b.setCurrentIndex(max(self.b.findData(b if b is not None else numbers[-1]), 0))
        row.addWidget(QLabel("从"))
        row.addWidget(self.a)
        row.addWidget(QLabel("到"))
        row.addWidget(self.b)
        row.addStretch(1)
        layout.addLayout(row)
        self.summary = QLabel(objectName="diffSummary")
        layout.addWidget(self.summary)
        self.model = DiffModel(self)
        self.table = table(self.model, "diffTable")
        layout.addWidget(self.table, 1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        self.a.currentIndexChanged.connect(self.refresh)
        self.b.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        try:
            d = self.compute(combo_data(self.a), combo_data(self.b))
        except ShenGuanError as exc:
            self.summary.setText(exc.message)
            self.model.set_rows([])
            return
        self.summary.setText(f"第 {d['from']} 版 → 第 {d['to']} 版：新增 {len(d['added'])} 项，"
                             f"删除 {len(d['removed'])} 项，变更 {len(d['changed'])} 项。")
        self.model.set_rows(diff_rows(d))
