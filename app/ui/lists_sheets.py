"""实施清单 tab: per item, the implementation sheet (twelve fields) and push sheet, their versions,
editing a draft, hand-over, key-element change proposals (Art. 8), and printing the sheet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models.sheets import PUSH_FIELDS
from app.services.sheets import sheets
from app.ui import lists_actions as act
from app.ui import lists_forms as forms
from app.ui.dialogs.base import combo_data
from app.ui.lists_catalogue import _buttons
from app.ui.lists_models import SheetFieldModel, SheetVersionModel
from app.ui.lists_xlsx_dialog import attempt, table
from app.ui.workspace import Workspace


class SheetsTab(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.view: act.SheetView | None = None
        self.version: int | None = None  # None: the version in force (else the draft)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("许可事项："))
        self.item = QComboBox(objectName="sheetItem")
        self.item.setMinimumWidth(420)
        self.item.currentIndexChanged.connect(lambda _i: self.choose_version(None))
        top.addWidget(self.item, 1)
        layout.addLayout(top)
        self.info = QLabel(objectName="sheetInfo")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        split = QSplitter(Qt.Orientation.Vertical)
        self.field_model = SheetFieldModel(self)
        self.fields = table(self.field_model, "fieldTable")
        self.fields.selectionModel().currentRowChanged.connect(lambda *_a: self.show_field())
        self.fields.doubleClicked.connect(lambda _i: self.edit() if self.editButton.isEnabled() else None)
        split.addWidget(self.fields)
        self.full = QPlainTextEdit(objectName="fieldText", readOnly=True)
        self.full.setPlaceholderText("选择上表中的一项，在此查看全文。")
        split.addWidget(self.full)
        self.version_model = SheetVersionModel(self)
        self.versions = table(self.version_model, "sheetVersionTable")
        self.versions.doubleClicked.connect(
            lambda i: self.choose_version(self.version_model.item(i.row())["version"]))
        split.addWidget(self.versions)
        split.setSizes([330, 90, 130])
        layout.addWidget(split, 1)
        layout.addLayout(_buttons(self, (
            ("修改…", "editButton", self.edit), ("推送清单…", "pushButton", self.edit_push),
            ("移交", "handOverButton", self.hand_over),
            ("提出关键要素调整…", "proposeButton", self.propose),
            ("显示现行版本", "currentButton", lambda: self.choose_version(None)),
            ("打印…", "printButton", self.print_sheet))))

    # -- content ------------------------------------------------------------------------------

    def item_code(self) -> str | None:
        return combo_data(self.item)

    def refresh(self) -> None:
        chosen = self.item_code()
        self.item.blockSignals(True)
        self.item.clear()
        own = None
        for it in act.sheet_items(self.ws):
            self.item.addItem(f"{it.code}　{it.name}（{it.competent_name}）", it.code)
            if own is None and self.ws.office and it.competent_name == self.ws.office.name:
                own = it.code  # first shown to a department: one of its own items
        self.item.setCurrentIndex(max(self.item.findData(chosen or own), 0))
        self.item.blockSignals(False)
        self.load()

    def choose_version(self, version: int | None) -> None:
        self.version = version
        self.load()

    def load(self) -> None:
        code = self.item_code()
        self.view = None
        if code is not None:
            ok, self.view = attempt(self, "实施清单", lambda: act.sheet_view(self.ws, code, self.version))
        v = self.view
        sheet = v.sheet if v else None
        self.field_model.set_rows(sheet["fields"] if sheet else [])
        self.version_model.set_rows(v.versions if v else [])
        if code is None:
            self.info.setText("本机事项清单中没有许可事项。")
        elif sheet is None:
            self.info.setText(f"事项 {code} 还没有实施清单：由主管部门起草（修改…）后移交。")
        else:
            push = sheet["push_sheet"]
            pushed = "、".join(f["label"] for f in push["fields"] if f["pushed"]) if push else "（尚无）"
            push_text = f"第 {push['version']} 版，{push['status_label']}；推送 {pushed}" if push else pushed
            self.info.setText(
                f"实施清单：第 {sheet['version']} 版，{sheet['status_label']}；制作单位：{sheet['prepared_by']['name']}"
                f"{'；' + sheet['note'] if sheet['note'] else ''}。\n审批结果信息推送清单：{push_text}")
        self.show_field()
        self.update_buttons()

    def show_field(self) -> None:
        f = self.field_model.item(self.fields.currentIndex().row())
        self.full.setPlainText(f"{f['label']}：\n{f['value']}" if f else "")

    def update_buttons(self) -> None:
        v = self.view
        self.editButton.setEnabled(bool(v and (v.competent or (v.approval and v.has_current))))
        self.pushButton.setEnabled(bool(v and v.competent))
        self.handOverButton.setEnabled(bool(v and v.competent and v.has_draft))
        self.proposeButton.setEnabled(bool(v and v.approval and v.has_current))
        self.printButton.setEnabled(bool(v and v.sheet))
        self.currentButton.setEnabled(self.version is not None)

    def _values(self) -> dict[str, str]:
        """The fields shown as the base of an edit: the draft for the department."""
        v = self.view
        fields = v.sheet["fields"] if v and v.sheet else []
        if v and v.competent and v.has_draft and v.sheet and v.sheet["status"] != "draft":
            draft = act.sheet_view(self.ws, v.item_code, max(r["version"] for r in v.versions)).sheet
            fields = draft["fields"] if draft else fields
        return {f["key"]: f["value"] for f in fields}

    def changed(self) -> None:
        self.ws.changed.emit(None)

    def _form(self, dialog, submit) -> bool:
        dialog.submit = submit
        if dialog.exec():
            self.changed()
            return True
        return False

    # -- actions ------------------------------------------------------------------------------

    def edit(self) -> bool:
        code, v = self.item_code(), self.view
        dialog = forms.FieldDialog(self.item.currentText(), self._values(),
                                   self.field_model.key(self.fields.currentIndex().row()), v.competent, self)
        ok = self._form(dialog, lambda x: act.edit_sheet(self.ws, code, x["field"], x["value"]))
        if ok and v.competent:
            self.choose_version(max(r["version"] for r in act.sheet_view(self.ws, code).versions))
        return ok

    def edit_push(self) -> bool:
        code, v = self.item_code(), self.view
        push = v.sheet["push_sheet"] if v.sheet else None
        pushed = {f["key"] for f in push["fields"] if f["pushed"]} if push else set(PUSH_FIELDS)
        return self._form(forms.PushDialog(self.item.currentText(), pushed, self),
                          lambda x: act.edit_sheet(self.ws, code, sheets.PUSH_KEY, ",".join(x["keys"])))

    def hand_over(self) -> bool:
        code = self.item_code()
        answer = QMessageBox.question(self, "移交", f"将事项 {code} 的实施清单和推送清单草稿移交行政审批部门？"
                                                  "移交后即为现行版本。")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        ok, message = attempt(self, "移交", lambda: act.hand_over(self.ws, code))
        if ok:
            self.version = None
            QMessageBox.information(self, "移交", f"事项 {code}：{message}")
            self.changed()
        return ok

    def propose(self) -> bool:
        code = self.item_code()
        current = {f["key"]: f["value"] for f in act.sheet_view(self.ws, code).sheet["fields"]}
        key = self.field_model.key(self.fields.currentIndex().row())
        dialog = forms.ProposeDialog(self.item.currentText(), current, key, self)
        ok = self._form(dialog, lambda x: act.propose(self.ws, code, x["field"], x["value"], x["reason"]))
        if ok:
            QMessageBox.information(self, "提出关键要素调整", "已向主管部门发送征求同意，调整在“征求意见与告知”中"
                                                       "显示为待答复；同意前实施清单保持原内容。")
        return ok

    def print_sheet(self):
        from app.ui.forms_preview import PdfPreviewDialog

        code, sheet = self.item_code(), self.view.sheet
        ok, out = attempt(self, "打印实施清单", lambda: act.sheet_pdf(self.ws, code, sheet["version"]))
        if not ok:
            return None
        preview = PdfPreviewDialog(out.data, f"{code} 实施清单", warning=out.warning,
                                   file_name=f"实施清单-{code}-第{sheet['version']}版.pdf", parent=self)
        self.preview = preview
        preview.exec()
        return preview
