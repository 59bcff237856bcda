"""The table model: Qt's model tester, paging, SQL sort and filter, due colours, provisional dates.

Queries run in a background thread; ``load`` waits for the newest answer to be applied.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt, QTimer

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
from tests.ui.conftest import add_applicants, add_results, wait_loaded


@pytest.fixture
def make_model(qtbot, db):
    """``make_model()`` -> (workspace, model); queries still running are waited for at the end."""
    made: list[ResultTableModel] = []

    def make() -> tuple[Workspace, ResultTableModel]:
        ws = Workspace(db)
        made.append(ResultTableModel(ws.fetch_rows, ws.due_state))
        return ws, made[-1]

    yield make
    for model in made:
        model.wait()


@pytest.fixture
def load(qtbot):
    """``load(model, fn, *args)``: call ``fn`` (a re-query) and wait for its rows."""

    def run(model: ResultTableModel, fn, *args, **kw) -> None:
        fn(*args, **kw)
        wait_loaded(qtbot, model)

    return run


def _col(title: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.title == title)


def test_model_tester_empty(qtmodeltester, make_model, load, ui_city):
    _, model = make_model()
    load(model, model.reload)
    assert model.rowCount() == 0 and not model.canFetchMore()
    qtmodeltester.check(model)


def test_model_tester_with_rows_filter_and_sort(qtmodeltester, make_model, load, session, ui_city):
    add_results(session, ui_city, 5)
    add_results(session, ui_city, 3, item_code="SJ-001", applicant_name="营口老边区鑫达餐饮店")
    _, model = make_model()
    load(model, model.reload)
    assert model.rowCount() == 8
    qtmodeltester.check(model)

    load(model, model.set_filter, "鑫达")
    assert model.rowCount() == 3
    assert {model.index(r, _col("申请人")).data() for r in range(3)} == {"营口老边区鑫达餐饮店"}
    qtmodeltester.check(model)

    load(model, model.set_filter, "  ")
    load(model, model.sort, _col("申请人"), Qt.SortOrder.AscendingOrder)
    names = [model.index(r, _col("申请人")).data() for r in range(model.rowCount())]
    assert names == sorted(names) and len(names) == 8
    load(model, model.sort, _col("证照编号"), Qt.SortOrder.DescendingOrder)
    lic = [model.index(r, _col("证照编号")).data() for r in range(model.rowCount())]
    assert lic == sorted(lic, reverse=True)
    qtmodeltester.check(model)


def test_pages_of_200(qtmodeltester, make_model, load, session, ui_city):
    add_results(session, ui_city, PAGE + 50)
    _, model = make_model()
    load(model, model.reload)
    assert model.rowCount() == PAGE and model.canFetchMore()
    load(model, model.fetchMore)
    assert model.rowCount() == PAGE + 50 and not model.canFetchMore()
    ids = {model.row_at(r).id for r in range(model.rowCount())}
    assert len(ids) == PAGE + 50  # no row twice across the page boundary
    load(model, model.reload, keep_loaded=True)  # after an action: as many rows as were shown
    assert model.rowCount() == PAGE + 50
    qtmodeltester.check(model)


def test_due_colours_follow_the_deadline(make_model, load, session, ui_city, frozen):
    # Decided Tue 11-24: push due Thu 11-26 (due soon on Wed 11-25). Decided 11-18: due 11-20, overdue.
    results.record(session, a_result_input(decided=date(2026, 11, 24)), office=ui_city.approval, operator="x")
    results.record(session, a_result_input(decided=date(2026, 11, 18), licence_number="OLD"),
                   office=ui_city.approval, operator="x")
    results.record(session, a_result_input(decided=date(2026, 11, 25), licence_number="NEW"),
                   office=ui_city.approval, operator="x")
    session.commit()
    _, model = make_model()
    model.view = queries.TO_PUSH
    load(model, model.reload)
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


def test_provisional_due_date_is_marked(make_model, load, session, ui_city, frozen):
    # 2027 is known to no calendar yet: a push due in January 2027 is provisional.
    frozen(datetime(2026, 12, 31, 9, 0))
    results.record(session, a_result_input(decided=date(2026, 12, 31)), office=ui_city.approval, operator="x")
    session.commit()
    _, model = make_model()
    load(model, model.reload)
    text = model.index(0, _col("办理期限")).data()
    assert text.endswith(PROVISIONAL_MARK) and text.startswith("2027-01-")


def test_views_split_the_work(make_model, load, session, ui_city, frozen):
    made = add_results(session, ui_city, 3)
    results.push(session, made[0], office=ui_city.approval, operator="x")
    session.commit()
    ws, model = make_model()
    model.view = queries.TO_PUSH
    load(model, model.reload)
    assert model.rowCount() == 2
    ws.set_office(ui_city.housing.id)
    load(model, model.set_view, queries.TO_SIGN)
    assert model.rowCount() == 1 and model.row_at(0).id == made[0].id
    assert ws.work_counts().to_sign == 1


# -- queries in the background ------------------------------------------------------------


def _names(model) -> list[str]:
    return [model.row_at(r).applicant_name for r in range(model.rowCount())]


def _licences(model) -> list[str]:
    return [model.row_at(r).licence_number for r in range(model.rowCount())]


def test_a_slow_query_leaves_the_event_loop_running(qtbot, make_model, load, session, ui_city, gate):
    add_applicants(session, ui_city)
    _, model = make_model()
    slow = gate(model)
    ticks: list[int] = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    states: list[bool] = []
    model.loading_changed.connect(states.append)

    model.reload()  # returns at once: the query runs in a worker thread
    assert model.loading and model.rowCount() == 0 and not model.canFetchMore()
    qtbot.waitUntil(lambda: len(ticks) >= 5)  # the GUI thread keeps serving its timers ...
    assert slow.started.is_set() and model.loading  # ... while the query is still running
    slow.open()
    wait_loaded(qtbot, model)
    timer.stop()
    assert model.rowCount() == 6 and states == [True, False]


def test_two_quick_filter_changes_apply_only_the_last(qtbot, make_model, load, session, ui_city, gate):
    add_results(session, ui_city, 4)
    add_results(session, ui_city, 2, item_code="SJ-001", applicant_name="营口老边区鑫达餐饮店")
    add_results(session, ui_city, 1, applicant_name="营口站前区红旗物流有限公司")
    _, model = make_model()
    load(model, model.reload)
    slow = gate(model)
    resets: list[list[str]] = []
    model.modelReset.connect(lambda: resets.append(_names(model)))

    model.set_filter("鑫达")
    model.set_filter("红旗")
    assert model.rowCount() == 7  # the rows shown stay while the queries run
    slow.open()
    wait_loaded(qtbot, model)
    assert _names(model) == ["营口站前区红旗物流有限公司"]
    assert resets == [["营口站前区红旗物流有限公司"]]  # the "鑫达" answer was dropped, never shown


def test_queued_queries_no_longer_wanted_never_run(qtbot, make_model, load, session, ui_city, gate):
    add_results(session, ui_city, 2)
    _, model = make_model()
    load(model, model.reload)
    slow = gate(model)
    for text in ("甲", "乙", "丙"):  # the first runs; the second waits behind it, then is replaced
        model.set_filter(text)
    slow.open()
    wait_loaded(qtbot, model)
    texts = [call[1] for call in slow.calls]
    assert texts[-1] == "丙" and len(texts) <= 2  # one of "甲"/"乙" was still queued: dropped
    assert model.text == "丙" and model.rowCount() == 0


def test_sort_while_a_query_runs_ends_in_the_newest_order(qtbot, make_model, load, session, ui_city, gate):
    add_applicants(session, ui_city)
    _, model = make_model()
    load(model, model.reload)
    slow = gate(model)
    model.sort(_col("申请人"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(slow.started.is_set)  # the first sort's query is running
    model.sort(_col("证照编号"), Qt.SortOrder.DescendingOrder)
    slow.open()
    wait_loaded(qtbot, model)
    assert (model.sort_key, model.descending) == ("licence", True)
    assert _licences(model) == sorted(_licences(model), reverse=True)
    assert _names(model) != sorted(_names(model))  # not the applicant order of the first sort

    load(model, model.sort, _col("申请人"), Qt.SortOrder.AscendingOrder)
    assert _names(model) == sorted(_names(model))


def test_a_page_asked_before_a_sort_is_not_mixed_in(qtbot, qtmodeltester, make_model, load, session,
                                                  ui_city, gate):
    add_results(session, ui_city, PAGE + 50)
    _, model = make_model()
    load(model, model.reload)
    slow = gate(model)
    model.fetchMore()  # page 2 of the newest-first order ...
    qtbot.waitUntil(slow.started.is_set)
    assert model.loading and not model.canFetchMore()
    model.sort(_col("证照编号"), Qt.SortOrder.AscendingOrder)  # ... overtaken by a new order
    slow.open()
    wait_loaded(qtbot, model)
    assert model.rowCount() == PAGE and _licences(model) == [f"LIC-{i:06d}" for i in range(PAGE)]
    load(model, model.fetchMore)
    assert _licences(model) == [f"LIC-{i:06d}" for i in range(PAGE + 50)]
    qtmodeltester.check(model)


def test_a_failed_query_keeps_the_rows_and_says_why(qtbot, make_model, load, session, ui_city):
    add_results(session, ui_city, 2)
    _, model = make_model()
    load(model, model.reload)
    errors: list[str] = []
    model.failed.connect(errors.append)

    def broken(*_args):
        raise RuntimeError("database is locked")

    model.fetch = broken
    load(model, model.set_filter, "LIC")
    assert errors == ["RuntimeError: database is locked"]
    assert model.rowCount() == 2 and not model.canFetchMore()
