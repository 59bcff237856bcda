"""专家库 / 中介机构库 tab (Art. 11): search by text, recommending office and expiry; expired
entries in red; add, edit, deactivate at the approval bureau; Excel import and export."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services import pools
from app.ui import lists_actions as act
from app.ui import lists_forms as forms
from app.ui.dialogs.base import combo_data
from app.ui.lists_catalogue import _buttons
from app.ui.lists_models import PoolModel
from app.ui.lists_xlsx_dialog import attempt, export_excel, import_excel, table
from app.ui.workspace import Workspace


class PoolTab(QWidget):
    def __init__(self, ws: Workspace, kind: pools.PoolKind, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.kind = ws, kind
        self.which = "agencies" if kind is pools.AGENCY else "experts"
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("查找："))
        self.text = QLineEdit(objectName="poolSearch", clearButtonEnabled=True)
        self.text.setPlaceholderText("姓名、专业领域、工作单位、资格" if kind is pools.EXPERT
                                     else "机构名称、服务范围、资质")
        self.text.returnPressed.connect(self.refresh)
        row.addWidget(self.text, 1)
        row.addWidget(QLabel("推荐单位："))
        self.office = QComboBox(objectName="poolOffice")
        row.addWidget(self.office)
        self.expiring = QCheckBox("只看到期：", objectName="poolExpiring")
        row.addWidget(self.expiring)
        self.days = QSpinBox(objectName="poolDays", minimum=0, maximum=3650, value=30, suffix=" 天内（含已过期）")
        row.addWidget(self.days)
        self.inactive = QCheckBox("含已停用", objectName="poolInactive")
        row.addWidget(self.inactive)
        for signal in (self.office.currentIndexChanged, self.expiring.toggled, self.days.valueChanged,
                       self.inactive.toggled):
            signal.connect(lambda *_a: self.refresh())
        layout.addLayout(row)
        self.count = QLabel(objectName="poolCount")
        layout.addWidget(self.count)
        self.model = PoolModel(kind is pools.AGENCY, self)
        self.table = table(self.model, "poolTable")
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.edit() if self.editButton.isEnabled() else None)
        layout.addWidget(self.table, 1)
        layout.addLayout(_buttons(self, (
            ("添加…", "addButton", self.add), ("修改…", "editButton", self.edit),
            ("停用…", "deactivateButton", self.deactivate),
            ("导入 Excel…", "importButton", self.import_xlsx),
            ("导出 Excel…", "exportButton", self.export_xlsx))))
        self._offices()

    def _offices(self) -> None:
        chosen = combo_data(self.office)
        self.office.blockSignals(True)
        self.office.clear()
        self.office.addItem("全部", "")
        for code, name in act.offices(self.ws, ("competent",)):
            self.office.addItem(name, code)
        self.office.setCurrentIndex(max(self.office.findData(chosen), 0))
        self.office.blockSignals(False)

    def entry(self) -> dict | None:
        return self.model.item(self.table.currentIndex().row())

    def refresh(self) -> None:
        self._offices()
        chosen = self.entry()
        days = self.days.value() if self.expiring.isChecked() else None
        ok, rows = attempt(self, f"{self.kind.label}库", lambda: act.pool_rows(
            self.ws, self.kind, self.text.text(), combo_data(self.office) or None, days, self.inactive.isChecked()))
        rows = rows if ok else []
        self.model.set_rows(rows)
        expired = sum(1 for r in rows if r["expired"] and r["active"])
        self.count.setText(f"共 {len(rows)} 条" + (f"，其中 {expired} 条已过期（红色）" if expired else "") + "。")
        ids = [r["id"] for r in rows]
        if chosen is not None and chosen["id"] in ids:
            self.table.selectRow(ids.index(chosen["id"]))
        self.update_buttons()

    def update_buttons(self) -> None:
        keeper = act.role(self.ws) == "approval"  # the approval bureau keeps the pools
        e = self.entry()
        self.addButton.setEnabled(keeper)
        self.importButton.setEnabled(keeper)
        self.editButton.setEnabled(keeper and e is not None)
        self.deactivateButton.setEnabled(keeper and e is not None and e["active"])

    def _form(self, dialog, submit) -> bool:
        dialog.submit = submit
        if dialog.exec():
            self.ws.changed.emit(None)
            return True
        return False

    def add(self) -> bool:
        dialog = forms.PoolDialog(self.kind, act.offices(self.ws, ("competent",)), parent=self)
        return self._form(dialog, lambda v: act.write(self.ws, lambda s, _o: pools.add(s, self.kind, v)))

    def edit(self) -> bool:
        e = self.entry()
        if e is None:
            return False
        full = act.pool_entry(self.ws, self.kind, e["id"])  # the list row's phone is masked
        dialog = forms.PoolDialog(self.kind, act.offices(self.ws, ("competent",)), full, self)
        return self._form(dialog, lambda v: act.write(
            self.ws, lambda s, _o: pools.update(s, self.kind, e["id"], v)))

    def deactivate(self) -> bool:
        e = self.entry()
        if e is None:
            return False
        dialog = forms.ReplyDialog(f"停用{self.kind.label}", f"停用 {e['name']}：不再列入库中，记录保留。",
                                   "停用原因：", "停用", self)
        return self._form(dialog, lambda v: act.write(
            self.ws, lambda s, _o: pools.deactivate(s, self.kind, e["id"], v["text"].strip() or None)))

    def import_xlsx(self, path=None):
        return import_excel(self, self.ws, self.which, path=path)

    def export_xlsx(self, path=None):
        return export_excel(self, self.ws, self.which, f"{self.kind.label}库.xlsx", path=path)
