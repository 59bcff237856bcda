"""Shared fixtures. Tests never touch the user's real data folder or settings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import uuid  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date, datetime  # noqa: E402

import pytest  # noqa: E402

from app import clock  # noqa: E402
from app.db import Database, open_database  # noqa: E402
from app.models import LicensingItem, Office  # noqa: E402
from app.services import offices  # noqa: E402
from tests.backends import (  # noqa: E402, F401  (the backends' hooks and fixtures)
    _backend_for_test,
    backend,
    database_url,
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_generate_tests,
    pytest_report_header,
    pytest_runtest_logreport,
    pytest_terminal_summary,
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Point every default path at a temporary folder; forget any database URL."""
    home = tmp_path / "home"
    monkeypatch.setenv("SHENGUAN_HOME", str(home))
    monkeypatch.delenv("SHENGUAN_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield home
    clock.freeze(None)


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the clock: ``frozen(datetime(...))`` sets it; starts at Wed 2026-11-25 10:00."""

    def set_(moment: datetime) -> datetime:
        clock.freeze(moment)
        return moment

    set_(datetime(2026, 11, 25, 10, 0, 0))
    yield set_
    clock.freeze(None)


@pytest.fixture
def db(tmp_path) -> Database:
    """The test's database on the run's backend (see tests/backends.py)."""
    database = open_database(database_url(tmp_path / "test.db"), tmp_path / "backups")
    yield database
    database.engine.dispose()


@pytest.fixture
def session(db):
    with db.sessions() as s:
        yield s


@dataclass
class City:
    approval: Office
    housing: Office  # 住建
    market: Office  # 市场监管
    enforcement: Office
    oversight: Office
    item_building: LicensingItem
    item_food: LicensingItem


@pytest.fixture
def city(session) -> City:
    """A small city: one approval bureau, two competent departments, two items. Committed."""
    ap = offices.add_office(session, "YK-SPJ", "营口市行政审批局", "approval", "市本级", local=True)
    zj = offices.add_office(session, "YK-ZJJ", "营口市住房和城乡建设局", "competent", "市本级", local=True)
    sj = offices.add_office(session, "YK-SJJ", "营口市市场监督管理局", "competent", "市本级", local=True)
    zf = offices.add_office(session, "YK-ZFJ", "营口市综合行政执法局", "enforcement", "市本级")
    ys = offices.add_office(session, "YK-YSJ", "营口市营商环境建设局", "oversight", "市本级")
    b = LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发", competent_office_id=zj.id)
    f = LicensingItem(id=uuid.uuid4(), code="SJ-001", name="食品经营许可", competent_office_id=sj.id)
    session.add_all([b, f])
    session.commit()
    return City(ap, zj, sj, zf, ys, b, f)




def valid_uscc(body17: str = "91210800MA0TEXT01") -> str:
    from app.services.ids import uscc_check_char

    return body17 + uscc_check_char(body17)


def valid_resident_id(body17: str = "21080219900307123") -> str:
    from app.services.ids import resident_id_check_char

    return body17 + resident_id_check_char(body17)


def a_result_input(item_code: str = "ZJ-001", decided: date = date(2026, 11, 24), **kw):
    from app.services.results import ResultInput

    values = dict(
        item_code=item_code,
        applicant_name="营口市鲅鱼圈区海兴建筑有限公司",
        applicant_id=valid_uscc(),
        contact_name="李明",
        contact_phone="13904171234",
        result="准予许可",
        decided_on=decided,
        licence_number="210800202611240101",
        licence_issued_on=decided,
        materials="施工许可申请表；建设工程规划许可证；施工合同",
    )
    values.update(kw)
    return ResultInput(**values)
