"""Import of a 10,000-message bundle vs json.loads + executemany of the same rows.

Two installations (the approval bureau and the housing department, roster exchanged) in a
temporary folder. The bureau's outbox gets N pushes (a real push, copied with new UUIDs), and
the real exporter writes the bundle. Then, per round, on a fresh copy of the department's
database:

- "baseline": ``json.loads`` of the bundle's decrypted payload text plus ``executemany`` of
  the same rows (approval results, dispatches, dispatch events) into that database, committed;
  the rows are then deleted again (not timed);
- "import": the whole ``importer.import_bundle`` (the automatic backup of the database first
  (app.services.backups), size check, strict parse, schema, signature,
  decryption, strict parse and schema of the payload, every message through the dispatch
  engine, inbox, channel, history) plus the commit.

Goal: ratio ≤ 3×.

    python3 benchmarks/bench_import.py [--n 10000] [--rounds 5] [--no-backup]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from app import clock  # noqa: E402
from app.db import open_database  # noqa: E402
from app.models import LicensingItem, Office, OfficeKey, OutboxMessage  # noqa: E402
from app.services import offices, results  # noqa: E402
from app.services.exchange import bundle, exporter, importer, keys, roster  # noqa: E402
from app.services.ids import uscc_check_char  # noqa: E402

IDENTITIES = {"ys": ("YK-YSJ", "营口市营商环境建设局", "oversight"),
              "ap": ("YK-SPJ", "营口市行政审批局", "approval"),
              "zj": ("YK-ZJJ", "营口市住房和城乡建设局", "competent")}


def make_home(root: Path, name: str):
    code, office_name, role = IDENTITIES[name]
    db = open_database(f"sqlite:///{root / name / 'shenguan.db'}")
    with db.sessions() as s:
        office = offices.init_local_office(s, code, office_name, role, "市本级")
        keys.generate(s, office)
        s.commit()
    return db


def office(s, code: str) -> Office:
    return s.scalar(select(Office).where(Office.code == code))


def set_up(root: Path, n: int) -> tuple[Path, Path]:
    """Three homes, roster imported; N pushes waiting at the bureau; the bundle exported."""
    dbs = {name: make_home(root, name) for name in IDENTITIES}
    with dbs["ys"].sessions() as s:
        for name in ("ap", "zj"):
            with dbs[name].sessions() as t:
                reg = keys.read_registration(keys.registration_bytes(t, office(t, IDENTITIES[name][0])))
            roster.register(s, office(s, "YK-YSJ"), reg)
        data, _ = roster.publish(s, office(s, "YK-YSJ"))
        fp = keys.require_key(s, office(s, "YK-YSJ")).fingerprint
        s.commit()
    for name in ("ap", "zj"):
        with dbs[name].sessions() as s:
            roster.import_roster(s, data, fp)
            s.commit()
    with dbs["ap"].sessions() as s:
        bureau, housing = office(s, "YK-SPJ"), office(s, "YK-ZJJ")
        s.add(LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发",
                            competent_office_id=housing.id))
        s.flush()
        body = "91210800MA0TEXT01"
        r = results.record(s, results.ResultInput(
            item_code="ZJ-001", applicant_name="营口市鲅鱼圈区海兴建筑有限公司",
            applicant_id=body + uscc_check_char(body), contact_name="李明", contact_phone="13904171234",
            result="准予许可", decided_on=datetime(2026, 11, 24).date(), licence_number="210800202611240101",
            licence_issued_on=datetime(2026, 11, 24).date(), materials="施工许可申请表；施工合同"),
            office=bureau, operator="王芳")
        results.push(s, r, office=bureau, operator="王芳")
        s.flush()
        template = json.loads(s.scalar(select(OutboxMessage.body)))
        s.query(OutboxMessage).delete()
        rows = []
        for i in range(n):
            m = json.loads(json.dumps(template))
            m["id"] = str(uuid.uuid4())
            did, rid = str(uuid.uuid4()), str(uuid.uuid4())
            m["dispatch"]["id"], m["dispatch"]["subject_id"], m["subject"]["id"] = did, rid, rid
            m["subject"]["applicant_name"] = f"营口市第{i}建筑有限公司"
            m["subject"]["licence_number"] = f"2108002026{i:08d}"
            for e in m["events"]:
                e["id"] = str(uuid.uuid4())
            rows.append(OutboxMessage(id=uuid.UUID(m["id"]), sender_office_id=bureau.id,
                                      addressee_office_id=housing.id, dispatch_id=uuid.UUID(did),
                                      action="send", body=json.dumps(m, ensure_ascii=False),
                                      created_at=clock.now()))
        s.add_all(rows)
        s.flush()
        t0 = time.perf_counter()
        summary = exporter.export_bundle(s, bureau, housing, folder=root)
        print(f"export of {n:,} messages: {time.perf_counter() - t0:.2f} s, "
              f"{summary.path.stat().st_size / 1e6:.1f} MB", flush=True)
        s.commit()
    for db in dbs.values():
        db.engine.dispose()
    return summary.path, root / "zj" / "shenguan.db"


def plaintext(path: Path, zj_db: Path) -> bytes:
    """The decrypted payload text, as the baseline's input."""
    db = open_database(f"sqlite:///{zj_db}")
    with db.sessions() as s:
        own = keys.decryption_key(s.scalar(select(OfficeKey)))
    db.engine.dispose()
    env = bundle.read_envelope(path.read_bytes())
    payload = bundle.decrypt(env, own)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def baseline(db, text: bytes, ids: dict) -> tuple[float, list]:
    """json.loads + executemany of the same rows, committed; returns (seconds, inserted ids)."""
    raw = db.engine.raw_connection()
    try:
        t0 = time.perf_counter()
        payload = json.loads(text)
        res, disp, events = [], [], []
        for m in payload["messages"]:
            d, sub = m["dispatch"], m["subject"]
            rid, did = uuid.UUID(sub["id"]).hex, uuid.UUID(d["id"]).hex
            res.append((rid, ids["item"], ids["YK-SPJ"], sub["applicant_name"], sub["applicant_id_type"],
                        sub["applicant_id"], sub["contact_name"], sub["contact_phone"], sub["materials"],
                        sub["result"], sub["licence_number"], sub["decided_on"], sub["licence_issued_on"],
                        sub["recorded_at"].replace("T", " "), sub["recorded_by"], ids[d["addressee"]],
                        d["sent_at"].replace("T", " "), did))
            disp.append((did, d["kind"], ids[d["sender"]], ids[d["addressee"]], d["subject_type"], rid,
                         d["status"], d["clock_start"], d["send_due"], d["send_due_provisional"],
                         d["sent_at"].replace("T", " "), d["channel"], d["agreed_due"], d["reply_due"],
                         d["reply_due_provisional"], None, d["reply_due"], False,
                         d["created_at"].replace("T", " "), None))
            for e in m["events"]:
                events.append((uuid.UUID(e["id"]).hex, did, e["seq"], e["action"], e["from_status"],
                               e["to_status"], e["at"].replace("T", " "), e["operator"], ids[e["office"]],
                               e["note"]))
        cur = raw.cursor()
        cur.executemany(
            "INSERT INTO dispatches (id, kind, sender_office_id, addressee_office_id, subject_type, subject_id,"
            " status, clock_start, send_due, send_due_provisional, sent_at, channel, agreed_due, reply_due,"
            " reply_due_provisional, replied_at, current_due, current_due_provisional, created_at, previous_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", disp)
        cur.executemany(
            "INSERT INTO approval_results (id, item_id, approval_office_id, applicant_name, applicant_id_type,"
            " applicant_id, contact_name, contact_phone, materials, result, licence_number, decided_on,"
            " licence_issued_on, recorded_at, recorded_by, responsible_office_id, responsible_since,"
            " current_dispatch_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", res)
        cur.executemany(
            "INSERT INTO dispatch_events (id, dispatch_id, seq, action, from_status, to_status, at, operator,"
            " office_id, note) VALUES (?,?,?,?,?,?,?,?,?,?)", events)
        raw.commit()
        seconds = time.perf_counter() - t0
        cur.execute("DELETE FROM dispatch_events")
        cur.execute("DELETE FROM approval_results")
        cur.execute("DELETE FROM dispatches")
        raw.commit()
        return seconds, res
    finally:
        raw.close()


def import_once(db, data: bytes) -> float:
    t0 = time.perf_counter()
    with db.sessions() as s:
        report = importer.import_bundle(s, data, file_name="bench.json")
        assert report.status == importer.APPLIED, report.message
        s.commit()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-backup", action="store_true",
                    help="open the database without a backup folder (no automatic backup first)")
    args = ap.parse_args()
    clock.freeze(datetime(2026, 11, 25, 15, 0))
    with tempfile.TemporaryDirectory(prefix="shenguan-bench-import-") as tmp:
        root = Path(tmp)
        path, zj_db = set_up(root, args.n)
        text = plaintext(path, zj_db)
        data = path.read_bytes()
        t_base, t_imp = [], []
        for i in range(args.rounds):
            copy = root / f"round-{i}.db"
            shutil.copy(zj_db, copy)
            # With a backup folder, as the program opens it: the import backs up first.
            db = open_database(f"sqlite:///{copy}", None if args.no_backup else root / "backups")
            with db.sessions() as s:
                ids = {o.code: o.id.hex for o in s.scalars(select(Office))}
                item = s.scalar(select(LicensingItem.id))
            ids["item"] = item.hex if item else uuid.uuid4().hex
            if item is None:  # the department has no item yet: the baseline needs one row
                with db.sessions() as s:
                    s.add(LicensingItem(id=uuid.UUID(ids["item"]), code="ZJ-001", name="建筑工程施工许可证核发",
                                        competent_office_id=uuid.UUID(ids["YK-ZJJ"])))
                    s.commit()
            seconds, _ = baseline(db, text, ids)
            t_base.append(seconds)
            t_imp.append(import_once(db, data))
            db.engine.dispose()
            print(f"round {i + 1}: baseline {t_base[-1]:.2f} s, import {t_imp[-1]:.2f} s "
                  f"({t_imp[-1] / t_base[-1]:.1f}×)", flush=True)
    # The machines are shared: each round's baseline and import run back to back, so the
    # median of the per-round ratios is steadier than the ratio of the medians.
    base, imp = statistics.median(t_base), statistics.median(t_imp)
    ratio = statistics.median(i / b for i, b in zip(t_imp, t_base, strict=True))
    print(f"{args.n:,} messages: import {imp:.2f} s vs json.loads + executemany {base:.2f} s "
          f"(medians) → ratio {ratio:.1f}× (median of rounds; goal ≤ 3×) {'OK' if ratio <= 3 else 'ABOVE GOAL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
