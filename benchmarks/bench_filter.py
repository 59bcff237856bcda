"""List filter vs the raw sqlite3 query, on 200,000 approval results.

"service" is the query the list runs when the user types in the filter box: the service
builds the statement (SQLAlchemy), runs it and returns plain rows for the first page (200).
"window" is the whole path in the real main window (offscreen): the table model's
set_filter, the background query, and the rows swapped into the model on the GUI thread.
"baseline" sends the very same SQL text and parameters straight to sqlite3 and fetches the
same page. Goal: ratio ≤ 3×. The verdict line takes the worst ratio over the typed filters;
the empty filter (the list as it opens) is printed too, with its absolute times: there a
2 ms query makes the window's few milliseconds of fixed work (hand-over to the query
thread, model reset, repaint) the larger part.

    python3 benchmarks/bench_filter.py [--n 200000] [--db PATH]
"""

from __future__ import annotations

import sqlite3
import sys
import time
import uuid
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models import Office  # noqa: E402
from app.services import queries  # noqa: E402
from app.services.workdays import load_calendar  # noqa: E402
from benchmarks.common import bench_args, interleaved, median_time  # noqa: E402

TODAY = date(2026, 11, 25)
TERMS = ["", "海兴", "建筑", "海兴 物流", "YK20250314"]  # the first is no filter at all


def raw_sql(stmt, session):
    compiled = stmt.compile(dialect=session.bind.dialect)
    params = compiled.construct_params()
    values = []
    for name in compiled.positiontup:
        v = params[name]
        values.append(v.hex if isinstance(v, uuid.UUID) else v.isoformat() if isinstance(v, date) else v)
    return compiled.string, tuple(values)


def through_window(database, session, cal, office, raw, rounds: int) -> float:
    """Time set_filter in the real main window until the model holds the new rows."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from app import clock
    from app.ui.wiring import build_main_window

    clock.freeze(datetime(2026, 11, 25, 10, 0))
    app = QApplication.instance() or QApplication([])
    window = build_main_window(database, show=True)
    model = window.model
    model.wait()
    app.processEvents()
    window.nav.select_view(queries.ALL)
    model.wait()
    app.processEvents()

    def filtered(term: str):
        def run():
            loop = QEventLoop()
            model.reloaded.connect(loop.quit)
            model.set_filter(term)
            if model.loading:
                loop.exec()
            model.reloaded.disconnect(loop.quit)
            return model.rowCount()
        return run

    worst = 0.0
    away = filtered("zz-none-zz")  # move away first so every timed call really re-queries
    print(f"{'filter':<14}{'rows':>6}{'window ms':>10}{'raw ms':>10}{'ratio':>8}")
    for term in TERMS:
        stmt = queries.result_statement(office, cal, text=term, today=TODAY).offset(0).limit(200)
        sql, params = raw_sql(stmt, session)
        def ours(term=term):
            away()
            t0 = time.perf_counter()
            filtered(term)()
            return time.perf_counter() - t0

        samples = [ours() for _ in range(rounds)]
        t_raw = median_time(lambda sql=sql, params=params: raw.execute(sql, params).fetchall(),
                            repeat=rounds)
        t_win = sorted(samples)[len(samples) // 2]
        ratio = t_win / t_raw
        worst = max(worst, ratio) if term else worst
        print(f"{term or '（无）':<14}{model.rowCount():>6}{t_win * 1e3:>10.1f}{t_raw * 1e3:>10.1f}{ratio:>7.2f}×")
    window.close()
    clock.freeze(None)
    return worst


def main() -> int:
    args = bench_args(__doc__.splitlines()[0])
    path = args.path
    database = open_database(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    worst = 0.0
    with database.sessions() as s:
        office = s.scalar(select(Office).where(Office.code == "YK-SPJ"))
        cal = load_calendar(s)
        print(f"{'filter':<14}{'rows':>6}{'ours ms':>10}{'raw ms':>10}{'ratio':>8}")
        for term in TERMS:
            stmt = queries.result_statement(office, cal, text=term, today=TODAY).offset(0).limit(200)
            sql, params = raw_sql(stmt, s)

            def ours(term=term):
                return queries.list_results(s, office, cal, text=term, limit=200, today=TODAY)

            def baseline(sql=sql, params=params):
                return raw.execute(sql, params).fetchall()

            assert len(ours()) == len(baseline())
            t_ours, t_raw = interleaved(ours, baseline, args.rounds)
            ratio = t_ours / t_raw
            worst = max(worst, ratio) if term else worst
            print(f"{term or '（无）':<14}{len(ours()):>6}{t_ours * 1e3:>10.1f}{t_raw * 1e3:>10.1f}{ratio:>7.2f}×")
        print(f"service filter ratio (worst of {len(TERMS) - 1} typed filters): {worst:.2f}× (goal ≤ 3×)")
        window_worst = through_window(database, s, cal, office, raw, args.rounds)
    print(f"window filter ratio (worst of {len(TERMS) - 1} typed filters): {window_worst:.2f}× (goal ≤ 3×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
