"""Liaison officers (Art. 16): one current per office, named on forms."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import LiaisonOfficer
from app.services import liaison, offices
from app.services.errors import NotFoundError, ValidationError, WorkflowError


def test_first_officer_is_current_then_explicit_choice(session, city, frozen):
    a = liaison.add(session, "YK-ZJJ", "刘洋", "139-0417-0001", "审管平台数据维护")
    b = liaison.add(session, "YK-ZJJ", "陈静", "0417-2345678", "推送接收", since=date(2026, 12, 1))
    assert offices.current_liaison(session, city.housing.id).id == a  # b is newer, but a was chosen
    liaison.set_current(session, b)
    assert offices.current_liaison(session, city.housing.id).id == b
    assert session.get(LiaisonOfficer, a).is_current is False
    rows = liaison.listing(session, "YK-ZJJ")
    assert [(r["name"], r["current"]) for r in rows] == [("陈静", True), ("刘洋", False)]
    assert rows[0]["phone"] == "0417-***5678" and rows[1]["phone"] == "139****0001"  # a list (issue 7)
    full = [liaison.row(liaison.get(session, r["id"]))["phone"] for r in rows]  # the edit form
    assert full == ["0417-2345678", "13904170001"]
    assert [r["phone"] for r in liaison.listing(session, "YK-ZJJ", masked=False)] == full  # the export
    c = liaison.add(session, "YK-ZJJ", "周涛", "13904170003", current=True)
    assert offices.current_liaison(session, city.housing.id).id == c
    assert sum(lo.is_current for lo in city.housing.liaison_officers) == 1


def test_deactivate_keeps_one_current(session, city):
    a = liaison.add(session, "YK-SJJ", "刘洋", "13904170001")
    b = liaison.add(session, "YK-SJJ", "陈静", "13904170002")
    with pytest.raises(WorkflowError, match="请先把另一位"):
        liaison.deactivate(session, a)
    liaison.deactivate(session, b)
    with pytest.raises(WorkflowError, match="已停用"):
        liaison.set_current(session, b)
    assert [r["name"] for r in liaison.listing(session, "YK-SJJ")] == ["刘洋"]
    assert len(liaison.listing(session, "YK-SJJ", include_inactive=True)) == 2
    liaison.deactivate(session, a)  # the last one may go
    assert offices.current_liaison(session, city.market.id) is None


def test_edit_and_validation(session, city):
    a = liaison.add(session, "YK-SPJ", "刘洋", "13904170001")
    liaison.edit(session, a, phone="+86 139 0417 0009", duties="数据维护")
    lo = liaison.get(session, a)
    assert (lo.phone, lo.duties) == ("13904170009", "数据维护")
    for kwargs, field in [({"name": ""}, "name"), ({"name": "长" * 65}, "name"), ({"phone": "1234567"}, "phone"),
                          ({"phone": ""}, "phone"), ({"duties": "长" * 257}, "duties")]:
        with pytest.raises(ValidationError) as e:
            liaison.edit(session, a, **kwargs)
        assert e.value.field == field
    with pytest.raises(NotFoundError):
        liaison.add(session, "YK-NONE", "刘洋", "13904170001")
    with pytest.raises(NotFoundError):
        liaison.get(session, "xyz")


def test_legacy_rows_without_a_choice_are_deterministic(session, city):
    """Rows made before the explicit choice (demo, old databases): the latest since wins."""
    for name, since in (("甲", date(2024, 1, 1)), ("乙", date(2025, 1, 1)), ("丙", None)):
        session.add(LiaisonOfficer(office_id=city.approval.id, name=name, phone="13904170001", since=since))
    session.flush()
    assert offices.current_liaison(session, city.approval.id).name == "乙"


def test_transmittal_names_the_current_liaison(session, city):
    from app.services.forms.transmittal import _liaisons

    a = liaison.add(session, "YK-SPJ", "刘洋", "13904170001", since=date(2020, 1, 1))
    liaison.add(session, "YK-SPJ", "陈静", "13904170002", since=date(2026, 1, 1))
    assert _liaisons(session, {city.approval.id})[city.approval.id] == "刘洋  13904170001"
    assert offices.current_liaison(session, city.approval.id).id == a
