"""operators.allows is the one answer to “may this operator do X”: the services' checks
(check_role, require_admin) refuse exactly what it refuses, and step_role reads the rules table."""

from __future__ import annotations

import uuid

import pytest

from app.services import operators, rules
from app.services.errors import WorkflowError

ROLES = (operators.CLERK, operators.HEAD, operators.ADMIN)


def _account(role: str) -> operators.Account:
    return operators.Account(uuid.uuid4(), role, f"{role}者", role, None)


@pytest.mark.parametrize("needed", (*ROLES, None))
@pytest.mark.parametrize("who", (*ROLES, None))
def test_allows_answers_as_the_services_check(session, who, needed):
    account = _account(who) if who else None
    operators.create(session, "keeper", "管理员甲", "geheim12345", operators.ADMIN)  # accounts on
    operators.act_as(session, account)
    allowed = operators.allows(account, needed, enabled=True)
    assert allowed == (needed is None or who == needed)
    if needed is None:
        return
    try:
        operators.check_role(session, needed, "办理")
        refused = False
    except WorkflowError:
        refused = True
    assert refused is not allowed


def test_without_accounts_everyone_may(session):
    assert all(operators.allows(None, role, enabled=False) for role in ROLES)
    assert all(operators.allows(_account(operators.CLERK), role, enabled=False) for role in ROLES)
    operators.require_admin(session, "导入节假日安排")  # no accounts: no check


def test_step_role_is_the_rules_tables(session):
    for rule in rules.RULES:
        for t in rule.transitions:
            assert operators.step_role(rule.kind, t.source, t.action) == t.role
    assert operators.step_role(rules.APPROVAL_PUSH.kind, rules.SENT, "sign_off") == operators.HEAD
    assert operators.step_role(rules.APPROVAL_PUSH.kind, rules.CLOSED, "sign_off") is None  # no such step
    assert operators.only_text(operators.HEAD) == "仅负责人可用"
    assert operators.only_text(operators.ADMIN) == "仅管理员可用"
