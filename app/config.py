"""Where this installation keeps its data: the data folder and the database URL."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "ShenGuan"
DB_FILENAME = "shenguan.db"


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``--home``, else ``SHENGUAN_HOME``, else the per-user data folder."""
    chosen = home or os.environ.get("SHENGUAN_HOME")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, False))
    return path.expanduser().resolve()


def resolve_db_url(db: str | None = None, home: Path | None = None) -> str:
    """The database URL: ``--db``, else ``SHENGUAN_DB``, else SQLite in the data folder."""
    url = db or os.environ.get("SHENGUAN_DB")
    if url:
        return url
    return f"sqlite:///{(home or resolve_home()) / DB_FILENAME}"


def resources_dir() -> Path:
    """The ``resources/`` folder, from a source checkout or a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
