"""The crash harness of tests/test_crash.py: run a real ``python -m app.cli --home …`` command
in a child process, SIGKILL it at a random moment (or let it kill itself at a named point,
``SHENGUAN_TEST_CRASH_AT``, see app/services/exchange/files.py), and look at what it left:
the SQLite file (integrity, foreign keys, a plain dump of every table), the audit chain, and
the files it was writing.

Everything here reads the database with the ``sqlite3`` module, never through
``app.db.open_database``, which would upgrade an old schema before we could look at it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "shenguan.db"


# -- running and killing ------------------------------------------------------------------------

# A warm interpreter that has imported the program and forks one child per command: the child
# runs ``app.cli.main(argv)`` exactly as ``python -m app.cli`` does, only without Python's own
# start-up (seconds on a loaded machine), so the random kill delays land in the work itself.
ZYGOTE = r"""
import json, os, sys
import app.cli, app.db, alembic.command, reportlab.pdfgen.canvas
from app.services.exchange import exporter, importer
from app.services.forms import batch
out = sys.stdout
out.write("ready\n"); out.flush()
for line in sys.stdin:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        os.environ.update(req["env"])
        fd = os.open(req["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1); os.dup2(fd, 2)
        code = 1
        try:
            code = app.cli.main(req["argv"])
        finally:
            sys.stdout.flush(); sys.stderr.flush()
            os._exit(code)
    out.write(json.dumps({"pid": pid}) + "\n"); out.flush()
    _, status = os.waitpid(pid, 0)
    out.write(json.dumps({"status": os.waitstatus_to_exitcode(status)}) + "\n"); out.flush()
"""


@dataclass
class Run:
    returncode: int
    seconds: float
    output: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


class Runner:
    """Runs CLI commands in child processes forked from one warm interpreter (:data:`ZYGOTE`)."""

    def __init__(self, logs: Path) -> None:
        self.logs = Path(logs)
        self.logs.mkdir(parents=True, exist_ok=True)
        self.count = 0
        env = dict(os.environ, SHENGUAN_OPERATOR="王芳")
        env.pop("SHENGUAN_DB", None)
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def run(self, home: Path, args: list[str], *, kill_after: float | None = None,
            env: dict[str, str] | None = None) -> Run:
        """``shenguan --home HOME ARGS…``; with ``kill_after``, SIGKILL it that many seconds
        after it started (if it is still running). ``env`` adds variables (crash points)."""
        self.count += 1
        log = self.logs / f"{self.count:04d}.log"
        argv = ["--home", str(home), *args]
        self.proc.stdin.write(json.dumps({"argv": argv, "env": env or {}, "log": str(log)}) + "\n")
        self.proc.stdin.flush()
        pid = json.loads(self.proc.stdout.readline())["pid"]
        start = time.monotonic()
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # a zombie until the zygote reaps it: harmless
        status = json.loads(self.proc.stdout.readline())["status"]
        return Run(status, time.monotonic() - start, log.read_text("utf-8", "replace"))

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(30)


def copy_home(source: Path, target: Path) -> Path:
    """A fresh copy of a prepared data folder (its SQLite file, WAL, keys, folders)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


# -- looking at a database ----------------------------------------------------------------------


def connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db)


def check_sqlite(db: Path) -> None:
    """``integrity_check`` says ok and no foreign key points nowhere."""
    with connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def revision(db: Path) -> str | None:
    conn = connect(db)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def dump(db: Path, volatile: dict[str, tuple[str, ...]] | None = None) -> dict[str, list]:
    """The schema and every row of every table, sorted. ``volatile`` names, per table, the
    columns left out (values a run makes up afresh: its own UUIDs and clock readings), so that
    two complete runs of the same work compare equal; a table mapped to ``()`` is left out
    entirely except for its row count."""
    volatile = volatile or {}
    conn = connect(db)
    try:
        out: dict[str, list] = {
            "schema": sorted(conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchall(), key=repr)}
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        for t in sorted(tables):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')]
            if t in volatile and volatile[t] == ():
                out[t] = [conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]]
                continue
            keep = [c for c in cols if c not in volatile.get(t, ())]
            sql = "SELECT " + ", ".join(f'"{c}"' for c in keep) + f' FROM "{t}"'
            out[t] = sorted(map(repr, conn.execute(sql).fetchall()))
        return out
    finally:
        conn.close()


def audit_verifies(db: Path) -> None:
    """The hash chain of the audit log verifies (when this schema has one)."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.orm import Session

    from app.services import audit_log

    engine = create_engine(f"sqlite:///{db}")
    try:
        if not inspect(engine).has_table("audit_events"):
            return
        with Session(engine) as s:
            v = audit_log.verify(s)
            assert v.ok, v
    finally:
        engine.dispose()


# -- files --------------------------------------------------------------------------------------


def temp_files(folder: Path) -> list[Path]:
    """Temporary files of an atomic write (``.NAME.xxxx.tmp``)."""
    return sorted(Path(folder).glob(".*.tmp")) if Path(folder).is_dir() else []


def pdf_is_complete(path: Path) -> int:
    """The number of pages of a complete PDF (fails on a truncated one)."""
    from pypdf import PdfReader

    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:], f"{path} is truncated"
    return len(PdfReader(path, strict=True).pages)


# -- the prepared installations -----------------------------------------------------------------


def prepare(root: Path, real: int, synthetic: int) -> dict[str, Path]:
    """Three installations (营商局, 审批局, 住建局; roster exchanged). The approval bureau
    records and pushes ``real`` results to the housing department (for the 移交清单) and has
    ``synthetic`` more messages waiting in its outbox (copies of a real push with new UUIDs,
    as benchmarks/bench_import.py makes them), so its bundle is large enough to be killed
    midway. Returns the data folders ``ap`` and ``zj`` (engines closed)."""
    from sqlalchemy import select

    from app import clock
    from app.models import OutboxMessage
    from app.services import results
    from app.services.results import ResultInput
    from tests.conftest import valid_uscc
    from tests.services.exchange.conftest import build_world, close_world

    clock.freeze(datetime(2026, 11, 25, 10, 0, 0))
    try:
        world = build_world(root)
        ap = world.ap
        with ap.session() as s:
            bureau, housing = ap.office(s), ap.office(s, "YK-ZJJ")
            for i in range(real):
                r = results.record(s, ResultInput(
                    item_code="ZJ-001", applicant_name=f"营口市第{i}建筑有限公司",
                    applicant_id=valid_uscc(), contact_name="李明", contact_phone="13904171234",
                    result="准予许可", decided_on=date(2026, 11, 24),
                    licence_number=f"2108002026{i:08d}", licence_issued_on=date(2026, 11, 24),
                    materials="施工许可申请表；施工合同"), office=bureau, operator="王芳")
                results.push(s, r, office=bureau, operator="王芳")
            s.flush()
            template = json.loads(s.scalars(select(OutboxMessage.body)).first())
            rows = []
            for i in range(synthetic):
                m = json.loads(json.dumps(template))
                m["id"] = str(uuid.uuid4())
                did, rid = str(uuid.uuid4()), str(uuid.uuid4())
                m["dispatch"]["id"], m["dispatch"]["subject_id"], m["subject"]["id"] = did, rid, rid
                m["subject"]["applicant_name"] = f"营口市第{real + i}建筑有限公司"
                m["subject"]["licence_number"] = f"2108002026{real + i:08d}"
                for e in m["events"]:
                    e["id"] = str(uuid.uuid4())
                rows.append(OutboxMessage(
                    id=uuid.UUID(m["id"]), sender_office_id=bureau.id, addressee_office_id=housing.id,
                    dispatch_id=uuid.UUID(did), action="send", body=json.dumps(m, ensure_ascii=False),
                    created_at=clock.now()))
            s.add_all(rows)
            s.commit()
        close_world(world)
        return {"ap": world.ap.path, "zj": world.zj.path}
    finally:
        clock.freeze(None)
