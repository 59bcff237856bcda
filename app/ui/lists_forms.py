"""Form dialogs of the 实施清单, 征求意见与告知, 专家库 / 中介机构库 and 联络员 tabs.

Each is a FormDialog: ``values()`` reads the widgets, the tab's ``submit`` calls the service,
and a ValidationError is shown above the form with its field focused.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.models.sheets import PUSH_FIELDS, SHEET_FIELDS
from app.services import pools
from app.services.sheets import notices, sheets
from app.ui.dialogs.base import FormDialog, OptionalDateEdit, combo_data
from app.ui.lists_dialogs import office_combo


def _text_box(value: str = "", height: int = 120) -> QPlainTextEdit:
    w = QPlainTextEdit(value)
    w.setMinimumHeight(height)
    return w


class FieldDialog(FormDialog):
    """修改实施清单的一项 (the department's draft, or a non-key field at the bureau)."""

    def __init__(self, item: str, values: dict[str, str], field: str | None, keys_allowed: bool,
                 parent: QWidget | None = None):
        intro = (f"事项：{item}。" + ("修改本部门的草稿，移交后生效。" if keys_allowed else
                                     "行政审批部门可直接修改非关键要素；关键要素须征得主管部门同意。"))
        super().__init__("修改实施清单", parent, ok_text="保存", intro=intro)
        self.values_now = values
        self.field = self.add_field("field", "项目：", QComboBox())
        for key, label in SHEET_FIELDS.items():
            if keys_allowed or key not in sheets.KEY_FIELDS:
                self.field.addItem(label + ("（关键要素）" if key in sheets.KEY_FIELDS else ""), key)
        self.field.setCurrentIndex(max(self.field.findData(field), 0))
        self.value = self.add_field("value", "内容：", _text_box(height=180))
        self.field.currentIndexChanged.connect(self._load)
        self._load()
        self.setMinimumWidth(640)

    def _load(self) -> None:
        self.value.setPlainText(self.values_now.get(combo_data(self.field) or "", ""))

    def values(self) -> dict:
        return {"field": combo_data(self.field), "value": self.value.toPlainText()}


class PushDialog(FormDialog):
    """推送清单: which result fields are pushed (the department's draft)."""

    def __init__(self, item: str, pushed: set[str], parent: QWidget | None = None):
        super().__init__("推送清单", parent, ok_text="保存",
                         intro=f"事项：{item}。勾选审批结果推送时包含的信息要素，移交后生效。")
        self.boxes = {}
        for key, label in PUSH_FIELDS.items():
            self.boxes[key] = self.add_field(f"push_{key}", "", QCheckBox(label, checked=key in pushed))
        self.fields[sheets.PUSH_KEY] = self.boxes["item_name"]

    def values(self) -> dict:
        return {"keys": [k for k, b in self.boxes.items() if b.isChecked()]}


class ProposeDialog(FormDialog):
    """提出关键要素调整 (the approval bureau; Art. 8 ¶2)."""

    def __init__(self, item: str, values: dict[str, str], field: str | None, parent: QWidget | None = None):
        super().__init__("提出关键要素调整", parent, ok_text="发送征求同意",
                         intro=f"事项：{item}。关键要素调整须征得主管部门同意（第八条第二款）；"
                               "同意前清单保持原内容，不同意则保留原内容。")
        self.values_now = values
        self.field = self.add_field("field", "关键要素：", QComboBox())
        for key in sheets.KEY_FIELDS:
            self.field.addItem(SHEET_FIELDS[key], key)
        self.field.setCurrentIndex(max(self.field.findData(field), 0))
        self.old = self.add_field("old", "现行内容：", _text_box(height=70))
        self.old.setReadOnly(True)
        self.value = self.add_field("value", "拟调整为：", _text_box(height=100))
        self.reason = self.add_field("reason", "调整理由：", _text_box(height=60))
        self.field.currentIndexChanged.connect(self._load)
        self._load()
        self.setMinimumWidth(640)

    def _load(self) -> None:
        current = self.values_now.get(combo_data(self.field) or "", "")
        self.old.setPlainText(current)
        self.value.setPlainText(current)

    def values(self) -> dict:
        return {"field": combo_data(self.field), "value": self.value.toPlainText(),
                "reason": self.reason.toPlainText()}


class ReplyDialog(FormDialog):
    """不同意 (reason) or 反馈意见 (the opinion)."""

    def __init__(self, title: str, summary: str, label: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(title, parent, ok_text=ok_text, intro=summary)
        field = "reason" if label.endswith("理由：") else "text"
        self.text = self.add_field(field, label, _text_box(height=110))
        self.setMinimumWidth(560)

    def values(self) -> dict:
        return {"text": self.text.toPlainText()}


class PolicyDialog(FormDialog):
    """政策调整告知 / 征求意见 (a competent department to the approval bureau)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("发送政策调整告知或征求意见", parent, ok_text="发送",
                         intro="法律、法规、规章或政策调整涉及实施清单的，及时告知行政审批部门（第八条第三款）；"
                               "起草涉及清单内容的文件时征求其意见（第八条第四款）。")
        self.kind = self.add_field("kind", "类别：", QComboBox())
        for key, label in notices.LABELS.items():
            self.kind.addItem(label, key)
        self.title = self.add_field("title", "标题：", QLineEdit())
        self.content = self.add_field("content", "内容：", _text_box(height=120))
        self.basis = self.add_field("basis", "依据：", QLineEdit())
        self.basis.setPlaceholderText("例如：《建筑工程施工许可管理办法》（住房城乡建设部令第52号）")
        self.effective = self.add_field("effective_on", "施行日期：", OptionalDateEdit())
        self.due = self.add_field("due", "希望反馈日期：", OptionalDateEdit())
        self.kind.currentIndexChanged.connect(self._kind)
        self._kind()
        self.setMinimumWidth(620)

    def _kind(self) -> None:
        self.set_field_visible("due", combo_data(self.kind) == notices.REQUEST)

    def values(self) -> dict:
        request = combo_data(self.kind) == notices.REQUEST
        return {"kind": combo_data(self.kind), "title": self.title.text(), "content": self.content.toPlainText(),
                "basis": self.basis.text(), "effective_on": self.effective.value(),
                "reply_wanted_by": self.due.value() if request else None}


class PoolDialog(FormDialog):
    """添加 / 修改 an expert or an agency: one field per ``kind`` key."""

    def __init__(self, kind: pools.PoolKind, offices: list[tuple[str, str]], entry: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(f"{'修改' if entry else '添加'}{kind.label}", parent, ok_text="保存")
        self.kind, e = kind, entry or {}
        self.widgets: dict[str, QWidget] = {}
        for key, (label, _limit) in kind.texts.items():
            w = _text_box(str(e.get(key) or ""), 60) if key in ("note", "scope") else QLineEdit(str(e.get(key) or ""))
            if isinstance(w, QPlainTextEdit):
                w.setFixedHeight(64)
            mark = "＊" if key in kind.required else ""
            self.widgets[key] = self.add_field(key, f"{mark}{label}：", w)
        for key, label in kind.dates.items():
            d = self.add_field(key, f"{label}：", OptionalDateEdit())
            d.set_value(e.get(key))
            self.widgets[key] = d
        self.widgets["office"] = self.add_field(
            "office", "推荐单位：", office_combo(offices, e.get("office_code", ""), empty="（未填写）"))
        self.setMinimumWidth(600)

    def values(self) -> dict:
        out = {}
        for key, w in self.widgets.items():
            if key == "office":
                out[key] = combo_data(w) or ""
            elif isinstance(w, OptionalDateEdit):
                out[key] = w.value()
            else:
                out[key] = w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
        return out


class LiaisonDialog(FormDialog):
    def __init__(self, offices: list[tuple[str, str]], entry: dict | None = None, office: str = "",
                 parent: QWidget | None = None):
        super().__init__("修改联络员" if entry else "添加联络员", parent, ok_text="保存",
                         intro="审管平台信息推送联络员（第十六条）；当前联络员署名于推送和打印的表单。")
        e = entry or {}
        self.office = self.add_field("office", "单位：", office_combo(offices, e.get("office_code", office)))
        self.office.setEnabled(entry is None)
        self.name = self.add_field("name", "姓名：", QLineEdit(e.get("name", "")))
        self.phone = self.add_field("phone", "联系电话：", QLineEdit(e.get("phone", "")))
        self.duties = self.add_field("duties", "工作职责：", QLineEdit(e.get("duties", "")))
        self.since = self.add_field("since", "起始日期：", OptionalDateEdit("今天"))
        self.since.set_value(e.get("since"))
        self.current = self.add_field("current", "", QCheckBox("设为本单位的当前联络员"))
        self.set_field_visible("current", entry is None)
        self.setMinimumWidth(520)

    def values(self) -> dict:
        return {"office": combo_data(self.office) or "", "name": self.name.text(), "phone": self.phone.text(),
                "duties": self.duties.text(), "since": self.since.value(), "current": self.current.isChecked()}
