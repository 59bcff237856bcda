"""A form dialog that submits through a service call and shows its ValidationError in place.

The dialog does not write anything itself: ``submit(values)`` (set by the action) opens a
session, calls the service and commits. A ShenGuanError leaves the dialog open with the
message above the form and the named field focused; the session was never committed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.services.errors import ConflictError, ShenGuanError, ValidationError

ERROR_STYLE = (
    "QLabel#formError { background:#FDECEC; color:#A40000; border:1px solid #E7A3A3;"
    " border-radius:3px; padding:6px; }"
)
BAD_FIELD = "border:1px solid #D00000;"
NO_DATE = QDate(2000, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date with a calendar popup that may also be left empty ("未填写")."""

    def __init__(self, empty_text: str = "未填写", parent=None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(empty_text)
        self.set_value(None)

    def value(self) -> date | None:
        d = self.date()
        return None if d == NO_DATE else date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(NO_DATE if value is None else QDate(value.year, value.month, value.day))


def date_edit(value: date | None = None) -> QDateEdit:
    """A required date with a calendar popup, today by default."""
    w = QDateEdit()
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd")
    v = value or clock.today()
    w.setDate(QDate(v.year, v.month, v.day))
    return w


def qdate_value(w: QDateEdit) -> date:
    d = w.date()
    return date(d.year(), d.month(), d.day())


def combo_data(w: QComboBox) -> Any:
    return w.currentData() if w.currentIndex() >= 0 else None


class FormDialog(QDialog):
    """Title, optional intro text, an error banner, a form of named fields, OK/Cancel."""

    def __init__(self, title: str, parent: QWidget | None = None, *, intro: str = "",
                 ok_text: str = "确定"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit: Callable[[dict], Any] | None = None
        # Called when another desk took the step first (ConflictError): the views refresh.
        self.on_conflict: Callable[[], Any] | None = None
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        layout.addWidget(self.intro)
        self.error = QLabel(objectName="formError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def add_field(self, name: str, label: str, widget: QWidget) -> QWidget:
        widget.setObjectName(name)
        self.fields[name] = widget
        self.form.addRow(label, widget)
        return widget

    def set_field_visible(self, name: str, visible: bool) -> None:
        self.form.setRowVisible(self.fields[name], visible)

    def values(self) -> dict:
        """The typed values; dialogs override this."""
        return {}

    def show_error(self, message: str, field: str | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        for w in self.fields.values():
            w.setStyleSheet("")
        widget = self.fields.get(field or "")
        if widget is not None:
            widget.setStyleSheet(BAD_FIELD)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def run_submit(self, default=None) -> tuple[bool, dict | None, object]:
        """Read the form and hand it to ``submit``; a refusal is shown above the form.

        Returns ``(ok, values, submit's result)``; nothing else happens when not ok.
        """
        try:
            values = self.values()
            if self.submit is None:
                return True, values, values if default is None else default
            return True, values, self.submit(values)
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
        except ConflictError as exc:  # nothing to retry: say who was quicker, show the new state
            self.show_error(exc.message)
            self.ok_button.setEnabled(False)
            if self.on_conflict is not None:
                self.on_conflict()
        except ShenGuanError as exc:
            self.show_error(exc.message)
        return False, None, None

    def accept(self) -> None:
        ok, _values, result = self.run_submit()
        if ok:
            self.result_value = result
            super().accept()
