"""Shared helpers for the benchmark scripts: a populated database and robust timing."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db import SCHEMA_HEAD  # noqa: E402
from benchmarks.populate import populate  # noqa: E402

DEFAULT_DB = Path("/tmp/shenguan-bench-200k.db") if sys.platform != "win32" else None


def populated_db(path: Path, n: int) -> Path:
    """A database with ``n`` results; reused when it already exists with that many at the
    current schema (an older one would be upgraded, and backed up first, inside the timing)."""
    marker = path.with_suffix(f".{n}.{SCHEMA_HEAD}.ok")
    if not (path.exists() and marker.exists()):
        for stale in [*path.parent.glob(path.name + "*"), *path.parent.glob(path.stem + ".*.ok")]:
            stale.unlink()
        t0 = time.perf_counter()
        print(f"generating {n:,} results in {path} …", flush=True)
        populate(f"sqlite:///{path}", n)
        print(f"  done in {time.perf_counter() - t0:.1f} s", flush=True)
        marker.touch()
    return path


def median_time(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def interleaved(a: Callable[[], object], b: Callable[[], object], rounds: int = 7) -> tuple[float, float]:
    """Median times of a and b measured alternately, so machine noise hits both alike."""
    a(), b()
    ta, tb = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def bench_args(description: str) -> argparse.Namespace:
    """The options every benchmark takes; the populated database is made (or reused) here."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--n", type=int, default=200_000, help="how many results")
    ap.add_argument("--db", type=Path, default=DEFAULT_DB, help="database file (kept for reuse)")
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    args.path = populated_db(args.db, args.n)
    return args
