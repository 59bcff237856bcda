"""备份与恢复 on the real main window over a real SQLite file (only message boxes are mocked)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from app.db import SCHEMA_HEAD
from app.services import backups
from app.ui.backup_page import BackupPage
from tests.ui.test_sign_in import _window, accounts  # noqa: F401 - the fixture

pytestmark = pytest.mark.sqlite_only("backs up and restores a SQLite file")


def open_page(qtbot, window) -> BackupPage:
    settings = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("设置"))
    assert window.act_backups in settings.actions()
    window.act_backups.trigger()
    page = [c for c in window.children() if isinstance(c, BackupPage)][-1]  # the newest
    qtbot.addWidget(page)
    return page


def office_names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM offices WHERE is_local"))
    finally:
        con.close()


def test_backup_now_then_restore_closes_the_window(qtbot, window, db, monkeypatch, no_blocking_message_boxes):
    page = open_page(qtbot, window)
    assert page.table.rowCount() == 0
    made = page.create_backup()
    assert made is not None and made.reason == backups.MANUAL
    assert page.table.rowCount() == 1 and page.table.item(0, 1).text() == "手动备份"
    assert page.table.item(0, 4).text() == SCHEMA_HEAD

    db_file = Path(db.engine.url.database)
    with db.sessions() as s:
        s.execute(text("UPDATE offices SET name = name || '（改）' WHERE is_local"))
        s.commit()
    changed = office_names(db_file)

    asked = []

    def answer(_parent, title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    page.table.selectRow(0)
    assert page.restore_backup()
    assert "都将丢失" in asked[0] and "安全备份" in asked[0]
    assert office_names(db_file) != changed and all("（改）" not in n for n in office_names(db_file))
    assert not window.isVisible()  # the program closes: it must start again on the restored file
    assert any("重新启动" in text for _, text in no_blocking_message_boxes)
    reasons = sorted(b.reason for b in backups.list_backups(page.folder))
    assert reasons == ["before-restore", "manual"]


def test_restore_asks_and_a_no_changes_nothing(qtbot, window, db, monkeypatch):
    page = open_page(qtbot, window)
    page.create_backup()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    page.table.selectRow(0)
    assert not page.restore_backup()
    assert window.isVisible()
    assert [b.reason for b in backups.list_backups(page.folder)] == ["manual"]


def test_delete_and_folder_buttons(qtbot, window, monkeypatch):
    page = open_page(qtbot, window)
    assert page.table.rowCount() == 0 and "还没有备份" in page.message.text()  # says so, not a blank
    page.create_backup()
    opened = []
    monkeypatch.setattr("app.ui.backup_page.QDesktopServices.openUrl", lambda url: opened.append(url))
    page.open_folder()
    assert opened and opened[0].toLocalFile() == str(page.folder)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.table.selectRow(0)
    assert page.delete_backup()
    assert page.table.rowCount() == 0


def test_a_server_database_says_whose_job_it_is(qtbot):
    database = SimpleNamespace(url="postgresql+psycopg://u:p@server/shenguan", backup_folder=None)
    page = BackupPage(SimpleNamespace(database=database, refusal=lambda role: "", may=lambda role: True))
    qtbot.addWidget(page)
    assert "pg_dump" in page.info.text()
    assert not page.createButton.isEnabled() and not page.restoreButton.isEnabled()


def test_restore_and_delete_are_the_admins(qtbot, db, accounts, monkeypatch):  # noqa: F811
    """Replacing the database or deleting a backup: 管理员 only (once accounts exist)."""
    w = _window(qtbot, db, accounts["clerk"])
    page = open_page(qtbot, w)
    assert page.createButton.isEnabled()
    for b in (page.restoreButton, page.deleteButton):
        assert not b.isEnabled() and b.toolTip() == "仅管理员可用"
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    page.create_backup()
    before = [b.name for b in backups.list_backups(page.folder)]
    assert page.delete_backup() is False and page.restore_backup() is False
    assert "仅管理员可用" in page.message.text() and asked == []
    assert [b.name for b in backups.list_backups(page.folder)] == before
    page.close()

    w.ws.set_account(accounts["admin"])
    page = open_page(qtbot, w)
    assert page.restoreButton.isEnabled() and page.deleteButton.isEnabled()
    assert page.delete_backup() is True
    assert backups.list_backups(page.folder) == []
