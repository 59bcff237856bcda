"""设置 → 操作员账户… (管理员) and 修改密码… (issue 7, item 6).

:func:`wire_accounts` puts the signed-in operator into the workspace (name on every event,
role checks), shows it in the status bar, and adds the two entries to the 设置 menu; the free
text 操作员姓名… is hidden once accounts exist.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.services import operators
from app.services.errors import ShenGuanError, ValidationError
from app.ui.dialogs.base import FormDialog, combo_data
from app.ui.sign_in import password_edit

HEADERS = ("用户名", "姓名", "角色", "状态", "最近登录")


def wire_accounts(window, ws, account: operators.Account | None) -> None:
    if account is None:
        return
    window.act_operator.setVisible(False)
    menu = next((a.menu() for a in window.menuBar().actions()
                 if a.text().split("(")[0] == "设置" and a.menu() is not None), None)
    window.act_accounts = QAction("操作员账户…", window, objectName="act_accounts")

    def open_accounts() -> None:
        if ws.may(operators.ADMIN):  # never for anyone else, even through a stale menu
            OperatorsDialog(ws, window).exec()

    window.act_accounts.triggered.connect(open_accounts)
    window.act_password = QAction("修改密码…", window, objectName="act_password")
    window.act_password.triggered.connect(lambda: change_password(ws, window))
    if menu is not None:
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, window.act_accounts)
        menu.insertAction(first, window.act_password)
    # 管理员 only, as operators.require_admin says: hidden for anyone else, also after a change.
    ws.operator_changed.connect(lambda _text: window.act_accounts.setVisible(ws.may(operators.ADMIN)))
    ws.set_account(account)  # emits operator_changed: the status bar and every view follow


def change_password(ws, parent=None) -> bool:
    dlg = PasswordDialog(parent, own=True)

    def submit(v):
        with ws.session() as s:
            operators.change_password(s, ws.account.username, v["old_password"], v["password"])
            s.commit()

    dlg.submit = submit
    return dlg.exec() == QDialog.DialogCode.Accepted


class PasswordDialog(FormDialog):
    def __init__(self, parent=None, *, own: bool, who: str = ""):
        super().__init__("修改密码" if own else f"重设 {who} 的密码", parent, ok_text="保存",
                         intro=f"新密码至少 {operators.MIN_PASSWORD} 位，须同时包含英文字母和数字。")
        self.old = self.add_field("old_password", "原密码：", password_edit()) if own else None
        self.new = self.add_field("password", "新密码：", password_edit())
        self.again = self.add_field("password2", "再次输入：", password_edit())

    def values(self) -> dict:
        operators.validate_password(self.new.text())
        if self.again.text() != self.new.text():
            raise ValidationError("两次输入的密码不一致，请重新输入。", "password2")
        return {"old_password": self.old.text() if self.old else "", "password": self.new.text()}


def _role_combo(current: str = operators.CLERK) -> QComboBox:
    combo = QComboBox()
    for code, label in operators.ROLE_LABELS.items():
        combo.addItem(label, code)
    combo.setCurrentIndex(combo.findData(current))
    return combo


class AddOperatorDialog(FormDialog):
    def __init__(self, parent=None):
        super().__init__("新建操作员账户", parent, ok_text="新建",
                         intro="经办人登记、推送；负责人签收、退回、作出决定；管理员管理账户、密钥和节假日安排。")
        self.username = self.add_field("username", "用户名：", QLineEdit())
        self.display_name = self.add_field("display_name", "姓名：", QLineEdit())
        self.role = self.add_field("role", "角色：", _role_combo())
        self.password = self.add_field("password", "初始密码：", password_edit())
        self.again = self.add_field("password2", "再次输入：", password_edit())

    def values(self) -> dict:
        if self.again.text() != self.password.text():
            raise ValidationError("两次输入的密码不一致，请重新输入。", "password2")
        return {"username": self.username.text(), "display_name": self.display_name.text(),
                "role": combo_data(self.role), "password": self.password.text()}


class RoleDialog(FormDialog):
    def __init__(self, who: str, current: str, parent=None):
        super().__init__(f"设置 {who} 的角色", parent, ok_text="保存")
        self.role = self.add_field("role", "角色：", _role_combo(current))

    def values(self) -> dict:
        return {"role": combo_data(self.role)}


class OperatorsDialog(QDialog):
    """The accounts of this installation, for 管理员: list, add, reset, role, deactivate, unlock."""

    def __init__(self, ws, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("操作员账户")
        self.resize(640, 380)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("只有管理员可以管理账户。账户连续输错密码 5 次将锁定 15 分钟，可在此解锁。"))
        self.table = QTableWidget(0, len(HEADERS), objectName="operatorsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.buttons = {}
        for key, text, fn in (("add", "新建…", self.add), ("reset", "重设密码…", self.reset),
                              ("role", "设置角色…", self.set_role), ("deactivate", "停用", self.deactivate),
                              ("unlock", "解锁", self.unlock)):
            button = QPushButton(text, objectName=f"{key}Button")
            button.clicked.connect(fn)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch()
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.rows: list[operators.OperatorRow] = []
        self.refresh()

    def refresh(self) -> None:
        with self.ws.session() as s:
            self.rows = operators.list_operators(s)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            state = "已停用" if not r.active else (
                f"锁定至 {r.locked_until:%H:%M}" if r.locked_until else "正常")
            last = f"{r.last_sign_in:%Y-%m-%d %H:%M}" if r.last_sign_in else ""
            for j, text in enumerate((r.username, r.display_name, r.role_label, state, last)):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def selected(self) -> operators.OperatorRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _run(self, fn) -> bool:
        try:
            with self.ws.session() as s:
                fn(s)
                s.commit()
        except ShenGuanError as exc:
            QMessageBox.warning(self, "操作员账户", exc.message)
            return False
        self.refresh()
        return True

    def _form(self, dlg: FormDialog, fn) -> None:
        def submit(v):
            with self.ws.session() as s:
                fn(s, v)
                s.commit()

        dlg.submit = submit
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def add(self) -> None:
        self._form(AddOperatorDialog(self), lambda s, v: operators.create(
            s, v["username"], v["display_name"], v["password"], v["role"],
            self.ws.office.id if self.ws.office else None))

    def reset(self) -> None:
        r = self.selected()
        if r is not None:
            self._form(PasswordDialog(self, own=False, who=r.display_name),
                       lambda s, v: operators.reset_password(s, r.username, v["password"]))

    def set_role(self) -> None:
        r = self.selected()
        if r is not None:
            self._form(RoleDialog(r.display_name, r.role, self),
                       lambda s, v: operators.set_role(s, r.username, v["role"]))

    def deactivate(self) -> None:
        r = self.selected()
        if r is not None:
            self._run(lambda s: operators.deactivate(s, r.username))

    def unlock(self) -> None:
        r = self.selected()
        if r is not None:
            self._run(lambda s: operators.unlock(s, r.username))
