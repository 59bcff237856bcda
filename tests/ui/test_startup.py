"""Start-up: the bundled font, the first-run dialog, app.gui.main, the demo city, lazy imports."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QFontMetrics, QRawFont
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from sqlalchemy import text

from app.db import open_database
from app.services import offices
from app.services import settings as settings_service
from tests.backends import database_url, home_url, is_postgresql
from tests.ui.conftest import check, on_next_dialog

CHINESE = "审管通行政审批局推送签收退回启动监管责任单位已逾期即将到期"


def test_bundled_font_loads_and_has_chinese_glyphs(qapp, bundled_font):
    from app.ui.fonts import font_path

    assert font_path().is_file()
    assert (font_path().parent / "LICENSE-wqy-microhei.txt").is_file()
    assert bundled_font == "WenQuanYi Micro Hei"
    assert bundled_font in QFontDatabase.families()
    font = qapp.font()
    assert font.family() == bundled_font
    raw = QRawFont.fromFont(font)
    assert raw.isValid() and raw.familyName() == bundled_font
    assert all(raw.supportsCharacter(ord(ch)) for ch in CHINESE)  # the uint overload
    assert 0 not in raw.glyphIndexesForString(CHINESE)
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in CHINESE)
    assert metrics.horizontalAdvance("审管通") > 0


def _run_wizard(database, handler):
    from app.ui.first_run import FirstRunDialog

    dlg = FirstRunDialog(database)
    state = on_next_dialog(handler)
    code = dlg.exec()
    check(state)
    return dlg, code


def test_first_run_creates_the_office(qapp, db):
    from app.ui.first_run import CREATE, has_local_office

    seen = []

    def fill(dlg):
        dlg.code.setText("x")
        dlg.ok_button.click()
        seen.append((dlg.error_text(), dlg.focusWidget() is dlg.code))
        dlg.code.setText("YK-ZJJ")
        dlg.name.setText("营口市住房和城乡建设局")
        dlg.role.setCurrentIndex(dlg.role.findData("competent"))
        dlg.jurisdiction.setCurrentText("市本级")
        dlg.ok_button.click()
        seen.append((dlg.error_text(), dlg.focusWidget() is dlg.admin_user))
        dlg.admin_user.setText("zhaoqiang")
        dlg.admin_name.setText("赵强")
        dlg.admin_password.setText("geheim12345")
        dlg.admin_again.setText("geheim12345")
        dlg.ok_button.click()

    assert not has_local_office(db)
    dlg, code = _run_wizard(db, fill)
    assert code == QDialog.DialogCode.Accepted and dlg.choice == CREATE
    assert "单位代码" in seen[0][0] and seen[0][1]
    assert "用户名" in seen[1][0] and seen[1][1]
    assert (dlg.account.username, dlg.account.role) == ("zhaoqiang", "admin")  # the first 管理员
    with db.sessions() as s:
        [office] = offices.local_offices(s)
        assert (office.code, office.name, office.role) == ("YK-ZJJ", "营口市住房和城乡建设局", "competent")
        assert settings_service.get(s, settings_service.OPERATOR) == "赵强"
        from app.services.exchange import keys as keys_service

        assert keys_service.own_key(s, office) is not None  # as `shenguan init`: keys from day one


def test_first_run_demo_choice_writes_nothing(qapp, db):
    from app.ui.first_run import DEMO, has_local_office

    dlg, code = _run_wizard(db, lambda d: d.demo_button.click())
    assert code == QDialog.DialogCode.Accepted and dlg.choice == DEMO
    assert not has_local_office(db)


@pytest.fixture
def no_event_loop(monkeypatch):
    """app.gui.main ends in app.exec(); return at once and keep the window for checks."""
    import app.ui.wiring as wiring

    built = []
    real = wiring.attach_database

    def keep(*a, **k):
        built.append(real(*a, **k))
        return built[-1]

    monkeypatch.setattr(wiring, "attach_database", keep)
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    yield built
    for w in built:
        w.close()


def test_gui_main_first_run_then_window(qtbot, tmp_path, no_event_loop, frozen):
    from app import gui

    def fill(dlg):
        dlg.code.setText("YK-SPJ")
        dlg.name.setText("营口市行政审批局")
        dlg.admin_user.setText("wangfang")
        dlg.admin_name.setText("王芳")
        dlg.admin_password.setText("geheim12345")
        dlg.admin_again.setText("geheim12345")
        dlg.ok_button.click()

    home = tmp_path / "office"
    state = on_next_dialog(fill)
    assert gui.main(["--home", str(home)]) == 0
    check(state)
    [window] = no_event_loop
    assert window.windowTitle() == "审管通 — 营口市行政审批局"
    assert not window.office_combo.isVisibleTo(window)  # one local office: no switcher
    assert window.act_record.isEnabled()
    assert window.ws.account.display_name == "王芳"  # signed in as the wizard's 管理员
    assert window.operator_label.text().strip() == "操作员：王芳（管理员）"
    assert is_postgresql() or (home / "shenguan.db").is_file()


def test_gui_main_cancelled_wizard_exits_quietly(qtbot, tmp_path, no_event_loop):
    from app import gui

    state = on_next_dialog(lambda dlg: dlg.reject())
    assert gui.main(["--home", str(tmp_path / "h")]) == 0
    check(state)
    assert no_event_loop == []


def test_gui_main_explains_a_newer_database(qtbot, tmp_path, no_event_loop, no_blocking_message_boxes):
    from app import gui

    home = tmp_path / "h"
    database = open_database(home_url(home))
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    database.engine.dispose()
    assert gui.main(["--home", str(home)]) == 1
    assert no_event_loop == []
    [(kind, message)] = no_blocking_message_boxes
    assert kind == "critical" and "比本程序新" in message and "升级审管通" in message


def test_gui_main_demo_builds_the_city_once(qtbot, tmp_path, no_event_loop, monkeypatch):
    pytest.importorskip("app.services.demo")
    from app import gui
    from app.ui import demo_city

    monkeypatch.setattr(demo_city, "DEMO_RESULTS", 40)
    home = tmp_path / "h"
    assert gui.main(["--home", str(home), "--demo"]) == 0
    [window] = no_event_loop
    assert (home / "demo" / "shenguan.db").is_file()
    assert not (home / "shenguan.db").exists()  # the real database is never touched
    assert len(window.ws.local_offices) > 2
    qtbot.waitUntil(lambda: window.office_combo.isVisibleTo(window), timeout=2000)
    assert window.ws.office.role == "approval"
    assert window.ws.operator
    qtbot.waitUntil(lambda: window.nav.count_of("all") == 40, timeout=5000)
    # A second start opens the same city without building it again.
    assert gui.main(["--home", str(home), "--demo"]) == 0
    assert no_event_loop[1].ws.local_offices == window.ws.local_offices


def test_demo_build_can_be_cancelled_and_keeps_nothing(qtbot, tmp_path, monkeypatch):
    import app.services.demo as demo
    from app.ui import demo_city

    def slow_builder(session, *, seed=2026, results=2000, progress=None):
        offices.add_office(session, "YK-SPJ", "营口市行政审批局", "approval", "市本级", local=True)
        session.flush()
        for i in range(2000):
            progress(i, 2000)
            time.sleep(0.002)

    monkeypatch.setattr(demo, "build_demo_city", slow_builder)

    def cancel(progress_dialog):
        qtbot.waitUntil(lambda: progress_dialog.value() > 5, timeout=5000)
        [button] = [b for b in progress_dialog.findChildren(QPushButton) if b.text() == "取消"]
        button.click()

    state = on_next_dialog(cancel)
    assert demo_city.ensure_demo_city(tmp_path / "h") is None
    check(state)
    _, database = demo_city.open_demo_database(tmp_path / "h")
    assert not demo_city.has_offices(database)  # rolled back, nothing half-built
    database.engine.dispose()


def test_benchmark_entry_builds_without_dialogs_or_dialog_modules(tmp_path):
    """wiring.build_main_window needs no dialog; the dialogs load on first use."""
    script = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.db import open_database
from app.services import offices
db = open_database({database_url(tmp_path / "b.db")!r})
with db.sessions() as s:
    offices.add_office(s, "YK-SPJ", "营口市行政审批局", "approval", "市本级", local=True)
    s.commit()
from app.ui.wiring import build_main_window
w = build_main_window(db, show=True)
app.processEvents()
lazy = [m for m in ("app.ui.dialogs.record", "app.ui.dialogs.push", "app.ui.dialogs.simple",
                    "app.ui.first_run", "app.ui.workers", "app.services.detail") if m in sys.modules]
print("LAZY-LOADED:", lazy)
w.close()
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "LAZY-LOADED: []" in out.stdout


def test_demo_build_failure_is_explained(qtbot, tmp_path, monkeypatch, no_blocking_message_boxes):
    import app.services.demo as demo
    from app.ui import demo_city

    def broken(session, *, seed=2026, results=2000, progress=None):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(demo, "build_demo_city", broken)
    assert demo_city.ensure_demo_city(tmp_path / "h") is None
    [(kind, message)] = no_blocking_message_boxes
    assert kind == "critical" and "生成演示城市失败" in message and "磁盘已满" in message
