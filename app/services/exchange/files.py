"""Files of the exchange: atomic writes, reading with a size limit, the quarantine and held
folders in the data folder."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import shutil
import signal
import tempfile
from pathlib import Path

from app import clock
from app.services.errors import FileFormatError, ShenGuanError

QUARANTINE = "quarantine"
HELD = "held"


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush and fsync, then rename over it.

    A temporary file of the same name left by a process killed midway (``.NAME.xxxx.tmp``) is
    removed first: the file is simply written again (docs/crash-safety.md)."""
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f".{glob.escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ShenGuanError(f"无法写入 {folder}：{exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        crash_point("written")
        os.replace(tmp, path)
        _fsync_dir(folder)
        crash_point("renamed")
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ShenGuanError(f"无法写入 {path}：{exc.strerror or exc}") from exc


def crash_point(name: str) -> None:
    """Tests only (tests/test_crash.py): with ``SHENGUAN_TEST_CRASH_AT=name`` the process kills
    itself here, at a moment too short for a random kill to hit: ``written`` (the temporary
    file complete, not yet renamed), ``renamed`` (the file in place, the database not yet
    committed)."""
    if os.environ.get("SHENGUAN_TEST_CRASH_AT") == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_limited(path: Path, limit: int, what: str) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise FileFormatError(f"{what}过大：{size:,} 字节，上限 {limit:,} 字节。")
        with path.open("rb") as f:
            return f.read(limit + 1)
    except FileNotFoundError:
        raise ShenGuanError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise ShenGuanError(f"{path} 是文件夹，请指定文件。") from None
    except OSError as exc:
        raise ShenGuanError(f"无法读取 {path}：{exc.strerror or exc}") from exc


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80] or "file"


def keep(home: Path, folder: str, source_name: str, data: bytes, report: dict) -> Path:
    """Copy a refused (quarantine) or held file into ``<home>/<folder>/`` with its report."""
    target_dir = Path(home) / folder
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    base = f"{stamp}-{_safe(Path(source_name).stem)}"
    n = 0
    while (target_dir / f"{base}{'-' + str(n) if n else ''}.json").exists():
        n += 1
    target = target_dir / f"{base}{'-' + str(n) if n else ''}.json"
    atomic_write(target, data)
    report_text = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
    atomic_write(target.with_suffix(".report.json"), report_text)
    return target


def kept_reports(home: Path, folder: str) -> list[dict]:
    """The reports of kept files, newest first (each with ``file`` set to the kept copy)."""
    out = []
    for report in sorted((Path(home) / folder).glob("*.report.json"), reverse=True):
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        data["file"] = str(report.with_name(report.name.replace(".report.json", ".json")))
        out.append(data)
    return out


def remove_kept(path: Path) -> None:
    with contextlib.suppress(OSError):
        Path(path).unlink()
    with contextlib.suppress(OSError):
        Path(path).with_suffix(".report.json").unlink()


def copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
