"""Four installations for the Art. 19 and Art. 20 loops: the oversight office (roster), the
approval bureau, the housing department and the market regulator, each with its own database
and keys; item ZJ-001 (housing) is known at the bureau."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from app.models import LicensingItem
from tests.services.exchange.conftest import (
    BUREAU,
    HOUSING,
    MARKET,
    OVERSIGHT,
    Home,
    import_roster,
    make_home,
    oversight_fingerprint,
    publish,
)


@dataclass
class Quad:
    ys: Home
    ap: Home
    zj: Home
    sj: Home

    @property
    def homes(self):
        return (self.ys, self.ap, self.zj, self.sj)


@pytest.fixture
def quad(tmp_path, frozen) -> Quad:
    w = Quad(make_home(tmp_path, "ys", OVERSIGHT), make_home(tmp_path, "ap", BUREAU),
             make_home(tmp_path, "zj", HOUSING), make_home(tmp_path, "sj", MARKET))
    data = publish(w.ys, w.ap, w.zj, w.sj)
    fp = oversight_fingerprint(w.ys)
    for h in (w.ap, w.zj, w.sj):
        import_roster(h, data, fp)
    with w.ap.session() as s:
        s.add(LicensingItem(id=uuid.uuid4(), code="ZJ-001", name="建筑工程施工许可证核发",
                            competent_office_id=w.ap.office(s, "YK-ZJJ").id))
        s.commit()
    yield w
    for h in w.homes:
        h.db.engine.dispose()
