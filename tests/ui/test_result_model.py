"""The table model: Qt's model tester, paging, SQL sort and filter, due colours, provisional dates."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt

from app.services import queries, results
from app.ui.result_model import (
    COLUMNS,
    DUE_SOON_BG,
    OVERDUE_BG,
    PAGE,
    PROVISIONAL_MARK,
    STATE_ROLE,
    ResultTableModel,
)
from app.ui.workspace import Workspace
from tests.conftest import a_result_input
from tests.ui.conftest import add_results


def _model(db) -> tuple[Workspace, ResultTableModel]:
    ws = Workspace(db)
    return ws, ResultTableModel(ws.fetch_rows, ws.due_state)


def _col(title: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.title == title)


def test_model_tester_empty(qtmodeltester, db, ui_city):
    _, model = _model(db)
    model.reload()
    assert model.rowCount() == 0 and not model.canFetchMore()
    qtmodeltester.check(model)


def test_model_tester_with_rows_filter_and_sort(qtmodeltester, db, session, ui_city):
    add_results(session, ui_city, 5)
    add_results(session, ui_city, 3, item_code="SJ-001", applicant_name="营口老边区鑫达餐饮店")
    _, model = _model(db)
    model.reload()
    assert model.rowCount() == 8
    qtmodeltester.check(model)

    model.set_filter("鑫达")
    assert model.rowCount() == 3
    assert {model.index(r, _col("申请人")).data() for r in range(3)} == {"营口老边区鑫达餐饮店"}
    qtmodeltester.check(model)

    model.set_filter("  ")
    model.sort(_col("申请人"), Qt.SortOrder.AscendingOrder)
    names = [model.index(r, _col("申请人")).data() for r in range(model.rowCount())]
    assert names == sorted(names) and len(names) == 8
    model.sort(_col("证照编号"), Qt.SortOrder.DescendingOrder)
    lic = [model.index(r, _col("证照编号")).data() for r in range(model.rowCount())]
    assert lic == sorted(lic, reverse=True)
    qtmodeltester.check(model)


def test_pages_of_200(qtmodeltester, db, session, ui_city):
    add_results(session, ui_city, PAGE + 50)
    _, model = _model(db)
    model.reload()
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE + 50 and not model.canFetchMore()
    ids = {model.row_at(r).id for r in range(model.rowCount())}
    assert len(ids) == PAGE + 50  # no row twice across the page boundary
    model.reload(keep_loaded=True)  # after an action: as many rows as were shown
    assert model.rowCount() == PAGE + 50
    qtmodeltester.check(model)


def test_due_colours_follow_the_deadline(db, session, ui_city, frozen):
    # Decided Tue 11-24: push due Thu 11-26 (due soon on Wed 11-25). Decided 11-18: due 11-20, overdue.
    results.record(session, a_result_input(decided=date(2026, 11, 24)), office=ui_city.approval, operator="x")
    results.record(session, a_result_input(decided=date(2026, 11, 18), licence_number="OLD"),
                   office=ui_city.approval, operator="x")
    results.record(session, a_result_input(decided=date(2026, 11, 25), licence_number="NEW"),
                   office=ui_city.approval, operator="x")
    session.commit()
    _, model = _model(db)
    model.view = queries.TO_PUSH
    model.reload()
    by_licence = {model.row_at(r).licence_number: r for r in range(model.rowCount())}
    due = _col("办理期限")

    def bg(lic):
        brush = model.index(by_licence[lic], due).data(Qt.ItemDataRole.BackgroundRole)
        return brush.color() if brush is not None else None

    assert bg("OLD") == OVERDUE_BG
    assert bg("210800202611240101") == DUE_SOON_BG
    assert bg("NEW") is None  # due Fri 11-27: on track, no colour
    assert model.index(by_licence["OLD"], 0).data(STATE_ROLE) == "overdue"
    assert model.index(by_licence["OLD"], due).data() == "2026-11-20"


def test_provisional_due_date_is_marked(db, session, ui_city, frozen):
    # 2027 is known to no calendar yet: a push due in January 2027 is provisional.
    frozen(datetime(2026, 12, 31, 9, 0))
    results.record(session, a_result_input(decided=date(2026, 12, 31)), office=ui_city.approval, operator="x")
    session.commit()
    _, model = _model(db)
    model.reload()
    text = model.index(0, _col("办理期限")).data()
    assert text.endswith(PROVISIONAL_MARK) and text.startswith("2027-01-")


def test_views_split_the_work(db, session, ui_city, frozen):
    made = add_results(session, ui_city, 3)
    results.push(session, made[0], office=ui_city.approval, operator="x")
    session.commit()
    ws, model = _model(db)
    model.view = queries.TO_PUSH
    model.reload()
    assert model.rowCount() == 2
    ws.set_office(ui_city.housing.id)
    model.view = queries.TO_SIGN
    model.reload()
    assert model.rowCount() == 1 and model.row_at(0).id == made[0].id
    assert ws.work_counts().to_sign == 1
