"""Crash safety (issue 7 item 3): kill imports, exports, batch prints and migrations at random
moments and at chosen points, then check what they left and run them again.

Every workload is a real CLI command (``shenguan --home DIR …``) in a child process (see
tests/crash_helpers.py), started on a fresh copy of one prepared data folder and SIGKILLed
after a seeded random delay spread over the command's measured duration, or at a named crash
point (``SHENGUAN_TEST_CRASH_AT``) that random timing cannot hit. After every kill:

- SQLite ``PRAGMA integrity_check`` is ok and ``PRAGMA foreign_key_check`` is empty;
- the database is exactly as before the command, or exactly as after an uninterrupted run
  (apart from the UUIDs and clock readings a run makes up afresh; the schema is compared
  too, so a migration is at the old revision or the new one, never between);
- the audit chain verifies;
- the files agree with the database: a bundle the channel counts as exported is on disk,
  complete, with the recorded SHA-256 and a valid signature; a PDF under its final name is
  complete; a 移交清单 recorded in the database has its PDF; listed backups are complete;
- then the same command is run again and succeeds, with the result of an uninterrupted run,
  and no temporary file is left.

The kill counts are constants (``KILLS``, ``POINTS``); docs/crash-safety.md reports them.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import crash_helpers as ch

pytestmark = [
    pytest.mark.sqlite_only("kills processes writing a SQLite file and looks at the file"),
    pytest.mark.skipif(os.name == "nt", reason="SIGKILL and fork"),
]

SEED = int(os.environ.get("SHENGUAN_CRASH_SEED", "20261125"))
REAL_PUSHES = 40  # recorded and pushed at the approval bureau: the 移交清单 lists them
SYNTHETIC = 1000  # more messages in its outbox: the bundle has 1,040
OLD_REVISION = "0004"  # the migration workload upgrades 0004 → head
# Random-moment kills per workload (each followed by a re-run and all the checks).
KILLS = {"import": 14, "export": 12, "batch": 12, "migration": 12}
# Kills at named points (SHENGUAN_TEST_CRASH_AT), where random timing rarely lands.
POINTS = {"export": ("written", "renamed"), "batch": ("written", "renamed")}
MIN_TOTAL = 50
assert sum(KILLS.values()) + sum(map(len, POINTS.values())) >= MIN_TOTAL

# Columns whose values every run makes up afresh (its own UUIDs and clock readings): left out
# when a killed-and-re-run result is compared with an uninterrupted run.
VOLATILE = {
    # (and the order of the events of one flush: the unit of work orders updates as it likes)
    "audit_events": ("seq", "at", "entity_id", "parent_id", "what", "prev_hash", "hash"),
    "audit_head": ("last_hash",),
    "bundle_records": ("id", "bundle_id", "created", "processed_at", "sha256", "report"),
    "exchange_channels": ("id",),
    "inbox_messages": ("applied_at",),
    "paper_batches": ("id", "created_at"),
    "paper_batch_items": ("id", "batch_id"),
}


@dataclass
class Workload:
    name: str
    snapshot: Path  # the prepared data folder, copied to ``work`` for every run
    work: Path
    out: Path  # where the command writes its file (bundle, PDF), emptied for every run
    args: list[str]
    before: dict = field(default_factory=dict)  # exact dump of the snapshot
    after: dict = field(default_factory=dict)  # normalized dump after an uninterrupted run
    # … after two: when a kill came after the commit, running the command again is a second
    # piece of work (the next bundle, the next 移交清单; an import or upgrade changes nothing)
    again: dict = field(default_factory=dict)
    seconds: float = 0.0  # the uninterrupted run's duration
    pages: int = 0

    @property
    def db(self) -> Path:
        return self.work / ch.DB

    def fresh(self) -> Path:
        ch.copy_home(self.snapshot, self.work)
        shutil.rmtree(self.out, ignore_errors=True)
        self.out.mkdir(parents=True)
        return self.work


@dataclass
class Prepared:
    runner: ch.Runner
    workloads: dict[str, Workload]
    sign_public: bytes  # the approval bureau's signing key: bundles on disk must verify
    kills: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Prepared:
    root = tmp_path_factory.mktemp("crash")
    homes = ch.prepare(root / "prep", REAL_PUSHES, SYNTHETIC)
    runner = ch.Runner(root / "logs")
    try:
        wl = {
            "export": Workload("export", homes["ap"], root / "export", root / "export-out",
                               ["bundle", "export", "--to", "YK-ZJJ", "--out", str(root / "export-out")]),
            "batch": Workload("batch", homes["ap"], root / "batch", root / "batch-out",
                              ["forms", "batch", "--to", "YK-ZJJ", "--with-forms",
                               "--out", str(root / "batch-out" / "移交清单.pdf")]),
        }
        for w in wl.values():
            _reference(runner, w)
        bundle = root / "bundle.json"  # the export's bundle, imported by the housing department
        shutil.copyfile(next(wl["export"].out.glob("*.json")), bundle)
        wl["import"] = Workload("import", homes["zj"], root / "import", root / "import-out",
                                ["bundle", "import", str(bundle)])
        _reference(runner, wl["import"])
        old = _old_schema(wl["import"].work, root / "old")
        wl["migration"] = Workload("migration", old, root / "migration", root / "migration-out",
                                   ["bundle", "status"])
        _reference(runner, wl["migration"])
        yield Prepared(runner, wl, _sign_public(homes["ap"]))
    finally:
        runner.close()


def _reference(runner: ch.Runner, w: Workload) -> None:
    """The uninterrupted run: its duration, its result."""
    w.before = ch.dump(w.snapshot / ch.DB)
    w.fresh()
    run = runner.run(w.work, w.args)
    assert run.returncode == 0, run.output
    w.seconds = run.seconds
    w.after = ch.dump(w.db, VOLATILE)
    assert w.after != ch.dump(w.snapshot / ch.DB, VOLATILE)  # the work changes something
    if w.name == "batch":
        w.pages = ch.pdf_is_complete(w.out / "移交清单.pdf")
    second = runner.run(w.work, w.args)
    assert second.returncode == 0, second.output
    w.again = ch.dump(w.db, VOLATILE)


def _old_schema(source: Path, target: Path) -> Path:
    """A copy of a data folder whose database is taken back to OLD_REVISION (alembic downgrade)."""
    from alembic import command
    from sqlalchemy import create_engine

    from app.db import alembic_config

    ch.copy_home(source, target)
    shutil.rmtree(target / "backups", ignore_errors=True)
    engine = create_engine(f"sqlite:///{target / ch.DB}")
    try:
        command.downgrade(alembic_config(engine), OLD_REVISION)
    finally:
        engine.dispose()
    assert ch.revision(target / ch.DB) == OLD_REVISION
    return target


def _sign_public(home: Path) -> bytes:
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from app.models import Office
    from app.services.exchange import keys

    engine = create_engine(f"sqlite:///{home / ch.DB}")
    try:
        with Session(engine) as s:
            office = s.scalar(select(Office).where(Office.code == "YK-SPJ"))
            return keys.own_key(s, office).sign_public
    finally:
        engine.dispose()


# -- the checks ---------------------------------------------------------------------------------


def _state(w: Workload) -> str:
    """"before", "after" (one run's work) or "again" (two runs' work): anything else is a
    half-done piece of work."""
    if ch.dump(w.db) == w.before:
        return "before"
    now = ch.dump(w.db, VOLATILE)
    if now == w.after:
        return "after"
    assert now == w.again, f"{w.name}: the database is neither before nor after: {_diff(now, w.after)}"
    return "again"


def _diff(now: dict, want: dict) -> str:
    out = []
    for table in sorted(set(now) | set(want)):
        a, b = now.get(table, []), want.get(table, [])
        if a != b:
            extra, missing = sorted(set(a) - set(b))[:3], sorted(set(b) - set(a))[:3]
            out.append(f"{table}: {len(a)} rows vs {len(b)}; extra {extra}; missing {missing}")
    return "\n".join(out)


def _bundle_ok(path: Path, sign_public: bytes, sha256: str | None = None) -> None:
    from app.services.exchange import bundle

    data = path.read_bytes()
    assert bundle.verify(bundle.read_envelope(data), sign_public), f"{path} does not verify"
    if sha256 is not None:
        assert hashlib.sha256(data).hexdigest() == sha256


def _files_agree(w: Workload, state: str, sign_public: bytes) -> None:
    """The files on disk agree with the database."""
    finals = sorted(p for p in w.out.iterdir() if not p.name.startswith("."))
    if w.name == "export":
        for p in finals:  # under its final name a bundle is complete (an orphan is harmless)
            _bundle_ok(p, sign_public)
        conn = sqlite3.connect(w.db)
        try:
            recorded = conn.execute(
                "SELECT file_name, sha256 FROM bundle_records WHERE direction = 'out'").fetchall()
            pending = conn.execute(
                "SELECT count(*) FROM outbox_messages WHERE acked_at IS NULL").fetchone()[0]
        finally:
            conn.close()
        assert pending == REAL_PUSHES + SYNTHETIC  # unacknowledged messages are all still there
        assert len(recorded) == {"before": 0, "after": 1, "again": 2}[state]
        for name, sha in recorded:  # counted as exported ⇒ the file is there, whole and signed
            _bundle_ok(Path(name), sign_public, sha)
    elif w.name == "batch":
        for p in finals:
            assert ch.pdf_is_complete(p) == w.pages
        if state != "before":  # a 移交清单 recorded in the database has its PDF
            assert [p.name for p in finals] == ["移交清单.pdf"]
    else:
        assert finals == []
    if w.name in ("import", "migration"):
        from app.services import backups

        for b in backups.list_backups(w.work / "backups"):  # leftovers of a kill are not listed
            assert backups.sha256_of(b.path) == b.sha256


def _check(w: Workload, sign_public: bytes) -> str:
    ch.check_sqlite(w.db)
    state = _state(w)
    if w.name == "migration":
        assert ch.revision(w.db) in (OLD_REVISION, _head())
    ch.audit_verifies(w.db)
    _files_agree(w, state, sign_public)
    return state


def _head() -> str:
    from app.db import SCHEMA_HEAD

    return SCHEMA_HEAD


def _kill_and_rerun(p: Prepared, w: Workload, *, delay: float | None = None,
                    point: str | None = None) -> str | None:
    """One run killed (at ``delay`` seconds or at crash ``point``), the checks, the re-run;
    the state the kill left ("before"/"after"), None when the run finished first."""
    w.fresh()
    env = {"SHENGUAN_TEST_CRASH_AT": point} if point else None
    run = p.runner.run(w.work, w.args, kill_after=delay, env=env)
    assert run.killed or run.returncode == 0, run.output
    state = _check(w, p.sign_public)
    assert state in ("before", "after")
    if run.returncode == 0:
        assert state == "after"
    again = p.runner.run(w.work, w.args)
    assert again.returncode == 0, f"{w.name}: the re-run after a kill failed: {again.output}"
    # the same result as one uninterrupted run, or as two when the killed one had finished
    want = {"before": "after", "after": "again"}[state]
    if w.after == w.again:
        want = "after"
    assert _check(w, p.sign_public) == want
    assert ch.temp_files(w.out) == []
    if w.name == "batch":
        assert ch.pdf_is_complete(w.out / "移交清单.pdf") == w.pages
    return state if run.killed else None


@pytest.mark.parametrize("name", list(KILLS))
def test_killed_work_is_whole_or_absent_and_runs_again(prepared, name):
    w = prepared.workloads[name]
    rng = random.Random(f"{SEED}-{name}")
    left: list[str] = []  # the state each kill left
    attempts = 0
    while len(left) < KILLS[name]:
        attempts += 1
        assert attempts <= 3 * KILLS[name], f"{name}: the command keeps finishing before the kill"
        state = _kill_and_rerun(prepared, w, delay=rng.uniform(0, w.seconds))
        if state is not None:
            left.append(state)
    for point in POINTS.get(name, ()):
        state = _kill_and_rerun(prepared, w, point=point)
        assert state is not None, f"{name}: crash point {point} not reached"
        left.append(state)
    prepared.kills[name] = len(left)
    print(f"\n{name}: {len(left)} kills, {left.count('before')} left the work undone and "
          f"{left.count('after')} done; {attempts - KILLS[name]} runs finished before their kill; "
          f"uninterrupted run {w.seconds:.2f} s; seed {SEED}")
