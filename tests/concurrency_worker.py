"""One desk of tests/test_concurrency.py, run in its own process (multiprocessing, spawn).

Every round starts at a barrier shared by all desks, then the desk does the round's work on the
one database, each step in its own session and transaction as a window would, and writes down
what happened (won, refused with which message, counts) for the test to compare with the
database afterwards.
"""

from __future__ import annotations

import traceback
from datetime import date, timedelta
from pathlib import Path

SHEET_FIELDS = ("legal_basis", "applicants", "scope", "time_limit", "conditions", "materials",
                "special_steps", "review_standard")


def _office(s, code):
    from sqlalchemy import select

    from app.models import Office

    return s.scalar(select(Office).where(Office.code == code))


def _step(db, log: list, kind: str, target: str, fn) -> None:
    """Run ``fn(session)`` and commit; note the outcome (won / refused message / busy)."""
    from app.services.errors import ConflictError, DatabaseBusyError, ShenGuanError

    with db.sessions() as s:
        try:
            fn(s)
            s.commit()
            log.append((kind, target, "won", ""))
        except ConflictError as exc:
            s.rollback()
            log.append((kind, target, "refused", exc.message))
        except DatabaseBusyError as exc:
            s.rollback()
            log.append((kind, target, "busy", exc.message))
        except ShenGuanError as exc:
            s.rollback()
            log.append((kind, target, "error", exc.message))


def run(spec: dict, barrier, out) -> None:
    try:
        out.put((spec["index"], _run(spec, barrier)))
    except BaseException:  # noqa: BLE001 - the test shows it
        barrier.abort()
        out.put((spec["index"], {"crash": traceback.format_exc()}))


def _run(spec: dict, barrier) -> dict:
    from app.db import open_database
    from app.services import audit, results
    from app.services.exchange import exporter, importer
    from app.services.sheets import sheets
    from tests.conftest import a_result_input

    i = spec["index"]
    me = f"desk{i}"
    db = open_database(spec["url"])
    log: list = []
    recorded = 0
    folder = Path(spec["folder"]) / me
    folder.mkdir(parents=True, exist_ok=True)
    bundle = Path(spec["bundle"]).read_bytes()
    sheet_values: dict[str, str] = {}

    def as_office(s, code):
        audit.set_actor(s, code, me)
        return _office(s, code)

    barrier.wait()
    with db.sessions() as s:
        report = importer.import_bundle(s, bundle, file_name="shared.json")
        if report.status == importer.APPLIED:
            s.commit()
        else:
            s.rollback()
    log.append(("import", "bundle", report.status, report.message))

    for r, (pending_id, sent_id) in enumerate(zip(spec["pending"], spec["sent"], strict=True)):
        barrier.wait()

        def record(s, r=r):
            ap = as_office(s, spec["approval"])
            data = a_result_input("SJ-001", decided=date.today() - timedelta(days=1),
                                  applicant_name=f"{me}第{r}号申请人")
            res = results.record(s, data, office=ap, operator=me)
            results.push(s, res, office=ap, operator=me)

        _step(db, log, "record", me, record)
        if _step_ok(log):
            recorded += 1

        def push(s, rid=pending_id):
            results.push(s, results.get(s, rid), office=as_office(s, spec["approval"]), operator=me)

        _step(db, log, "push", pending_id, push)
        action = "sign_off" if i % 3 else "return"

        def answer(s, rid=sent_id, action=action):
            results.act(s, results.get(s, rid), action, office=as_office(s, spec["competent"]),
                        operator=me, reason=f"{me}：不属于本部门职责")

        _step(db, log, action, sent_id, answer)
        field = SHEET_FIELDS[i % len(SHEET_FIELDS)]
        value = f"{me}-第{r}轮"

        def edit(s, field=field, value=value):
            sheets.edit(s, "SJ-001", field, value, office=as_office(s, spec["competent"]))

        _step(db, log, "edit", field, edit)
        if _step_ok(log):
            sheet_values[field] = value

        def export(s, r=r):
            ap = as_office(s, spec["approval"])
            exporter.export_bundle(s, ap, _office(s, spec["peer"]), folder / f"r{r}.json")

        _step(db, log, "export", me, export)
    db.engine.dispose()
    return {"log": log, "recorded": recorded, "sheet": sheet_values}


def _step_ok(log: list) -> bool:
    return log[-1][2] == "won"
