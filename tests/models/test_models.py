"""Model-level guarantees: UUID keys everywhere, the role constraint, foreign keys enforced."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Uuid
from sqlalchemy.exc import IntegrityError

from app.models import Base, Jurisdiction, LicensingItem, Office

# The audit log never travels between offices: its key is the gap-free sequence number
# (docs/audit.md), and its head is one row.
LOCAL_KEYS = {"audit_events": "seq", "audit_head": "id"}


def test_every_table_has_a_uuid_primary_key():
    for table in Base.metadata.sorted_tables:
        if table.name in LOCAL_KEYS:
            assert [c.name for c in table.primary_key.columns] == [LOCAL_KEYS[table.name]]
            continue
        pk = list(table.primary_key.columns)
        assert [c.name for c in pk] == ["id"], table.name
        assert isinstance(pk[0].type, Uuid), table.name


def test_office_role_is_constrained(session):
    j = Jurisdiction(id=uuid.uuid4(), code="210800", name="市本级", level="city")
    session.add(j)
    session.flush()
    session.add(Office(id=uuid.uuid4(), code="X-1", name="某局", role="mayor", jurisdiction_id=j.id))
    with pytest.raises(IntegrityError):
        session.flush()


def test_foreign_keys_are_enforced(session):
    session.add(LicensingItem(id=uuid.uuid4(), code="Z-1", name="某许可", competent_office_id=uuid.uuid4()))
    with pytest.raises(IntegrityError):
        session.flush()
