"""A realistic demo city (营口) for trying ShenGuan out, built through the real services.

One database plays every office (all are ``is_local``). Results are recorded, pushed,
signed off, returned and put under supervision by :mod:`app.services.results` with the
clock moved to each event's moment, so every due date and event is the engine's own.
Everything is drawn from ``random.Random(seed)``: a seed always gives the same city.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.models import ApprovalResult, Dispatch, Jurisdiction, LiaisonOfficer, LicensingItem, Office
from app.services import demo_data as data
from app.services import liaison, rules, settings
from app.services import offices as office_service
from app.services import results as result_service
from app.services.errors import ValidationError, WorkflowError
from app.services.workdays import WorkCalendar, load_calendar

DEMO_KEY = "demo_city"  # settings key marking a demo database
FIRST_DAY = date(2025, 1, 1)
MAX_RESULTS = 100_000
RECENT_WORKDAYS = 10  # about two weeks in which every state is shown
BATCH = 250
PROGRESS_EVERY = 50
_ORDER = (rules.PENDING, rules.SENT, rules.SIGNED_OFF, rules.SUPERVISING, rules.RETURNED)

# Recent scenarios: each appears at least once, then by weight.
RECENT = {
    "pending": 2, "due_soon_push": 2, "overdue_push": 2, "sent": 2, "sent_due_soon": 2,
    "overdue_sign": 2, "paper_waiting": 1, "signed": 1, "returned_waiting": 1, "repushed": 1,
    "done": 6,
}


@dataclass(frozen=True)
class DemoSummary:
    jurisdictions: int
    offices: int
    items: int
    liaison_officers: int
    results: int
    first_day: date
    today: date
    by_status: dict[str, int] = field(default_factory=dict)  # current push status -> count
    late_pushes: int = 0
    paper_pushes: int = 0
    returned: int = 0  # pushes returned to the bureau (wrong addressee)
    repushed: int = 0
    overdue_push: int = 0
    overdue_sign_off: int = 0
    due_soon: int = 0
    provisional: int = 0  # results whose current due date is provisional


@dataclass
class _Plan:
    day: date  # the day the result is recorded: the licence issue day, else the decision day
    decided: date
    issued: date | None
    item: data.DemoItem | None = None
    steps: list[tuple[str, date, dict]] = field(default_factory=list)


def build_demo_city(session: Session, *, seed: int = 2026, results: int = 2000,
                    today: date | None = None,
                    progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fill an empty database with the demo city and ``results`` approval results. No commit.

    ``progress(done, total)`` is called now and then (it may raise to cancel; the caller
    then rolls back). The clock is pinned to each event's moment in this thread only, and restored at the end.
    """
    if isinstance(results, bool) or not isinstance(results, int) or not 0 <= results <= MAX_RESULTS:
        raise ValidationError(f"演示审批结果数量应为 0 到 {MAX_RESULTS} 之间的整数，现在是 {results}。", "results")
    _refuse_unless_empty(session)
    previous = clock.pinned_at()
    try:
        return _Builder(session, seed, today or clock.today()).build(results, progress)
    finally:
        clock.pin(previous)


def _refuse_unless_empty(session: Session) -> None:
    marker = settings.get(session, DEMO_KEY)
    if marker:
        n = session.scalar(select(func.count()).select_from(ApprovalResult)) or 0
        raise WorkflowError(
            f"本数据库已经是演示数据库（营口市演示数据，{n} 条审批结果），无需再次生成。"
            "如需另一套演示数据，请用 --home 指定一个空的数据目录。"
        )
    names = list(session.scalars(select(Office.name).order_by(Office.code).limit(3)))
    if names:
        raise WorkflowError(
            f"本数据库已有单位（{'、'.join(names)}等），不是空数据库，不能生成演示数据。"
            "请用 --home 指定一个新的数据目录后再运行。"
        )
    if session.scalar(select(func.count()).select_from(ApprovalResult)):
        raise WorkflowError("本数据库已有审批结果，不能生成演示数据。请用 --home 指定一个新的数据目录。")


class _Builder:
    def __init__(self, session: Session, seed: int, today: date):
        self.s = session
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        real = clock.now()
        self.now = real if real.date() == today else datetime.combine(today, time(17, 30))
        self.cal: WorkCalendar = load_calendar(session)
        self.office: dict[str, Office] = {}
        self.by_id: dict = {}
        self.item: dict[str, LicensingItem] = {}
        self.operators: dict[str, tuple[str, ...]] = {}
        self.people = data.PeopleMaker(self.rng)
        day, self.recent = today, []  # working days up to today, newest first
        while len(self.recent) < RECENT_WORKDAYS + 2:
            if self.cal.is_workday(day):
                self.recent.append(day)
            day -= timedelta(days=1)
        self.first_day = min(FIRST_DAY, self.recent[-1] - timedelta(days=120))

    # -- the city ---------------------------------------------------------------------

    def build(self, n_results: int, progress: Callable[[int, int], None] | None) -> DemoSummary:
        report = progress or (lambda done, total: None)
        report(0, n_results)
        self._city()
        plans = self._plans(n_results)
        for i, plan in enumerate(plans, 1):
            self._run(plan)
            if i % BATCH == 0:
                self.s.flush()
            if i % PROGRESS_EVERY == 0:
                report(i, n_results)
        self.s.flush()
        from app.services.demo_flows import build_flows  # the issue 5/6 lists and flows

        build_flows(self)
        report(n_results, n_results)
        return self._summary()

    def _city(self) -> None:
        for name, code, level in data.JURISDICTIONS:
            office_service.get_or_create_jurisdiction(self.s, name, code, level)
        for o in data.OFFICES:
            office = office_service.add_office(self.s, o.code, o.name, o.role, "市本级", local=True)
            self.office[o.code], self.by_id[office.id] = office, office
            self.operators[o.code] = o.operators
            since = date(2024, self.rng.randint(1, 12), self.rng.randint(1, 28))
            liaison.add(self.s, office, o.operators[0], self.people.mobile(), data.LIAISON_DUTIES, current=True,
                        since=since)
            if o.role == "approval":  # the bureau changed its liaison once
                old = liaison.add(self.s, office, "赵丽君", self.people.mobile(), data.LIAISON_DUTIES,
                                  since=date(2021, 3, 1))
                liaison.deactivate(self.s, old)
            elif len(o.operators) > 2:  # a deputy where the office has the desks for one
                liaison.add(self.s, office, o.operators[1], self.people.mobile(), "联络员（B角）：" + data.LIAISON_DUTIES,
                            since=since)
        for it in data.ITEMS:
            office = self.office[it.office]
            item = LicensingItem(code=it.code, name=it.name, category=office.name.removeprefix("营口市"),
                                 competent_office_id=office.id, competent_office=office)
            self.s.add(item)
            self.item[it.code] = item
        settings.put(self.s, DEMO_KEY, json.dumps({"city": "营口市", "seed": self.seed}))
        settings.put(self.s, settings.CURRENT_OFFICE, data.APPROVAL)
        self.s.flush()

    # -- plans --------------------------------------------------------------------------

    def _plans(self, n: int) -> list[_Plan]:
        rng, cal = self.rng, self.cal
        n_recent = min(n, max(len(RECENT), round(n * 0.035)))
        names = list(RECENT)[:n_recent]
        names += rng.choices(list(RECENT), weights=list(RECENT.values()), k=n_recent - len(names))
        plans = [self._recent_plan(name) for name in names]
        last = self.recent[RECENT_WORKDAYS]
        days, d = [], self.first_day
        while d <= last:
            if cal.is_workday(d):
                days.append(d)
            d += timedelta(days=1)
        for _ in range(n - n_recent):
            decided = rng.choice(days)
            roll = rng.random()
            issued = decided if roll < 0.7 else self.wd(decided, 1) if roll < 0.95 else None
            day = issued or decided
            plans.append(_Plan(day, decided, issued, steps=self._history(day)))
        plans.sort(key=lambda p: p.day)  # licence serial numbers grow with time
        for plan in plans:
            plan.item = rng.choices(data.ITEMS, weights=[i.weight for i in data.ITEMS])[0]
        return plans

    def wd(self, day: date, k: int) -> date:
        return day if k <= 0 else self.cal.add(day, k).due

    def _history(self, start: date) -> list[tuple[str, date, dict]]:
        """A finished (or, rarely, stuck) Art. 17 chain starting on ``start``."""
        rng, steps = self.rng, []
        roll = rng.random()
        if roll < 0.003:
            return steps  # never pushed
        push_day = self.wd(start, rng.choices((0, 1, 2), (40, 45, 15))[0])
        limit, extra = 2, {}
        if roll < 0.033:  # pushed to the wrong department, returned, pushed again
            steps.append(("push", push_day, {"wrong": True}))
            back = self.wd(push_day, rng.randint(0, 2))
            steps.append(("return", back, {}))
            if rng.random() < 0.1:
                return steps  # still waiting for the corrected push
            push_day, extra = self.wd(back, rng.choice((0, 1, 1, 3))), {"right": True}
        elif roll < 0.10:  # Art. 17 ¶2 paper channel with an agreed limit
            limit = rng.choice((2, 3, 3, 5))
            extra = {"channel": rng.choices(("fax", "onsite", "photocopy"), (50, 25, 25))[0],
                     "agreed_due": self.wd(push_day, limit)}
        elif roll < 0.17:  # pushed late
            push_day = self.wd(start, rng.choice((3, 3, 4, 4, 5, 6, 8)))
        steps.append(("push", push_day, extra))
        roll = rng.random()
        if roll < 0.006:
            return steps  # never signed off
        late = roll < 0.086
        sign = self.wd(push_day, rng.randint(limit + 1, limit + 4) if late else
                       rng.choices(range(limit + 1), [40] + [60 // limit] * limit)[0])
        steps.append(("sign_off", sign, {}))
        if rng.random() >= 0.01:
            steps.append(("start_supervision", self.wd(sign, rng.choices((0, 1, 2, 3), (50, 30, 15, 5))[0]), {}))
        return steps

    def _recent_plan(self, name: str) -> _Plan:
        r, rng = self.recent, self.rng
        push, sign = ("push", {}), ("sign_off", {})
        if name == "pending":
            day, steps = r[0], []
        elif name == "due_soon_push":
            day, steps = r[1], []
        elif name == "overdue_push":
            day, steps = r[rng.randint(3, 7)], []
        elif name == "sent":
            day, steps = r[rng.randint(1, 2)], [(push, r[0])]
        elif name == "sent_due_soon":
            day, steps = r[2], [(push, r[1])]
        elif name == "overdue_sign":
            k = rng.randint(5, 9)
            day, steps = r[k], [(push, r[k - rng.randint(0, 1)])]
        elif name == "paper_waiting":
            paper = ("push", {"channel": "fax", "agreed_due": self.wd(r[1], 4)})
            day, steps = r[2], [(paper, r[1])]
        elif name == "signed":
            day, steps = r[3], [(push, r[2]), (sign, r[rng.randint(0, 1)])]
        elif name == "returned_waiting":
            day, steps = r[5], [(("push", {"wrong": True}), r[4]), (("return", {}), r[rng.randint(1, 2)])]
        elif name == "repushed":
            day, steps = r[6], [(("push", {"wrong": True}), r[5]), (("return", {}), r[4]),
                                (("push", {"right": True}), r[1])]
        else:  # done
            k = rng.randint(2, 9)
            p = r[k - rng.randint(0, 1)]
            day, steps = r[k], [(push, p), (sign, p), (("start_supervision", {}), p)]
        return _Plan(day, day, day, steps=[(a, d, extra) for (a, extra), d in steps])

    # -- running a plan -----------------------------------------------------------------

    def _run(self, plan: _Plan) -> None:
        item = plan.item
        row = self.item[item.code]
        who = self.people.applicant(item)
        data_in = result_service.ResultInput(
            item_code=item.code, applicant_name=who.name, applicant_id=who.id_number,
            contact_name=who.contact, contact_phone=who.phone, result=self.people.result_text(item),
            decided_on=plan.decided, licence_issued_on=plan.issued, materials="；".join(item.materials),
            licence_number=self.people.licence_number(item, plan.day, who.area, who.id_number),
        )
        approval = self.office[data.APPROVAL]
        at = min(self._at(plan.day, None), self.now)
        clock.pin(at)
        result = result_service.record(self.s, data_in, office=approval, operator=self._op(data.APPROVAL),
                                       calendar=self.cal)
        for action, day, extra in plan.steps:
            at = self._at(day, at)
            if at > self.now:
                return
            clock.pin(at)
            d = result_service.current_push(self.s, result)
            if action == "push":
                to = None
                if extra.get("wrong"):
                    to = self.office[data.CONFUSABLE[item.office]]
                elif extra.get("right"):
                    to = row.competent_office
                result_service.push(self.s, result, office=approval, operator=self._op(data.APPROVAL),
                                    channel=extra.get("channel", rules.EXCHANGE),
                                    agreed_due=extra.get("agreed_due"), addressee=to, calendar=self.cal)
            else:
                addressee = self.by_id[d.addressee_office_id]
                reason = data.RETURN_REASON.format(right=row.competent_office.name) if action == "return" else ""
                result_service.act(self.s, result, action, office=addressee,
                                   operator=self._op(addressee.code), reason=reason)

    def _at(self, day: date, prev: datetime | None) -> datetime:
        """A plausible office-hours moment on ``day``, after ``prev``, never after now."""
        rng = self.rng
        if prev is not None and prev.date() == day:
            t = prev + timedelta(minutes=rng.randint(5, 150))
            if t.date() != day:
                t = prev + timedelta(minutes=1)
        else:
            minute = rng.choice((rng.randint(510, 690), rng.randint(780, 1020)))  # 8:30–11:30, 13:00–17:00
            t = datetime.combine(day, time()) + timedelta(minutes=minute)
            if prev is not None and t <= prev:
                t = prev + timedelta(minutes=1)
        if day == self.now.date() and t > self.now:
            lo = prev if prev is not None and prev.date() == day else datetime.combine(day, time())
            if lo.time() < time(8) < self.now.time():  # office hours when there are some
                lo = datetime.combine(day, time(8))
            if lo < self.now:
                t = lo + timedelta(seconds=rng.randint(0, int((self.now - lo).total_seconds())))
        return t

    def _op(self, code: str) -> str:
        return self.rng.choice(self.operators[code])

    # -- summary ------------------------------------------------------------------------

    def _summary(self) -> DemoSummary:
        s, today = self.s, self.today
        nxt = self.cal.next_workday(today)
        current = select(Dispatch).join(ApprovalResult, ApprovalResult.current_dispatch_id == Dispatch.id)
        by_status: dict[str, int] = {}
        overdue_push = overdue_sign = due_soon = provisional = 0
        for d in s.scalars(current):
            by_status[d.status] = by_status.get(d.status, 0) + 1
            if d.current_due is not None:
                overdue_push += d.status == rules.PENDING and d.current_due < today
                overdue_sign += d.status == rules.SENT and d.current_due < today
                due_soon += today <= d.current_due <= nxt
                provisional += bool(d.current_due_provisional)
        pushes = list(s.scalars(select(Dispatch)))

        def count(model) -> int:
            return s.scalar(select(func.count()).select_from(model)) or 0

        return DemoSummary(
            jurisdictions=count(Jurisdiction), offices=count(Office), items=count(LicensingItem),
            liaison_officers=count(LiaisonOfficer), results=count(ApprovalResult),
            first_day=self.first_day, today=today, by_status={k: by_status[k] for k in _ORDER if k in by_status},
            late_pushes=sum(1 for d in pushes if d.sent_at and d.send_due and d.sent_at.date() > d.send_due),
            paper_pushes=sum(1 for d in pushes if d.channel in rules.PAPER_CHANNELS),
            returned=sum(1 for d in pushes if d.status == rules.RETURNED),
            repushed=sum(1 for d in pushes if d.previous_id is not None),
            overdue_push=overdue_push, overdue_sign_off=overdue_sign, due_soon=due_soon,
            provisional=provisional,
        )
