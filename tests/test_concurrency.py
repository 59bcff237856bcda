"""Eight desks on one database at once (issue 7 item 2): real processes (multiprocessing, spawn;
each desk is tests/concurrency_worker.py) start every round together at a barrier and record
results, push the same results, sign off or return the same pushes, edit the same sheet draft,
import the same bundle and export to the same peer. Afterwards the database must show every step
taken exactly once, nothing lost, and every losing desk must have been told who was quicker.

On PostgreSQL the desks contend on row locks; on SQLite (the same test) the database serializes
the writers and the same refusals apply.
"""

from __future__ import annotations

import multiprocessing
import re
import uuid
from collections import Counter, defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select

from app.models import (
    ApprovalResult,
    BundleRecord,
    Dispatch,
    DispatchEvent,
    ImplementationSheet,
    InboxMessage,
    LicensingItem,
    OutboxMessage,
)
from app.services import audit_log, offices, results, rules
from app.services.exchange import importer
from tests.concurrency_worker import SHEET_FIELDS, run
from tests.conftest import a_result_input
from tests.services.exchange.conftest import build_world, close_world, export, import_file

DESKS = 8
ROUNDS = 3
REMOTE = 3  # pushes the housing department signs off in the shared bundle
# "这条审批结果信息推送已由 desk3（营口市市场监督管理局）于 2026-11-26 10:32 签收，无需再次签收。"
REFUSAL = re.compile(r"^这条审批结果信息推送已由 (desk\d)（(营口市[^）]+)）于 \d{4}-\d\d-\d\d \d\d:\d\d "
                     r"(推送|签收|退回)，(无需再次(推送|签收|退回)|当前为“[^”]+”，不能(签收|退回))。$")


def _prepare(tmp_path):
    """The approval bureau's database (shared by the desks): remote pushes signed off in a bundle
    not imported yet, a local competent department, and per round one unpushed and one pushed
    result."""
    w = build_world(tmp_path)
    operator = "王芳"
    with w.ap.session() as s:
        ap = w.ap.office(s)
        for n in range(REMOTE):
            r = results.record(s, a_result_input(decided=date.today() - timedelta(days=1),
                                                 applicant_name=f"远程{n}"), office=ap, operator=operator)
            results.push(s, r, office=ap, operator=operator)
        s.commit()
    import_file(w.zj, export(w.ap, "YK-ZJJ", tmp_path / "out"))
    with w.zj.session() as s:
        zj = w.zj.office(s)
        for d in s.scalars(select(Dispatch).where(Dispatch.status == rules.SENT)):
            from app.services import dispatch as engine

            engine.perform(s, d, "sign_off", office=zj, operator="张三")
        s.commit()
    shared = export(w.zj, "YK-SPJ", tmp_path / "zj-out")
    pending, sent = [], []
    with w.ap.session() as s:
        ap = w.ap.office(s)
        sj = offices.add_office(s, "YK-SJJ", "营口市市场监督管理局", "competent", "市本级", local=True)
        s.add(LicensingItem(id=uuid.uuid4(), code="SJ-001", name="食品经营许可", competent_office_id=sj.id))
        s.flush()
        for n in range(ROUNDS):
            data = a_result_input("SJ-001", decided=date.today() - timedelta(days=1), applicant_name=f"待推送{n}")
            pending.append(str(results.record(s, data, office=ap, operator=operator).id))
            data = a_result_input("SJ-001", decided=date.today() - timedelta(days=1), applicant_name=f"已推送{n}")
            r = results.record(s, data, office=ap, operator=operator)
            results.push(s, r, office=ap, operator=operator)
            sent.append(str(r.id))
        s.commit()
    return w, shared, pending, sent


def _run_desks(w, shared, pending, sent, tmp_path) -> dict[int, dict]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(DESKS, timeout=90)
    out = ctx.Queue()
    base = {"url": w.ap.db.url, "bundle": str(shared), "folder": str(tmp_path / "desks"),
            "pending": pending, "sent": sent, "approval": "YK-SPJ", "competent": "YK-SJJ",
            "peer": "YK-ZJJ"}
    procs = [ctx.Process(target=run, args=(base | {"index": i}, barrier, out)) for i in range(DESKS)]
    for p in procs:
        p.start()
    got = dict(out.get(timeout=110) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    crashed = {i: r["crash"] for i, r in got.items() if "crash" in r}
    assert not crashed, crashed
    return got


def test_eight_desks_at_once(tmp_path):
    w, shared, pending, sent = _prepare(tmp_path)
    try:
        got = _run_desks(w, shared, pending, sent, tmp_path)
        logs = [entry for r in got.values() for entry in r["log"]]
        assert not [e for e in logs if e[2] in ("busy", "error")]
        with w.ap.session() as s:
            _check_steps(s, logs)
            _check_import(s, logs)
            _check_records(s, got)
            _check_exports(s)
            assert audit_log.verify(s).ok
    finally:
        close_world(w)


def _check_steps(s, logs) -> None:
    by_target = defaultdict(list)
    for kind, target, outcome, message in logs:
        if kind in ("push", "sign_off", "return"):
            by_target[target].append((kind, outcome, message))
    assert len(by_target) == 2 * ROUNDS
    for rid, attempts in by_target.items():
        assert Counter(o for _, o, _ in attempts) == {"won": 1, "refused": DESKS - 1}, attempts
        d = results.current_push(s, s.get(ApprovalResult, uuid.UUID(rid)))
        last = d.events[-1]
        for _, outcome, message in attempts:
            if outcome == "refused":  # names the desk that was quicker, and its office
                m = REFUSAL.match(message)
                assert m, message
                assert m.group(1) == last.operator
    for d in s.scalars(select(Dispatch)):
        seqs = [e.seq for e in d.events]
        assert seqs == list(range(1, len(seqs) + 1)), (d.id, seqs)
        actions = Counter(e.action for e in d.events)
        assert all(n == 1 for n in actions.values()), (d.id, actions)
        assert d.events[-1].to_status == d.status


def _check_import(s, logs) -> None:
    imports = [(outcome, message) for kind, _, outcome, message in logs if kind == "import"]
    assert Counter(o for o, _ in imports) == {importer.APPLIED: 1, importer.ALREADY: DESKS - 1}
    assert all("导入过" in m for o, m in imports if o == importer.ALREADY)
    assert s.scalar(select(func.count()).select_from(BundleRecord).where(BundleRecord.direction == "in")) == 1
    inbox = list(s.scalars(select(InboxMessage)))
    assert len(inbox) == len({m.id for m in inbox}) > 0
    signed = s.scalars(select(DispatchEvent).where(DispatchEvent.action == "sign_off",
                                                   DispatchEvent.operator == "张三")).all()
    assert len(signed) == REMOTE


def _check_records(s, got) -> None:
    for i, r in got.items():
        mine = s.scalar(select(func.count()).select_from(ApprovalResult)
                        .where(ApprovalResult.recorded_by == f"desk{i}"))
        assert mine == r["recorded"] == ROUNDS
    drafts = s.scalars(select(ImplementationSheet).where(ImplementationSheet.item_code == "SJ-001")).all()
    assert len(drafts) == 1  # one draft, made by whichever desk came first
    expected = {}
    for i in sorted(got):  # desks sharing a field: the value is one of theirs from the last round
        expected.setdefault(SHEET_FIELDS[i % len(SHEET_FIELDS)], set()).add(f"desk{i}-第{ROUNDS - 1}轮")
    for field, values in expected.items():
        assert getattr(drafts[0], field) in values


def _check_exports(s) -> None:
    seqs = sorted(s.scalars(select(BundleRecord.sequence).where(BundleRecord.direction == "out")))
    assert seqs == list(range(1, 1 + 1 + DESKS * ROUNDS))
    last = seqs[-1]
    for m in s.scalars(select(OutboxMessage).where(OutboxMessage.acked_at.is_(None))):
        assert m.last_seq == last  # every message not acknowledged went out in the newest bundle
