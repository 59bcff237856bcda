"""Sign-in at start (issue 7, item 6): the first 管理员 account of a database without any, then
the sign-in dialog before the window becomes usable. No accounts in the demo city."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLineEdit

from app.db import Database
from app.services import offices as offices_service
from app.services import operators
from app.services.errors import ValidationError
from app.ui.dialogs.base import FormDialog


def password_edit() -> QLineEdit:
    w = QLineEdit()
    w.setEchoMode(QLineEdit.EchoMode.Password)
    return w


def admin_fields(dialog: FormDialog, name: str = "") -> None:
    """用户名, 姓名, 密码 twice: the first 管理员 (first-run wizard and upgraded databases)."""
    dialog.admin_user = dialog.add_field("username", "管理员用户名：", QLineEdit())
    dialog.admin_user.setPlaceholderText("英文字母开头，例如 wangfang")
    dialog.admin_name = dialog.add_field("display_name", "管理员姓名：", QLineEdit(name))
    dialog.admin_name.setPlaceholderText("您的姓名，记录在每一次操作中")
    dialog.admin_password = dialog.add_field("password", "密码：", password_edit())
    dialog.admin_password.setPlaceholderText(f"至少 {operators.MIN_PASSWORD} 位，含字母和数字")
    dialog.admin_again = dialog.add_field("password2", "再次输入密码：", password_edit())


def admin_values(dialog: FormDialog) -> dict:
    return {"username": dialog.admin_user.text(), "display_name": dialog.admin_name.text(),
            "password": dialog.admin_password.text(), "password2": dialog.admin_again.text()}


def check_admin_values(values: dict) -> None:
    operators.validate_username(values["username"])
    operators.validate_display_name(values["display_name"])
    operators.validate_password(values["password"])
    if values["password2"] != values["password"]:
        raise ValidationError("两次输入的密码不一致，请重新输入。", "password2")


def create_admin(session, values: dict) -> operators.Account:
    check_admin_values(values)
    local = offices_service.local_offices(session)
    return operators.create(session, values["username"], values["display_name"], values["password"],
                            operators.ADMIN, local[0].id if len(local) == 1 else None)


class CreateAdminDialog(FormDialog):
    """A database without accounts (upgraded from before accounts existed): asked once."""

    def __init__(self, database: Database, parent=None):
        super().__init__(
            "审管通 — 设置管理员账户", parent, ok_text="创建并登录",
            intro=("本版本起，审管通须登录使用：每一次操作都记录登录的操作员，只有负责人可以签收、退回，"
                   "只有管理员可以管理账户、密钥和节假日安排。\n请先为本机创建管理员账户，"
                   "再在“设置 → 操作员账户…”中为经办人和负责人开设账户。"),
        )
        self.database = database
        admin_fields(self)
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("退出")
        self.submit = self._create

    def values(self) -> dict:
        return admin_values(self)

    def _create(self, values: dict) -> operators.Account:
        with self.database.sessions() as s:
            account = create_admin(s, values)
            s.commit()
        return account


class SignInDialog(FormDialog):
    """用户名 and 密码; a refusal (wrong password, locked account) shows above the form."""

    def __init__(self, database: Database, parent=None):
        super().__init__("审管通 — 登录", parent, ok_text="登录",
                         intro="请输入您的用户名和密码。忘记密码请联系本单位的管理员。")
        self.database = database
        self.username = self.add_field("username", "用户名：", QLineEdit())
        self.password = self.add_field("password", "密码：", password_edit())
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("退出")
        self.submit = self._sign_in
        self.setMinimumWidth(400)

    def values(self) -> dict:
        if not self.username.text().strip():
            raise ValidationError("请填写用户名。", "username")
        return {"username": self.username.text(), "password": self.password.text()}

    def _sign_in(self, values: dict) -> operators.Account:
        with self.database.sessions() as s:
            try:
                return operators.sign_in(s, values["username"], values["password"])
            except operators.SignInRefused:
                self.password.clear()
                raise
            finally:
                s.commit()  # the failure count, also when refused


def accounts_enabled(database: Database) -> bool:
    with database.sessions() as s:
        return operators.accounts_enabled(s)


def sign_in_at_start(database: Database, parent=None, *, demo: bool = False):
    """The operator for this window: an Account, None (no accounts: the demo city), or False
    when the user chose 退出."""
    if not accounts_enabled(database):
        if demo:
            return None
        dialog = CreateAdminDialog(database, parent)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else False
    dialog = SignInDialog(database, parent)
    return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else False
