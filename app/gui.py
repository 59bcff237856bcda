"""Desktop entry point (the ``shenguan-gui`` gui-script and ``main.py``).

Start-up order, so the window paints quickly: Qt application and the bundled font; the
main window's frame, painted before the database layer is imported; then the database (a
clear message if it cannot be opened), the first-run dialog when this installation has no
office yet (or the demo city), the sign-in (app.ui.sign_in; the first 管理员 account of a database
without any), and the work area put into the frame by app.ui.wiring.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="shenguan-gui", description="审管通：相对集中行政许可审管协同（桌面程序）"
    )
    parser.add_argument("--home", metavar="DIR", help="数据文件夹（默认：用户数据目录）")
    parser.add_argument("--db", metavar="URL", help="数据库地址（默认：数据文件夹中的 SQLite）")
    parser.add_argument(
        "--demo", action="store_true", help="打开演示城市（数据文件夹下的 demo 子文件夹）"
    )
    return parser.parse_known_args(argv)


def _excepthook(parent_getter):
    """Errors escaping a slot are shown, not lost: a user's sentence or a short report."""

    def hook(exc_type, exc, tb):
        from PySide6.QtWidgets import QMessageBox

        from app.services.errors import ShenGuanError

        parent = parent_getter()
        if isinstance(exc, ShenGuanError):
            QMessageBox.warning(parent, "审管通", exc.message)
            return
        traceback.print_exception(exc_type, exc, tb)
        QMessageBox.critical(
            parent, "审管通",
            f"程序遇到意外错误，刚才的操作没有完成，已保存的数据不受影响。\n\n{exc_type.__name__}: {exc}",
        )

    return hook


def open_database_or_explain(home: Path, db: str | None, parent=None):
    """Open the database; on failure show why in a message box and return None."""
    from PySide6.QtWidgets import QMessageBox

    from app.bootstrap import open_app_database
    from app.services.errors import ShenGuanError

    try:
        return open_app_database(home, db)[1]
    except ShenGuanError as exc:
        reason = exc.message
    except Exception as exc:  # noqa: BLE001 - a damaged file, a missing driver, a locked disk
        reason = f"{type(exc).__name__}: {exc}"
    QMessageBox.critical(
        parent, "审管通 — 无法打开数据库",
        f"无法打开数据库，程序将退出。\n\n{reason}\n\n数据文件夹：{home}",
    )
    return None


def main(argv: list[str] | None = None) -> int:
    args, qt_args = parse_args(sys.argv[1:] if argv is None else list(argv))

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("ShenGuan")
    app.setApplicationDisplayName("审管通")
    from app.ui.fonts import load_bundled_font

    load_bundled_font(app)

    # Paint the window's frame before the database layer is even imported.
    from app.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    app.processEvents()

    database = open_for_window(window, args)
    if database is None:
        window.close()
        return 1 if window.property("startFailed") else 0

    # Sign-in (issue 7) before the window becomes usable; the wizard's admin is signed in.
    from app.ui.sign_in import sign_in_at_start

    account = getattr(window, "signed_in", None) or sign_in_at_start(database, window, demo=args.demo)
    if account is False:  # 退出
        database.engine.dispose()
        window.close()
        return 0

    from app.ui.accounts import wire_accounts
    from app.ui.wiring import attach_database

    attach_database(window, database)
    wire_accounts(window, window.ws, account)
    if database.backup is not None:
        window.statusBar().showMessage(f"数据库已升级，升级前的副本保存在 {database.backup}", 15000)
    sys.excepthook = _excepthook(lambda: window)
    try:
        return app.exec()
    finally:
        sys.excepthook = sys.__excepthook__
        database.engine.dispose()


def open_for_window(window, args):
    """The database the window will show: the demo city, or this office's (first run asks).

    Returns None when there is nothing to show; the window's ``startFailed`` property says
    whether that was an error (exit code 1) or the user's choice (0).
    """
    from PySide6.QtWidgets import QDialog

    from app.config import resolve_home

    home = resolve_home(args.home)
    if args.demo:
        return _demo(window, home)
    database = open_database_or_explain(home, args.db, window)
    if database is None:
        window.setProperty("startFailed", True)
        return None
    from app.ui.first_run import DEMO, FirstRunDialog, has_local_office

    if has_local_office(database):
        return database
    window.show_placeholder("首次使用：请填写本单位信息")
    wizard = FirstRunDialog(database, window)
    if wizard.exec() != QDialog.DialogCode.Accepted:
        database.engine.dispose()
        return None
    if wizard.choice == DEMO:
        database.engine.dispose()
        return _demo(window, home)
    window.signed_in = wizard.account
    return database


def _demo(window, home: Path):
    from app.ui.demo_city import ensure_demo_city

    window.show_placeholder("正在打开演示城市…")
    database = ensure_demo_city(home, window)
    if database is None:
        window.setProperty("startFailed", True)
    return database


if __name__ == "__main__":
    raise SystemExit(main())
