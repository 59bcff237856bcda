"""Work views and counts: due soon (today or next working day) and overdue (after the due day)."""

from __future__ import annotations

from datetime import date, datetime

from app.services import queries, results
from app.services.workdays import load_calendar
from tests.conftest import a_result_input


def _record(session, city, decided, **kw):
    return results.record(
        session, a_result_input(decided=decided, **kw), office=city.approval, operator="王芳"
    )


def test_views_and_counts_follow_the_due_dates(session, city, frozen):
    frozen(datetime(2026, 11, 20, 9, 0))
    overdue = _record(session, city, date(2026, 11, 16), applicant_name="逾期甲公司")  # due Wed 18
    soon = _record(session, city, date(2026, 11, 19), applicant_name="临期乙公司")  # due Mon 23
    fresh = _record(session, city, date(2026, 11, 20), applicant_name="新登丙公司")  # due Tue 24
    session.commit()
    frozen(datetime(2026, 11, 20, 16, 0))  # Friday: next working day is Monday 23rd
    cal = load_calendar(session)

    def names(view, office=city.approval):
        return {r.applicant_name for r in queries.list_results(session, office, cal, view=view)}

    assert names(queries.OVERDUE) == {"逾期甲公司"}
    assert names(queries.DUE_SOON) == {"临期乙公司"}
    assert names(queries.TO_PUSH) == {"逾期甲公司", "临期乙公司", "新登丙公司"}
    counts = queries.work_counts(session, city.approval, cal)
    assert counts == queries.WorkCounts(to_push=3, to_sign=0, due_soon=1, overdue=1)

    # Pushing moves the work to the competent department's 待签收 with its own due date.
    results.push(session, fresh, office=city.approval, operator="王芳")  # Fri → due Tue 24
    session.commit()
    assert names(queries.TO_SIGN, city.housing) == {"新登丙公司"}
    assert names(queries.DUE_SOON, city.housing) == set()
    frozen(datetime(2026, 11, 23, 9, 0))  # Monday: due Tue is the next working day
    assert names(queries.DUE_SOON, city.housing) == {"新登丙公司"}
    frozen(datetime(2026, 11, 25, 0, 1))  # Wednesday just after midnight: overdue
    assert names(queries.OVERDUE, city.housing) == {"新登丙公司"}
    assert names(queries.ALL, city.market) == set()  # not its business
    assert {soon.id, overdue.id} <= {
        r.id for r in queries.list_results(session, city.approval, cal)
    }


def test_filter_sort_and_paging(session, city, frozen):
    for i in range(25):
        _record(
            session,
            city,
            date(2026, 11, 2) if i % 2 else date(2026, 11, 3),
            applicant_name=f"营口测试{i:02d}有限公司",
            licence_number=f"LIC{i:04d}",
            item_code="SJ-001" if i % 5 == 0 else "ZJ-001",
        )
    session.commit()
    cal = load_calendar(session)
    rows = queries.list_results(
        session, city.approval, cal, text="食品", sort="applicant", descending=False
    )
    assert [r.applicant_name for r in rows] == [f"营口测试{i:02d}有限公司" for i in range(0, 25, 5)]
    assert queries.count_results(session, city.approval, cal, text="测试1") == 10
    assert queries.count_results(session, city.approval, cal, text="测试1 LIC0012") == 1
    # Latin letters in any case, on SQLite (LIKE) and PostgreSQL (ILIKE) alike.
    assert queries.count_results(session, city.approval, cal, text="lic0012") == 1
    [row] = queries.list_results(session, city.approval, cal, text="Lic0012")
    assert row.licence_number == "LIC0012"
    page1 = queries.list_results(session, city.approval, cal, limit=10)
    page3 = queries.list_results(session, city.approval, cal, offset=20, limit=10)
    assert len(page1) == 10 and len(page3) == 5
    assert page1[0].decided_on == date(2026, 11, 3)
    assert not {r.id for r in page1} & {r.id for r in page3}


def test_oversight_sees_everything(session, city, frozen):
    _record(session, city, date(2026, 11, 20))
    session.commit()
    cal = load_calendar(session)
    assert queries.count_results(session, city.oversight, cal) == 1


def test_count_agrees_with_the_list_for_every_view(session, city, frozen):
    frozen(datetime(2026, 11, 16, 9, 0))
    made = [
        _record(
            session,
            city,
            date(2026, 11, 10 + i % 6),
            applicant_name=f"营口{'海兴' if i % 3 else '渤海'}公司{i}",
            item_code="SJ-001" if i % 4 == 0 else "ZJ-001",
        )
        for i in range(18)
    ]
    for r in made[:8]:
        results.push(session, r, office=city.approval, operator="王芳")
    session.commit()
    frozen(datetime(2026, 11, 19, 9, 0))
    cal = load_calendar(session)
    for office in (city.approval, city.housing, city.market, city.oversight):
        for view in (
            queries.ALL,
            queries.TO_PUSH,
            queries.TO_SIGN,
            queries.DUE_SOON,
            queries.OVERDUE,
        ):
            for text in ("", "海兴", "食品 海兴", "住房"):
                listed = queries.list_results(
                    session, office, cal, view=view, text=text, limit=1000
                )
                assert queries.count_results(session, office, cal, view=view, text=text) == len(
                    listed
                ), (office.code, view, text)
