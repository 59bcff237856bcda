"""First run: say which office this installation is, and its first 管理员 account."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit

from app.db import Database
from app.services import offices as offices_service
from app.services import settings as settings_service
from app.services.exchange import keys as keys_service
from app.ui.dialogs.base import FormDialog, combo_data
from app.ui.sign_in import admin_fields, admin_values, create_admin

JURISDICTIONS = (
    "市本级", "站前区", "西市区", "鲅鱼圈区", "老边区", "盖州市", "大石桥市", "自贸区营口片区",
)
CREATE = "create"
DEMO = "demo"


class FirstRunDialog(FormDialog):
    """``choice`` is CREATE after the office was written, DEMO for "打开演示城市"."""

    def __init__(self, database: Database, parent=None):
        super().__init__(
            "审管通 — 首次使用", parent, ok_text="创建并开始使用",
            intro=(
                "欢迎使用审管通。一台电脑上的审管通代表一个单位：请填写本单位的信息。\n"
                "单位代码须与营商环境建设局公布的单位名录一致，以便与其他单位交换数据。\n"
                "只想先看看？请点“打开演示城市”，演示数据与正式数据分开保存。"
            ),
        )
        self.database = database
        self.choice: str | None = None
        self.code = self.add_field("code", "单位代码：", QLineEdit())
        self.code.setPlaceholderText("例如 YK-SPJ")
        self.name = self.add_field("name", "单位名称：", QLineEdit())
        self.name.setPlaceholderText("例如 营口市行政审批局")
        self.role = self.add_field("role", "单位类型：", QComboBox())
        for code, label in offices_service.ROLE_LABELS.items():
            self.role.addItem(label, code)
        self.jurisdiction = self.add_field("jurisdiction", "所属行政区域：", QComboBox())
        self.jurisdiction.setEditable(True)
        self.jurisdiction.addItems(JURISDICTIONS)
        # The first 管理员 account (issue 7): signed in when the wizard closes.
        admin_fields(self)
        self.account = None
        self.demo_button = self.buttons.addButton("打开演示城市", QDialogButtonBox.ButtonRole.ActionRole)
        self.demo_button.setObjectName("demoButton")
        self.demo_button.clicked.connect(self._demo)
        self.submit = self._create
        self.setMinimumWidth(520)

    def values(self) -> dict:
        return {
            "code": self.code.text(),
            "name": self.name.text(),
            "role": combo_data(self.role),
            "jurisdiction": self.jurisdiction.currentText(),
            **admin_values(self),
        }

    def _create(self, v: dict) -> str:
        offices_service.validate_office_fields(v["code"], v["name"], v["role"], v["jurisdiction"])
        with self.database.sessions() as s:
            office = offices_service.init_local_office(
                s, v["code"], v["name"], v["role"], v["jurisdiction"]
            )
            # The office's exchange keys, as `shenguan init` makes them: its key registration
            # form can be printed and sent to the oversight office on the first day.
            keys_service.generate(s, office)
            self.account = create_admin(s, v)  # after the key: accounts switch the guards on
            settings_service.put(s, settings_service.OPERATOR, self.account.display_name)
            settings_service.put(s, settings_service.CURRENT_OFFICE, office.code)
            s.commit()
        self.choice = CREATE
        return office.code

    def _demo(self) -> None:
        self.choice = DEMO
        self.done(FormDialog.DialogCode.Accepted)


def has_local_office(database: Database) -> bool:
    with database.sessions() as s:
        return bool(offices_service.local_offices(s))
