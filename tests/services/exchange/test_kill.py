"""Kill an import process midway (inside its transaction): the database is intact afterwards
and the same bundle imports cleanly."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services import results
from app.services.exchange import importer
from tests.backends import child_env, is_postgresql
from tests.conftest import a_result_input
from tests.services.exchange.conftest import export, import_file, logical_dump

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_killed_import_leaves_the_database_intact(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    with ap.session() as s:
        for i in range(12):
            r = results.record(s, a_result_input(licence_number=f"LIC-{i}"), office=ap.office(s), operator="王芳")
            results.push(s, r, office=ap.office(s), operator="王芳")
        s.commit()
    path = export(ap, "YK-ZJJ", tmp_path)
    before = logical_dump(zj)
    zj.db.engine.dispose()

    marker = tmp_path / "inside-transaction"
    env = child_env(zj.path, dict(os.environ, SHENGUAN_TEST_IMPORT_PAUSE="0.05",
                                  SHENGUAN_TEST_IMPORT_MARKER=str(marker)))
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "--home", str(zj.path), "bundle", "import",
                             str(path)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(random.uniform(0, 0.4))  # somewhere among the 12 messages
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL

    if not is_postgresql():
        with sqlite3.connect(zj.path / "shenguan.db") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert logical_dump(zj) == before
    report = import_file(zj, path)
    assert report.status == importer.APPLIED, report.message
    assert [o.outcome for o in report.outcomes] == ["created"] * 12
