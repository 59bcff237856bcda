"""Shared helpers for the benchmark scripts: a populated database and robust timing."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.populate import populate  # noqa: E402

DEFAULT_DB = Path("/tmp/shenguan-bench-200k.db") if sys.platform != "win32" else None


def populated_db(path: Path, n: int) -> Path:
    """A database with ``n`` results; reused when it already exists with that many."""
    marker = path.with_suffix(f".{n}.ok")
    if not (path.exists() and marker.exists()):
        for stale in path.parent.glob(path.name + "*"):
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
