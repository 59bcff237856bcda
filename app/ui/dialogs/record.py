"""登记审批结果: the push-sheet fields of Art. 8 (事项名称、申请人、联系人、申请材料、审批结果)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QLineEdit, QPlainTextEdit

from app.services.items import ItemChoice
from app.services.results import ResultInput
from app.ui.dialogs.base import FormDialog, OptionalDateEdit, date_edit, qdate_value

RESULT_CHOICES = ("准予许可", "准予变更", "准予延续", "准予注销", "不予许可")


class ItemCombo(QComboBox):
    """An editable combobox over the licensing items; typing filters by code or name."""

    def __init__(self, items: list[ItemChoice], parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        for it in items:
            self.addItem(f"{it.code}  {it.name}", it.code)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setCurrentIndex(-1)
        self.lineEdit().setPlaceholderText("输入事项编码或名称查找")

    def code(self) -> str:
        text = self.currentText().strip()
        i = self.findText(text)
        if i >= 0:
            return self.itemData(i)
        return text.split()[0] if text else ""

    def select_code(self, code: str) -> None:
        self.setCurrentIndex(self.findData(code))


class RecordDialog(FormDialog):
    def __init__(self, items: list[ItemChoice], parent=None):
        super().__init__(
            "登记审批结果", parent,
            intro="登记后开始计算推送期限：证照颁发后2个工作日内推送至主管部门（第十七条）。",
            ok_text="登记",
        )
        self._competent = {it.code: it.competent_name for it in items}
        self.item = self.add_field("item", "许可事项：", ItemCombo(items))
        self.addressee = QLabel("—")
        self.addressee.setStyleSheet("color:#35557A;")
        self.form.addRow("推送至：", self.addressee)
        self.item.currentIndexChanged.connect(self._item_changed)
        self.item.editTextChanged.connect(self._item_changed)
        self.applicant_name = self.add_field("applicant_name", "申请人名称：", QLineEdit())
        self.applicant_id = self.add_field("applicant_id", "证件号码：", QLineEdit())
        self.applicant_id.setPlaceholderText("统一社会信用代码或居民身份证号码（18位）")
        self.contact_name = self.add_field("contact_name", "联系人：", QLineEdit())
        self.contact_phone = self.add_field("contact_phone", "联系电话：", QLineEdit())
        self.contact_phone.setPlaceholderText("手机号码或 0417-1234567")
        self.result = self.add_field("result", "审批结果：", QComboBox())
        self.result.setEditable(True)
        self.result.addItems(RESULT_CHOICES)
        self.licence_number = self.add_field("licence_number", "证照编号：", QLineEdit())
        self.decided_on = self.add_field("decided_on", "审批决定日期：", date_edit())
        self.licence_issued_on = self.add_field("licence_issued_on", "证照颁发日期：", OptionalDateEdit())
        self.materials = self.add_field("materials", "申请材料：", QPlainTextEdit())
        self.materials.setPlaceholderText("各项材料用“；”分隔，如：施工许可申请表；施工合同")
        self.materials.setFixedHeight(80)
        self.setMinimumWidth(560)

    def _item_changed(self, *_):
        self.addressee.setText(self._competent.get(self.item.code(), "—"))

    def values(self) -> ResultInput:  # type: ignore[override]
        return ResultInput(
            item_code=self.item.code(),
            applicant_name=self.applicant_name.text(),
            applicant_id=self.applicant_id.text(),
            contact_name=self.contact_name.text(),
            contact_phone=self.contact_phone.text(),
            result=self.result.currentText(),
            decided_on=qdate_value(self.decided_on),
            licence_number=self.licence_number.text(),
            licence_issued_on=self.licence_issued_on.value(),
            materials=self.materials.toPlainText(),
        )

    def fill(self, data: ResultInput) -> None:
        """Put values into the form (tests, and re-opening a form with typed values)."""
        from PySide6.QtCore import QDate

        self.item.select_code(data.item_code)
        self.applicant_name.setText(data.applicant_name)
        self.applicant_id.setText(data.applicant_id)
        self.contact_name.setText(data.contact_name)
        self.contact_phone.setText(data.contact_phone)
        self.result.setCurrentText(data.result)
        self.licence_number.setText(data.licence_number)
        if data.decided_on:
            d = data.decided_on
            self.decided_on.setDate(QDate(d.year, d.month, d.day))
        self.licence_issued_on.set_value(data.licence_issued_on)
        self.materials.setPlainText(data.materials)
