"""The demo city: realistic, complete, deterministic, built by the real engine."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app import clock
from app.db import open_database
from app.models import (
    ApprovalResult,
    Dispatch,
    DispatchEvent,
    Jurisdiction,
    LiaisonOfficer,
    LicensingItem,
    Office,
)
from app.services import demo, queries, rules
from app.services.errors import ValidationError, WorkflowError
from app.services.ids import classify_applicant_id, normalize_phone
from app.services.workdays import load_calendar
from tests.backends import database_url

N = 300
NOW = datetime(2026, 11, 25, 10, 0, 0)  # the ``frozen`` fixture's moment


@pytest.fixture
def built(session, frozen):
    summary = demo.build_demo_city(session, seed=7, results=N)
    session.commit()
    return summary


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_city_offices_items_and_liaisons(session, built):
    assert count(session, Office) == 13 == built.offices
    assert count(session, LicensingItem) == 40 == built.items
    codes = {j.name: j.code for j in session.scalars(select(Jurisdiction))}
    assert codes == {"市本级": "210800", "站前区": "210802", "西市区": "210803", "鲅鱼圈区": "210804",
                     "老边区": "210811", "盖州市": "210881", "大石桥市": "210882"}
    offices = list(session.scalars(select(Office)))
    assert all(o.is_local for o in offices)
    roles = sorted(o.role for o in offices)
    assert roles.count("approval") == 1 and roles.count("competent") == 10
    assert roles.count("enforcement") == 1 and roles.count("oversight") == 1
    assert all(o.name.startswith("营口市") for o in offices)
    competent = {o.id for o in offices if o.role == "competent"}
    assert {i.competent_office_id for i in session.scalars(select(LicensingItem))} == competent
    assert len({i.code for i in session.scalars(select(LicensingItem))}) == 40
    active = session.scalars(select(LiaisonOfficer.office_id).where(LiaisonOfficer.active.is_(True)))
    assert set(active) == {o.id for o in offices}


def test_applicants_are_realistic_and_valid(session, built):
    rows = list(session.scalars(select(ApprovalResult)))
    assert len(rows) == N == built.results
    kinds = set()
    for r in rows:
        id_type, code = classify_applicant_id(r.applicant_id)
        assert (id_type, code) == (r.applicant_id_type, r.applicant_id)
        kinds.add(id_type)
        if id_type == "resident_id":
            assert r.applicant_id.startswith("2108")
            born = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
            assert date(1950, 1, 1) < born < date(2005, 1, 1)
            assert r.applicant_name == r.contact_name and 2 <= len(r.applicant_name) <= 3
        else:
            assert code[2:6] == "2108" and code[:2] in ("91", "92")
        assert normalize_phone(r.contact_phone) == r.contact_phone
        assert r.licence_number and r.result.startswith("准予") and r.materials
        assert date(2025, 1, 1) <= r.decided_on <= NOW.date()
    assert kinds == {"uscc", "resident_id"}
    mobiles = [r.contact_phone for r in rows if len(r.contact_phone) == 11]
    assert len(mobiles) > N * 0.7


def test_every_state_is_present(session, built):
    for status in (rules.PENDING, rules.SENT, rules.SIGNED_OFF, rules.SUPERVISING, rules.RETURNED):
        assert built.by_status.get(status, 0) > 0, status
    assert built.by_status[rules.SUPERVISING] > N * 0.8
    assert built.overdue_push > 0 and built.overdue_sign_off > 0 and built.due_soon > 0
    assert built.late_pushes > 0 and built.paper_pushes > 0
    assert built.returned > 0 and built.repushed > 0
    cal = load_calendar(session)
    approval = session.scalar(select(Office).where(Office.role == "approval"))
    counts = queries.work_counts(session, approval, cal)
    assert counts.to_push > 0 and counts.overdue > 0
    competent = session.scalars(select(Office).where(Office.role == "competent"))
    totals = [queries.work_counts(session, o, cal) for o in competent]
    assert sum(c.to_sign for c in totals) > 0 and sum(c.overdue for c in totals) > 0
    assert sum(c.due_soon for c in totals) + counts.due_soon > 0
    # Returned pushes give responsibility back to the bureau; corrected pushes replace them.
    for r in session.scalars(select(ApprovalResult)):
        d = session.get(Dispatch, r.current_dispatch_id)
        holder = d.sender_office_id if d.status in (rules.PENDING, rules.RETURNED) else d.addressee_office_id
        assert r.responsible_office_id == holder


def test_due_dates_and_events_come_from_the_engine(session, built):
    cal = load_calendar(session)
    for d in session.scalars(select(Dispatch)):
        if d.kind == rules.APPROVAL_PUSH.kind:  # (the other flows: test_lists_and_flows_of_issues_5_and_6)
            assert d.send_due == cal.add(d.clock_start, 2).due
            if d.sent_at is not None:
                expected = d.agreed_due if d.channel in rules.PAPER_CHANNELS else cal.add(d.sent_at.date(), 2).due
                assert d.reply_due == expected
        times = [e.at for e in d.events]
        assert times == sorted(times) and times[-1] <= NOW
    assert session.scalar(select(func.max(DispatchEvent.at))) <= NOW
    assert clock.now() == NOW  # the clock is given back as it was


def fingerprint(summary, session):
    rows = session.execute(
        select(ApprovalResult.applicant_name, ApprovalResult.applicant_id, ApprovalResult.decided_on,
               ApprovalResult.licence_number, ApprovalResult.contact_phone, Dispatch.status,
               Dispatch.current_due, Dispatch.channel)
        .join(Dispatch, Dispatch.id == ApprovalResult.current_dispatch_id)
    ).all()
    return summary, sorted(rows)


def test_same_seed_same_city(tmp_path, frozen):
    prints = []
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        database = open_database(database_url(tmp_path / f"{name}.db"))
        with database.sessions() as s:
            summary = demo.build_demo_city(s, seed=seed, results=120)
            s.commit()
            prints.append(fingerprint(summary, s))
        database.engine.dispose()
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_second_run_and_foreign_database_are_refused(session, built):
    with pytest.raises(WorkflowError, match="已经是演示数据库"):
        demo.build_demo_city(session, results=10)
    assert count(session, ApprovalResult) == N


def test_refused_on_a_real_office_database(session, city, frozen):
    with pytest.raises(WorkflowError, match="已有单位"):
        demo.build_demo_city(session, results=10)
    assert count(session, Office) == 5


def test_bad_result_count(session, frozen):
    with pytest.raises(ValidationError):
        demo.build_demo_city(session, results=-1)


def test_small_and_empty_cities(session, frozen):
    summary = demo.build_demo_city(session, results=0)
    assert summary.results == 0 and summary.offices == 13


def test_progress_is_reported_and_cancel_restores_the_clock(session, frozen):
    seen = []

    def progress(done, total):
        seen.append((done, total))
        if done >= 100:
            raise KeyboardInterrupt  # what a cancel button does, in effect

    with pytest.raises(KeyboardInterrupt):
        demo.build_demo_city(session, results=150, progress=progress)
    assert seen[0] == (0, 150) and seen[-1] == (100, 150)
    assert clock.now() == NOW
    session.rollback()
    assert count(session, Office) == 0


def test_lists_and_flows_of_issues_5_and_6(session, built):
    """Every page has something to show: catalogue versions, sheets and consent, notices, pools,
    liaisons, penalties → licence changes, referrals, consultations, support, oversight."""
    from app.models import (
        Agency,
        CatalogueVersion,
        Circular,
        Consultation,
        Expert,
        ImplementationSheet,
        LicenceChange,
        OversightReport,
        PenaltyDecision,
        PolicyChange,
        Referral,
        SheetChange,
        SupportRequest,
    )
    from app.services import offices
    from app.services.catalogue import diff
    from app.services.cooperation import oversight

    today = NOW.date()
    versions = {v.number: v for v in session.scalars(select(CatalogueVersion))}
    assert versions[1].status == "filed" and versions[1].approved_doc_number == "营政发〔2024〕31号"
    assert {e.code for e in versions[1].entries} == {i.code for i in session.scalars(select(LicensingItem))}
    assert versions[2].status == "draft"
    changes = diff.diff(session, 1, 2)
    assert changes["added"] and changes["removed"] and changes["changed"]
    assert count(session, ImplementationSheet) >= 4
    assert sorted(c.status for c in session.scalars(select(SheetChange))) == ["consented", "pending"]
    assert len({p.kind for p in session.scalars(select(PolicyChange))}) == 2  # a notice and a request
    for model in (Expert, Agency):
        ends = [e.valid_until for e in session.scalars(select(model))]
        assert any(d < today for d in ends) and any(today <= d <= date(2027, 1, 1) for d in ends)
        assert len(ends) >= 3
    for o in session.scalars(select(Office)):
        current = offices.current_liaison(session, o.id)
        assert current is not None and current.active and current.is_current, o.code
    kinds = dict(session.execute(select(Dispatch.kind, func.count()).group_by(Dispatch.kind)).all())
    for kind in ("penalty_notice", "licence_change_push", "referral", "case_result", "consultation",
                 "consultation_minutes", "technical_support", "certificate_stock", "key_element_consent",
                 "policy_notice", "opinion_request", "oversight_report"):
        assert kinds.get(kind), kind
    penalties = list(session.scalars(select(PenaltyDecision)))
    assert len(penalties) == 2 and sum(p.licence_decided_at is not None for p in penalties) == 1
    [lc] = session.scalars(select(LicenceChange))
    assert session.scalar(select(Dispatch.status).where(Dispatch.subject_id == lc.id)) == rules.SIGNED_OFF
    referrals = {r.decision: r for r in session.scalars(select(Referral))}
    assert referrals["accepted"].result_text and referrals["declined"].decision_reason
    waiting = session.scalar(select(Dispatch).where(Dispatch.subject_id == referrals[None].id))
    assert waiting.status == rules.SENT and waiting.reply_due < today  # overdue
    assert count(session, Consultation) == 2 and count(session, SupportRequest) == 3
    assert count(session, OversightReport) > 0 and count(session, Circular) == 1
    ys = session.scalar(select(Office).where(Office.role == "oversight"))
    figures = oversight.figures(session, ys, month="2026-11")
    assert {r["measure"] for r in figures["by_office"]} >= {"push", "sign_off", "penalty_push", "referral_decision"}
    assert oversight.late_items(session, ys, month="2026-11")
