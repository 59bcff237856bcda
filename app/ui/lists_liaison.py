"""联络员 tab (Art. 16): liaison officers per office, the current one marked; add, edit, set
current, deactivate; Excel import and export."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.services import liaison
from app.ui import lists_actions as act
from app.ui import lists_forms as forms
from app.ui.dialogs.base import combo_data
from app.ui.lists_catalogue import _buttons
from app.ui.lists_models import LiaisonModel
from app.ui.lists_xlsx_dialog import attempt, export_excel, import_excel, table
from app.ui.workspace import Workspace

ALL_ROLES = ("approval", "competent", "enforcement", "oversight")


class LiaisonTab(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("单位："))
        self.office = QComboBox(objectName="liaisonOffice")
        self.office.setMinimumWidth(300)
        row.addWidget(self.office)
        self.inactive = QCheckBox("含已停用", objectName="liaisonInactive")
        row.addWidget(self.inactive)
        row.addStretch(1)
        self.office.currentIndexChanged.connect(lambda _i: self.refresh())
        self.inactive.toggled.connect(lambda _c: self.refresh())
        layout.addLayout(row)
        hint = QLabel("每个单位有一名当前联络员（加粗），推送和打印的表单上署其姓名和电话。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model = LiaisonModel(self)
        self.table = table(self.model, "liaisonTable")
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.edit() if self.editButton.isEnabled() else None)
        layout.addWidget(self.table, 1)
        layout.addLayout(_buttons(self, (
            ("添加…", "addButton", self.add), ("修改…", "editButton", self.edit),
            ("设为当前联络员", "currentButton", self.set_current),
            ("停用", "deactivateButton", self.deactivate),
            ("导入 Excel…", "importButton", self.import_xlsx),
            ("导出 Excel…", "exportButton", self.export_xlsx))))

    def _offices(self) -> list[tuple[str, str]]:
        return act.offices(self.ws, ALL_ROLES)

    def entry(self) -> dict | None:
        return self.model.item(self.table.currentIndex().row())

    def refresh(self) -> None:
        chosen_office = combo_data(self.office)
        if chosen_office is None and self.ws.office is not None:
            chosen_office = self.ws.office.code  # first shown: this office's officers
        self.office.blockSignals(True)
        self.office.clear()
        self.office.addItem("全部单位", "")
        for code, name in self._offices():
            self.office.addItem(f"{name}（{code}）", code)
        self.office.setCurrentIndex(max(self.office.findData(chosen_office), 0))
        self.office.blockSignals(False)
        chosen = self.entry()
        ok, rows = attempt(self, "联络员", lambda: act.liaison_rows(
            self.ws, combo_data(self.office) or None, self.inactive.isChecked()))
        rows = rows if ok else []
        self.model.set_rows(rows)
        ids = [r["id"] for r in rows]
        if chosen is not None and chosen["id"] in ids:
            self.table.selectRow(ids.index(chosen["id"]))
        self.update_buttons()

    def update_buttons(self) -> None:
        e = self.entry()
        self.editButton.setEnabled(e is not None)
        self.currentButton.setEnabled(bool(e and e["active"] and not e["current"]))
        self.deactivateButton.setEnabled(bool(e and e["active"]))

    def _form(self, dialog, submit) -> bool:
        dialog.submit = submit
        if dialog.exec():
            self.ws.changed.emit(None)
            return True
        return False

    def add(self) -> bool:
        office = combo_data(self.office) or (self.ws.office.code if self.ws.office else "")
        dialog = forms.LiaisonDialog(self._offices(), office=office, parent=self)
        return self._form(dialog, lambda v: act.write(self.ws, lambda s, _o: liaison.add(
            s, v["office"], v["name"], v["phone"], v["duties"], current=v["current"], since=v["since"])))

    def edit(self) -> bool:
        e = self.entry()
        if e is None:
            return False
        full = act.liaison_entry(self.ws, e["id"])  # the list row's phone is masked
        dialog = forms.LiaisonDialog(self._offices(), full, parent=self)
        return self._form(dialog, lambda v: act.write(self.ws, lambda s, _o: liaison.edit(
            s, e["id"], name=v["name"], phone=v["phone"], duties=v["duties"], since=v["since"])))

    def _do(self, title: str, fn) -> bool:
        ok, _ = attempt(self, title, lambda: act.write(self.ws, fn))
        if ok:
            self.ws.changed.emit(None)
        return ok

    def set_current(self) -> bool:
        e = self.entry()
        return e is not None and self._do("设为当前联络员", lambda s, _o: liaison.set_current(s, e["id"]))

    def deactivate(self) -> bool:
        e = self.entry()
        if e is None:
            return False
        answer = QMessageBox.question(self, "停用联络员", f"停用{e['office_name']}的联络员 {e['name']}？记录保留。")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._do("停用联络员", lambda s, _o: liaison.deactivate(s, e["id"]))

    def import_xlsx(self, path=None):
        return import_excel(self, self.ws, "liaison", path=path)

    def export_xlsx(self, path=None):
        return export_excel(self, self.ws, "liaison", "联络员.xlsx", path=path)
