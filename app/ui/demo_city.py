"""The demo city: its own database under ``<home>/demo``, built in the background once."""

from __future__ import annotations

import inspect
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.config import DB_FILENAME
from app.db import Database
from app.ui.workers import Outcome, run_with_progress

DEMO_FOLDER = "demo"
DEMO_RESULTS = 2000
DEMO_SEED = 2026
DEMO_OPERATOR = "演示用户"


def demo_home(home: Path) -> Path:
    return Path(home) / DEMO_FOLDER


def open_demo_database(home: Path) -> tuple[Path, Database]:
    """Open (creating if needed) the demo database; never the real one, whatever SHENGUAN_DB says."""
    from app.bootstrap import open_app_database

    folder = demo_home(home)
    return open_app_database(folder, f"sqlite:///{folder / DB_FILENAME}")


def has_offices(database: Database) -> bool:
    from sqlalchemy import func, select

    from app.models import Office

    with database.sessions() as s:
        return bool(s.scalar(select(func.count()).select_from(Office)))


def build_demo(database: Database, parent: QWidget | None = None, *,
               results: int | None = None) -> Outcome:
    """Generate the demo city with a cancellable progress dialog; nothing is kept if cancelled."""
    results = DEMO_RESULTS if results is None else results
    try:
        from app.services import demo
    except ImportError as exc:
        return Outcome(False, error=exc)
    builder = demo.build_demo_city
    takes_progress = "progress" in inspect.signature(builder).parameters

    def work(progress):
        from app.services import offices as offices_service
        from app.services import settings as settings_service

        with database.sessions() as s:
            if takes_progress:
                builder(s, seed=DEMO_SEED, results=results, progress=progress)
            else:
                builder(s, seed=DEMO_SEED, results=results)
            progress(0, 0)  # raises Cancelled if the user gave up meanwhile: rolls back
            if not offices_service.local_offices(s):  # the demo acts as every office
                for o in offices_service.all_offices(s):
                    o.is_local = o.role in ("approval", "competent")
            if not settings_service.get(s, settings_service.OPERATOR):
                settings_service.put(s, settings_service.OPERATOR, DEMO_OPERATOR)
            s.commit()
        return True

    return run_with_progress(
        parent, "演示城市", f"正在生成演示城市（{results} 条审批结果）…", work,
        indeterminate=not takes_progress,
    )


def ensure_demo_city(home: Path, parent: QWidget | None = None) -> Database | None:
    """Open the demo database, building the city first when it has no offices yet."""
    from app.services.errors import ShenGuanError

    try:
        _, database = open_demo_database(home)
    except ShenGuanError as exc:
        QMessageBox.critical(parent, "审管通", f"无法打开演示数据库：{exc.message}")
        return None
    if has_offices(database):
        return database
    outcome = build_demo(database, parent)
    if outcome.ok:
        return database
    if outcome.error is not None:
        QMessageBox.critical(parent, "审管通", f"生成演示城市失败：{outcome.error}")
    database.engine.dispose()
    return None
