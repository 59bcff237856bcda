"""The same schema and Art. 17 loop on a real PostgreSQL server, selected by URL."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime

import pytest

from app.db import current_revision, head_revision, open_database
from app.models import LicensingItem
from app.services import offices, queries, results, rules
from app.services.workdays import load_calendar
from tests.conftest import a_result_input
from tests.pg_server import PgServer, pg_bin

pytest.importorskip("psycopg", reason="PostgreSQL driver not installed (pip install -e '.[postgres]')")
pytestmark = pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL server binaries not installed")

_names = itertools.count()


@pytest.fixture(scope="module")
def pg():
    server = PgServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_db(pg):
    database = open_database(pg.create_database(f"t{next(_names)}"))
    yield database
    database.engine.dispose()


def test_migrations_run_on_postgresql(pg_db):
    assert pg_db.engine.dialect.name == "postgresql"
    assert current_revision(pg_db.engine) == head_revision()


def test_art17_loop_on_postgresql(pg_db, frozen):
    with pg_db.sessions() as s:
        city = make_city(s)
        r = results.record(s, a_result_input(decided=date(2026, 11, 24)),
                           office=city["approval"], operator="王芳")
        s.commit()
        frozen(datetime(2026, 11, 25, 14, 0))
        results.push(s, r, office=city["approval"], operator="王芳")
        results.act(s, r, "sign_off", office=city["housing"], operator="赵强")
        s.commit()
        d = results.current_push(s, r)
        assert d.status == rules.SIGNED_OFF
        assert r.responsible_office_id == city["housing"].id
        cal = load_calendar(s)
        rows = queries.list_results(s, city["approval"], cal, text="海兴")
        assert [row.id for row in rows] == [r.id]


def make_city(session) -> dict:
    ap = offices.add_office(session, "YK-SPJ", "营口市行政审批局", "approval", "市本级", local=True)
    zj = offices.add_office(session, "YK-ZJJ", "营口市住房和城乡建设局", "competent", "市本级")
    session.add(LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发",
                              competent_office_id=zj.id))
    session.commit()
    return {"approval": ap, "housing": zj}
