"""Cold start to the first painted main window, vs a bare PySide6 QMainWindow + QTableView.

Each start is a fresh Python process (interpreter start-up, imports, database opening, the
first page of 200,000 results, the dashboard counts) timed from spawning it to its first
Paint event. The two programs are started alternately so machine noise hits both alike.
Goal: ratio ≤ 1.5×.

    python3 benchmarks/bench_start.py [--n 200000] [--db PATH] [--rounds 9]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import bench_args  # noqa: E402

CHILD = Path(__file__).with_name("start_child.py")


def start_once(args: list[str], env: dict) -> dict[str, float]:
    """Seconds from spawning the process to each marker it prints (PAINTED, DATA)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    marks = {}
    for line in proc.stdout:
        marks[line.split()[0]] = time.perf_counter() - t0
    proc.wait(timeout=60)
    if "PAINTED" not in marks:
        raise RuntimeError(f"{args[0]} never painted (exit {proc.returncode})")
    return marks


def main() -> int:
    args = bench_args(__doc__.splitlines()[0])
    path = args.path
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    with tempfile.TemporaryDirectory() as home:
        app_args = ["app", "--home", home, "--db", f"sqlite:///{path}"]
        start_once(["bare"], env), start_once(app_args, env)  # warm the OS file cache
        bare, ours, data = [], [], []
        for _ in range(args.rounds):
            bare.append(start_once(["bare"], env)["PAINTED"])
            marks = start_once(app_args, env)
            ours.append(marks["PAINTED"])
            data.append(marks.get("DATA", float("nan")))
    b, o, d = statistics.median(bare), statistics.median(ours), statistics.median(data)
    print(f"bare QMainWindow+QTableView first paint: {b * 1e3:.0f} ms (median of {args.rounds})")
    print(f"ShenGuan main window first paint ({args.n:,} results): {o * 1e3:.0f} ms")
    print(f"ShenGuan table painted with its first rows: {d * 1e3:.0f} ms")
    print(f"start ratio (first paint): {o / b:.2f}× (goal ≤ 1.5×)")
    print(f"rows-visible ratio: {d / b:.2f}× (no goal; the frame paints first, rows follow)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
