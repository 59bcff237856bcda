"""Fill a database with N approval results quickly, for the benchmarks.

Offices and items go through the services; the bulk of results, pushes and their events is
written with SQLAlchemy Core executemany (the services would take minutes for 200,000), with
due dates computed by the same WorkCalendar the engine uses.
"""

from __future__ import annotations

import random
import sys
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db import open_database  # noqa: E402
from app.models import ApprovalResult, Dispatch, DispatchEvent, LicensingItem  # noqa: E402
from app.services import offices, operators, rules  # noqa: E402
from app.services.ids import resident_id_check_char, uscc_check_char  # noqa: E402
from app.services.workdays import WorkCalendar  # noqa: E402

BENCH_USER, BENCH_PASSWORD = "bench", "bench-password-2026"
DEPTS = ["住房和城乡建设局", "市场监督管理局", "卫生健康委员会", "交通运输局", "生态环境局",
         "自然资源局", "农业农村局", "文化旅游和广播电视局", "应急管理局", "水利局"]
WORDS = ["海兴", "辽滨", "鲅鱼圈", "盖州", "大石桥", "永安", "金港", "华润", "恒达", "渤海", "北方", "宏远"]
TRADES = ["建筑", "食品", "物流", "医药", "化工", "餐饮", "运输", "商贸", "文化", "农业"]


def populate(url: str, n: int, seed: int = 7, today: date = date(2026, 11, 25)) -> dict:
    rng = random.Random(seed)
    database = open_database(url)
    cal = WorkCalendar()
    with database.sessions() as s:
        ap = offices.add_office(s, "YK-SPJ", "营口市行政审批局", "approval", "市本级", local=True)
        depts = [offices.add_office(s, f"YK-{i:02d}", f"营口市{name}", "competent", "市本级")
                 for i, name in enumerate(DEPTS)]
        items = []
        for i in range(40):
            dept = depts[i % 10]
            item = LicensingItem(id=uuid.uuid4(), code=f"ITEM-{i:03d}",
                                 name=f"{TRADES[i % 10]}类许可事项{i:02d}", competent_office_id=dept.id)
            s.add(item)
            items.append(item)
        # Every office has accounts (issue 7): the start benchmark signs in as this one.
        operators.create(s, BENCH_USER, "基准测试", BENCH_PASSWORD, operators.ADMIN)
        s.commit()
        ap_id = ap.id
        item_rows = [(it.id, it.competent_office_id) for it in items]

    start = date(2025, 1, 1)
    span = (today - start).days
    res, disp, events = [], [], []
    for i in range(n):
        item_id, dept_id = rng.choice(item_rows)
        decided = start + timedelta(days=rng.randrange(span))
        rid, did = uuid.uuid4(), uuid.uuid4()
        body = f"912108{rng.randrange(10**6):06d}{''.join(rng.choice('0123456789ABCDEFGH') for _ in range(5))}"
        if i % 3:
            applicant_id, id_type = body + uscc_check_char(body), "uscc"
            name = f"营口{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司"
        else:
            b = f"2108{rng.randrange(10**2):02d}19{rng.randrange(60, 99)}0{rng.randrange(1, 10)}1{rng.randrange(10)}{rng.randrange(1000):03d}"
            applicant_id, id_type = b + resident_id_check_char(b), "resident_id"
            name = rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["伟", "芳", "娜", "敏", "静", "强", "磊", "洋"])
        send_due = cal.add(decided, 2)
        created = datetime.combine(decided, time(9))
        ev = [("create", None, rules.PENDING, created, ap_id)]
        status, sent_at, reply_due, holder, since = rules.PENDING, None, None, ap_id, created
        if decided < today - timedelta(days=3) or rng.random() < 0.5:
            sent_day = cal.add(decided, rng.choice([1, 1, 2, 2, 3]))
            sent_at = datetime.combine(sent_day.due, time(10))
            reply_due = cal.add(sent_day.due, 2)
            status, holder, since = rules.SENT, dept_id, sent_at
            ev.append(("send", rules.PENDING, rules.SENT, sent_at, ap_id))
            if sent_day.due < today - timedelta(days=3) or rng.random() < 0.3:
                at = sent_at + timedelta(days=1)
                status = rules.SUPERVISING
                ev.append(("sign_off", rules.SENT, rules.SIGNED_OFF, at, dept_id))
                ev.append(("start_supervision", rules.SIGNED_OFF, rules.SUPERVISING, at, dept_id))
        cur = send_due if status == rules.PENDING else (reply_due if status == rules.SENT else None)
        res.append(dict(
            id=rid, item_id=item_id, approval_office_id=ap_id, applicant_name=name,
            applicant_id_type=id_type, applicant_id=applicant_id, contact_name="联系人",
            contact_phone=f"139{rng.randrange(10**8):08d}", materials="申请表；营业执照",
            result="准予许可", licence_number=f"YK{decided:%Y%m%d}{i:06d}", decided_on=decided,
            licence_issued_on=decided, recorded_at=created, recorded_by="基准",
            responsible_office_id=holder, responsible_since=since, current_dispatch_id=did,
        ))
        disp.append(dict(
            id=did, kind="approval_push", sender_office_id=ap_id, addressee_office_id=dept_id,
            subject_type="approval_result", subject_id=rid, status=status, clock_start=decided,
            send_due=send_due.due, send_due_provisional=send_due.provisional, sent_at=sent_at,
            channel="exchange" if sent_at else None, agreed_due=None,
            reply_due=reply_due.due if reply_due else None,
            reply_due_provisional=bool(reply_due and reply_due.provisional),
            replied_at=None, current_due=cur.due if cur else None,
            current_due_provisional=bool(cur and cur.provisional), created_at=created,
            previous_id=None,
        ))
        for seq, (action, src, dst, at, office) in enumerate(ev, 1):
            events.append(dict(id=uuid.uuid4(), dispatch_id=did, seq=seq, action=action,
                               from_status=src, to_status=dst, at=at, operator="基准",
                               office_id=office, note=""))
    with database.engine.begin() as conn:
        for table, rows in ((Dispatch, disp), (ApprovalResult, res), (DispatchEvent, events)):
            for k in range(0, len(rows), 20_000):
                conn.execute(table.__table__.insert(), rows[k:k + 20_000])
    database.engine.dispose()
    return {"results": len(res), "dispatches": len(disp), "events": len(events)}


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser()
    p.add_argument("db")
    p.add_argument("-n", type=int, default=200_000)
    a = p.parse_args()
    print(populate(f"sqlite:///{Path(a.db).resolve()}", a.n))
