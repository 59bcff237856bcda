"""Open this installation's database from the command-line options and environment."""

from __future__ import annotations

from pathlib import Path

from app.config import resolve_db_url, resolve_home
from app.db import Database, open_database


def open_app_database(home: str | Path | None = None, db: str | None = None) -> tuple[Path, Database]:
    """Resolve the data folder and database URL, then open (and if needed upgrade) it.

    Backups made before an upgrade go to ``<home>/backups``.
    """
    home_path = resolve_home(home)
    home_path.mkdir(parents=True, exist_ok=True)
    url = resolve_db_url(db, home_path)
    return home_path, open_database(url, home_path / "backups")
